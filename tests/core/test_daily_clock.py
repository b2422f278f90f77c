"""The daily run on real workers: two `manage.py run_worker` processes started together
(two servers' workers) queue the day's reminders and clean-up exactly once, and one of
them runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from csp_portal.models import DailyRun
from tests.conftest import postgres_only

ROOT = Path(__file__).resolve().parents[2]


def _start_worker() -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csp_portal.settings_test",
        "DEBUG": "0",
        "TASKS_BACKEND": "database",
        "DAILY_TASKS_HOUR": "0",  # due at once, whatever the time of the test
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_queue_and_run_the_day_once():
    from django_tasks_db.models import DBTaskResult

    workers = [_start_worker(), _start_worker()]
    lines: list[list[str]] = [[], []]
    readers = [
        threading.Thread(target=lambda w=w, out=out: out.extend(w.stdout), daemon=True)
        for w, out in zip(workers, lines, strict=True)
    ]
    for reader in readers:
        reader.start()

    def ticked() -> bool:  # each clock has looked at least once
        return all(any("daily clock started" in line for line in out) for out in lines)

    runs = DBTaskResult.objects.filter(task_path="csp_portal.daily.run_daily")
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (
            ticked() and runs.filter(status="SUCCESSFUL").exists()
        ):
            assert all(w.poll() is None for w in workers), lines
            time.sleep(0.5)
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)
    assert ticked(), lines
    started = sorted(next(line for line in out if "daily clock started" in line) for out in lines)
    assert sum("queued today's run" in line for line in started) == 1, started
    assert DailyRun.objects.count() == 1
    (run,) = runs
    assert run.status == "SUCCESSFUL", run.traceback
    assert DailyRun.objects.get().task_id == str(run.id)
    assert set(run.return_value) >= {"reminders_sent", "core.background_jobs"}
