"""Confirming a police.uk or Home Office import starts a job (performance.import_jobs):
its page shows the progress and the result; a failure says what went wrong and writes
nothing; confirming twice, or a task run again, imports once.

The tasks run with the immediate backend at the commit of the confirming request (the
same task the worker runs; tests/core/test_task_worker.py runs a real worker)."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from csp_portal.models import BackgroundJob
from performance import import_jobs, pending_imports
from performance.models import (
    ConfirmedImport,
    ImportedMonth,
    MonthlyFigure,
    QuarterlyFigure,
)
from performance.services import apply_figures
from tests.performance.test_policeuk_months import FILES, lookup  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lookup")]

PAGE = "/p/charnwood/performance/policeuk/"


def _preview(client, paths) -> str:
    uploads = [SimpleUploadedFile(p.name, p.read_bytes(), content_type="text/csv") for p in paths]
    preview = client.post(PAGE, {"files": uploads})
    assert preview.status_code == 200, preview.content.decode()[:2000]
    return preview.context["token"]


def _job_of(response) -> BackgroundJob:
    assert response.status_code == 302 and response.url.startswith("/jobs/"), response
    return BackgroundJob.objects.get(pk=response.url.split("/")[2])


def test_confirming_runs_a_job_whose_page_shows_its_steps_and_result(
    client_for,
    officer,
    partnership,
    django_capture_on_commit_callbacks,
):
    client = client_for(officer)
    token = _preview(client, FILES[1:3])
    assert not MonthlyFigure.objects.exists()  # the preview writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        job = _job_of(client.post(PAGE + "confirm/", {"token": token}))
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and job.kind == "performance.policeuk"
    assert (job.done, job.total) == (3, 3)  # a step per file, then the writing
    assert "Police.uk import: 2022-07-leicestershire-street-sample.csv" in job.label
    assert "Months added: July 2022, August 2022" in job.message
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'role="progressbar"' in page and 'aria-valuenow="100"' in page
    assert 'href="/p/charnwood/performance/"' in page and "Imported " in page
    state = client.get(reverse("job_status", kwargs={"pk": job.pk})).json()
    assert state["status"] == "done" and state["percent"] == 100
    assert set(MonthlyFigure.objects.values_list("month__month", flat=True)) == {7, 8}
    # The kept files are deleted once the import committed.
    files = client.session[pending_imports.SESSION_KEY][token]["files"]
    assert len(files) == 2 and not any(pending_imports.exist(token, [name]) for name in files)
    assert ConfirmedImport.objects.get(token=token).applied_at is not None


def test_figures_changed_after_the_preview_fail_the_job_and_nothing_is_written(
    client_for,
    officer,
    partnership,
    categories,
    django_capture_on_commit_callbacks,
):
    client = client_for(officer)
    token = _preview(client, FILES[1:2])
    # Another officer saves a figure of the same quarter (2022 Q2) before the confirm.
    apply_figures(partnership=partnership, values={(2022, 2, categories["ALL"].pk, None): 9999})
    with django_capture_on_commit_callbacks(execute=True):
        job = _job_of(client.post(PAGE + "confirm/", {"token": token}))
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED
    assert "The figures changed after the preview was shown" in job.error
    assert "Nothing was imported" in job.error
    page = client.get(job.get_absolute_url()).content.decode()
    assert "The job failed." in page and "changed after the preview" in page
    assert not MonthlyFigure.objects.exists() and not ImportedMonth.objects.exists()
    assert list(QuarterlyFigure.objects.values_list("count", flat=True)) == [9999]
    assert ConfirmedImport.objects.get(token=token).applied_at is None
    # The files are still kept: the officer may upload again, or confirm after all.
    entry = client.session[pending_imports.SESSION_KEY][token]
    assert pending_imports.exist(token, entry["files"])


def test_a_bad_row_fails_the_job_with_its_row_and_writes_nothing(
    officer,
    partnership,
    django_capture_on_commit_callbacks,
):
    """A kept file whose second file has a bad month (the worker checks what it reads)."""
    token = uuid.uuid4().hex
    good = FILES[1].read_bytes()
    lines = FILES[2].read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b"2022-08", b"2022-13", 1)
    names = ["000-july.csv", "001-august.csv"]
    for name, data in zip(names, [good, b"\n".join(lines)], strict=True):
        default_storage.save(f"{pending_imports.FOLDER}/{token}/{name}", ContentFile(data))
    with django_capture_on_commit_callbacks(execute=True):
        job = import_jobs.confirm(
            user=officer,
            partnership=partnership,
            kind="policeuk",
            token=token,
            entry={"files": names},
        )
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED
    assert job.error == (
        "august.csv, row 4, column “Month”: “2022-13”; police.uk months look like 2022-07. "
        "Nothing was imported."
    )
    assert (job.done, job.total) == (1, 3)  # the first file counted, the second refused
    assert not MonthlyFigure.objects.exists() and not QuarterlyFigure.objects.exists()
    pending_imports.delete_files(token, names)


def test_confirming_twice_imports_once_and_a_retried_task_writes_nothing_more(
    client_for,
    officer,
    partnership,
    django_capture_on_commit_callbacks,
):
    client = client_for(officer)
    token = _preview(client, FILES[1:2])
    with django_capture_on_commit_callbacks(execute=True):
        # A double click: both requests arrive before the job has run.
        first = _job_of(client.post(PAGE + "confirm/", {"token": token}))
        second = _job_of(client.post(PAGE + "confirm/", {"token": token}))
    assert first == second and BackgroundJob.objects.count() == 1
    first.refresh_from_db()
    assert first.status == BackgroundJob.Status.DONE
    figures = set(MonthlyFigure.objects.values_list("category_id", "beat_id", "count"))
    history = QuarterlyFigure.history.count()
    assert figures and history
    # Confirming once more after the import: refused, nothing written.
    again = client.post(PAGE + "confirm/", {"token": token}, follow=True)
    assert "expired or were already imported" in again.content.decode()
    # The task run again under a new job (its first run's record lost): nothing more.
    retry = BackgroundJob.objects.create(
        started_by=officer, partnership=partnership, kind="performance.policeuk", label="Retry"
    )
    files = client.session[pending_imports.SESSION_KEY][token]["files"]
    outcome = import_jobs.import_policeuk_files.call(job_id=str(retry.pk), token=token, files=files)
    assert outcome == "done"
    retry.refresh_from_db()
    assert retry.message == "These files were already imported; nothing more was written."
    assert set(MonthlyFigure.objects.values_list("category_id", "beat_id", "count")) == figures
    assert QuarterlyFigure.history.count() == history
    assert ImportedMonth.objects.count() == 1
