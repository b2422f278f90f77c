"""A performance officer's quarter, in a real browser: open the entry grid, type the
quarter's figures with one mistake, see the message beside that cell with everything else
still typed in, correct it, save, publish, and find the new figures on the board's
dashboard and in its CSV download. Every page on the way passes axe-core."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from csp_portal.financial_year import FinancialYear, Quarter
from performance import services
from performance.forms import cell_name
from performance.models import PublishedQuarter, QuarterlyFigure, Target, TargetKind
from tests.performance.factories import enter_ytd, make_beats, make_categories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAST_YEAR = Quarter.parse("2021/22", 2)
FIRST_QUARTER = Quarter.parse("2022/23", 1)
NEW_QUARTER = Quarter.parse("2022/23", 2)
DASHBOARD = "/p/charnwood/performance/"
#: The new quarter's CSV, whatever quarter the dashboard shows by default.
NEW_QUARTER_CSV = f"{DASHBOARD}?year=2022&quarter=2&format=csv"

#: What the officer types: (category code, beat code or None for the total) -> text.
TYPED = {
    ("ALL", "61"): "420",
    ("ALL", "62"): "610",
    ("ALL", "64"): "380",
    ("ALL", "65"): "390",
    ("ALL", None): "1800",
    ("BUR", None): "96",
    ("ROB", None): "2O",  # the mistake: a letter O for a zero
    ("ASB", None): "540",
}
MISTAKE = ("ROB", None)
CORRECTED = "20"


@pytest.fixture
def charnwood(partnership, officer):
    """Four categories and beats; last year to Q2 and this year's Q1, both published;
    targets for this year so the dashboard's status column has something to say.

    The partnership counts only the four categories the officer types (a quarter is
    published only once every category has its partnership total)."""
    categories = make_categories(partnership)
    kept = {"ALL", "BUR", "ROB", "ASB"}
    for code in sorted(set(categories) - kept, key=lambda c: -categories[c].pk):
        categories.pop(code).delete()  # children first: parents are protected
    beats = make_beats(partnership)
    for code, kind, value in (
        ("ALL", TargetKind.REDUCE_PCT, 5),  # +1.5% after Q2: 6.5 points off, Red
        ("BUR", TargetKind.SIGNIFICANT_REDUCTION, None),  # 180 → 184: chance, Amber
        ("ASB", TargetKind.REDUCE_PCT, 0),  # no change: Green
    ):
        Target.objects.create(
            partnership=partnership,
            category=categories[code],
            financial_year=FinancialYear(2022),
            kind=kind,
            value=value,
        )
    for quarter, all_crime, burglary, robbery, asb in (
        (LAST_YEAR, 3400, 180, 34, 1100),
        (FIRST_QUARTER, 1650, 88, 15, 560),
    ):
        enter_ytd(partnership, categories["ALL"], quarter, all_crime, user=officer)
        enter_ytd(partnership, categories["BUR"], quarter, burglary, user=officer)
        enter_ytd(partnership, categories["ROB"], quarter, robbery, user=officer)
        enter_ytd(partnership, categories["ASB"], quarter, asb, user=officer)
        for number in range(1, quarter.number + 1):
            services.publish_quarter(
                partnership=partnership, quarter=quarter.financial_year.quarter(number)
            )
    return categories, beats


def field_id(categories, beats, code: str, beat: str | None) -> str:
    return "id_" + cell_name(categories[code].pk, beats[beat].pk if beat else None)


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def csv_rows(text: str) -> dict[str, dict[str, str]]:
    return {row["category"]: row for row in csv.DictReader(io.StringIO(text))}


def test_officer_enters_corrects_publishes_and_sees_the_quarter_on_the_dashboard(
    page, login_as, officer, charnwood, journey
):
    categories, beats = charnwood
    cell = {key: f"#{field_id(categories, beats, *key)}" for key in TYPED}
    login_as(page, officer)

    # Before: the new quarter's CSV has only Q1 in this year's year to date.
    before = page.request.get(NEW_QUARTER_CSV)
    assert before.status == 200
    assert before.headers["content-type"].startswith("text/csv")
    before_rows = csv_rows(before.text())
    assert before_rows["All Crime"]["current_ytd"] == "1650"
    assert before_rows["All Crime"]["previous_ytd"] == "3400"
    assert before_rows["Robbery"]["current_ytd"] == "15"

    journey.visit(DASHBOARD, "0-dashboard-before")
    assert page.locator("h1").inner_text() == f"Year to date: {FIRST_QUARTER}"

    # "Enter figures" opens the grid of the quarter after the latest one entered.
    with page.expect_navigation():
        page.get_by_role("link", name="Enter figures").click()
    assert page.url.endswith("/performance/enter/2022/q2/")
    assert page.locator("h1").inner_text().startswith(f"Enter figures: {NEW_QUARTER}")
    journey.check("1-empty-grid")

    for key, text in TYPED.items():
        page.locator(cell[key]).fill(text)
    with page.expect_navigation() as saving:
        page.get_by_role("button", name=f"Save {NEW_QUARTER}").click()
    assert saving.value.status == 400
    journey.check("2-grid-with-a-mistake")

    # Nothing was saved, and the page says so above the grid, linking to the bad cell.
    assert not QuarterlyFigure.objects.filter(financial_year=2022, quarter=2).exists()
    summary = page.get_by_role("alert")
    assert "Nothing was saved." in summary.inner_text()
    link = summary.get_by_role("link")
    assert link.all_inner_texts() == ["Robbery, partnership total: Enter a whole number."]
    assert link.get_attribute("href") == cell[MISTAKE]
    # The message sits beside the bad cell (same table cell) and is its description.
    bad = page.locator(cell[MISTAKE])
    assert bad.get_attribute("aria-invalid") == "true"
    message = page.locator(f"#{bad.get_attribute('aria-describedby')}")
    assert message.inner_text() == "Enter a whole number."
    assert message.is_visible()
    assert page.locator("td", has=bad).locator(".cell-error").inner_text() == message.inner_text()
    # On screen too: just under the cell, lined up with it.
    box, below = bad.bounding_box(), message.bounding_box()
    gap = below["y"] - (box["y"] + box["height"])
    assert abs(below["x"] - box["x"]) < 5 and 0 <= gap < 20, (box, below)
    # Every cell keeps what was typed, the mistake included; no other cell is marked.
    assert {key: page.locator(cell[key]).input_value() for key in TYPED} == TYPED
    assert page.locator("[aria-invalid=true]").count() == 1

    # The keyboard starts at the list of mistakes; its link leads into the bad cell.
    assert focused_id(page) == "grid-errors"
    page.keyboard.press("Tab")
    assert focused_id(page) == "" and page.evaluate("document.activeElement.tagName") == "A"
    page.keyboard.press("Enter")
    assert f"#{focused_id(page)}" == cell[MISTAKE]
    # Correct only that cell, by keyboard; Enter moves down the column, as in a
    # spreadsheet (it does not submit), and Ctrl+Enter saves the grid.
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(CORRECTED)
    page.keyboard.press("Enter")
    assert QuarterlyFigure.objects.filter(financial_year=2022, quarter=2).count() == 0
    below = field_id(categories, beats, "ASB", None)  # the row under Robbery, same column
    assert focused_id(page) == below
    page.keyboard.press("Shift+Enter")
    assert f"#{focused_id(page)}" == cell[MISTAKE]
    with page.expect_navigation():
        page.keyboard.press("ControlOrMeta+Enter")
    # Back at the top of the grid (no "#cell" left over), where the message is.
    assert page.url.endswith("/performance/enter/2022/q2/"), page.url
    assert f"Saved {NEW_QUARTER}: {len(TYPED)} new, 0 changed, 0 removed figures." in (
        page.locator(".messages").inner_text()
    )
    assert page.locator("[aria-invalid=true]").count() == 0
    journey.check("3-grid-saved")
    stored = {
        (f.category.code, f.beat.code if f.beat else None): str(f.count)
        for f in QuarterlyFigure.objects.filter(financial_year=2022, quarter=2).select_related(
            "category", "beat"
        )
    }
    assert stored == {**TYPED, MISTAKE: CORRECTED}
    assert page.locator(cell[MISTAKE]).input_value() == CORRECTED

    # Publish the quarter.
    with page.expect_navigation():
        page.get_by_role("button", name=f"Publish {NEW_QUARTER} to the dashboards").click()
    assert f"{NEW_QUARTER} is published" in page.locator(".messages").inner_text()
    assert page.get_by_role("button", name=f"Publish {NEW_QUARTER}").count() == 0
    journey.check("4-published")
    assert PublishedQuarter.objects.get(financial_year=2022, quarter=2).published_by == officer

    # The dashboard now opens on the new quarter, published, with the new figures.
    with page.expect_navigation():
        page.get_by_role("link", name="Year to date").click()
    assert page.locator("h1").inner_text() == f"Year to date: {NEW_QUARTER}"
    assert f"{NEW_QUARTER}: published figures." in page.locator("main").inner_text()
    journey.check("5-dashboard-after")
    row = page.locator("#ytd-caption").locator("xpath=..").get_by_role("row", name="All Crime")
    cells = [text.strip() for text in row.locator("td").all_inner_texts()]
    # target, % change, previous YTD, current YTD (1650 + 1800), difference, significance,
    # status
    assert cells == [
        "Reduce by 5%", "+1.5%", "3,400", "3,450", "+50", "no significant change", "Red"
    ], cells  # fmt: skip

    # The dashboard's own download link gives the CSV, now with the new quarter in it.
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download this table as CSV").click()
    download = downloading.value
    assert download.suggested_filename == "ytd-2022-q2.csv"
    after_rows = csv_rows(Path(download.path()).read_text(encoding="utf-8"))
    assert after_rows["All Crime"]["current_ytd"] == "3450"
    assert after_rows["All Crime"]["previous_ytd"] == before_rows["All Crime"]["previous_ytd"]
    assert after_rows["All Crime"]["change_pct"] == "1.5"
    assert after_rows["Robbery"]["current_ytd"] == str(15 + int(CORRECTED))
    assert after_rows["Burglary"]["current_ytd"] == str(88 + 96)
    changed = {
        name
        for name, row in after_rows.items()
        if row["current_ytd"] != before_rows[name]["current_ytd"]
    }
    assert changed == {"All Crime", "Burglary", "Robbery", "Anti-social Behaviour"}
