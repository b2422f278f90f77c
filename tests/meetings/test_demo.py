"""The demo partnership's meetings, loaded from fixtures/demo/meetings/ (seed 001)."""

from __future__ import annotations

import datetime as dt

import pytest

from csp_portal.demo import DEMO_DIR, load_core
from meetings import demo, selectors
from meetings.models import ForwardProgrammeEntry, Meeting, MeetingStatus


@pytest.fixture
def loaded(db):
    partnership, _ = load_core(DEMO_DIR)
    demo.load(partnership, DEMO_DIR)
    return partnership


def test_board_meeting_of_26_january_2017_has_the_seeds_twelve_items(loaded):
    meeting = Meeting.objects.get(body__slug="board", date=dt.date(2017, 1, 26))
    agenda = selectors.numbered_agenda(meeting)
    assert len(agenda) == 12
    numbers = [(n.number, n.item.title) for n in selectors.flatten(agenda)]
    assert ("6(a)", "Strategic Group") in numbers
    assert ("6(b)", "JAG Delivery Group") in numbers
    assert numbers[-1] == ("12", "Forward Programme")
    assert numbers[-2][1] == "Any Other Business"
    assert meeting.packs.count() == 1
    assert meeting.status == MeetingStatus.AGENDA_PUBLISHED


def test_minutes_of_27_october_2016_are_confirmed_with_attendance(loaded):
    meeting = Meeting.objects.get(body__slug="board", date=dt.date(2016, 10, 27))
    assert meeting.status == MeetingStatus.MINUTES_CONFIRMED
    assert meeting.attendance.filter(status="present").count() == 5
    assert meeting.attendance.filter(status="officer").count() == 5
    assert meeting.attendance.filter(status="apologies").count() == 6
    chair = meeting.attendance.get(role="Chair").person
    assert chair.get_full_name() == "Jonathan Morgan" and not chair.has_usable_password()
    assert meeting.items.get(title="Forward Programme").resolutions.count() == 4


def test_forward_programme_and_future_meetings(loaded):
    programme = ForwardProgrammeEntry.objects.filter(body__slug="board")
    assert programme.filter(timing="standing").count() == 4
    assert programme.get(item="Appointment of Vice-chair").annual_month == 7
    future = Meeting.objects.filter(body__slug="board", date__gt=dt.date(2017, 1, 26))
    assert list(future.values_list("date", flat=True)) == [
        dt.date(2017, 4, 20),
        dt.date(2017, 7, 13),
        dt.date(2017, 10, 26),
        dt.date(2018, 1, 25),
        dt.date(2018, 4, 19),
    ]


def test_loading_twice_changes_nothing(loaded):
    counts = (Meeting.objects.count(), ForwardProgrammeEntry.objects.count())
    demo.load(loaded, DEMO_DIR)
    assert (Meeting.objects.count(), ForwardProgrammeEntry.objects.count()) == counts
