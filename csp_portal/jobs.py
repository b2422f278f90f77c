"""Background jobs a person starts from a page (an agenda pack, a large import): the task
runs in the worker while the page at /jobs/<id>/ shows its progress, then its result or
what went wrong.

A view or service starts one::

    job = start_job(task=build_pack, user=request.user, partnership=partnership,
                    kind="meetings.pack", label=f"Agenda pack: {meeting}", meeting_id=meeting.pk)
    return redirect(job)

and the task, decorated with `@job_task`, receives a `RunningJob` first::

    @job_task
    def build_pack(job: RunningJob, *, meeting_id: int) -> None:
        job.advance(0, total=len(papers), message="Rendering the papers")
        ...
        job.fail("Paper 3 is not a PDF.")       # stops here; nothing is saved
        job.finish(result_url=pack_url, message="The pack is ready.")

The task's body runs in one database transaction: a task that fails (by `job.fail` or by
any exception) leaves nothing half-written, and its starter reads why on the job's page.
Progress is written to the cache (shared by every process; Redis across servers), so it
is seen while the transaction is still open; the outcome is written to the database.
A job that has finished is not run again (a retried task does nothing).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, NoReturn

from django.core.cache import cache
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_tasks import task as define_task

from csp_portal.models import BackgroundJob, Partnership

logger = logging.getLogger(__name__)

#: Progress is written at most this often (seconds), and always when the job ends.
PROGRESS_INTERVAL = 0.25
PROGRESS_TIMEOUT = 24 * 60 * 60
UNEXPECTED = (
    "Something went wrong ({kind}), so the job stopped and nothing was saved. "
    "The portal's administrators can see the details in its log."
)


class JobFailed(Exception):
    """A job's refusal, in words for the person who started it (`RunningJob.fail`)."""


def _progress_key(pk: Any) -> str:
    return f"background-job:{pk}"


class RunningJob:
    """What a task's body holds while it runs: the job's record and the calls that report on
    it. Only the task's own process uses it."""

    def __init__(self, record: BackgroundJob) -> None:
        self.record = record
        self.result_url = ""
        self.message = ""
        self._written = 0.0

    def advance(
        self, by: int = 1, *, done: int | None = None, total: int | None = None, message=None
    ) -> None:
        """Count `by` more steps done (or set `done`), optionally (re)state the total and
        what is happening now; the page shows it within a second."""
        record = self.record
        if total is not None:
            record.total = total
        record.done = done if done is not None else record.done + by
        if record.total is not None:
            record.done = min(record.done, record.total)
        if message is not None:
            record.message = str(message)[:300]
        now = time.monotonic()
        if now - self._written >= PROGRESS_INTERVAL or record.done == record.total:
            self._written = now
            cache.set(
                _progress_key(record.pk),
                {"done": record.done, "total": record.total, "message": record.message},
                PROGRESS_TIMEOUT,
            )

    def finish(self, *, result_url: str = "", message: str = "") -> None:
        """Say where the result is and what to tell the starter; recorded once the task's
        transaction has committed."""
        self.result_url = result_url
        self.message = message

    def fail(self, message: str) -> NoReturn:
        """Stop the job: its writes are rolled back and the starter reads `message`."""
        raise JobFailed(message)


def job_task(function: Callable | None = None, **task_options: Any):
    """Make `function(job: RunningJob, **kwargs)` a task that `start_job` can queue
    (`task_options` are django_tasks.task's: priority, queue_name, backend)."""

    def decorate(body: Callable) -> Any:
        @functools.wraps(body)
        def run(*, job_id: str, **kwargs: Any) -> str:
            return _run(body, job_id, kwargs)

        return define_task(**task_options)(run)

    return decorate(function) if function is not None else decorate


def _run(body: Callable, job_id: str, kwargs: dict) -> str:
    record = BackgroundJob.objects.filter(pk=job_id).first()
    if record is None:
        logger.warning("background job %s no longer exists; nothing to do", job_id)
        return "missing"
    if record.status == BackgroundJob.Status.DONE:
        return "already done"
    record.status = BackgroundJob.Status.RUNNING
    record.started_at = timezone.now()
    record.error = ""
    record.save(update_fields=["status", "started_at", "error"])
    job = RunningJob(record)
    try:
        with transaction.atomic():
            body(job, **kwargs)
    except JobFailed as refusal:
        _end(job, BackgroundJob.Status.FAILED, error=str(refusal))
        raise
    except Exception as error:
        logger.exception("background job %s (%s) failed", record.pk, record.kind)
        _end(job, BackgroundJob.Status.FAILED, error=UNEXPECTED.format(kind=type(error).__name__))
        raise
    _end(job, BackgroundJob.Status.DONE)
    return "done"


def _end(job: RunningJob, status: str, error: str = "") -> None:
    record = job.record
    record.status = status
    record.error = error
    record.finished_at = timezone.now()
    if status == BackgroundJob.Status.DONE:
        record.result_url = job.result_url
        record.message = job.message or record.message
        if record.total is not None:
            record.done = record.total
    record.save(
        update_fields=["status", "error", "finished_at", "result_url", "message", "done", "total"]
    )
    cache.delete(_progress_key(record.pk))


def start_job(
    *,
    task: Any,
    user,
    kind: str,
    label: str,
    partnership: Partnership | None = None,
    total: int | None = None,
    **task_kwargs: Any,
) -> BackgroundJob:
    """Record a job for `user` and queue `task` (a `@job_task`) once the current
    transaction commits; `task_kwargs` must be JSON (ids, not objects)."""
    record = BackgroundJob.objects.create(
        started_by=user, partnership=partnership, kind=kind, label=label[:200], total=total
    )
    transaction.on_commit(lambda: _enqueue(record, task, task_kwargs))
    return record


def _enqueue(record: BackgroundJob, task: Any, kwargs: dict) -> None:
    try:
        result = task.enqueue(job_id=str(record.pk), **kwargs)
    except Exception:  # the queue (Redis, the database) refused: say so on the job's page
        logger.exception("could not queue background job %s (%s)", record.pk, record.kind)
        BackgroundJob.objects.filter(pk=record.pk).update(
            status=BackgroundJob.Status.FAILED,
            error="The job could not be queued; please try again in a few minutes.",
            finished_at=timezone.now(),
        )
        return
    BackgroundJob.objects.filter(pk=record.pk, task_id="").update(task_id=str(result.id)[:64])


def job_for_starter(user, pk: Any) -> BackgroundJob:
    """The job, if `user` started it; a 404 for everyone else (staff included)."""
    return get_object_or_404(BackgroundJob, pk=pk, started_by=user)


def job_state(record: BackgroundJob) -> dict[str, Any]:
    """What the job's page shows, as JSON: the record, with the latest progress while it
    runs."""
    done, total, message = record.done, record.total, record.message
    if record.status == BackgroundJob.Status.RUNNING:
        progress = cache.get(_progress_key(record.pk))
        if progress:
            done, total, message = progress["done"], progress["total"], progress["message"]
            record.done, record.total, record.message = done, total, message
    return {
        "status": record.status,
        "status_label": record.get_status_display(),
        "finished": record.finished,
        "done": done,
        "total": total,
        "percent": record.percent,
        "message": message,
        "result_url": record.result_url,
        "error": record.error,
    }
