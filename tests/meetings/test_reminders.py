"""Papers due before a meeting: the presenter (or the presenting organisation's people)
and the clerks are reminded from five working days before the deadline (the partnership's
`papers_due_working_days` before the meeting), and again once it has passed; once each."""

import datetime as dt

import pytest
from django.core import mail

from csp_portal.models import Profile, Role
from csp_portal.reminders import send_reminders
from csp_portal.working_days import add_working_days
from meetings.models import AgendaItem, ItemKind, MeetingStatus, Paper, PaperKind
from tests.factories import OrganisationFactory, member
from tests.meetings.factories import MeetingFactory, board

pytestmark = pytest.mark.django_db

MEETING = dt.date(2027, 1, 28)  # a Thursday
DEADLINE = dt.date(2027, 1, 14)  # ten working days before
FIRST_NOTICE = dt.date(2027, 1, 7)  # five working days before the deadline


@pytest.fixture
def people(partnership):
    police = OrganisationFactory(name="Leicestershire Police")
    inspector = member(partnership, Role.PARTNER, username="inspector")
    colleague = member(partnership, Role.PARTNER, username="sergeant")
    Profile.objects.filter(user=colleague).update(organisation=police)
    clerk = member(partnership, Role.CLERK, username="committee")
    return {"inspector": inspector, "police": police, "colleague": colleague, "clerk": clerk}


@pytest.fixture
def meeting(partnership):
    return MeetingFactory(body=board(partnership), date=MEETING)


def _item(meeting, order, **fields) -> AgendaItem:
    return AgendaItem.objects.create(
        meeting=meeting, order=order, kind=fields.pop("kind", ItemKind.BUSINESS), **fields
    )


def _send(day, capture):
    mail.outbox.clear()
    with capture(execute=True):
        return send_reminders(day)


def _kinds(result) -> list[str]:
    return sorted(r.kind for r in result.sent if r.kind.startswith("meetings."))


def test_the_dates_are_what_the_rules_say():
    assert add_working_days(MEETING, -10) == DEADLINE
    assert add_working_days(DEADLINE, -5) == FIRST_NOTICE


def test_presenter_and_clerk_reminded_from_five_working_days_before_the_deadline(
    meeting, people, django_capture_on_commit_callbacks
):
    _item(meeting, 1, title="Town centre ASB", presenter=people["inspector"])
    before = _send(FIRST_NOTICE - dt.timedelta(days=1), django_capture_on_commit_callbacks)
    assert _kinds(before) == []
    result = _send(FIRST_NOTICE, django_capture_on_commit_callbacks)
    assert _kinds(result) == ["meetings.paper_due", "meetings.papers_missing"]
    (to_presenter,) = [m for m in mail.outbox if m.to == ["inspector@example.org"]]
    assert "14 January 2027" in to_presenter.subject
    assert "Town centre ASB" in to_presenter.body
    (to_clerk,) = [m for m in mail.outbox if m.to == ["committee@example.org"]]
    assert "Still missing (1): “Town centre ASB”" in to_clerk.body
    assert _kinds(_send(DEADLINE, django_capture_on_commit_callbacks)) == []  # once


def test_overdue_the_day_after_the_deadline(meeting, people, django_capture_on_commit_callbacks):
    _item(meeting, 1, title="Town centre ASB", presenter=people["inspector"])
    _send(FIRST_NOTICE, django_capture_on_commit_callbacks)
    assert _kinds(_send(DEADLINE, django_capture_on_commit_callbacks)) == []
    result = _send(DEADLINE + dt.timedelta(days=1), django_capture_on_commit_callbacks)
    assert _kinds(result) == ["meetings.paper_overdue", "meetings.papers_missing"]
    assert any(m.subject.startswith("Overdue") for m in mail.outbox)


def test_a_presenter_without_an_account_means_the_organisations_people(
    meeting, people, django_capture_on_commit_callbacks
):
    _item(meeting, 1, title="Violence reduction", presenter_organisation=people["police"])
    _send(FIRST_NOTICE, django_capture_on_commit_callbacks)
    assert {a for m in mail.outbox for a in m.to} == {
        "sergeant@example.org",
        "committee@example.org",
    }


def test_items_with_a_paper_standing_business_only_and_live_meetings(
    partnership, meeting, people, django_capture_on_commit_callbacks
):
    done = _item(meeting, 1, title="Has its paper", presenter=people["inspector"])
    Paper.objects.create(item=done, kind=PaperKind.BLOCK, title="Figures", block_key="x")
    _item(meeting, 2, title="Apologies", kind=ItemKind.APOLOGIES, presenter=people["inspector"])
    _item(meeting, 3, title="Nobody presents this")
    cancelled = MeetingFactory(
        body=meeting.body, date=MEETING, start_time=dt.time(9), status=MeetingStatus.CANCELLED
    )
    _item(cancelled, 1, title="Cancelled business", presenter=people["inspector"])
    assert _kinds(_send(FIRST_NOTICE, django_capture_on_commit_callbacks)) == []


def test_the_partnerships_setting_moves_the_deadline(
    partnership, meeting, people, django_capture_on_commit_callbacks
):
    partnership.papers_due_working_days = 3
    partnership.save()
    _item(meeting, 1, title="Town centre ASB", presenter=people["inspector"])
    deadline = add_working_days(MEETING, -3)
    assert deadline == dt.date(2027, 1, 25)
    notice = add_working_days(deadline, -5)
    assert _kinds(_send(notice - dt.timedelta(days=1), django_capture_on_commit_callbacks)) == []
    assert "meetings.paper_due" in _kinds(_send(notice, django_capture_on_commit_callbacks))
