"""The funding app of the CSP portal."""
