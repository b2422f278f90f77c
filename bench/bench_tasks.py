"""Start-up and background-job benchmarks, each measured side by side in one run:

- `manage.py check` against `django.setup()` alone (each a fresh process, the median of
  five): the URLs and apps load no heavy library (tests/core/test_startup_imports.py), so
  a command costs little more than Django's own set-up. Target: ≤ 1.5 ×.
- confirming a police.uk import of a quarter (three force-wide monthly files): the web
  request, which only records the job and queues it (database backend), ≤ 200 ms; its
  query count is bounded (the one figure here that fails the run).
- the same job run by a real worker (`manage.py run_worker --batch`, database backend)
  against running it in-process: the job's own time (its record's start to finish), in
  a worker that has run a job before (a new worker's first job also imports pandas and
  numpy: reported beside it). Target: ≤ 1.1 ×. On SQLite (an in-memory test database)
  the worker figure is skipped.

The files are the real Leicestershire months when present (bench_imports.real_files),
else synthetic ones of the same shape.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from bench.bench_imports import charnwood, real_files, synthetic_files
from bench.figures import Figure
from csp_portal.models import BackgroundJob, Role
from performance import import_jobs
from performance.models import ImportedCrimeIds, ImportedMonth, MonthlyFigure, QuarterlyFigure
from tests.factories import member

ROOT = Path(__file__).resolve().parent.parent
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
#: What confirming may cost: the session, the user and roles, the kept files' claim (get
#: or create, locked), the job, its queued task and the claim's job.
CONFIRM_QUERIES = 16


def _process_seconds(arguments: list[str], repeat: int = 5) -> float:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csp_portal.settings",
        "DEBUG": "1",
        "SECRET_KEY": "bench-start-up-" + "s" * 50,
    }
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, *arguments], cwd=ROOT, env=env, check=True,
                       capture_output=True)  # fmt: skip
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def start_up() -> list[Figure]:
    setup = _process_seconds(["-c", "import django; django.setup()"])
    check = _process_seconds(["manage.py", "check"])
    ratio = check / setup
    return [
        Figure(
            "start-up: manage.py check / django.setup() alone",
            f"{ratio:.2f}× ({check:.2f} s / {setup:.2f} s)",
            "≤ 1.5×",
            ratio <= 1.5,
        )
    ]


def _preview(client: Client, files: list[Path], slug: str = "bench-tasks") -> str:
    uploads = [SimpleUploadedFile(p.name, p.read_bytes(), content_type="text/csv") for p in files]
    response = client.post(f"/p/{slug}/performance/policeuk/", {"files": uploads})
    if response.status_code != 200:
        raise RuntimeError(f"the preview answered {response.status_code}")
    return response.context["token"]


def _seconds(job: BackgroundJob) -> float:
    job.refresh_from_db()
    if job.status != BackgroundJob.Status.DONE:
        raise RuntimeError(f"job {job.label} ended {job.status}: {job.error}")
    return (job.finished_at - job.started_at).total_seconds()


def _forget_import(partnership) -> None:
    """Back to the state both previews were made in (so both runs add the same months)."""
    for model in (MonthlyFigure, ImportedMonth, ImportedCrimeIds, QuarterlyFigure):
        model.objects.filter(partnership=partnership).delete()


def _run_worker() -> None:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csp_portal.settings_test",
        "TASKS_BACKEND": "database",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "run_worker", "--batch"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(done.stdout + done.stderr)


def _officer_of(slug: str) -> tuple:
    partnership = charnwood(slug)
    officer = member(partnership, Role.PERFORMANCE_OFFICER, username=f"{slug}-officer")
    client = Client()
    client.force_login(officer)
    return partnership, officer, client


def import_job(files: list[Path]) -> list[Figure]:
    partnership, officer, client = _officer_of("bench-tasks")
    figures = []

    # A worker is a long-running process: its first job also imports pandas and numpy.
    # A job of another partnership, queued first, takes that cost; the next is measured.
    _, _, warm_client = _officer_of("bench-tasks-warm")
    with override_settings(TASKS=DATABASE):
        token = _preview(warm_client, files, slug="bench-tasks-warm")
        response = warm_client.post(
            "/p/bench-tasks-warm/performance/policeuk/confirm/", {"token": token}
        )
        warm = BackgroundJob.objects.get(pk=response.url.split("/")[2])

    # The request that confirms: it records the job and queues it, nothing more.
    timings, queries, queued = [], [], None
    with override_settings(TASKS=DATABASE):
        for _ in range(3):
            token = _preview(client, files)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.post(
                    "/p/bench-tasks/performance/policeuk/confirm/", {"token": token}
                )
                timings.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured))
            if response.status_code != 302 or not response.url.startswith("/jobs/"):
                raise RuntimeError(f"the confirm answered {response.status_code}")
            queued = BackgroundJob.objects.get(pk=response.url.split("/")[2])
    request_ms = statistics.median(timings)
    figures.append(
        Figure(
            f"enqueue an import ({len(files)} force months): the web request",
            f"{request_ms:.0f} ms",
            "≤ 200 ms",
            request_ms <= 200,
        )
    )
    figures.append(
        Figure(
            "enqueue an import: queries of the request",
            str(max(queries)),
            f"≤ {CONFIRM_QUERIES}",
            max(queries) <= CONFIRM_QUERIES,
            gates=True,
        )
    )
    # Only the last confirmed job is left for the worker.
    from django_tasks_db.models import DBTaskResult

    queued.refresh_from_db()
    warm.refresh_from_db()
    DBTaskResult.objects.exclude(pk__in=[queued.task_id, warm.task_id]).delete()

    # The same job in-process (the immediate backend runs it at the confirm's commit).
    with override_settings(TASKS=IMMEDIATE):
        token = _preview(client, files)
        entry = client.session["performance_pending_imports"][token]
        in_process = import_jobs.confirm(
            user=officer, partnership=partnership, kind="policeuk", token=token, entry=entry
        )
    inline_seconds = _seconds(in_process)
    _forget_import(partnership)

    if connection.vendor != "postgresql":
        figures.append(Figure("import job: worker / in-process", "skipped", "PostgreSQL", True))
        return figures
    _run_worker()
    worker_seconds, first_seconds = _seconds(queued), _seconds(warm)
    ratio = worker_seconds / inline_seconds
    figures.append(
        Figure(
            "import job: the worker's time / in-process",
            f"{ratio:.2f}× ({worker_seconds:.2f} s / {inline_seconds:.2f} s; "
            f"a new worker's first job {first_seconds:.2f} s)",
            "≤ 1.1×",
            ratio <= 1.1,
        )
    )
    return figures


def run() -> list[Figure]:
    figures = start_up()
    with tempfile.TemporaryDirectory() as folder:
        files = real_files()[:3] or synthetic_files(Path(folder))[:3]
        figures += import_job(files)
    return figures
