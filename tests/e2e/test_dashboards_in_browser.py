"""The dashboards and the entry grid in Chromium (issue 16, parts 3 and 4): at 1366 px and
at a phone's 390 px the YTD table's Status column and every chart are on screen, each
page passes axe-core; a 3 × 4 block copied from a spreadsheet pastes into the grid, Enter
moves down a column and never submits, and nothing in the grid is clipped at 1366 px.
Screenshots go to artefacts/screenshots/<test>/."""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from csp_portal.financial_year import Quarter
from performance.forms import cell_name
from performance.models import Beat, QuarterlyFigure
from tests.performance.factories import enter_ytd, fill_totals, make_beats, make_categories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MINUS = "\u2212"
BASE = "/p/charnwood/performance/"
PERIOD = "?year=2022&quarter=2"
LAST_YEAR, THIS_YEAR = Quarter.parse("2021/22", 2), Quarter.parse("2022/23", 2)
GRID = f"{BASE}enter/2022/q3/"
#: Four more beats, as many as the demo's eight, with names as long as the demo's.
MORE_BEATS = [
    ("60", "Birstall, Anstey and Thurcaston"),
    ("63", "Shelthorpe and Nanpantan"),
    ("66", "Sileby, Barrow, Quorn and Mountsorrel"),
    ("67", "Shepshed and Hathern"),
]


@pytest.fixture
def charnwood(partnership, officer):
    categories = make_categories(partnership)
    beats = make_beats(partnership)
    for code, name in MORE_BEATS:
        beats[code] = Beat.objects.create(partnership=partnership, code=code, name=name)
    for code, previous, current in (
        ("ALL", 7124, 7475), ("BUR", 200, 150), ("ROB", 45, 40), ("CYC", 230, 184),
        ("ASB", 1100, 1000),
    ):  # fmt: skip
        enter_ytd(partnership, categories[code], LAST_YEAR, previous)
        enter_ytd(partnership, categories[code], THIS_YEAR, current)
    for beat, (previous, current) in zip(
        list(beats.values())[:3], [(40, 30), (25, 31), (10, 12)], strict=True
    ):
        enter_ytd(partnership, categories["BUR"], LAST_YEAR, previous, beat=beat)
        enter_ytd(partnership, categories["BUR"], THIS_YEAR, current, beat=beat)
        # Robbery is a leaf category: its rises make the beats page's top increases.
        enter_ytd(partnership, categories["ROB"], LAST_YEAR, previous // 2, beat=beat)
        enter_ytd(partnership, categories["ROB"], THIS_YEAR, current // 2 + 3, beat=beat)
    fill_totals(partnership, [*LAST_YEAR.year_to_date, *THIS_YEAR.year_to_date])
    return categories, beats


def _box(page, selector: str) -> dict:
    return page.evaluate(
        """(selector) => {
          const el = document.querySelector(selector);
          el.scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'});
          const r = el.getBoundingClientRect();
          return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                  width: r.width, viewport: window.innerWidth, height: window.innerHeight};
        }""",
        selector,
    )


def _inside(box: dict) -> bool:
    return (
        box["left"] >= -0.5
        and box["right"] <= box["viewport"] + 0.5
        and box["top"] >= -0.5
        and box["bottom"] <= box["height"] + 0.5
        and box["width"] > 0
    )


def _charts_drawn(page) -> int:
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart')].every(c => c.querySelector('.main-svg'))"
    )
    return page.locator(".chart").count()


def _charts_fit(page) -> None:
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.chart')].map(c => {
          const r = c.getBoundingClientRect();
          const svg = c.querySelector('.main-svg').getBoundingClientRect();
          return {id: c.id, left: r.left, right: r.right, svgRight: svg.right,
                  viewport: window.innerWidth};
        })"""
    )
    for box in boxes:
        assert box["left"] >= 0 and box["right"] <= box["viewport"] + 0.5, box
        assert box["svgRight"] <= box["viewport"] + 0.5, box  # the plot is not cut
    titles_clear_of_legends(page)


def titles_clear_of_legends(page) -> None:
    """Every chart's title (wrapped onto lines on a phone) ends above its legend."""
    measure = """() => [...document.querySelectorAll('.js-plotly-plot')].map(c => {
          const title = c.querySelector('.gtitle'), legend = c.querySelector('.legend');
          return {id: c.id,
                  titleBottom: title ? title.getBoundingClientRect().bottom : null,
                  legendTop: legend ? legend.getBoundingClientRect().top : null};
        })"""
    # The page moves a legend clear once its chart is drawn: wait for that (5 s at most).
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            f"() => ({measure})().every(p => p.titleBottom === null || p.legendTop === null"
            " || p.titleBottom <= p.legendTop + 0.5)",
            timeout=5000,
        )
    pairs = page.evaluate(measure)
    assert pairs
    for pair in pairs:
        if pair["titleBottom"] is not None and pair["legendTop"] is not None:
            assert pair["titleBottom"] <= pair["legendTop"] + 0.5, pair


@pytest.mark.parametrize("width", [1366, 390])
def test_ytd_status_column_and_charts_are_on_screen(
    page, login_as, board_member, charnwood, journey, width
):
    page.set_viewport_size({"width": width, "height": 900})
    login_as(page, board_member)
    journey.visit(BASE + PERIOD, f"ytd-{width}")
    assert _charts_drawn(page) == 2  # crime's % change, and ASB on its own
    _charts_fit(page)
    status = _box(page, "#ytd-caption ~ tbody tr:first-child td:last-child")
    assert _inside(status), status
    assert page.locator("#ytd-caption ~ tbody tr:first-child td:last-child").inner_text() in {
        "Green", "Amber", "Red", "Grey", "incomplete",
    }  # fmt: skip
    # The page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # Plotly prints the negative ticks of the % change axis with a true minus sign.
    ticks = page.locator("#ytd-chart .xtick text").all_text_contents()
    negative = [t for t in ticks if t.startswith(MINUS)]
    assert negative and not [t for t in ticks if t.startswith("-")], ticks
    journey.check(f"ytd-{width}-status-in-view")


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("tab", ["trend/", "beats/", "rates/"])
def test_other_dashboards_fit_the_screen(
    page, login_as, board_member, charnwood, journey, width, tab
):
    page.set_viewport_size({"width": width, "height": 900})
    login_as(page, board_member)
    journey.visit(BASE + tab + PERIOD, f"{tab.strip('/')}-{width}")
    assert _charts_drawn(page) >= 1
    _charts_fit(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    if tab == "trend/":
        # Plain tick labels: 1,234 and never 1.234k.
        ticks = page.locator("#trend-chart .ytick text, #trend-chart .y2tick text")
        assert ticks.count() > 0
        assert not [t for t in ticks.all_text_contents() if t.endswith("k")]


def _cell(categories, beats, code: str, beat: str | None) -> str:
    return "#id_" + cell_name(categories[code].pk, beats[beat].pk if beat else None)


def _grid_columns(page) -> list[str | None]:
    """The grid's columns as the page lists them: beat codes, then None for the total."""
    heads = page.locator(".entry-grid thead th").all_inner_texts()[1:]
    return [h.split()[1] if h.startswith("Beat ") else None for h in heads]


def test_a_spreadsheet_block_pastes_into_the_grid_and_enter_moves_down(
    page, login_as, officer, charnwood, journey
):
    categories, beats = charnwood
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.set_viewport_size({"width": 1366, "height": 900})
    login_as(page, officer)
    journey.visit(GRID, "grid-empty")
    columns = _grid_columns(page)
    # The grid's rows are the categories in the tree's order: read them from the page.
    rows = page.locator(".entry-grid tbody th[scope=row]").all_inner_texts()
    start_row, start_col = rows.index("Burglary"), 1
    block = [["12", "1,234", "0", "7"], ["3", "4", "5", "6"], ["8", "9", "10", "11"]]
    text = "\n".join("\t".join(r) for r in block) + "\n"  # as Excel copies it
    by_name = {c.name: c.code for c in categories.values()}
    first = _cell(categories, beats, by_name[rows[start_row]], columns[start_col])
    page.evaluate("(text) => navigator.clipboard.writeText(text)", text)
    page.locator(first).focus()
    page.keyboard.press("ControlOrMeta+V")
    status = page.locator("#paste-status")
    assert "12 cells filled" in status.inner_text()
    filled = {}
    for i, values in enumerate(block):
        for j, value in enumerate(values):
            selector = _cell(
                categories, beats, by_name[rows[start_row + i]], columns[start_col + j]
            )
            filled[selector] = page.locator(selector).input_value()
            assert filled[selector] == value.replace(",", ""), (selector, value)
    # Only those twelve: the cells around the block are still empty.
    assert (
        page.locator(".entry-grid input").evaluate_all(
            "inputs => inputs.filter(i => i.value !== '').length"
        )
        == 12
    )
    journey.check("grid-pasted")

    # A value that is not a count is refused and named; its cell keeps what it had.
    page.evaluate("(text) => navigator.clipboard.writeText(text)", "abc\t99")
    page.locator(first).focus()
    page.keyboard.press("ControlOrMeta+V")
    assert "1 cell filled, 1 refused" in status.inner_text()
    assert "“abc” is not a whole number" in status.inner_text()
    assert page.locator(first).input_value() == "12"

    # Enter moves down the column and does not submit.
    page.locator(first).focus()
    page.keyboard.press("Enter")
    below = _cell(categories, beats, by_name[rows[start_row + 1]], columns[start_col])
    assert page.evaluate("document.activeElement.id") == below.lstrip("#")
    assert page.url.endswith(GRID) and not QuarterlyFigure.objects.filter(quarter=3).exists()

    # Ctrl+Enter saves what was pasted.
    with page.expect_navigation():
        page.keyboard.press("ControlOrMeta+Enter")
    assert "Saved Q3 2022/23: 12 new" in page.locator(".messages").inner_text()
    assert QuarterlyFigure.objects.filter(financial_year=2022, quarter=3).count() == 12
    journey.check("grid-saved")


def test_nothing_in_the_grid_is_clipped_at_1366_px(page, login_as, officer, charnwood, journey):
    page.set_viewport_size({"width": 1366, "height": 900})
    login_as(page, officer)
    journey.visit(GRID, "grid-1366")
    region = page.evaluate(
        """() => {
          const region = document.querySelector('.entry-grid');
          const heads = [...region.querySelectorAll('thead th')];
          const last = heads[heads.length - 1].getBoundingClientRect();
          const box = region.getBoundingClientRect();
          return {scroll: region.scrollWidth, client: region.clientWidth,
                  lastRight: last.right, regionRight: box.right,
                  lastText: heads[heads.length - 1].innerText,
                  names: heads.map(h => h.innerText)};
        }"""
    )
    assert region["scroll"] <= region["client"], region
    assert region["lastRight"] <= region["regionRight"] + 0.5, region
    assert region["lastText"] == "Partnership total"
    # Beat names are in the headings, not only in tooltips.
    assert any("Loughborough Town Centre" in name for name in region["names"]), region["names"]
