"""The CSP portal project: settings, URLs and the core every app shares."""
