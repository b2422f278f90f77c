"""The daily clean-up: each registered prune (`extension_points.register_cleanup`) removes
what nobody needs any more. The core prunes its own records here: finished background
jobs and the database task backend's results older than KEEP_TASK_RESULTS_DAYS, and old
daily-run rows. (RQ expires its own results in Redis.) The apps register theirs: the
performance app's unconfirmed import previews, the meetings app's unreferenced pack files.

Run daily by the worker's clock (csp_portal.daily) or `manage.py clean_up` from cron.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.apps import apps
from django.utils import timezone

from csp_portal.extension_points import Cleanup, cleanups
from csp_portal.models import BackgroundJob, DailyRun

logger = logging.getLogger(__name__)

#: Finished jobs (their pages) and task results are kept this long.
KEEP_TASK_RESULTS_DAYS = 30


def prune_background_jobs(now: dt.datetime) -> int:
    """Finished jobs older than KEEP_TASK_RESULTS_DAYS (their /jobs/<id>/ pages go too;
    what the jobs wrote stays, with its own history)."""
    cutoff = now - dt.timedelta(days=KEEP_TASK_RESULTS_DAYS)
    removed, _ = BackgroundJob.objects.filter(
        status__in=[BackgroundJob.Status.DONE, BackgroundJob.Status.FAILED],
        finished_at__lt=cutoff,
    ).delete()
    return removed


def prune_task_results(now: dt.datetime) -> int:
    """The database backend's finished task results older than KEEP_TASK_RESULTS_DAYS
    (queued and running tasks are never touched)."""
    if not apps.is_installed("django_tasks_db"):
        return 0
    from django_tasks_db.models import DBTaskResult

    cutoff = now - dt.timedelta(days=KEEP_TASK_RESULTS_DAYS)
    removed, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return removed


def prune_daily_runs(now: dt.datetime) -> int:
    """Daily-run rows of past days (only today's guards anything)."""
    cutoff = timezone.localtime(now).date() - dt.timedelta(days=KEEP_TASK_RESULTS_DAYS)
    removed, _ = DailyRun.objects.filter(day__lt=cutoff).delete()
    return removed


CORE_CLEANUPS = (
    Cleanup("core.background_jobs", "Finished background jobs", prune_background_jobs),
    Cleanup("core.task_results", "Finished task results", prune_task_results),
    Cleanup("core.daily_runs", "Past daily runs", prune_daily_runs),
)


def run_cleanups(now: dt.datetime | None = None) -> dict[str, int]:
    """Run every registered prune; one that fails is logged and the others still run."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for cleanup in cleanups():
        try:
            counts[cleanup.key] = cleanup.prune(now)
        except Exception:
            logger.exception("the clean-up %s failed", cleanup.key)
            counts[cleanup.key] = -1
    return counts
