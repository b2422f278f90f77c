"""Run the background-task worker of whichever task backend is configured: the database
backend's `db_worker`, or RQ's `rqworker` with the job class django-tasks-rq needs.
One name for systemd units and `make run`, whatever TASKS_BACKEND says."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the background-task worker (db_worker, or rqworker when TASKS_BACKEND=rq)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="Run every queued task, then exit."
        )

    def handle(self, *args, batch: bool = False, **options) -> None:
        backend = settings.TASKS_BACKEND
        reload = settings.DEBUG and not batch  # `make run`: new code, new worker
        if backend in {"database", "rq"} and not batch:
            self._start_daily_clock(reloading=reload and backend == "database")
        if backend == "database":
            call_command(
                "db_worker",
                batch=batch,
                reload=reload,
                verbosity=options["verbosity"],
            )
        elif backend == "rq":
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                burst=batch,
                verbosity=options["verbosity"],
            )
        else:
            raise CommandError(
                f"TASKS_BACKEND={backend}: tasks run inside the request; there is no worker."
            )

    def _start_daily_clock(self, *, reloading: bool) -> None:
        """Queue the daily reminders and clean-up once a day (csp_portal.daily). With the
        autoreloader, only in the process that runs the worker, not in its watcher."""
        if settings.DAILY_TASKS_HOUR < 0 or (reloading and os.environ.get("RUN_MAIN") != "true"):
            return
        from csp_portal.daily import DailyClock

        DailyClock().start()
