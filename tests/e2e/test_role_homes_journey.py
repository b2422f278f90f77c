"""Each role's home leads to its main job, in a real browser at 1366 px and 390 px:
the board member to the next meeting's pack and the YTD dashboard, the officer to the
quarter's entry grid, the decider to a waiting bid, the clerk to the next meeting's
missing papers. Clicks from the home page are counted (at most 3 each) and printed;
every page on the way passes axe-core and is screenshotted.

A partner's update report, written in the browser: the performance table prefilled from
the portal's figures, a bad cell refused by row and column with everything kept, then
the report's page with its next step."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from csp_portal.financial_year import Quarter
from csp_portal.models import Profile, Role
from funding.models import BidState
from meetings import agenda, publishing, scheduling
from tests.e2e.clicks import record
from tests.e2e.walks import WIDTHS, button_named, link_named
from tests.e2e.walks import Walk as KeyWalk
from tests.factories import BodyFactory, OrganisationFactory, member
from tests.funding.factories import BidFactory, BudgetLineFactory, FundFactory
from tests.meetings.factories import board
from tests.performance.factories import enter_ytd, make_categories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(partnership, media_root):
    """Charnwood today: the Board's next meeting with a published pack and an item still
    without its paper, figures for the last quarter, and a bid waiting for its group."""
    today = timezone.localdate()
    board_member = member(partnership, Role.BOARD_MEMBER, username="board", first_name="Bea")
    clerk = member(partnership, Role.CLERK, username="clerk", first_name="Cleo")
    officer = member(partnership, Role.PERFORMANCE_OFFICER, username="officer", first_name="Oli")
    decider = member(partnership, Role.PARTNER, username="decider", first_name="Dee")
    applicant = member(partnership, Role.PARTNER, username="applicant", first_name="Al")
    body = board(partnership)
    body.members.add(board_member)
    meeting = scheduling.schedule_meeting(body=body, date=today + dt.timedelta(days=9))
    item = agenda.add_item(meeting=meeting, title="Police update")
    police = OrganisationFactory(name="Leicestershire Police")
    item.presenter_organisation = police
    item.save()
    publishing.publish_agenda(meeting=meeting)
    categories = make_categories(partnership)
    quarter = Quarter.latest_complete(today)
    for code, previous, current in (("ALL", 7124, 7475), ("ROB", 45, 40), ("ASB", 900, 850)):
        enter_ytd(partnership, categories[code], quarter.same_quarter_last_year, previous)
        enter_ytd(partnership, categories[code], quarter, current)
    group = BodyFactory(partnership=partnership, name="Delivery Group", slug="dg", chair=decider)
    BidFactory(
        budget_line=BudgetLineFactory(fund=FundFactory(partnership=partnership)),
        applicant=applicant,
        delivery_group=group,
        title="Street pastors in the town centre",
        state=BidState.SUBMITTED,
    )
    return {
        "board": board_member,
        "clerk": clerk,
        "officer": officer,
        "decider": decider,
        "meeting": meeting,
        "item": item,
        "police": police,
        "quarter": quarter,
    }


class Walk:
    """Clicks from the home page, counted, each landing page checked."""

    def __init__(self, page, journey, label: str) -> None:
        self.page, self.journey, self.label, self.clicks = page, journey, label, 0

    def home(self) -> None:
        self.journey.visit("/", f"{self.label}-home")
        self.clicks = 0

    def click(self, name: str | re.Pattern, step: str) -> None:
        link = self.page.get_by_role("link", name=name).first
        link.scroll_into_view_if_needed()
        with self.page.expect_navigation():
            link.click()
        self.clicks += 1
        self.journey.check(f"{self.label}-{step}")


def _record(role: str, job: str, width: str, clicks: int) -> None:
    """For the report (tests/e2e/clicks.py); fails over MAX_CLICKS."""
    record(role, job, WIDTHS[width]["width"], clicks)


@pytest.mark.parametrize("width", WIDTHS)
def test_each_roles_home_leads_to_its_main_job(page, journey, login_as, world, width):
    page.set_viewport_size(WIDTHS[width])
    meeting = world["meeting"]

    # The board member: the next meeting's pack, and the YTD dashboard.
    login_as(page, world["board"])
    walk = Walk(page, journey, f"{width}-board")
    walk.home()
    pack = page.get_by_role("link", name=re.compile("Read the members’ pack"))
    href = pack.get_attribute("href")
    assert href == f"/p/charnwood/meetings/{meeting.pk}/pack.pdf"
    response = page.request.get(href)  # a PDF: fetched, not opened in the viewer
    assert response.status == 200 and response.body().startswith(b"%PDF")
    _record("board member", "the next meeting's pack", width, 1)
    walk.click("Performance dashboard: year to date", "ytd-dashboard")
    assert page.url.endswith("/p/charnwood/performance/")
    assert page.get_by_role("heading", level=1).count() == 1
    _record("board member", "the YTD dashboard", width, walk.clicks)
    page.context.clear_cookies()

    # The officer: the quarter's entry grid.
    login_as(page, world["officer"])
    walk = Walk(page, journey, f"{width}-officer")
    walk.home()
    walk.click(f"Enter and publish the {world['quarter']} figures", "entry-grid")
    quarter = world["quarter"]
    assert f"/enter/{quarter.financial_year.start_year}/q{quarter.number}/" in page.url
    _record("performance officer", "the quarter's entry grid", width, walk.clicks)
    page.context.clear_cookies()

    # The decider: a bid waiting for them.
    login_as(page, world["decider"])
    walk = Walk(page, journey, f"{width}-decider")
    walk.home()
    walk.click("Street pastors in the town centre", "waiting-bid")
    assert "/funding/" in page.url
    _record("decider (Delivery Group chair)", "a bid waiting for them", width, walk.clicks)
    page.context.clear_cookies()

    # The clerk: the next meeting's missing papers.
    login_as(page, world["clerk"])
    walk = Walk(page, journey, f"{width}-clerk")
    walk.home()
    assert page.get_by_text("Partner report from Leicestershire Police not in yet").count()
    walk.click(re.compile("“Police update” has no paper yet"), "missing-paper")
    assert page.url.endswith(f"/meetings/{meeting.pk}/#agenda-item-{world['item'].pk}")
    _record("clerk", "the next meeting's missing papers", width, walk.clicks)


def _presenter(world):
    """Dave Barker of the police, who presents the "Police update" item."""
    partner = member(world["meeting"].body.partnership, Role.PARTNER, username="partner")
    partner.first_name, partner.last_name = "Dave", "Barker"
    partner.save()
    world["meeting"].body.partnership.organisations.add(world["police"])
    Profile.objects.filter(user=partner).update(organisation=world["police"])
    return partner


def _paper_due(world) -> str:
    """The reminder on the presenter's home page ("Due soon and overdue")."""
    meeting = world["meeting"]
    return (
        f"Paper for item “Police update” of the {meeting.body} meeting on "
        f"{meeting.date.day} {meeting.date:%B %Y}"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_a_partner_writes_the_quarterly_report(page, journey, login_as, world, width):
    from meetings.models import PartnerReport

    page.set_viewport_size(WIDTHS[width])
    login_as(page, _presenter(world))
    walk = Walk(page, journey, f"{width}-partner")
    walk.home()
    walk.click(_paper_due(world), "report-form")
    assert page.url.endswith("/p/charnwood/meetings/reports/new/")
    _record("partner presenting an item", "the partner report form", width, walk.clicks)
    assert page.get_by_label("Author").input_value() == "Dave Barker"
    assert page.get_by_label("Row 1, Crime type").input_value() == "All Crime"
    assert page.get_by_label("Row 1, Current").input_value() == "7475"
    page.get_by_label("Subject title").fill("Police update")
    page.get_by_label("Summary").fill("Quarter two performance.")
    page.get_by_label("Meeting it is for").select_option(str(world["meeting"].pk))
    page.get_by_label("Row 4, Crime type").fill("Cycle Theft")
    page.get_by_label("Row 4, Previous").fill("230")
    page.get_by_label("Row 4, Current").fill("about 180")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the report").click()
    journey.check(f"{width}-report-refused")
    assert page.get_by_text("Row 4, Current: enter a whole number").first.is_visible()
    assert not PartnerReport.objects.exists()
    assert page.get_by_label("Subject title").input_value() == "Police update"
    assert page.get_by_label("Row 4, Current").input_value() == "about 180"
    page.get_by_label("Row 4, Current").fill("184")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the report").click()
    journey.check(f"{width}-report-saved")
    report = PartnerReport.objects.get()
    assert page.url.endswith(f"/meetings/reports/{report.pk}/")
    assert page.get_by_text(f"Submitted to the clerk for {world['meeting']}").is_visible()
    assert list(report.performance_rows.values_list("crime_type", "current"))[-1] == (
        "Cycle Theft",
        184,
    )


def test_each_roles_main_job_by_keyboard(page, journey, login_as, world):
    """The same jobs at 1366 px with Tab and Enter alone, each link showing its focus."""
    meeting, quarter = world["meeting"], world["quarter"]

    login_as(page, world["board"])
    walk = KeyWalk(page, journey, "board member", mode="keyboard")
    walk.start()
    pack = walk.tab_to(link_named(re.compile("^Read the members’ pack")))
    assert pack["href"] == f"/p/charnwood/meetings/{meeting.pk}/pack.pdf"  # a PDF: not opened
    record("board member", "the next meeting's pack", walk.width, 1, "keyboard")
    walk.enter(link_named("Performance dashboard: year to date"), "ytd-dashboard")
    assert page.url.endswith("/p/charnwood/performance/")
    walk.done("the YTD dashboard")
    page.context.clear_cookies()

    login_as(page, world["officer"])
    walk = KeyWalk(page, journey, "performance officer", mode="keyboard")
    walk.start()
    walk.enter(link_named(f"Enter and publish the {quarter} figures"), "entry-grid")
    assert f"/enter/{quarter.financial_year.start_year}/q{quarter.number}/" in page.url
    walk.done("the quarter's entry grid")
    page.context.clear_cookies()

    login_as(page, world["decider"])
    walk = KeyWalk(page, journey, "decider (Delivery Group chair)", mode="keyboard")
    walk.start()
    walk.enter(link_named("Street pastors in the town centre"), "waiting-bid")
    assert "/funding/bids/" in page.url
    walk.done("a bid waiting for them")
    page.context.clear_cookies()

    login_as(page, world["clerk"])
    walk = KeyWalk(page, journey, "clerk", mode="keyboard")
    walk.start()
    walk.enter(link_named(re.compile("“Police update” has no paper yet")), "missing-paper")
    assert page.url.endswith(f"/meetings/{meeting.pk}/#agenda-item-{world['item'].pk}")
    walk.done("the next meeting's missing papers")


def test_a_partner_writes_the_report_by_keyboard(page, journey, login_as, world):
    from meetings.models import PartnerReport

    login_as(page, _presenter(world))
    walk = KeyWalk(page, journey, "partner presenting an item", mode="keyboard")
    walk.start()
    walk.enter(link_named(_paper_due(world)), "report-form")
    assert page.get_by_label("Author").input_value() == "Dave Barker"
    walk.done("the partner report form")
    walk.type_into("id_subject", "Police update")
    walk.type_into("id_summary", "Quarter two performance.")
    walk.type_into("id_meeting", str(world["meeting"].body))
    assert page.get_by_label("Meeting it is for").input_value() == str(world["meeting"].pk)
    walk.enter(button_named("Save the report"), "report-saved", limit=400)
    report = PartnerReport.objects.get()
    assert page.url.endswith(f"/meetings/reports/{report.pk}/")
    assert report.subject == "Police update" and report.meeting == world["meeting"]
