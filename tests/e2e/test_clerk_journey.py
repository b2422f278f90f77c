"""A clerk's meeting cycle in a real browser, every page checked by axe-core.

The clerk signs in, puts an item on the Board's Forward Programme, schedules the next
Board meeting (its agenda proposed with that item), attaches an uploaded PDF and a
generated paper (chosen from a list), publishes the agenda after its confirmation page
and reads the frozen pack, records the whole body's attendance on one page,
marks the meeting held, minutes a resolution and an action; then schedules the following
meeting, confirms the minutes there, and finds them locked: the minute form sends the
clerk to record an amendment instead.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from csp_portal.models import Role
from meetings import attendance, minutes, scheduling
from meetings.models import Meeting, MeetingStatus, Minute
from tests.factories import PASSWORD, member
from tests.meetings.factories import board, make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEETINGS = "/p/charnwood/meetings/"


def pdf_text(content: bytes) -> str:
    """The PDF's text by pypdf, whitespace collapsed (table cells wrap across lines) and
    in capitals (the front sheet prints item titles in capitals)."""
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() or "" for page in pages).split()).upper()


def field(scope, label: str):
    """The form field labelled exactly `label` (crispy adds "*" to required ones)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def agenda_item(page, title: str):
    """The agenda entry (<li>) whose heading is `title`."""
    return page.locator("#agenda > li").filter(
        has=page.get_by_role("heading", name=re.compile(rf"^\d+(\(\w+\))?\s*{re.escape(title)}"))
    )


def submit(page, button) -> int:
    """Click a submit button and wait for the page the form leads to; its HTTP status."""
    with page.expect_navigation() as navigation:
        button.click()
    return navigation.value.status


def follow(page, link) -> int:
    with page.expect_navigation() as navigation:
        link.click()
    return navigation.value.status


@pytest.fixture
def cast(partnership):
    """The Board of Charnwood, its chair and a member, and a clerk; the Board last met
    three months ago and left an action open."""
    clerk = member(partnership, Role.CLERK, username="clerk", first_name="Kate", last_name="Reid")
    chair = member(
        partnership, Role.BOARD_MEMBER, username="chair", first_name="Jenny", last_name="Bokor"
    )
    inspector = member(
        partnership, Role.BOARD_MEMBER, username="inspector", first_name="Dan", last_name="Barker"
    )
    body = board(partnership, chair=chair)
    body.members.add(chair, inspector)
    today = timezone.localdate()
    last = scheduling.schedule_meeting(body=body, date=today - dt.timedelta(days=91))
    attendance.record_attendance(meeting=last, person=chair, status="present", role="Chair")
    minutes.record_minute(
        item=last.items.get(kind="apologies"), discussion="None received.", resolutions=[]
    )
    minutes.add_action(meeting=last, description="Circulate the hate crime protocol")
    return {"clerk": clerk, "chair": chair, "inspector": inspector, "body": body, "last": last}


def test_clerk_runs_a_board_meeting_from_forward_programme_to_locked_minutes(
    page, journey, cast, live_server
):
    today = timezone.localdate()
    following = today + dt.timedelta(days=91)

    # --- sign in ---------------------------------------------------------------------
    journey.visit("/accounts/login/", "01-sign-in")
    field(page, "Username").fill("clerk")
    field(page, "Password").fill(PASSWORD)
    assert submit(page, page.get_by_role("button", name="Sign in")) == 200
    journey.check("02-home")

    # --- the Forward Programme: an item due by today ----------------------------------
    journey.visit(MEETINGS, "03-meetings")
    assert follow(page, page.get_by_role("link", name="Partnership Board", exact=True)) == 200
    journey.check("04-board")
    assert follow(page, page.get_by_role("link", name="Add to the Forward Programme")) == 200
    journey.check("05-forward-programme-form")
    field(page, "Item").fill("Annual strategic assessment")
    field(page, "Detail").fill("The partnership's assessment of crime and disorder.")
    field(page, "When").select_option(label="By a date")
    field(page, "Date (when “By a date”)").fill(today.isoformat())
    field(page, "Action by").fill("Community Safety Manager")
    assert submit(page, page.get_by_role("button", name="Save")) == 200
    journey.check("06-board-with-entry")
    assert page.get_by_role("rowheader", name="Annual strategic assessment").is_visible()

    # --- schedule the next meeting: the agenda is proposed ------------------------------
    assert follow(page, page.get_by_role("link", name="Meetings", exact=True).first) == 200
    journey.check("07-meetings")
    assert follow(page, page.get_by_role("link", name="Schedule a meeting")) == 200
    journey.check("08-schedule-form")
    field(page, "Body").select_option(label="Partnership Board")
    field(page, "Date").fill(today.isoformat())
    assert submit(page, page.get_by_role("button", name="Schedule")) == 200
    journey.check("09-meeting-proposed")
    meeting = Meeting.objects.get(body=cast["body"], date=today)
    meeting_url = page.url
    titles = page.locator("#agenda > li h3").all_inner_texts()
    assert [re.sub(r"^\d+(\(\w+\))?\s*", "", t) for t in titles] == [
        "Apologies",
        "Minutes",
        "Matters arising",
        "Annual strategic assessment",
        "Any Other Business",
        "Forward Programme",
    ]
    assert "Circulate the hate crime protocol" in agenda_item(page, "Matters arising").inner_text()

    # --- papers: an uploaded PDF and a generated one -----------------------------------
    assessment = agenda_item(page, "Annual strategic assessment")
    assert follow(page, assessment.get_by_role("link", name=re.compile("^Attach a paper"))) == 200
    journey.check("10-attach-paper")
    field(page, "PDF paper").set_input_files(
        {
            "name": "assessment.pdf",
            "mimeType": "application/pdf",
            "buffer": make_pdf("STRATEGIC ASSESSMENT 2017", pages=2),
        }
    )
    field(page.get_by_role("region", name="Upload a PDF"), "Title").fill(
        "Strategic assessment 2017"
    )
    assert submit(page, page.get_by_role("button", name="Upload")) == 200
    journey.check("11-paper-attached")
    assert page.get_by_role("link", name="Strategic assessment 2017").is_visible()
    assert page.get_by_text("(PDF, 2 pages)").is_visible()

    programme = agenda_item(page, "Forward Programme")
    assert follow(page, programme.get_by_role("link", name=re.compile("^Attach a paper"))) == 200
    journey.check("12-attach-generated-paper")
    generated = page.get_by_role("form", name="Forward Programme")
    field(generated, "Body").select_option(label="Partnership Board")  # a list, not JSON
    assert submit(page, generated.get_by_role("button", name="Attach “Forward Programme”")) == 200
    journey.check("13-generated-paper-attached")
    assert "Forward Programme (generated paper)" in programme.inner_text()

    # --- publish: the pack is frozen ---------------------------------------------------
    assert follow(page, page.get_by_role("link", name="Publish the agenda…")) == 200
    journey.check("14a-confirm-publish")
    # built in the background: the clerk lands on the job's page, which says when it is done
    assert submit(page, page.get_by_role("button", name="Publish the agenda")) == 200
    assert "/jobs/" in page.url
    page.get_by_text("is published.").wait_for()
    journey.check("14-pack-job-finished")
    journey.visit(meeting_url, "14-published")
    assert page.get_by_text("Status: Agenda published").is_visible()
    pack_url = page.get_by_role("link", name="Agenda pack (PDF)").get_attribute("href")
    pack_url = f"{live_server.url}{pack_url}"
    pack = page.request.get(pack_url)
    assert pack.ok and pack.headers["content-type"] == "application/pdf"
    published_pack = pack.body()
    text = pdf_text(published_pack)
    for title in (
        "Apologies",
        "Minutes",
        "Matters arising",
        "Annual strategic assessment",
        "Any Other Business",
        "Forward Programme",
        "Strategic assessment 2017",
        "STRATEGIC ASSESSMENT 2017",  # the uploaded paper's own pages are in the pack
        "Community Safety Manager",  # ... and the generated Forward Programme
    ):
        assert title.upper() in text, f"{title!r} is not in the pack"

    # --- the meeting: attendance, held, minutes and an action --------------------------
    sheet = page.get_by_role("link", name="Record attendance: every member of Partnership Board")
    assert follow(page, sheet) == 200
    journey.check("15-attendance-sheet")
    chair = page.get_by_role("group", name="Jenny Bokor")
    chair.get_by_label("Present").check()
    chair.get_by_label("Role").fill("Chair")
    page.get_by_role("group", name="Dan Barker").get_by_label("Apologies").check()
    assert submit(page, page.get_by_role("button", name="Save the attendance")) == 200
    journey.check("15-attendance-saved")
    rows = page.get_by_role("table", name="Attendance").get_by_role("row")
    assert "Present" in rows.filter(has_text="Jenny Bokor").inner_text()
    assert "Apologies" in rows.filter(has_text="Dan Barker").inner_text()

    assert submit(page, page.get_by_role("button", name="Mark held")) == 200
    journey.check("16-held")
    assert page.get_by_text("Status: Held").is_visible()

    assessment = agenda_item(page, "Annual strategic assessment")
    assert follow(page, assessment.get_by_role("link", name=re.compile("^Minute"))) == 200
    journey.check("17-minute-form")
    field(page, "Discussion").fill(
        "The assessment was presented.\nMembers asked about rural crime."
    )
    field(page, "Resolutions").fill("the strategic assessment be approved")
    assert submit(page, page.get_by_role("button", name="Save the minute")) == 200
    journey.check("18-minuted")
    assert page.get_by_text("AGREED that the strategic assessment be approved").is_visible()

    actions = page.locator("form[action$='/actions/']")
    page.get_by_text("Add an action", exact=True).click()
    field(actions, "Description").fill("Publish the assessment summary on the website")
    field(actions, "Owner").select_option(label="Kate Reid")
    field(actions, "Due date").fill((today + dt.timedelta(days=30)).isoformat())
    assert submit(page, actions.get_by_role("button", name="Add the action")) == 200
    journey.check("19-action-added")
    assert (
        page.get_by_role("table", name="Actions from this meeting")
        .get_by_role("row")
        .filter(has_text="Publish the assessment summary on the website")
        .is_visible()
    )

    # --- the following meeting confirms the minutes ------------------------------------
    assert follow(page, page.get_by_role("link", name="Meetings", exact=True).first) == 200
    journey.check("20-meetings")
    assert follow(page, page.get_by_role("link", name="Schedule a meeting")) == 200
    journey.check("21-schedule-following")
    field(page, "Body").select_option(label="Partnership Board")
    field(page, "Date").fill(following.isoformat())
    assert submit(page, page.get_by_role("button", name="Schedule")) == 200
    journey.check("22-following-meeting")
    assert (
        f"To approve the minutes of the meeting held on {today:%-d %B %Y}"
        in agenda_item(page, "Minutes").inner_text()
    )
    arising = agenda_item(page, "Matters arising").inner_text()
    assert "Publish the assessment summary on the website" in arising
    assert "Circulate the hate crime protocol" in arising  # still open
    confirm = page.get_by_role("link", name=f"Confirm and sign the minutes of {today:%-d %B %Y}…")
    assert follow(page, confirm) == 200
    journey.check("23a-confirm-minutes")
    assert submit(page, page.get_by_role("button", name="Confirm and sign the minutes")) == 200
    journey.check("23-minutes-confirmed")
    assert page.get_by_text("are confirmed and signed").is_visible()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_CONFIRMED
    assert meeting.minutes_signed_by == cast["chair"]

    # --- the confirmed minutes are locked: amendments only -----------------------------
    journey.visit(meeting_url, "24-confirmed-meeting")
    assert page.get_by_text(
        f"Confirmed and signed at the meeting of {following:%-d %B %Y}."
    ).is_visible()
    assert page.get_by_role("link", name=re.compile("^Minute item")).count() == 0
    assert page.get_by_text("Record attendance").count() == 0
    item = meeting.items.get(title="Annual strategic assessment")
    journey.visit(f"{MEETINGS}items/{item.pk}/minute/", "25-minute-refused")
    assert page.url == f"{meeting_url}#amendments"
    assert page.get_by_text("record an amendment instead").is_visible()
    assert Minute.objects.get(item=item).discussion.startswith("The assessment was presented.")

    # The address names the amendment form, so the browser opens its <details> there.
    assert page.locator("#amendments").is_visible()
    field(page.locator("#amendments"), "Amendment").fill(
        "Add Inspector D. Barker to those present."
    )
    field(page, "Reason").fill("He arrived after the apologies were taken.")
    assert submit(page, page.get_by_role("button", name="Record the amendment")) == 200
    journey.check("26-amended")
    assert page.get_by_text("Amendment recorded.").is_visible()
    assert page.get_by_text("Add Inspector D. Barker to those present.").is_visible()

    # The published pack did not move with any of this: it is the one first issued.
    assert page.request.get(pack_url).body() == published_pack

    # --- and the public sees the confirmed minutes -------------------------------------
    journey.visit(f"/public/charnwood/board/{today:%Y-%m-%d}/", "27-public-meeting")
    assert page.get_by_text("AGREED that the strategic assessment be approved").is_visible()
