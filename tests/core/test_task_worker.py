"""The real database backend: a job and an e-mail queued by the portal are stored in the
database and run by a separate `manage.py run_worker` (db_worker) process."""

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


def _run_worker() -> subprocess.CompletedProcess:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csp_portal.settings_test",
        "TASKS_BACKEND": "database",
        # The worker reads the test database, where this test's rows are committed.
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
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
