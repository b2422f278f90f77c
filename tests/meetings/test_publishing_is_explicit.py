"""Public means published (issue 11, item 2): only the clerk's publish step puts a
meeting on the public site; writing a minute never changes a meeting's status."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings import agenda, publishing, scheduling
from meetings.models import MeetingStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(body):
    """A past meeting, scheduled and never published, with a draft agenda item."""
    meeting = scheduling.schedule_meeting(body=body, date=dt.date(2016, 10, 27))
    agenda.add_item(meeting=meeting, title="Draft: proposed closure of the youth centre")
    return meeting


def test_recording_a_minute_leaves_a_scheduled_meeting_scheduled(
    client_for, clerk, partnership, draft
):
    item = draft.items.get(kind="apologies")
    url = reverse("meetings:minute", args=[partnership.slug, item.pk])
    response = client_for(clerk).post(url, {"discussion": "None.", "resolutions": "", "version": 0})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == MeetingStatus.SCHEDULED and draft.published_at is None


def test_a_minuted_unpublished_meeting_is_not_on_the_public_site(
    client, client_for, clerk, partner, partnership, body, draft
):
    item = draft.items.get(kind="apologies")
    client_for(clerk).post(
        reverse("meetings:minute", args=[partnership.slug, item.pk]),
        {"discussion": "None.", "resolutions": "", "version": 0},
    )
    assert client.get(f"/public/{partnership.slug}/{body.slug}/2016-10-27/").status_code == 404
    member_page = reverse("meetings:meeting", args=[partnership.slug, draft.pk])
    assert client_for(partner).get(member_page).status_code == 403


def test_a_meeting_marked_held_without_publishing_stays_off_the_public_site(
    client, client_for, clerk, partnership, body, draft
):
    client_for(clerk).post(
        reverse("meetings:status", args=[partnership.slug, draft.pk]), {"step": "held"}
    )
    draft.refresh_from_db()
    assert draft.status == MeetingStatus.HELD
    response = client.get(f"/public/{partnership.slug}/{body.slug}/2016-10-27/")
    assert response.status_code == 404
    assert "youth centre" not in response.content.decode()


def test_publishing_puts_the_meeting_on_the_public_site(
    client, client_for, clerk, partnership, body, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the background job runs
        client_for(clerk).post(
            reverse("meetings:status", args=[partnership.slug, draft.pk]), {"step": "publish"}
        )
    response = client.get(f"/public/{partnership.slug}/{body.slug}/2016-10-27/")
    assert response.status_code == 200 and "youth centre" in response.content.decode()


def test_publishing_a_held_meeting_records_its_publication(draft):
    scheduling.set_status(meeting=draft, status="held")
    publishing.publish_agenda(meeting=draft)
    draft.refresh_from_db()
    assert draft.status == MeetingStatus.HELD and draft.published_at is not None


def test_the_ical_feed_lists_no_unpublished_meeting(client, partnership, body, draft):
    published = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    publishing.publish_agenda(meeting=published)
    feed = client.get(f"/public/{partnership.slug}/{body.slug}/meetings.ics")
    dates = [e.decoded("dtstart").date() for e in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert dates == [dt.date(2017, 1, 26)]
