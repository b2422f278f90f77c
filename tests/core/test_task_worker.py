"""The real backends: a job and an e-mail queued by the portal are stored in the database
(or on Redis) and run by a separate `manage.py run_worker` process (db_worker, rqworker)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from csp_portal.jobs import start_job
from csp_portal.mail import send_email
from csp_portal.models import BackgroundJob, Organisation, SentEmail
from tests.conftest import postgres_only
from tests.core.job_tasks import create_organisations

ROOT = Path(__file__).resolve().parents[2]
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _run_worker(**environment: str) -> subprocess.CompletedProcess:
    """`manage.py run_worker --batch` in its own process: it runs what is queued, then exits."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csp_portal.settings_test",
        "TASKS_BACKEND": "database",
        # The worker reads the test database, where this test's rows are committed.
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        **environment,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "run_worker", "--batch"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_queued_job_and_an_email(settings, officer):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_BACKEND
    job = start_job(
        task=create_organisations,
        user=officer,
        kind="test.organisations",
        label="Queued job",
        names=["Fire Service", "Probation"],
        result_url="/p/charnwood/",
    )
    send_email(subject="Queued", body="Sent by the worker.", to=["clerk@example.org"])
    # Autocommit: both tasks are in the queue now, and nothing has run.
    assert DBTaskResult.objects.count() == 2
    assert BackgroundJob.objects.get(pk=job.pk).status == BackgroundJob.Status.QUEUED
    assert not Organisation.objects.exists()

    done = _run_worker()

    assert done.returncode == 0, done.stdout + done.stderr
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE, job.error
    assert job.result_url == "/p/charnwood/"
    assert Organisation.objects.filter(name__in=["Fire Service", "Probation"]).count() == 2
    assert SentEmail.objects.filter(subject="Queued", recipients="clerk@example.org").exists()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping())
    except redis.exceptions.ConnectionError:
        return False


@postgres_only
@pytest.mark.skipif(not _redis_reachable(), reason=f"needs Redis at {REDIS_TEST_URL}")
@pytest.mark.django_db(transaction=True)
def test_the_rq_worker_runs_a_job_queued_on_redis(settings, officer):
    import redis

    redis.Redis.from_url(REDIS_TEST_URL).flushdb()  # the test's own Redis database
    settings.RQ_QUEUES = {"default": {"URL": REDIS_TEST_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    job = start_job(
        task=create_organisations,
        user=officer,
        kind="test.organisations",
        label="Queued on Redis",
        names=["Youth Service"],
    )
    assert BackgroundJob.objects.get(pk=job.pk).task_id  # RQ took it

    done = _run_worker(TASKS_BACKEND="rq", REDIS_URL=REDIS_TEST_URL)

    assert done.returncode == 0, done.stdout + done.stderr
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE, job.error
    assert Organisation.objects.filter(name="Youth Service").exists()
