"""The meeting life cycle (meetings/lifecycle.py): every allowed step and every refused
one, who and when recorded, notifications, what the page offers, and the table in
docs/meetings.md."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from meetings import agenda, lifecycle, publishing, scheduling
from meetings.models import MeetingStatus, StatusChange

S = MeetingStatus


@pytest.fixture
def meeting(body):
    """A past Board meeting, scheduled, with its proposed agenda."""
    return scheduling.schedule_meeting(body=body, date=dt.date(2016, 7, 14))


def _to(meeting, status: str, clerk):
    """Walk `meeting` to `status` by the life cycle's own steps."""
    if status == S.AGENDA_PUBLISHED:
        publishing.publish_agenda(meeting=meeting, by=clerk)
    elif status == S.HELD:
        lifecycle.hold(meeting=meeting, by=clerk)
    elif status == S.CANCELLED:
        lifecycle.cancel(meeting=meeting, by=clerk)
    elif status == S.MINUTES_CONFIRMED:
        lifecycle.hold(meeting=meeting, by=clerk)
        later = scheduling.schedule_meeting(body=meeting.body, date=dt.date(2016, 9, 1))
        lifecycle.confirm_minutes(meeting=meeting, at=later, by=clerk, signed_by=clerk)
    meeting.refresh_from_db()
    assert meeting.status == status
    return meeting


def _step(name: str, meeting, by):
    if name == "publish":
        return lifecycle.publish(meeting=meeting, by=by, published_at=timezone.now())
    if name == "issue_pack":
        return lifecycle.issue_pack(meeting=meeting, by=by, published_at=timezone.now())
    if name == "confirm_minutes":
        later = scheduling.schedule_meeting(body=meeting.body, date=dt.date(2016, 12, 1))
        return lifecycle.confirm_minutes(meeting=meeting, at=later, by=by, signed_by=by)
    return getattr(lifecycle, name)(meeting=meeting, by=by)


ALLOWED = [
    (t.name, source, t.target or source)
    for t in lifecycle.TRANSITIONS.values()
    for source in sorted(t.sources)
]
REFUSED = [
    (t.name, source)
    for t in lifecycle.TRANSITIONS.values()
    for source in S.values
    if source not in t.sources
]


@pytest.mark.parametrize(("name", "source", "target"), ALLOWED)
def test_each_allowed_transition_records_who_and_when(name, source, target, meeting, clerk):
    meeting = _to(meeting, source, clerk)
    before = timezone.now()
    after = _step(name, meeting, clerk)
    assert after.status == target
    change = StatusChange.objects.filter(meeting=meeting, transition=name).latest("pk")
    assert (change.from_status, change.to_status, change.by) == (source, target, clerk)
    assert change.at >= before


@pytest.mark.parametrize(("name", "source"), REFUSED)
def test_each_refused_transition_changes_nothing(name, source, meeting, clerk):
    meeting = _to(meeting, source, clerk)
    recorded = StatusChange.objects.count()
    with pytest.raises(lifecycle.TransitionRefused):
        _step(name, meeting, clerk)
    meeting.refresh_from_db()
    assert meeting.status == source
    assert StatusChange.objects.count() == recorded


@pytest.mark.parametrize("name", list(lifecycle.TRANSITIONS))
def test_a_board_member_may_take_no_step(name, meeting, board_member):
    with pytest.raises(lifecycle.NotAllowed, match="Only the partnership's clerks"):
        _step(name, meeting, board_member)


def test_a_meeting_in_the_future_cannot_be_held(body, clerk):
    future = scheduling.schedule_meeting(
        body=body, date=timezone.localdate() + dt.timedelta(days=7)
    )
    with pytest.raises(lifecycle.TransitionRefused, match="has not taken place yet"):
        lifecycle.hold(meeting=future, by=clerk)
    assert [t.name for t in lifecycle.allowed_transitions(future, clerk)] == [
        "publish",
        "cancel",
    ]


def test_a_held_meetings_published_pack_is_not_reissued(meeting, clerk):
    publishing.publish_agenda(meeting=meeting, by=clerk)
    lifecycle.hold(meeting=meeting, by=clerk)
    meeting.refresh_from_db()
    agenda.add_item(meeting=meeting, title="Late business")
    with pytest.raises(lifecycle.TransitionRefused, match="matter of record"):
        publishing.publish_agenda(meeting=meeting, by=clerk)
    assert meeting.packs.count() == 1


def test_minutes_are_confirmed_only_at_a_later_meeting_of_the_body(meeting, clerk):
    _to(meeting, S.HELD, clerk)
    with pytest.raises(lifecycle.TransitionRefused, match="later meeting of the same body"):
        lifecycle.confirm_minutes(meeting=meeting, at=meeting, by=clerk, signed_by=clerk)


def test_what_each_person_may_do(meeting, clerk, board_member, partnership_admin):
    assert [t.name for t in lifecycle.allowed_transitions(meeting, clerk)] == [
        "publish",
        "hold",
        "cancel",
    ]
    assert lifecycle.allowed_transitions(meeting, partnership_admin) == (
        lifecycle.allowed_transitions(meeting, clerk)
    )
    assert lifecycle.allowed_transitions(meeting, board_member) == []


def test_publishing_and_cancelling_tell_the_members(
    meeting, clerk, board_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publishing.publish_agenda(meeting=meeting, by=clerk)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.cancel(meeting=meeting, by=clerk)
    subjects = [m.subject for m in mail.outbox if board_member.email in m.to]
    assert any("the agenda has been published" in s for s in subjects)
    assert any("the meeting has been cancelled" in s for s in subjects)


def test_marking_held_tells_nobody(meeting, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.hold(meeting=meeting, by=clerk)
    assert mail.outbox == []


def test_the_status_view_refuses_a_board_member(client_for, board_member, partnership, meeting):
    response = client_for(board_member).post(
        f"/p/{partnership.slug}/meetings/{meeting.pk}/status/", {"step": "held"}
    )
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == S.SCHEDULED


def test_the_status_view_records_the_clerk(client_for, clerk, partnership, meeting):
    client_for(clerk).post(f"/p/{partnership.slug}/meetings/{meeting.pk}/status/", {"step": "held"})
    assert StatusChange.objects.get(meeting=meeting).by == clerk


def test_the_page_offers_only_the_allowed_steps(client_for, clerk, partnership, meeting):
    url = f"/p/{partnership.slug}/meetings/{meeting.pk}/"
    html = client_for(clerk).get(url).content.decode()
    # "Mark held" is a button; cancelling goes through its confirmation page first
    cancel = f"/p/{partnership.slug}/meetings/{meeting.pk}/confirm/cancelled/"
    assert 'value="held"' in html and cancel in html
    _to(meeting, S.CANCELLED, clerk)
    html = client_for(clerk).get(url).content.decode()
    assert 'value="held"' not in html and cancel not in html
    assert 'value="publish"' not in html


def test_minutes_pdf_is_offered_only_once_held(client_for, clerk, partnership, meeting):
    url = f"/p/{partnership.slug}/meetings/{meeting.pk}/"
    client = client_for(clerk)
    assert "Minutes (PDF)" not in client.get(url).content.decode()
    assert client.get(f"{url}minutes.pdf").status_code == 404
    _to(meeting, S.HELD, clerk)
    assert "Minutes (PDF)" in client.get(url).content.decode()
    assert client.get(f"{url}minutes.pdf").status_code == 200


def test_no_link_to_a_pack_that_does_not_exist(client_for, clerk, partner, partnership, meeting):
    """A meeting held but never published: the partner cannot open it, and its members
    are offered the draft (built on request), never a published pack that is not there."""
    url = f"/p/{partnership.slug}/meetings/{meeting.pk}/"
    html = client_for(clerk).get(url).content.decode()
    assert "Agenda pack (PDF)" not in html and "Draft agenda pack (PDF" in html
    publishing.publish_agenda(meeting=meeting, by=clerk)
    html = client_for(partner).get(url).content.decode()
    assert "Agenda pack (PDF)" in html
    assert client_for(partner).get(f"{url}pack.pdf").status_code == 200


def test_the_docs_print_the_table():
    docs = (Path(settings.BASE_DIR) / "docs" / "meetings.md").read_text()
    assert lifecycle.table_markdown() in docs
