"""Quarterly crime figures by beat and category, imports, targets and dashboards."""
