"""Smoke test of the quick start on SQLite: migrate, load the demo, render main pages.

Run by .ci/run with DEBUG=1 and no DATABASE_URL, as a newcomer's `make run` would be.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DATABASE_URL"] = f"sqlite:///{os.environ['SMOKE_SQLITE']}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp_portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

call_command("migrate", verbosity=0)
call_command("load_demo", verbosity=0)
setup_test_environment()

PAGES = ["home", "partnership"]
APP_PAGES = ["performance:index", "funding:index", "meetings:index", "plans:index"]

failures = []
client = Client()
assert client.get(reverse("login")).status_code == 200, "login page"
for username in ["officer", "clerk", "board", "partner", "admin"]:
    client.force_login(get_user_model().objects.get(username=username))
    for name in PAGES + APP_PAGES:
        try:
            url = reverse(name, kwargs={"partnership": "charnwood"} if name != "home" else {})
        except Exception:
            continue  # an app that has no index page yet
        response = client.get(url)
        status = response.status_code
        print(f"{username:<8} {url:<40} {status}")
        if status not in (200, 302):
            failures.append((username, url, status))
        # a home section that raised is logged and skipped with a notice: on the quick
        # start's database that is a failure too (a query only PostgreSQL understands)
        if status == 200 and "could not be shown just now" in response.content.decode():
            failures.append((username, url, "a section could not be shown"))
if failures:
    sys.exit(f"smoke test failed: {failures}")
print("smoke test passed")
