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
from tests.factories import BodyFactory, OrganisationFactory, member
from tests.funding.factories import BidFactory, BudgetLineFactory, FundFactory
from tests.meetings.factories import board
from tests.performance.factories import enter_ytd, make_categories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
MAX_CLICKS = 3
CLICKS: dict[str, int] = {}


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


def _record(job: str, clicks: int) -> None:
    CLICKS[job] = clicks
    print(f"\nclicks from home: {job} = {clicks}")
    assert clicks <= MAX_CLICKS


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
    _record(f"board member: next meeting's pack ({width})", 1)
    walk.click("Performance dashboard: year to date", "ytd-dashboard")
    assert page.url.endswith("/p/charnwood/performance/")
    assert page.get_by_role("heading", level=1).count() == 1
    _record(f"board member: YTD dashboard ({width})", walk.clicks)
    page.context.clear_cookies()

    # The officer: the quarter's entry grid.
    login_as(page, world["officer"])
    walk = Walk(page, journey, f"{width}-officer")
    walk.home()
    walk.click(f"Enter and publish the {world['quarter']} figures", "entry-grid")
    quarter = world["quarter"]
    assert f"/enter/{quarter.financial_year.start_year}/q{quarter.number}/" in page.url
    _record(f"officer: the quarter's entry grid ({width})", walk.clicks)
    page.context.clear_cookies()

    # The decider: a bid waiting for them.
    login_as(page, world["decider"])
    walk = Walk(page, journey, f"{width}-decider")
    walk.home()
    walk.click("Street pastors in the town centre", "waiting-bid")
    assert "/funding/" in page.url
    _record(f"decider: a waiting bid ({width})", walk.clicks)
    page.context.clear_cookies()

    # The clerk: the next meeting's missing papers.
    login_as(page, world["clerk"])
    walk = Walk(page, journey, f"{width}-clerk")
    walk.home()
    assert page.get_by_text("Partner report from Leicestershire Police not in yet").count()
    walk.click(re.compile("“Police update” has no paper yet"), "missing-paper")
    assert page.url.endswith(f"/meetings/{meeting.pk}/#agenda-item-{world['item'].pk}")
    _record(f"clerk: the next meeting's missing papers ({width})", walk.clicks)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_partner_writes_the_quarterly_report(page, journey, login_as, world, width):
    from meetings.models import PartnerReport

    page.set_viewport_size(WIDTHS[width])
    partner = member(world["meeting"].body.partnership, Role.PARTNER, username="partner")
    partner.first_name, partner.last_name = "Dave", "Barker"
    partner.save()
    world["meeting"].body.partnership.organisations.add(world["police"])
    Profile.objects.filter(user=partner).update(organisation=world["police"])
    login_as(page, partner)
    journey.visit("/p/charnwood/meetings/reports/new/", f"{width}-report-form")
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
