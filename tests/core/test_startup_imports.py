"""Every process (web worker, task worker, management command) loads the URLs and the apps;
WeasyPrint (1.4 s), pandas (0.5 s), plotly, pypdf, pikepdf, icalendar (0.5 s) and qrcode
(0.3 s, with PIL) are imported only by the code that uses them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "weasyprint", "pandas", "plotly", "numpy", "pypdf", "pikepdf", "openpyxl", "icalendar",
    "qrcode", "PIL",
)  # fmt: skip

PROBE = """
import sys
import django
django.setup()
import csp_portal.urls
from django.urls import get_resolver
get_resolver().url_patterns
import csp_portal.tasks
print(",".join(m for m in {heavy!r} if m in sys.modules))
"""


@pytest.mark.parametrize("settings_module", ["csp_portal.settings", "csp_portal.settings_test"])
def test_loading_the_urls_and_apps_imports_no_heavy_library(settings_module):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DEBUG": "1",
        "SECRET_KEY": "startup-import-probe-secret-key-long-enough-for-django-000000",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"imported at start-up: {done.stdout.strip()}"
