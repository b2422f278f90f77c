"""Checks the system libraries the portal needs and names the package for any missing.

Also names the optional tools some make targets use; those only print a hint.
"""

import ctypes.util
import os
import shutil
import sys

NEEDED = {
    "pango-1.0": "libpango-1.0-0 (Debian/Ubuntu) or pango (Homebrew)",
    "pangoft2-1.0": "libpangoft2-1.0-0 (Debian/Ubuntu) or pango (Homebrew)",
}
# Optional: (how to find it, what needs it, how to install it).
OPTIONAL = [
    (
        os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "the browser tests (pytest -m browser, make e2e)",
        "apt-get install chromium",
    ),
    ("pg_dump", "make backup / make restore", "apt-get install postgresql-client"),
]

missing = [package for lib, package in NEEDED.items() if ctypes.util.find_library(lib) is None]
for package in missing:
    print(f"Missing system library for PDF output (WeasyPrint): install {package}.")
for tool, used_by, install in OPTIONAL:
    if not (os.path.exists(tool) if os.path.isabs(tool) else shutil.which(tool)):
        print(f"Note: {tool} not found; {used_by} need it ({install}).")
sys.exit(1 if missing else 0)
