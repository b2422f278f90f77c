"""The demo partnership's meetings, loaded from fixtures/demo/meetings/ (seed 001)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from csp_portal.demo import DEMO_DIR, load_all, load_core
from meetings import demo, selectors
from meetings.models import ForwardProgrammeEntry, Meeting, MeetingStatus, Paper


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
    # the meetings the papers scheduled (the next one from today is meetings.demo_today's)
    future = Meeting.objects.filter(
        body__slug="board", date__gt=dt.date(2017, 1, 26), date__lt=dt.date(2019, 1, 1)
    )
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


def test_generated_papers_whose_data_is_not_loaded_are_left_out(loaded):
    """Without the funding app's demo data there is no fund to tabulate: the budget
    tables are left out and the agenda is still published."""
    papers = Paper.objects.filter(item__meeting__date=dt.date(2017, 1, 26), kind="block")
    assert not papers.filter(block_key="budget_table").exists()
    assert Meeting.objects.get(body__slug="board", date=dt.date(2017, 1, 26)).packs.exists()


def test_agenda_pack_of_26_january_2017_prints_the_generated_papers_with_figures(db, tmp_path):
    """The whole demo (every app): the pack carries the performance summary of Q3
    2016/17 and the Strategic Group's Appendix B budget tables, with their figures."""
    load_all(DEMO_DIR)
    meeting = Meeting.objects.get(body__slug="board", date=dt.date(2017, 1, 26))
    blocks = Paper.objects.filter(item__meeting=meeting, kind="block").order_by("item__order")
    strategic = meeting.items.get(title="Strategic Group")
    assert sorted(blocks.values_list("block_key", flat=True)) == [
        "budget_table",
        "budget_table",
        "forward_programme",
        "performance_summary",
    ]
    assert list(strategic.papers.filter(kind="block").values_list("title", flat=True)) == [
        "Appendix B: Partnership Locality Fund 2016/17, spending to date",
        "Appendix B: Youth Prevention and Diversion (PCC CI001) 2016/17, spending to date",
    ]
    assert all(paper.frozen_html for paper in blocks)  # frozen when the pack was published

    output = tmp_path / "pack.pdf"
    call_command("agenda_pack", "--body", "board", "--date", "2017-01-26", "-o", str(output))
    pages = PdfReader(output).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    # Item 5: year-to-date figures from the performance app's demo data, not dashes.
    assert "Performance summary: Q3 2016/17" in text
    assert "Provisional" not in text
    assert "7,341" in text and "7,812" in text and "+6.4%" in text  # All Crime, 2015/16 v 2016/17
    # Item 6(a): Appendix B as the seed reports it, £52,757.58 spent and £15,192.42 to come.
    assert "Partnership Locality Fund 2016/17: budget lines" in text
    assert "£67,950.00 £52,757.58 £15,192.42" in text
    assert "Youth Prevention and Diversion (PCC CI001) 2016/17: budget lines" in text
    assert "£22,344.00 £9,158.28 £13,185.72" in text
