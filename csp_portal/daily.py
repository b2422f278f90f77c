"""The daily run: reminders, then the clean-up, once a day whatever the number of workers.

django-tasks has no periodic scheduler, so each worker (`manage.py run_worker`) keeps a
small clock: a thread that every few minutes, from DAILY_TASKS_HOUR (07:00 by default,
local time), creates the day's `DailyRun` row and queues `run_daily`. The row's day is
unique, so of several workers on several servers exactly one queues the day's run; the
others find the row. The run itself is safe to repeat (each reminder is sent once by its
key; a prune finds nothing the second time), so cron (`manage.py send_reminders` and
`manage.py clean_up`, with DAILY_TASKS_HOUR=-1 to stop the clocks) does the same job.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django_tasks import task

from csp_portal.models import DailyRun

logger = logging.getLogger(__name__)

#: How often a worker's clock looks whether the day's run is due (seconds).
CLOCK_INTERVAL = 300


@task()
def run_daily(*, day: str) -> dict:
    """Send the reminders due on `day` (YYYY-MM-DD) and prune what is no longer needed."""
    from csp_portal.cleanup import run_cleanups
    from csp_portal.reminders import send_reminders

    sent = send_reminders(dt.date.fromisoformat(day))
    pruned = run_cleanups()
    return {"reminders_sent": len(sent.sent), "already_sent": sent.already_sent, **pruned}


def queue_daily_run(now: dt.datetime | None = None) -> bool:
    """Queue today's run if it is time and no worker has yet; True if this call did."""
    hour = settings.DAILY_TASKS_HOUR
    local = timezone.localtime(now)
    if hour < 0 or local.hour < hour:
        return False
    day = local.date()
    if DailyRun.objects.filter(day=day).exists():
        return False
    try:
        with transaction.atomic():
            run = DailyRun.objects.create(day=day)
            result = run_daily.enqueue(day=day.isoformat())
            run.task_id = str(result.id)[:64]
            run.save(update_fields=["task_id"])
    except IntegrityError:  # another worker queued it a moment ago
        return False
    logger.info("queued the daily run of %s", day)
    return True


class DailyClock(threading.Thread):
    """The worker's clock: `queue_daily_run` now and every CLOCK_INTERVAL seconds."""

    def __init__(self, interval: float = CLOCK_INTERVAL) -> None:
        super().__init__(name="daily-clock", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        first = True
        while not self.stopped.is_set():
            try:
                queued = queue_daily_run()
                if first:
                    logger.info(
                        "daily clock started (every %ss): %s",
                        self.interval,
                        "queued today's run" if queued else "today's run not due or already queued",
                    )
                first = False
            except Exception:  # the database is down for a moment: try at the next tick
                logger.exception("the daily clock could not queue the day's run")
            finally:
                close_old_connections()
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()
