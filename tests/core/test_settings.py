"""Production settings pass Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "csp_portal.settings", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="csp.example.org",
        SITE_URL="https://csp.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_site_url_is_not_set():
    environment = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **environment,
            "DJANGO_SETTINGS_MODULE": "csp_portal.settings",
            "DEBUG": "0",
            "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
            "ALLOWED_HOSTS": "csp.example.org",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "csp_portal.W001" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    environment = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**environment, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "csp_portal.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
