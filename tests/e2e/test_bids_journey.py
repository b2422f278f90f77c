"""Two bids through the partnership's Funding Process in a real browser, every decider
signed in as themselves.

A partner submits a £750 bid and a £4,000 bid through the forms; the Delivery Group's
chair supports both (every decider first declares no interest, which opens the decision
form); the £750 bid, under the £1,000 threshold, needs the Designated
Officer, the Chair and the Vice-Chair, and is approved only once all three have; the
£4,000 bid goes to the approval panel, which approves it. The budget table then shows
exactly £4,750.00 more committed. Every page on the way passes axe-core and is
screenshotted (`journey.check`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import Page
from pypdf import PdfWriter

from csp_portal.models import BodyType, Office, OfficeHolder, Profile, Role
from funding import workflow
from funding.models import Bid, BidState, Outcome
from tests.factories import BodyFactory, OrganisationFactory, member
from tests.funding import deciding
from tests.funding.factories import BidFactory, BudgetLineFactory, FundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL = "Home fire safety visits for older residents"
LARGE = "Street-based youth work in Loughborough"
FUND = "Partnership Locality Fund 2022/23"
LINE = "Youth ASB Projects"


@dataclass
class People:
    partner: object
    group_chair: object
    designated: object
    chair: object
    vice_chair: object
    panel_chair: object
    reader: object
    fund: object


def person(partnership, username, first, last, *roles, organisation=None):
    user = member(partnership, *roles, username=username, first_name=first, last_name=last)
    Profile.objects.filter(user=user).update(organisation=organisation)
    return user


@pytest.fixture
def people(partnership, board_member) -> People:
    """Charnwood's Funding Process as the demo has it: a partner of the fire service, the
    Loughborough Central Delivery Group, the three office-holders, the Performance Group
    as the approval panel, and one bid already approved (so committed starts above 0)."""
    fire = OrganisationFactory(name="Leicestershire Fire and Rescue Service")
    university = OrganisationFactory(name="Loughborough University")
    police = OrganisationFactory(name="Leicestershire Police")
    for organisation in (fire, university, police):
        organisation.partnerships.add(partnership)
    partner = person(partnership, "partner", "Sam", "Okafor", Role.PARTNER, organisation=fire)
    group_chair = person(
        partnership, "dgchair", "Nadia", "Patel", Role.PARTNER, organisation=university
    )
    designated = person(partnership, "designated", "Ruth", "Lane", Role.BOARD_MEMBER)
    chair = person(partnership, "chair", "Martin", "Hughes", Role.BOARD_MEMBER)
    vice_chair = person(partnership, "vicechair", "Amara", "Obi", Role.BOARD_MEMBER)
    panel_chair = person(
        partnership, "inspector", "David", "Baker", Role.BOARD_MEMBER, organisation=police
    )
    group = BodyFactory(
        partnership=partnership, name="Loughborough Central Delivery Group", chair=group_chair
    )
    group.members.set([group_chair, partner])
    panel = BodyFactory(
        partnership=partnership,
        name="Performance Group",
        body_type=BodyType.PERFORMANCE_GROUP,
        chair=panel_chair,
    )
    panel.members.set([panel_chair])
    for office, holder in [
        (Office.DESIGNATED_OFFICER, designated),
        (Office.CHAIR, chair),
        (Office.VICE_CHAIR, vice_chair),
    ]:
        OfficeHolder.objects.create(partnership=partnership, office=office, user=holder)
    fund = FundFactory(
        partnership=partnership, name="Partnership Locality Fund", total=Decimal("75500.00")
    )
    line = BudgetLineFactory(fund=fund, description=LINE, allocated=Decimal("15000.00"))
    BudgetLineFactory(fund=fund, description="Domestic Abuse Support", allocated=Decimal("9000"))
    earlier = BidFactory(
        budget_line=line,
        applicant=group_chair,
        applicant_organisation=university,
        delivery_group=group,
        title="Campus bike marking",
        amount_requested=Decimal("1234.56"),
    )
    workflow.submit(bid=earlier, by=group_chair)
    deciding.group_decide(bid=earlier, by=partner, outcome=Outcome.SUPPORT)
    deciding.panel_decide(bid=earlier, by=panel_chair, outcome=Outcome.APPROVE)
    return People(
        partner, group_chair, designated, chair, vice_chair, panel_chair, board_member, fund
    )


class Walk:
    """The journey's steps, numbered in the order they are taken (screenshot names)."""

    def __init__(self, page, journey, login_as) -> None:
        self.page, self.journey, self.login_as = page, journey, login_as
        self.count = itertools.count(1)

    def check(self, step: str) -> None:
        self.journey.check(f"{next(self.count):02d}-{step}")

    def visit(self, path: str, step: str) -> None:
        self.journey.visit(path, f"{next(self.count):02d}-{step}")

    def sign_in(self, user) -> None:
        """A fresh session as `user` (the previous person's cookie goes)."""
        self.page.context.clear_cookies()
        self.login_as(self.page, user)
        self.visit("/", f"{user.username}-home")
        assert self.page.locator("h1").inner_text() == f"Welcome, {user.first_name}"

    def follow(self, link, step: str) -> None:
        with self.page.expect_navigation():
            link.click()
        self.check(step)

    def submit(self, button, step: str) -> None:
        with self.page.expect_navigation():
            button.click()
        self.check(step)


def field(page, label: str):
    """The form control labelled `label` (required fields' labels end in an asterisk)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def menu(page, label: str):
    """A link of the main navigation bar."""
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=label, exact=True)


def committed_figures(page) -> dict[str, Decimal]:
    """The fund page's budget table, committed column: each line and the Total."""
    table = page.locator("table.budget-table")
    headings = table.locator("thead th").all_inner_texts()
    column = headings.index("Committed to approved bids")
    figures = {}
    for row in table.locator("tbody tr, tfoot tr").all():
        name = row.locator("th").inner_text().strip()
        cells = row.locator("th, td").all_inner_texts()
        figures[name] = Decimal(cells[column].strip().lstrip("£").replace(",", ""))
    return figures


def index_committed(page, fund_name: str) -> str:
    """The Committed cell of the fund's row on the funding index."""
    table = page.get_by_role("table", name="Funds with allocated, committed")
    headings = table.locator("thead th").all_inner_texts()
    row = table.locator("tbody tr", has=page.get_by_role("link", name=fund_name))
    return row.locator("th, td").all_inner_texts()[headings.index("Committed")].strip()


def lines_left(fund_name: str) -> list[tuple[str, Decimal]]:
    """The fund's budget lines with what each has left to award, as the portal counts."""
    from funding.awards import left_to_award
    from funding.models import Fund

    fund = next(f for f in Fund.objects.all() if str(f) == fund_name)
    lines = list(fund.lines.all())
    left = left_to_award(lines)
    return [(line.description, left[line.pk]) for line in lines]


def write_bid(walk: Walk, title: str, amount: str, step: str, paper: Path | None = None) -> None:
    """From the funding index: start a bid, fill the form, save the draft, add the
    `paper` (a PDF) if given, and submit it."""
    page = walk.page
    walk.follow(page.get_by_role("link", name="Start a new bid"), f"{step}-form")
    field(page, "Fund").select_option(label=FUND)
    # the lines offered are the chosen fund's, each with what it has left to award
    offered = field(page, "Budget line").locator("option").all_inner_texts()
    assert [o for o in offered if o != "---------"] == [
        f"{line} – £{left:,.2f} left to award" for line, left in lines_left(FUND)
    ]
    field(page, "Budget line").select_option(label=next(o for o in offered if o.startswith(LINE)))
    field(page, "Title").fill(title)
    field(page, "Description").fill(f"{title}: what we will do and why.")
    field(page, "Amount requested (£)").fill(amount)
    field(page, "Deliverables").fill("Sessions delivered and people reached, quarterly.")
    field(page, "Timescale").fill("October 2022 to March 2023")
    field(page, "Delivery group").select_option(label="Loughborough Central Delivery Group")
    walk.submit(page.get_by_role("button", name="Save draft"), f"{step}-draft")
    assert page.locator("h1").inner_text() == title
    assert page.get_by_text(f"Saved “{title}”.").is_visible()
    if paper is not None:
        field(page, "Add a paper (PDF)").set_input_files(paper)
        walk.submit(page.get_by_role("button", name="Upload"), f"{step}-paper")
        assert page.get_by_text(f"Added “{paper.name}”.").is_visible()
    walk.submit(
        page.get_by_role("button", name="Submit to Loughborough Central Delivery Group"),
        f"{step}-submitted",
    )
    # what was recorded, and who the bid waits for now
    assert page.get_by_text(
        re.compile(
            rf"^“{re.escape(title)}” is submitted to Loughborough Central Delivery "
            r"Group\. Waiting for: "
        )
    ).is_visible()


def decide_from_home(
    walk: Walk,
    user,
    title: str,
    choice: str,
    step: str,
    *,
    not_listed: str = "",
    first_without_reasons: str = "",
    before: Callable[[Page], None] | None = None,
) -> str:
    """`user` signs in, follows the bid from "Bids waiting for your decision" on their
    home page (where `not_listed` is not), records `choice` and returns the bid's state
    as the page then says it.

    first_without_reasons: a choice that needs reasons, tried first without any (the
    form comes back with the error and nothing is recorded). before: run on the bid's
    page before deciding."""
    page = walk.page
    walk.sign_in(user)
    waiting = page.get_by_role("region", name="Bids waiting for your decision")
    if not_listed:
        assert waiting.get_by_role("link", name=not_listed).count() == 0
    walk.follow(waiting.get_by_role("link", name=title), f"{step}-bid")
    # The decision form opens only once the decider has declared whether they have an
    # interest in the bid (none of these deciders has one).
    assert page.get_by_role("button", name="Record the decision").count() == 0
    page.get_by_role("radio", name="I have no interest in this bid").check()
    walk.submit(page.get_by_role("button", name="Record the declaration"), f"{step}-declared")
    assert page.get_by_text("Recorded: no interest. You may now decide the bid.").is_visible()
    if before is not None:
        before(page)
    decided = Bid.objects.get(title=title).decisions.count()
    if first_without_reasons:
        offered = choices(page)
        page.get_by_role("radio", name=first_without_reasons, exact=True).check()
        walk.submit(page.get_by_role("button", name="Record the decision"), f"{step}-refused")
        assert page.get_by_text("The decision was not recorded: see below.").is_visible()
        assert page.get_by_text("Give the reasons for this decision.").is_visible()
        assert Bid.objects.get(title=title).decisions.count() == decided
        # The form comes back with the same choices (not every step of the process).
        assert choices(page) == offered
    page.get_by_role("radio", name=choice, exact=True).check()
    walk.submit(page.get_by_role("button", name="Record the decision"), f"{step}-decided")
    assert Bid.objects.get(title=title).decisions.count() == decided + 1
    return page.get_by_role("status").filter(has_text="State:").inner_text()


def choices(page: Page) -> list[str]:
    """The decisions the form offers, by their labels."""
    radios = page.get_by_role("radio").all()
    return [radio.evaluate("r => r.labels[0].textContent.trim()") for radio in radios]


def read_the_paper(page: Page) -> None:
    """Download the bid's paper from its page: the PDF the applicant uploaded."""
    with page.expect_download() as download:
        page.get_by_role("link", name="business-case.pdf").click()
    assert Path(download.value.path()).read_bytes() == business_case()


def business_case() -> bytes:
    """A real one-page PDF (the upload refuses anything else)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_two_bids_through_the_funding_process(
    page, journey, login_as, people, mailoutbox, tmp_path
):
    walk = Walk(page, journey, login_as)
    paper = tmp_path / "business-case.pdf"
    paper.write_bytes(business_case())

    # A board member reads the budget before: the earlier approval is committed.
    walk.sign_in(people.reader)
    walk.visit(f"/p/charnwood/funding/funds/{people.fund.pk}/", "fund-before")
    before = committed_figures(page)
    assert before["Total"] == Decimal("1234.56") and before[LINE] == Decimal("1234.56")

    # The partner writes and submits both bids through the forms.
    walk.sign_in(people.partner)
    walk.follow(page.get_by_role("link", name="Charnwood CSP").first, "partnership")
    walk.follow(menu(page, "Funding"), "funding-index")
    write_bid(walk, SMALL, "750.00", "small")
    walk.follow(menu(page, "Funding"), "funding-index-again")
    write_bid(walk, LARGE, "4000.00", "large", paper=paper)
    small = Bid.objects.get(title=SMALL)
    large = Bid.objects.get(title=LARGE)
    assert (small.amount_requested, large.amount_requested) == (Decimal("750"), Decimal("4000"))
    assert small.applicant_organisation.name == "Leicestershire Fire and Rescue Service"

    # The Delivery Group's chair supports both, each from their home page.
    state = decide_from_home(walk, people.group_chair, SMALL, "Support", "dg-small")
    assert "With the office-holders" in state
    state = decide_from_home(
        walk, people.group_chair, LARGE, "Support", "dg-large", first_without_reasons="Reject"
    )
    assert "With the approval panel" in state

    # Under the threshold: approved only once all three office-holders have approved;
    # until then the bid page names the offices still to decide.
    still_waiting = [
        (
            people.designated,
            "State: With the office-holders. Waiting for: "
            "Chair (Martin Hughes); Vice-Chair (Amara Obi).",
        ),
        (people.chair, "State: With the office-holders. Waiting for: Vice-Chair (Amara Obi)."),
        (people.vice_chair, "State: Approved. Waiting for: Nobody: the decision is final."),
    ]
    for number, (holder, expected) in enumerate(still_waiting, start=1):
        state = decide_from_home(
            walk, holder, SMALL, "Approve", f"office-{number}", not_listed=LARGE
        )
        assert state == expected
        small.refresh_from_db()
        if number < len(still_waiting):
            assert small.state == BidState.WITH_OFFICE_HOLDERS and small.amount_awarded is None
    assert small.state == BidState.APPROVED
    assert [d.office for d in small.decisions.filter(stage="office_holders")] == [
        Office.DESIGNATED_OFFICER,
        Office.CHAIR,
        Office.VICE_CHAIR,
    ]

    # At the threshold or over: the approval panel decides.
    state = decide_from_home(
        walk, people.panel_chair, LARGE, "Approve", "panel", not_listed=SMALL, before=read_the_paper
    )
    assert "State: Approved." in state, state
    assert page.get_by_role("cell", name="Performance Group (recorded by David Baker)").count()

    # Nothing is left in any decider's queue.
    for decider in (
        people.group_chair,
        people.designated,
        people.chair,
        people.vice_chair,
        people.panel_chair,
    ):
        walk.sign_in(decider)
        waiting = page.get_by_role("region", name="Bids waiting for your decision")
        assert waiting.get_by_text("No bids are waiting for you.").is_visible()

    # The budget: exactly £4,750.00 more committed, on the line and in total.
    walk.sign_in(people.reader)
    walk.follow(page.get_by_role("link", name="Charnwood CSP").first, "reader-partnership")
    walk.follow(menu(page, "Funding"), "reader-funding-index")
    assert index_committed(page, "Partnership Locality Fund") == "£5,984.56"
    walk.follow(page.get_by_role("link", name="Partnership Locality Fund"), "fund-after")
    after = committed_figures(page)
    assert after["Total"] - before["Total"] == Decimal("4750.00")
    assert after[LINE] - before[LINE] == Decimal("4750.00")
    assert after["Domestic Abuse Support"] == before["Domestic Abuse Support"] == 0
    small.refresh_from_db()
    large.refresh_from_db()
    assert (small.amount_awarded, large.amount_awarded) == (Decimal("750"), Decimal("4000"))

    # The applicant was told of both approvals, by e-mail.
    told = {m.subject for m in mailoutbox if m.to == [people.partner.email]}
    assert {
        f"Your funding bid has been approved: {SMALL}",
        f"Your funding bid has been approved: {LARGE}",
    } <= told
