"""Several servers, one truth: with REDIS_URL the cache is Redis, sessions are in the
database and the lock-outs in the database too; with STORAGE_BACKEND=s3 uploads and packs
go to an S3-compatible bucket (django-storages). Read from the settings a server starts
with (a subprocess under production settings), not from the test settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
default_storage = storages["default"]
from django.core.cache import caches
cache = caches["default"]
print(json.dumps({
    "cache": type(cache).__module__ + "." + type(cache).__name__,
    "session": settings.SESSION_ENGINE,
    "axes": getattr(settings, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler"),
    "storage": type(default_storage).__module__ + "." + type(default_storage).__name__,
    "bucket": getattr(default_storage, "bucket_name", None),
    "endpoint": getattr(default_storage, "endpoint_url", None),
    "location": getattr(default_storage, "location", None),
    "tasks": settings.TASKS["default"]["BACKEND"],
}))
"""


def _settings(**environment: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "STORAGE_BACKEND", "TASKS_BACKEND"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "csp_portal.settings",
        "DEBUG": "1",
        "SECRET_KEY": "shared-state-probe-" + "s" * 50,
        **environment,
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_redis_one_machine_shares_a_file_cache_and_the_file_system():
    found = _settings()
    assert found["cache"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert found["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert found["tasks"] == "django_tasks_db.DatabaseBackend"


def test_with_redis_the_cache_and_queue_are_shared_and_sessions_stay_in_the_database():
    found = _settings(REDIS_URL="redis://127.0.0.1:6379/12")
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    # cached_db: read through the (shared) cache, always written to the database.
    assert found["session"] == "django.contrib.sessions.backends.cached_db"
    assert found["axes"] == "axes.handlers.database.AxesDatabaseHandler"
    assert found["tasks"] == "django_tasks_rq.RQBackend"


def test_storage_backend_s3_puts_files_in_the_bucket():
    found = _settings(
        STORAGE_BACKEND="s3",
        AWS_STORAGE_BUCKET_NAME="csp-portal-files",
        AWS_S3_ENDPOINT_URL="https://objects.example.org",
        AWS_LOCATION="production",
    )
    assert found["storage"] == "storages.backends.s3.S3Storage"
    assert (found["bucket"], found["endpoint"], found["location"]) == (
        "csp-portal-files",
        "https://objects.example.org",
        "production",
    )


def test_storage_backend_s3_without_a_bucket_refuses_to_start():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "csp_portal.settings", "DEBUG": "1"}
    env |= {"STORAGE_BACKEND": "s3", "SECRET_KEY": "x" * 60}
    env.pop("AWS_STORAGE_BUCKET_NAME", None)
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME." in done.stderr
