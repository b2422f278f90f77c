"""A job started from a page: it runs as a task, its starter (and nobody else) follows it
at /jobs/<id>/, and a failed job says what went wrong and leaves nothing written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csp_portal.jobs import RunningJob, job_state, start_job
from csp_portal.models import BackgroundJob, Organisation
from tests.core.job_tasks import crash_after_writing, create_organisations

pytestmark = pytest.mark.django_db


def _start(user, django_capture_on_commit_callbacks, task=create_organisations, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(task=task, user=user, kind="test.organisations", label="Test job", **kwargs)
    job.refresh_from_db()
    return job


def test_a_job_runs_as_a_task_and_records_its_result(officer, django_capture_on_commit_callbacks):
    job = _start(
        officer,
        django_capture_on_commit_callbacks,
        names=["Fire Service", "Probation"],
        result_url="/p/charnwood/",
    )
    assert job.status == BackgroundJob.Status.DONE
    assert (job.done, job.total, job.percent) == (2, 2, 100)
    assert job.result_url == "/p/charnwood/"
    assert job.message == "2 organisations created."
    assert job.task_id
    assert set(Organisation.objects.values_list("name", flat=True)) == {"Fire Service", "Probation"}


def test_nothing_runs_until_the_starting_transaction_commits(officer):
    job = start_job(
        task=create_organisations, user=officer, kind="k", label="Waiting", names=["Police"]
    )
    # The test's transaction never commits: the task was never queued.
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.QUEUED
    assert not Organisation.objects.exists()


def test_the_starter_sees_the_progress_page_and_the_result(
    client_for, officer, django_capture_on_commit_callbacks
):
    job = _start(
        officer, django_capture_on_commit_callbacks, names=["Police"], result_url="/p/charnwood/"
    )
    page = client_for(officer).get(reverse("job", kwargs={"pk": job.pk})).content.decode()
    assert 'role="progressbar"' in page and 'aria-valuenow="100"' in page
    assert 'href="/p/charnwood/"' in page and "Open the result" in page
    assert "csp_portal/job_progress.js" in page and "<script>" not in page
    status = client_for(officer).get(reverse("job_status", kwargs={"pk": job.pk})).json()
    assert status["status"] == "done" and status["finished"] is True
    assert status["result_url"] == "/p/charnwood/"


def test_a_refused_job_tells_its_starter_why_and_writes_nothing(
    client_for, officer, django_capture_on_commit_callbacks
):
    job = _start(
        officer, django_capture_on_commit_callbacks, names=["Police", "Bad", "Fire"], refuse="Bad"
    )
    assert job.status == BackgroundJob.Status.FAILED
    assert job.error == "Row 2: “Bad” is not allowed; nothing was saved."
    assert not Organisation.objects.exists()  # "Police", written before the refusal, is gone
    page = client_for(officer).get(job.get_absolute_url()).content.decode()
    assert "The job failed." in page and "Row 2: “Bad” is not allowed" in page
    status = client_for(officer).get(reverse("job_status", kwargs={"pk": job.pk})).json()
    assert status["status"] == "failed" and "Row 2" in status["error"]


def test_an_unexpected_error_is_named_plainly_and_writes_nothing(
    officer, django_capture_on_commit_callbacks
):
    job = _start(officer, django_capture_on_commit_callbacks, task=crash_after_writing, name="X")
    assert job.status == BackgroundJob.Status.FAILED
    assert "RuntimeError" in job.error and "nothing was saved" in job.error
    assert "internal detail" not in job.error
    assert not Organisation.objects.filter(name="X").exists()


def test_a_finished_job_is_not_run_again(officer, django_capture_on_commit_callbacks):
    job = _start(officer, django_capture_on_commit_callbacks, names=["Police"])
    # A retry of the same task (the backend ran it twice) changes nothing.
    assert create_organisations.call(job_id=str(job.pk), names=["Police"]) == "already done"
    assert Organisation.objects.filter(name="Police").count() == 1


@pytest.mark.parametrize("visitor", ["clerk", "board_member", "outsider", "staff_admin"])
def test_only_the_starter_may_see_a_job(request, client_for, officer, visitor):
    job = BackgroundJob.objects.create(started_by=officer, kind="k", label="Officer's job")
    other = client_for(request.getfixturevalue(visitor))
    assert other.get(reverse("job", kwargs={"pk": job.pk})).status_code == 404
    assert other.get(reverse("job_status", kwargs={"pk": job.pk})).status_code == 404


def test_progress_shows_while_the_job_runs(settings, client_for, officer):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    record = BackgroundJob.objects.create(
        started_by=officer, kind="k", label="Long job", status=BackgroundJob.Status.RUNNING
    )
    running = RunningJob(record)
    running.advance(0, total=8, message="Reading the file")
    running.advance(2, message="Row 2")  # within the write interval: not written yet
    running.advance(done=8, message="Last row")  # the last step is always written
    state = client_for(officer).get(reverse("job_status", kwargs={"pk": record.pk})).json()
    assert (state["done"], state["total"], state["percent"]) == (8, 8, 100)
    assert state["message"] == "Last row" and state["finished"] is False
    assert job_state(BackgroundJob.objects.get(pk=record.pk))["done"] == 8


def test_staff_read_jobs_and_sent_emails_in_the_admin(client_for, staff_admin, officer):
    BackgroundJob.objects.create(started_by=officer, kind="k", label="Officer's pack")
    staff = client_for(staff_admin)
    jobs = staff.get(reverse("admin:csp_portal_backgroundjob_changelist"))
    assert jobs.status_code == 200 and "Officer&#x27;s pack" in jobs.content.decode()
    assert staff.get(reverse("admin:csp_portal_sentemail_changelist")).status_code == 200
