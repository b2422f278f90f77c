"""Publishing runs in the background: the request queues a job and returns; the job
builds and stores the packs, reporting progress, and ends with the pack's address; a
second publish while one runs is refused; a failure publishes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from csp_portal.extension_points import PackBlock, register_pack_block, registry
from csp_portal.models import BackgroundJob
from meetings import generated_papers, publishing
from meetings.models import MeetingStatus


def _publish(client, partnership, meeting):
    return client.post(
        reverse("meetings:status", args=[partnership.slug, meeting.pk]), {"step": "publish"}
    )


def test_the_request_only_queues_the_job(client_for, clerk, partnership, pack_meeting):
    response = _publish(client_for(clerk), partnership, pack_meeting)
    job = BackgroundJob.objects.get(kind=publishing.JOB_KIND)
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    # The test's transaction never commits, so the task never ran: nothing was built.
    assert job.status == BackgroundJob.Status.QUEUED
    assert not pack_meeting.packs.exists()
    pack_meeting.refresh_from_db()
    assert pack_meeting.publish_job_id == job.pk


def test_the_job_publishes_and_ends_with_the_packs_address(
    client_for, clerk, partnership, pack_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _publish(client_for(clerk), partnership, pack_meeting)
    job = BackgroundJob.objects.get(kind=publishing.JOB_KIND)
    assert job.status == BackgroundJob.Status.DONE, job.error
    assert job.result_url == reverse("meetings:pack", args=[partnership.slug, pack_meeting.pk])
    assert job.message == f"Agenda pack 1 for {pack_meeting} is published."
    assert job.done == job.total and job.total >= 3
    version = pack_meeting.packs.get()
    assert version.published_by == clerk
    page = client_for(clerk).get(job.get_absolute_url()).content.decode()
    assert "is published." in page and job.result_url in page


def test_the_meeting_page_says_the_pack_is_being_built(
    client_for, clerk, partnership, pack_meeting
):
    _publish(client_for(clerk), partnership, pack_meeting)  # queued, never run
    page = client_for(clerk).get(f"/p/{partnership.slug}/meetings/{pack_meeting.pk}/")
    html = page.content.decode()
    assert "The agenda pack is being built…" in html
    assert BackgroundJob.objects.get().get_absolute_url() in html
    assert 'value="publish"' not in html  # no second publish offered


def test_a_second_publish_while_one_runs_is_refused(clerk, pack_meeting):
    publishing.start_publishing(meeting=pack_meeting, by=clerk)
    with pytest.raises(ValidationError, match="already being built"):
        publishing.start_publishing(meeting=pack_meeting, by=clerk)
    assert BackgroundJob.objects.count() == 1


def test_a_second_publish_by_the_page_says_why(client_for, clerk, partnership, pack_meeting):
    client = client_for(clerk)
    _publish(client, partnership, pack_meeting)
    response = _publish(client, partnership, pack_meeting)
    assert response.status_code == 302 and response["Location"].endswith(f"/{pack_meeting.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "is already being built" in page
    assert BackgroundJob.objects.count() == 1


def test_a_dead_job_does_not_block_publishing(clerk, pack_meeting):
    from django.utils import timezone

    job = publishing.start_publishing(meeting=pack_meeting, by=clerk)
    BackgroundJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - publishing.STALE_AFTER * 2
    )
    assert publishing.start_publishing(meeting=pack_meeting, by=clerk) is not None


def test_nothing_changed_is_refused_in_the_request(client_for, clerk, partnership, pack_meeting):
    publishing.publish_agenda(meeting=pack_meeting)
    client = client_for(clerk)
    response = _publish(client, partnership, pack_meeting)
    page = client.get(response["Location"]).content.decode()
    assert "Nothing has changed since agenda pack 1" in page
    assert not BackgroundJob.objects.exists()


@pytest.fixture
def broken_paper(pack_meeting):
    def broken(partnership, params):
        raise ValueError("no figures for that quarter")

    register_pack_block(PackBlock("broken_block", "Broken", broken))
    item = pack_meeting.items.get(title="County Council Update")
    generated_papers.attach_generated_paper(item=item, key="broken_block", params={"quarter": "Q9"})
    yield
    registry.pack_blocks.pop("broken_block", None)


def test_a_failure_publishes_nothing_and_says_why(
    client_for,
    clerk,
    partnership,
    pack_meeting,
    broken_paper,
    media_root,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        _publish(client_for(clerk), partnership, pack_meeting)
    job = BackgroundJob.objects.get()
    assert job.status == BackgroundJob.Status.FAILED
    assert "could not be generated" in job.error and "County Council Update" in job.error
    assert not pack_meeting.packs.exists()
    packs_dir = Path(media_root) / "meetings" / "packs"
    assert not packs_dir.exists() or not any(packs_dir.rglob("*.pdf"))
    pack_meeting.refresh_from_db()
    assert pack_meeting.status == MeetingStatus.SCHEDULED and pack_meeting.published_at is None
    page = client_for(clerk).get(f"/p/{partnership.slug}/meetings/{pack_meeting.pk}/")
    assert "failed and published nothing" in page.content.decode()
