"""The clerk's work in few clicks, in a real browser, every page checked by axe-core:
an agenda item's menu by keyboard, the Forward Programme picker (with an entry
rescheduled to the meeting), generated papers chosen from lists (and a quarter without
complete figures refused), the whole Board's attendance in one save, and the
confirmation pages before removing an item, publishing and cancelling."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from csp_portal.financial_year import Quarter
from csp_portal.models import Role
from meetings import forward_programme, scheduling
from meetings.models import Meeting, MeetingStatus, Timing
from tests.e2e.keyboard import focused
from tests.e2e.test_clerk_journey import agenda_item, follow, submit
from tests.factories import member
from tests.funding.factories import FundFactory
from tests.meetings.factories import board
from tests.performance.factories import enter_ytd, make_categories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SURNAMES = [
    "Adams", "Baker", "Clarke", "Davies", "Evans", "Fisher", "Green", "Hughes",
    "Iqbal", "Jones", "Khan", "Lewis", "Morgan", "Nash", "Owen", "Patel",
]  # fmt: skip


@pytest.fixture
def cast(partnership, other_partnership):
    clerk = member(partnership, Role.CLERK, username="clerk", first_name="Kate", last_name="Reid")
    people = [
        member(
            partnership, Role.BOARD_MEMBER, username=name.lower(), first_name="Sam", last_name=name
        )
        for name in SURNAMES
    ]
    body = board(partnership, chair=people[0])
    body.members.set(people)
    meeting = scheduling.schedule_meeting(body=body, date=timezone.localdate())
    entry = forward_programme.plan_forward_programme_entry(
        body=body, item="Hate crime action plan", timing=Timing.TO_BE_SCHEDULED
    )
    # rescheduled to the meeting after its agenda was proposed: offered by the picker
    forward_programme.plan_forward_programme_entry(
        body=body, entry=entry, item=entry.item, timing=Timing.MEETING, target_meeting=meeting
    )
    FundFactory(partnership=partnership, name="Locality Fund", financial_year=2016)
    FundFactory(partnership=other_partnership, name="Melton Fund", financial_year=2016)
    categories = make_categories(partnership)  # figures for one category only: incomplete
    enter_ytd(partnership, categories["ALL"], Quarter.parse("2016/17", 1), 2400)
    return {"clerk": clerk, "people": people, "meeting": meeting}


def test_clerk_prepares_and_runs_a_meeting_in_few_clicks(page, journey, login_as, cast):
    meeting: Meeting = cast["meeting"]
    login_as(page, cast["clerk"])
    url = f"/p/charnwood/meetings/{meeting.pk}/"
    journey.visit(url, "01-meeting")

    # --- one menu per item for the less common steps, by keyboard ----------------------
    apologies = agenda_item(page, "Apologies")
    assert apologies.get_by_role("button").count() == 0  # the moves are in the closed menu
    assert apologies.get_by_role("link").count() == 2 + 1  # Edit, Attach a paper, Minute
    summary = apologies.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    # the menu's script moves focus into it once it has opened (the toggle event)
    page.wait_for_function("() => document.activeElement.matches('details[open] button')")
    assert focused(page)["text"] == "Move up item 1"
    journey.check("02-menu-open")
    page.keyboard.press("Escape")
    assert not apologies.locator("details").evaluate("d => d.open")
    assert focused(page)["text"] == "More actions for item 1"  # back on its summary

    # --- the Forward Programme picker: the rescheduled entry reaches the agenda ---------
    picker = page.locator("#fp-picker")
    assert picker.evaluate("d => d.open")  # opened: an entry planned here is missing
    entry = picker.get_by_label(re.compile("^Hate crime action plan"))
    assert "planned for this meeting" in picker.inner_text()
    entry.check()
    assert submit(page, picker.get_by_role("button", name="Add the chosen entries")) == 200
    journey.check("03-picked-from-the-forward-programme")
    assert agenda_item(page, "Hate crime action plan").is_visible()
    assert (
        page.locator("#fp-picker").get_by_label(re.compile("^Hate crime action plan")).is_disabled()
    )
    assert "taken: on this agenda" in page.locator("#fp-picker").text_content()

    # --- generated papers from lists ---------------------------------------------------
    item = agenda_item(page, "Hate crime action plan")
    assert follow(page, item.get_by_role("link", name=re.compile("^Attach a paper"))) == 200
    journey.check("04-attach-a-paper")
    budget = page.get_by_role("form", name="Budget table")
    fund = budget.get_by_label(re.compile(r"^\s*Fund"))
    assert fund.locator("option").all_inner_texts() == ["Choose…", "Locality Fund (2016/17)"]
    fund.select_option(label="Locality Fund (2016/17)")
    assert submit(page, budget.get_by_role("button", name="Attach “Budget table”")) == 200
    journey.check("05-budget-table-attached")
    assert (
        "Budget table (generated paper)" in agenda_item(page, "Hate crime action plan").inner_text()
    )

    item = agenda_item(page, "Hate crime action plan")
    assert follow(page, item.get_by_role("link", name=re.compile("^Attach a paper"))) == 200
    summary_form = page.get_by_role("form", name="Performance summary")
    summary_form.get_by_label(re.compile(r"^\s*Quarter")).select_option(label="Q1 2016/17")
    button = summary_form.get_by_role("button", name="Attach “Performance summary”")
    assert submit(page, button) == 400
    journey.check("06-incomplete-quarter-refused")
    assert page.get_by_text(
        re.compile("Q1 2016/17 is incomplete: no partnership total for")
    ).is_visible()
    assert meeting.items.get(title="Hate crime action plan").papers.count() == 1
    journey.visit(url, "07-back-to-the-meeting")

    # --- the whole Board's attendance in one save --------------------------------------
    sheet = page.get_by_role("link", name="Record attendance: every member of Partnership Board")
    assert follow(page, sheet) == 200
    journey.check("08-attendance-sheet")
    people = cast["people"]
    for person in people[:14]:
        page.get_by_role("group", name=person.get_full_name()).get_by_label("Present").check()
    page.get_by_role("group", name=people[0].get_full_name()).get_by_label("Role").fill("Chair")
    deputy = page.get_by_role("group", name=people[14].get_full_name())
    deputy.get_by_label("Substitute", exact=True).check()
    deputy.get_by_label("Substitute's name").fill("Cllr R. Standin")
    page.get_by_role("group", name=people[15].get_full_name()).get_by_label("Apologies").check()
    page.get_by_label("Name, row 1", exact=True).fill("Mr M. Burbidge")
    page.get_by_label("Organisation, row 1", exact=True).fill("Charnwood Borough Council")
    page.get_by_label("Name, row 2", exact=True).fill("Ms G. Guest")
    page.get_by_label("Organisation, row 2", exact=True).fill("Loughborough University")
    page.get_by_label("Officer or guest, row 2").select_option(label="Guest")
    assert submit(page, page.get_by_role("button", name="More rows")) == 200  # nothing saved
    journey.check("09-more-rows")
    assert page.get_by_label("Name, row 10", exact=True).is_visible()
    assert page.get_by_label("Name, row 1", exact=True).input_value() == "Mr M. Burbidge"
    assert not meeting.attendance.exists()
    assert submit(page, page.get_by_role("button", name="Save the attendance")) == 200
    journey.check("10-attendance-saved")
    table = page.get_by_role("table", name="Attendance")
    assert table.get_by_role("row").filter(has_text="Present").count() == 14
    assert (
        "Substitute for Sam Owen"
        in table.get_by_role("row", name=re.compile("Cllr R. Standin")).inner_text()
    )
    assert (
        "Officer in attendance"
        in table.get_by_role("row", name=re.compile("Mr M. Burbidge")).inner_text()
    )
    assert (
        "Also in attendance"
        in table.get_by_role("row", name=re.compile("Ms G. Guest")).inner_text()
    )
    assert meeting.attendance.count() == 16 + 2

    # --- confirmation before removing an item ------------------------------------------
    aob = agenda_item(page, "Any Other Business")
    aob.locator("summary").click()
    assert follow(page, aob.get_by_role("link", name=re.compile("^Remove"))) == 200
    journey.check("11-confirm-remove")
    assert page.get_by_text("is taken off the agenda").is_visible()
    assert meeting.items.filter(title="Any Other Business").exists()  # not yet
    assert submit(page, page.get_by_role("button", name=re.compile("^Remove item"))) == 200
    journey.check("12-removed")
    assert not meeting.items.filter(title="Any Other Business").exists()

    # --- confirmation before publishing ------------------------------------------------
    assert follow(page, page.get_by_role("link", name="Publish the agenda…")) == 200
    journey.check("13-confirm-publish")
    assert page.get_by_text("appear on the public site").is_visible()
    assert submit(page, page.get_by_role("link", name="Not now: back to the meeting")) == 200
    assert not meeting.packs.exists()
    assert follow(page, page.get_by_role("link", name="Publish the agenda…")) == 200
    assert submit(page, page.get_by_role("button", name="Publish the agenda")) == 200
    # the pack is built in the background: the clerk lands on the job's page
    assert "/jobs/" in page.url
    page.get_by_text("is published.").wait_for()
    journey.check("14-published")
    assert meeting.packs.count() == 1
    journey.visit(url, "14b-back-to-the-meeting")

    # --- confirmation before cancelling ------------------------------------------------
    assert follow(page, page.get_by_role("link", name="Cancel the meeting…")) == 200
    journey.check("15-confirm-cancel")
    assert page.get_by_text("It stays on the public site and in the calendar feed").is_visible()
    assert submit(page, page.get_by_role("button", name="Cancel the meeting")) == 200
    journey.check("16-cancelled")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.date == timezone.localdate() and isinstance(meeting.date, dt.date)
