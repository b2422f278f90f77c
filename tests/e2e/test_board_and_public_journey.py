"""A board member's way through the portal before a Board meeting, by keyboard alone, and
the public's view of the same meeting.

(a) The board member signs in with the real form, then reaches the plan in force, one
priority, the performance dashboard and the meeting page with Tab and Enter only, and
downloads the agenda pack, which holds every item of the agenda (exempt ones included:
a board member reads everything).
(b) A member of the public opens the published meeting page and the public pack: the
exempt item is in neither, the ordinary items are in both.
Every page on the way passes axe-core (journey.check).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from csp_portal.financial_year import FinancialYear, Quarter
from meetings import agenda, generated_papers, publishing, scheduling
from plans import progress as quarterly
from plans import services as plans
from tests.e2e import keyboard
from tests.e2e.keyboard import focused
from tests.factories import PASSWORD, OrganisationFactory
from tests.meetings.factories import board
from tests.performance.factories import enter_ytd, make_categories
from tests.plans.factories import (
    ActionFactory,
    MeasureFactory,
    PlanFactory,
    PriorityFactory,
    ThemeFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Q1 = Quarter(FinancialYear(2017), 1)
MEETING_DATE = dt.date(2017, 7, 27)
PRIORITY_TITLE = "Reduce All Crime"
EXEMPT_TITLE = "Award of the CCTV maintenance contract"
ITEM_TITLES = [
    "Partnership Plan: progress on Priority 1",
    "Domestic abuse referrals pathway",
    EXEMPT_TITLE,
]


@pytest.fixture
def meeting(partnership, officer, media_root):
    """The adopted plan with a reported priority, figures for 2017/18 Q1 and the July
    Board's published agenda: the lead's report, an ordinary item and an exempt one."""
    plan = PlanFactory(partnership=partnership, title="Partnership Plan 2017-2020")
    theme = ThemeFactory(plan=plan, number=1, title="Making Communities Safer")
    priority = PriorityFactory(
        plan=plan, theme=theme, number=1, title=PRIORITY_TITLE, lead_person=officer
    )
    categories = make_categories(partnership)
    MeasureFactory(
        priority=priority, name="All Crime", crime_category=categories["ALL"], target_change_pct=-3
    )
    agency = OrganisationFactory(name="Leicestershire Police")
    agency.partnerships.add(partnership)
    action = ActionFactory(
        priority=priority, number=1, key_action="Crime Control Strategy", lead_agency=agency
    )
    plans.adopt(plan=plan, on=dt.date(2017, 3, 30))
    for code, last_year, this_year in [("ALL", 1900, 1805), ("BUR", 210, 236), ("SHOP", 300, 280)]:
        enter_ytd(partnership, categories[code], Q1.same_quarter_last_year, last_year)
        enter_ytd(partnership, categories[code], Q1, this_year)
    quarterly.record_progress(
        action=action, quarter=Q1, status="on_track", commentary="Strategy drafted", user=officer
    )
    report = quarterly.submit_report(
        priority=priority,
        quarter=Q1,
        successes="All crime down 5%",
        threats="Burglary rising in Loughborough East",
        user=officer,
    )

    meeting = scheduling.schedule_meeting(body=board(partnership), date=MEETING_DATE)
    progress = agenda.add_item(meeting=meeting, title=ITEM_TITLES[0])
    generated_papers.attach_generated_paper(
        item=progress, key="priority_report", params={"report": report.pk}
    )
    # No service or form sets an item's priorities yet (only the admin): set the link so
    # the priority page leads to the meeting that discusses it.
    progress.priorities.add(priority)
    agenda.add_item(meeting=meeting, title=ITEM_TITLES[1])
    agenda.add_item(
        meeting=meeting,
        title=EXEMPT_TITLE,
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason="Commercially sensitive (paragraph 3)",
    )
    publishing.publish_agenda(meeting=meeting)
    return meeting


@pytest.fixture
def media_root(settings, tmp_path):
    # The published packs are files: keep this test's out of the shared test MEDIA_ROOT.
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def tab_to(page, matches, limit: int = 60) -> dict:
    # Every control the board member reaches must show where the focus is.
    return keyboard.tab_to(page, matches, limit, must_show_focus=True)


def follow(page, matches, limit: int = 60) -> dict:
    """Tab to a link and open it with Enter."""
    link = tab_to(page, matches, limit)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return link


def href_is(path: str):
    return lambda element: element["tag"] == "a" and element["href"] == path


def pdf_text(content: bytes) -> str:
    """The PDF's text, whitespace collapsed and case-folded: the pack prints the agenda's
    item titles in capitals."""
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text).casefold()


def download_pdf(page, trigger) -> bytes:
    """Follow a link to a PDF (trigger() activates it) and return the file saved.

    The packs are served inline, which Chromium shows in its own PDF viewer: a browser
    page, not ours, that axe-core cannot pass. So the server's answer is passed on
    unchanged except for Content-Disposition: attachment, and the browser saves it."""
    served = {}

    def as_attachment(route) -> None:
        response = route.fetch()
        served.update(response.headers)
        headers = {**response.headers, "content-disposition": "attachment; filename=pack.pdf"}
        route.fulfill(response=response, headers=headers)

    page.route("**/*.pdf", as_attachment)
    try:
        with page.expect_download() as download:
            trigger()
        content = Path(download.value.path()).read_bytes()
    finally:
        page.unroute("**/*.pdf", as_attachment)
    assert served["content-type"] == "application/pdf"
    assert content.startswith(b"%PDF-")
    return content


def charts_without_alternative(page) -> list[str]:
    """Charts (role=img) lacking a text alternative or a data table after them, once
    charts.js has drawn each one (there must be at least one)."""
    assert page.locator("[data-chart]").count() >= 1, "no chart on the page"
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart]')].every(c => c.querySelector('svg'))"
    )
    return page.evaluate(
        """() => [...document.querySelectorAll('.chart, [data-chart]')].flatMap(chart => {
          const problems = [];
          const label = (chart.getAttribute('aria-label') || '').trim();
          if (chart.getAttribute('role') !== 'img' || !label) problems.push('no text alternative');
          // The first table after the chart's figure, anywhere later in the page.
          const after = [...document.querySelectorAll('table')].find(table =>
            (chart.closest('figure') || chart).compareDocumentPosition(table)
              & Node.DOCUMENT_POSITION_FOLLOWING);
          if (!after || !after.querySelector('tbody th, tbody td')) {
            problems.push('no data table after it');
          }
          return problems.map(p => `${chart.id || chart.className}: ${p}`);
        })"""
    )


def test_board_member_prepares_for_the_meeting_by_keyboard(
    page, journey, board_member, partnership, meeting
):
    slug = partnership.slug
    page.goto("/accounts/login/")
    journey.check("0-sign-in")
    assert focused(page)["id"] == "id_username"
    page.keyboard.type(board_member.username)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_password"
    page.keyboard.type(PASSWORD)
    tab_to(page, lambda e: e["tag"] == "button" and e["text"] == "Sign in")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text().startswith("Welcome")
    journey.check("1-home")

    # Home -> the partnership, whose menu leads to the plan in force.
    follow(page, href_is(f"/p/{slug}/"))
    journey.check("2-partnership")
    follow(page, href_is(f"/p/{slug}/plans/"))
    assert page.locator("h1").inner_text() == "Partnership Plan 2017-2020"
    journey.check("3-plan")

    follow(
        page, lambda e: e["tag"] == "a" and e["text"].startswith(f"Priority 1: {PRIORITY_TITLE}")
    )
    assert PRIORITY_TITLE in page.locator("h1").inner_text()
    main = page.locator("main").inner_text()
    assert "Strategy drafted" in main  # the action's progress in Q1 2017/18
    assert page.get_by_role("link", name=re.compile(re.escape(ITEM_TITLES[0]))).is_visible()
    journey.check("4-priority")

    # The dashboard and its trend tab: every chart is drawn and carries a text
    # alternative and, after it, a table of its figures.
    follow(page, href_is(f"/p/{slug}/performance/"))
    assert page.locator("h1").inner_text() == "Year to date: Q1 2017/18"
    assert charts_without_alternative(page) == []
    table = page.get_by_role("table", name="Year-to-date crime performance, Q1 2017/18")
    assert "1805" in table.inner_text().replace(",", "")
    journey.check("5-dashboard")
    follow(page, href_is(f"/p/{slug}/performance/trend/"))
    assert charts_without_alternative(page) == []
    journey.check("6-trend")

    follow(page, href_is(f"/p/{slug}/meetings/"))
    journey.check("7-meetings")
    follow(page, href_is(f"/p/{slug}/meetings/{meeting.pk}/"))
    for title in ITEM_TITLES:
        assert page.get_by_role("heading", name=re.compile(re.escape(title))).is_visible()
    journey.check("8-meeting")

    tab_to(page, href_is(f"/p/{slug}/meetings/{meeting.pk}/pack.pdf"))
    content = download_pdf(page, lambda: page.keyboard.press("Enter"))
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    for title in ITEM_TITLES:
        assert title.casefold() in text, f"{title!r} is not in the members' pack"
    assert "all crime down 5%" in text  # the lead's report, generated into the pack


def test_public_sees_the_meeting_without_its_exempt_item(page, journey, partnership, meeting):
    path = f"/public/{partnership.slug}/board/{MEETING_DATE:%Y-%m-%d}/"
    journey.visit(path, "0-public-meeting")
    body = page.locator("main").inner_text()
    assert ITEM_TITLES[1] in body and ITEM_TITLES[0] in body
    assert EXEMPT_TITLE in body  # its number and heading, with the notice instead
    assert "Not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A" in body
    assert "Commercially sensitive" not in page.content()

    pack = page.get_by_role("link", name="Agenda pack (PDF)")
    content = download_pdf(page, pack.click)
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    assert ITEM_TITLES[0].casefold() in text and ITEM_TITLES[1].casefold() in text
    assert "paragraph 3 of part 1 of schedule 12a" in " ".join(text.split())
    assert "commercially sensitive" not in text
