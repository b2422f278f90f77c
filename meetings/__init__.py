"""The meetings app of the CSP portal."""
