"""Settings for the test suite: production settings with test-only conveniences."""

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-000000000000")

from csp_portal.settings import *  # noqa: E402,F403
from csp_portal.settings import BASE_DIR, STORAGES  # noqa: E402

# The test client speaks plain HTTP.
SECURE_SSL_REDIRECT = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Its own folder per run when two runs share a checkout (CI runs the suite on SQLite
# beside the PostgreSQL run): one run's clean-up must not find the other's files.
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT") or BASE_DIR / "var" / "test-media")
# A test's database changes are rolled back but a cache would keep what it computed from
# them, for the next test to find under the same keys (SQLite reuses primary keys). So
# nothing is cached unless a test asks for a real cache (tests/performance/test_caching.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# Administrators' second factor is required outside DEBUG; the tests sign staff in with
# force_login, so the rule is off here and on in the tests that pin it
# (tests/core/test_two_factor.py).
OTP_REQUIRED_FOR_ADMINS = False
# Production's deployment check wants an https SITE_URL; e-mails in tests link here.
SITE_URL = "https://csp.example.org"
# Tasks run inside the test, when enqueued (e-mails at the commit of the transaction
# that queued them). A worker started by a test (tests/core/test_task_worker.py) sets
# TASKS_BACKEND=database for its process, and the test the same setting for itself.
if not os.environ.get("TASKS_BACKEND"):
    TASKS_BACKEND = "immediate"
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
