"""Confirmed police.uk and Home Office imports, run as background jobs (csp_portal.jobs).

The officer's preview is built in the request (counting a force's month takes a fraction
of a second); confirming it starts a job, whose page shows a progress bar (a step per
file, then the writing) and then the result, or what went wrong. One code path: in tests
(and with TASKS_BACKEND=immediate) the same task runs inside the request.

- **All or nothing.** The job's body is one transaction (csp_portal.jobs): a bad row, a
  published quarter changed without a reason or figures that changed since the preview
  (another import or a save of the grid in between: the preview's *fingerprint* no longer
  matches) stop it with a message for the officer, and nothing is written.
- **Once.** A `ConfirmedImport` per kept upload: confirming twice points at the one job; a
  task run again after its import committed finds `applied_at` set (in the import's own
  transaction) and writes nothing more.
- The kept files are read through `default_storage` (performance.pending_imports), so a
  worker on another machine reads them from the shared storage; they are deleted when the
  import commits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from csp_portal.jobs import RunningJob, job_task, start_job
from csp_portal.models import BackgroundJob, Partnership
from performance import monthly_figures, pending_imports
from performance.models import ConfirmedImport
from performance.policeuk import count_street_files
from performance.services import FigureChanges

GONE = (
    "The uploaded files are no longer kept (an upload waits a day at most): upload them "
    "again. Nothing was imported."
)
STALE = (
    "The figures changed after the preview was shown (another import or a save of the "
    "entry grid, or a change of the mapping or the LSOA lookup), so what the preview "
    "showed is not what would be written. Nothing was imported: upload the files again to "
    "see a fresh preview."
)


def preview_fingerprint(changes: FigureChanges) -> str:
    """A digest of what a preview said an import would change."""
    rows = sorted(
        [["new", list(k), v] for k, v in changes.created.items()]
        + [["changed", list(k), list(v)] for k, v in changes.changed.items()]
        + [["removed", list(k), v] for k, v in changes.removed.items()],
        key=json.dumps,
    )
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:32]


def confirm(
    *, user, partnership: Partnership, kind: str, token: str, entry: dict, reason: str = ""
) -> BackgroundJob | None:
    """Start the import of a kept upload (kind "policeuk" or "homeoffice"), or return the
    job already started for it; None when it was already imported."""
    task = {"policeuk": import_policeuk_files, "homeoffice": import_home_office_table}[kind]
    files = list(entry["files"])
    with transaction.atomic():
        claim, created = ConfirmedImport.objects.select_for_update().get_or_create(
            token=token, defaults={"partnership": partnership, "kind": kind}
        )
        if claim.applied_at is not None or claim.partnership_id != partnership.pk:
            return None
        if (
            not created
            and claim.job is not None
            and claim.job.status != BackgroundJob.Status.FAILED
        ):
            return claim.job  # confirmed twice: the one job
        names = ", ".join(pending_imports.original_name(n) for n in files[:2])
        names += f" and {len(files) - 2} more" if len(files) > 2 else ""
        job = start_job(
            task=task,
            user=user,
            partnership=partnership,
            kind=f"performance.{kind}",
            label=f"{'Police.uk' if kind == 'policeuk' else 'Home Office'} import: {names}",
            total=len(files) + 1 if kind == "policeuk" else 3,
            token=token,
            files=files,
            reason=reason,
            fingerprint=entry.get("fingerprint", ""),
            # The sheet of a Home Office workbook; police.uk files are CSV.
            **({"sheet": entry.get("sheet")} if kind == "homeoffice" else {}),
        )
        claim.job = job
        claim.save(update_fields=["job"])
    return job


def _claim(job: RunningJob, token: str) -> ConfirmedImport:
    """The upload's claim, locked until the job's transaction ends (so two runs of it
    queue one behind the other), and the partnership's row (every figure write's lock)."""
    claim = ConfirmedImport.objects.select_for_update().get(token=token)
    Partnership.objects.select_for_update().filter(pk=_partnership(job).pk).first()
    return claim


def _partnership(job: RunningJob) -> Partnership:
    """The partnership importing (every import job is started for one)."""
    partnership = job.record.partnership
    if partnership is None:
        raise ValueError(f"Import job {job.record.pk} names no partnership.")
    return partnership


def _begin(job: RunningJob, token: str, files: list[str]) -> ConfirmedImport | None:
    """The upload's claim (locked), or None when it was imported already (the job then
    finishes saying so); the job fails when the kept files are gone."""
    claim = _claim(job, token)
    if claim.applied_at is not None:
        job.finish(
            result_url=_result_url(job),
            message="These files were already imported; nothing more was written.",
        )
        return None
    if not pending_imports.exist(token, files):
        job.fail(GONE)
    return claim


def _result_url(job: RunningJob) -> str:
    return reverse("performance:index", kwargs={"partnership": _partnership(job).slug})


def _applied(claim: ConfirmedImport, token: str, files: list[str]) -> None:
    claim.applied_at = timezone.now()
    claim.save(update_fields=["applied_at"])
    transaction.on_commit(lambda: pending_imports.delete_files(token, files))


@job_task
def import_policeuk_files(
    job: RunningJob,
    *,
    token: str,
    files: list[str],
    reason: str = "",
    fingerprint: str = "",
) -> None:
    """Count the kept police.uk files (a step per file) and store their months."""
    claim = _begin(job, token, files)
    if claim is None:
        return
    partnership = _partnership(job)
    opened: list[File] = []

    def sources() -> Iterator[File]:
        for index, name in enumerate(files):
            job.advance(
                done=index,
                total=len(files) + 1,
                message=f"Counting {pending_imports.original_name(name)} "
                f"(file {index + 1} of {len(files)})",
            )
            opened.append(pending_imports.open_kept(token, name))
            yield opened[-1]

    try:
        result = count_street_files(partnership, sources())
    finally:
        for handle in opened:
            handle.close()
    if result.errors:
        job.fail(f"{result.errors[0]} Nothing was imported.")
    job.advance(done=len(files), message="Writing the months and their quarters")
    if (
        fingerprint
        and preview_fingerprint(monthly_figures.plan_months(partnership, result).changes)
        != fingerprint
    ):
        job.fail(STALE)
    try:
        plan = monthly_figures.import_months(
            partnership=partnership, result=result, user=job.record.started_by, reason=reason
        )
    except ValidationError as error:
        job.fail(f"{error.messages[0]} Nothing was imported.")
    _applied(claim, token, files)
    changes = plan.changes
    job.finish(
        result_url=_result_url(job),
        message=f"Imported {result.counted:,} crimes and incidents from {len(files)} file(s) "
        f"({plan.describe_months()}): {len(changes.created)} new and "
        f"{len(changes.changed)} changed figures.",
    )


@job_task
def import_home_office_table(
    job: RunningJob,
    *,
    token: str,
    files: list[str],
    sheet: str | None = None,
    reason: str = "",
    fingerprint: str = "",
) -> None:
    """Read the kept Home Office table, then write the partnership's and its peers'
    figures (three steps: reading, checking, writing)."""
    from performance.homeoffice import apply_home_office, parse_home_office
    from performance.services import compare_figures
    from performance.spreadsheets import UnreadableFile, read_table

    claim = _begin(job, token, files)
    if claim is None:
        return
    partnership = _partnership(job)
    (name,) = files
    job.advance(0, total=3, message=f"Reading {pending_imports.original_name(name)}")
    try:
        with pending_imports.open_kept(token, name) as kept:
            frame = read_table(kept, sheet=sheet)
    except UnreadableFile as error:
        job.fail(f"{error} Nothing was imported.")
    job.advance(done=1, message="Checking the rows")
    parsed = parse_home_office(partnership, frame)
    if not parsed.ok:
        job.fail(f"{parsed.errors[0]} Nothing was imported.")
    if fingerprint and preview_fingerprint(compare_figures(partnership, parsed.own)) != fingerprint:
        job.fail(STALE)
    job.advance(done=2, message="Writing the figures")
    try:
        changes, peers = apply_home_office(
            partnership=partnership, parsed=parsed, user=job.record.started_by, reason=reason
        )
    except (ValidationError, ValueError) as error:
        text = error.messages[0] if isinstance(error, ValidationError) else str(error)
        job.fail(f"{text} Nothing was imported.")
    _applied(claim, token, files)
    job.finish(
        result_url=_result_url(job),
        message=f"Imported {pending_imports.original_name(name)}: {len(changes.created)} new "
        f"and {len(changes.changed)} changed partnership figures, {peers} peer figures "
        "written.",
    )
