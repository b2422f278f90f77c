"""The roles tests/e2e/test_role_homes_journey.py does not walk, each from its home page to
its main job in a real browser, at 1366 px and 390 px by mouse and at 1366 px by keyboard
alone, the clicks counted (at most 3, tests/e2e/clicks.py) and every page checked by
axe-core and screenshotted:

- the applicant partner starts a bid on the open fund and submits it;
- the partnership administrator opens a new fund;
- the county analyst (a county role, no partnership) reads the county view, and follows a
  partnership to its dashboard;
- the county administrator reaches the county's funding formula;
- a member of the public goes from the partnership's public page to the next meeting's
  agenda, whose exempt item shows only its notice.

Worlds built with the test factories and the services."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from csp_portal.financial_year import FinancialYear
from csp_portal.models import CountyRole, Profile, Role
from csp_portal.services import grant_county_role
from funding.models import Bid, BidState, Fund
from meetings import agenda, publishing, scheduling
from tests.e2e.test_bids_journey import field
from tests.e2e.walks import Walk, button_named, link_named
from tests.factories import BodyFactory, OrganisationFactory, UserFactory, member
from tests.funding.factories import BudgetLineFactory, FundFactory
from tests.meetings.factories import board
from tests.performance.county_world import county_of, full_year_to_q2, make_partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOUSE = ["desktop", "phone"]
OPEN_FUND = "Partnership Locality Fund"
CLOSED_FUND = "Community Safety Fund"
GROUP = "Loughborough Central Delivery Group"
EXEMPT_TITLE = "Award of the CCTV maintenance contract"
EXEMPT_REASON = "Commercially sensitive (paragraph 3)"
ORDINARY_TITLE = "Domestic abuse referrals pathway"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def funding_world(partnership):
    """Charnwood's funds today: one open for bids (until next month), last year's closed;
    a partner of the fire service in the Delivery Group; the partnership's administrator."""
    today = timezone.localdate()
    year = FinancialYear.for_date(today).start_year
    fire = OrganisationFactory(name="Leicestershire Fire and Rescue Service")
    fire.partnerships.add(partnership)
    applicant = member(partnership, Role.PARTNER, username="applicant", first_name="Sam")
    Profile.objects.filter(user=applicant).update(organisation=fire)
    chair = member(partnership, Role.PARTNER, username="dgchair", first_name="Nadia")
    group = BodyFactory(partnership=partnership, name=GROUP, chair=chair)
    group.members.set([chair, applicant])
    open_fund = FundFactory(
        partnership=partnership,
        name=OPEN_FUND,
        financial_year=year,
        bids_close_on=today + dt.timedelta(days=30),
    )
    BudgetLineFactory(fund=open_fund, description="Youth ASB Projects")
    closed = FundFactory(
        partnership=partnership,
        name=CLOSED_FUND,
        financial_year=year - 1,
        bids_close_on=today - dt.timedelta(days=10),
    )
    BudgetLineFactory(fund=closed, description="Night-time economy")
    admin = member(partnership, Role.ADMIN, username="padmin", first_name="Ada")
    return {"applicant": applicant, "admin": admin, "fund": open_fund, "year": year}


def _fill_bid(page, title: str) -> None:
    field(page, "Budget line").select_option(label="Youth ASB Projects – £15,000.00 left to award")
    field(page, "Title").fill(title)
    field(page, "Description").fill("Home safety checks: what we will do and why.")
    field(page, "Amount requested (£)").fill("750.00")
    field(page, "Deliverables").fill("Visits made and people reached, quarterly.")
    field(page, "Timescale").fill("January to March")
    field(page, "Delivery group").select_option(label=GROUP)


def _assert_bid_form_for_the_open_fund(page, world) -> None:
    fund = field(page, "Fund")
    assert fund.input_value() == str(world["fund"].pk)  # chosen from the home page
    offered = " ".join(fund.locator("option").all_inner_texts())
    assert CLOSED_FUND not in offered


def _assert_submitted(page, title: str) -> None:
    assert page.get_by_text(
        re.compile(rf"^“{re.escape(title)}” is submitted to {GROUP}\. Waiting for: ")
    ).is_visible()
    assert Bid.objects.get(title=title).state == BidState.SUBMITTED


def _applicant_home(page, world) -> None:
    funds = page.get_by_role("region", name="Funds open for bids")
    assert funds.get_by_role("link").all_inner_texts() == [
        f"Start a bid to the {world['fund']}"
    ]  # the closed fund is not offered


@pytest.mark.parametrize("width", MOUSE)
def test_the_applicant_starts_a_bid_on_the_open_fund_and_submits_it(
    page, journey, login_as, funding_world, width
):
    world = funding_world
    title = f"Home fire safety visits ({width})"
    login_as(page, world["applicant"])
    walk = Walk(page, journey, "applicant partner", width)
    walk.start()
    _applicant_home(page, world)
    walk.click(f"Start a bid to the {world['fund']}", "bid-form")
    _assert_bid_form_for_the_open_fund(page, world)
    _fill_bid(page, title)
    walk.click(page.get_by_role("button", name="Save draft"), "draft")
    walk.click(page.get_by_role("button", name=f"Submit to {GROUP}"), "submitted")
    _assert_submitted(page, title)
    walk.done("start a bid on the open fund and submit it")


def test_the_applicant_starts_and_submits_a_bid_by_keyboard(page, journey, login_as, funding_world):
    world = funding_world
    title = "Home fire safety visits (keyboard)"
    login_as(page, world["applicant"])
    walk = Walk(page, journey, "applicant partner", mode="keyboard")
    walk.start()
    _applicant_home(page, world)
    walk.enter(link_named(f"Start a bid to the {world['fund']}"), "bid-form")
    _assert_bid_form_for_the_open_fund(page, world)
    walk.type_into("id_budget_line", "Youth")
    walk.type_into("id_title", title)
    walk.type_into("id_description", "Home safety checks: what we will do and why.")
    walk.type_into("id_amount_requested", "750.00")
    walk.type_into("id_deliverables", "Visits made and people reached, quarterly.")
    walk.type_into("id_timescale", "January to March")
    walk.type_into("id_delivery_group", "Lough")
    assert field(page, "Delivery group").input_value()  # the group was picked
    walk.enter(button_named("Save draft"), "draft")
    walk.enter(button_named(f"Submit to {GROUP}"), "submitted")
    _assert_submitted(page, title)
    walk.done("start a bid on the open fund and submit it")


def _fill_fund(walk: Walk, world, name: str, *, keyboard: bool) -> None:
    values = {
        "id_name": name,
        "id_financial_year": str(FinancialYear(world["year"] + 1)),
        "id_funder": "Police and Crime Commissioner",
        "id_total": "40000.00",
    }
    for field_id, value in values.items():
        if keyboard:
            walk.type_into(field_id, value)
        else:
            walk.page.locator(f"#{field_id}").fill(value)


def _assert_fund_opened(page, name: str) -> None:
    fund = Fund.objects.get(name=name)
    assert page.url.endswith(f"/p/charnwood/funding/funds/{fund.pk}/")
    assert page.get_by_text(f"Saved {fund}.").is_visible()
    assert fund.total == Decimal("40000.00")


@pytest.mark.parametrize("width", MOUSE)
def test_the_partnership_administrator_opens_a_new_fund(
    page, journey, login_as, funding_world, width
):
    world = funding_world
    name = f"Safer Streets Fund ({width})"
    login_as(page, world["admin"])
    walk = Walk(page, journey, "partnership administrator", width)
    walk.start()
    managed = page.get_by_role("region", name="Funds you manage")
    assert managed.get_by_role("link").all_inner_texts() == [
        "Funds, budget lines and spend",
        "Add a fund",
    ]
    walk.click(managed.get_by_role("link", name="Add a fund"), "new-fund")
    _fill_fund(walk, world, name, keyboard=False)
    walk.click(page.get_by_role("button", name="Save"), "fund-saved")
    _assert_fund_opened(page, name)
    walk.done("open a new fund")


def test_the_partnership_administrator_opens_a_new_fund_by_keyboard(
    page, journey, login_as, funding_world
):
    world = funding_world
    name = "Safer Streets Fund (keyboard)"
    login_as(page, world["admin"])
    walk = Walk(page, journey, "partnership administrator", mode="keyboard")
    walk.start()
    walk.enter(link_named("Add a fund"), "new-fund")
    _fill_fund(walk, world, name, keyboard=True)
    walk.enter(button_named("Save"), "fund-saved")
    _assert_fund_opened(page, name)
    walk.done("open a new fund")


# --- the county tier ---------------------------------------------------------------------


@pytest.fixture
def county_world(db):
    """Leicestershire with three partnerships' All Crime to Q2 2022/23, and the county's
    people: the PCC's analyst and the county administrator, neither a partnership member."""
    county = county_of()
    for slug, previous, current in (
        ("charnwood", 900, 919),
        ("melton", 600, 518),
        ("harborough", 900, 976),
    ):
        full_year_to_q2(make_partnership(county, slug), previous, current)
    analyst = UserFactory(username="pcc-analyst", first_name="Priya")
    grant_county_role(user=analyst, county=county, role=CountyRole.ANALYST)
    admin = UserFactory(username="county-admin", first_name="Colin")
    grant_county_role(user=admin, county=county, role=CountyRole.ADMIN)
    return {"county": county, "analyst": analyst, "admin": admin}


def _county_link(county) -> str:
    return f"{county}: every partnership's figures side by side"


def _assert_county_view(page) -> None:
    assert page.url.endswith("/county/leicestershire/performance/")
    assert page.locator("table tbody tr").count() == 3
    page.wait_for_selector("#county-chart .main-svg")  # Plotly drew the chart


@pytest.mark.parametrize("width", MOUSE)
def test_the_county_analyst_reads_the_county_view(page, journey, login_as, county_world, width):
    county = county_world["county"]
    login_as(page, county_world["analyst"])
    walk = Walk(page, journey, "county analyst", width)
    walk.start()
    walk.click(_county_link(county), "county-view")
    _assert_county_view(page)
    walk.done("the county view")
    walk.click(page.locator("tbody th a", has_text="Melton"), "melton-dashboard")
    assert page.locator("h1").inner_text().startswith("Year to date")
    walk.done("a partnership's dashboard from the county view")


def test_the_county_analyst_reads_the_county_view_by_keyboard(
    page, journey, login_as, county_world
):
    county = county_world["county"]
    login_as(page, county_world["analyst"])
    walk = Walk(page, journey, "county analyst", mode="keyboard")
    walk.start()
    walk.enter(link_named(_county_link(county)), "county-view")
    _assert_county_view(page)
    walk.done("the county view")
    walk.enter(link_named(re.compile("^Melton")), "melton-dashboard")
    assert page.locator("h1").inner_text().startswith("Year to date")
    walk.done("a partnership's dashboard from the county view")


def _allocation_link(county) -> str:
    return f"{county}: share the pot among the partnerships"


def _assert_allocation(page) -> None:
    assert page.url.endswith("/county/leicestershire/funding/allocation/")
    assert page.locator("h1").count() == 1


@pytest.mark.parametrize("width", MOUSE)
def test_the_county_administrator_reaches_the_funding_formula(
    page, journey, login_as, county_world, width
):
    county = county_world["county"]
    login_as(page, county_world["admin"])
    walk = Walk(page, journey, "county administrator", width)
    walk.start()
    assert page.get_by_role("link", name=_county_link(county)).is_visible()
    walk.click(_allocation_link(county), "allocation")
    _assert_allocation(page)
    walk.done("the county's funding formula")


def test_the_county_administrator_reaches_the_funding_formula_by_keyboard(
    page, journey, login_as, county_world
):
    county = county_world["county"]
    login_as(page, county_world["admin"])
    walk = Walk(page, journey, "county administrator", mode="keyboard")
    walk.start()
    walk.enter(link_named(_allocation_link(county)), "allocation")
    _assert_allocation(page)
    walk.done("the county's funding formula")


# --- the public ----------------------------------------------------------------------------


@pytest.fixture
def public_world(partnership, media_root):
    """The Board's last meeting and its next one, both published; the next carries an
    ordinary item and an exempt one."""
    today = timezone.localdate()
    body = board(partnership)
    last = scheduling.schedule_meeting(body=body, date=today - dt.timedelta(days=60))
    agenda.add_item(meeting=last, title="Last quarter's performance")
    publishing.publish_agenda(meeting=last)
    upcoming = scheduling.schedule_meeting(body=body, date=today + dt.timedelta(days=9))
    agenda.add_item(meeting=upcoming, title=ORDINARY_TITLE)
    agenda.add_item(
        meeting=upcoming,
        title=EXEMPT_TITLE,
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason=EXEMPT_REASON,
    )
    publishing.publish_agenda(meeting=upcoming)
    return upcoming


def _next_agenda_link(meeting) -> re.Pattern:
    return re.compile(rf"^Agenda\s+of {meeting.date.day} {meeting.date:%B %Y}$")


def _assert_public_agenda(page, meeting) -> None:
    assert page.url.endswith(f"/public/charnwood/board/{meeting.date:%Y-%m-%d}/")
    body = page.locator("main").inner_text()
    assert ORDINARY_TITLE in body
    assert EXEMPT_TITLE in body  # its heading, with the notice instead of the papers
    assert "Not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A" in body
    assert EXEMPT_REASON not in page.content()


@pytest.mark.parametrize("width", MOUSE)
def test_the_public_reads_the_next_meetings_agenda(page, journey, public_world, width):
    meeting = public_world
    walk = Walk(page, journey, "member of the public", width)
    walk.start("/public/charnwood/", "partnership")
    walk.click("Partnership Board", "board")
    walk.click(page.get_by_role("link", name=_next_agenda_link(meeting)), "next-agenda")
    _assert_public_agenda(page, meeting)
    walk.done("the next meeting's agenda")


def test_the_public_reads_the_next_meetings_agenda_by_keyboard(page, journey, public_world):
    meeting = public_world
    walk = Walk(page, journey, "member of the public", mode="keyboard")
    walk.start("/public/charnwood/", "partnership")
    walk.enter(link_named("Partnership Board"), "board")
    walk.enter(link_named(_next_agenda_link(meeting)), "next-agenda")
    _assert_public_agenda(page, meeting)
    walk.done("the next meeting's agenda")
