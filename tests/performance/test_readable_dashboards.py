"""Dashboards that read well (issue 16, part 3): one number format with true minus
signs, ASB apart from crime, a YTD chart of % change with a drill-down from each row,
plain axes, the family position on 1–15 with the best at the top, beats shaded by
change, distinct column headings and a favicon."""

import re
from html.parser import HTMLParser

import pytest

from csp_portal.financial_year import Quarter
from csp_portal.models import PartnershipPopulation
from performance.family import family_group_for
from performance.models import FamilyGroupMember, PeerFigure
from tests.performance.factories import enter_ytd, fill_totals

pytestmark = pytest.mark.django_db

MINUS = "\u2212"
BASE = "/p/charnwood/performance/"
PERIOD = "?year=2022&quarter=2"
LAST_YEAR, THIS_YEAR = Quarter.parse("2021/22", 2), Quarter.parse("2022/23", 2)


@pytest.fixture
def figures(partnership, categories, beats):
    """All Crime 7,124 → 7,475 (+4.9%), Burglary 200 → 150 (−25.0%), ASB 1,100 → 1,000,
    and beat 61's burglary 40 → 30; every other total 5, so both YTDs are complete."""
    for code, previous, current in (("ALL", 7124, 7475), ("BUR", 200, 150), ("ASB", 1100, 1000)):
        enter_ytd(partnership, categories[code], LAST_YEAR, previous)
        enter_ytd(partnership, categories[code], THIS_YEAR, current)
    enter_ytd(partnership, categories["BUR"], LAST_YEAR, 40, beat=beats["61"])
    enter_ytd(partnership, categories["BUR"], THIS_YEAR, 30, beat=beats["61"])
    enter_ytd(partnership, categories["ROB"], LAST_YEAR, 10, beat=beats["61"])
    enter_ytd(partnership, categories["ROB"], THIS_YEAR, 12, beat=beats["61"])
    fill_totals(partnership, [*LAST_YEAR.year_to_date, *THIS_YEAR.year_to_date])
    return categories


class Tables(HTMLParser):
    """Each table's column headings (thead th texts), in order."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[list[str]] = []
        self.in_thead = self.in_th = False

    def handle_starttag(self, tag, attrs):
        if tag == "thead":
            self.in_thead = True
            self.headings.append([])
        elif tag == "th" and self.in_thead:
            self.in_th = True
            self.headings[-1].append("")

    def handle_endtag(self, tag):
        if tag == "thead":
            self.in_thead = False
        elif tag == "th":
            self.in_th = False

    def handle_data(self, data):
        if self.in_th:
            self.headings[-1][-1] += data


def headings(html: str) -> list[list[str]]:
    parser = Tables()
    parser.feed(html)
    return [[" ".join(h.split()) for h in table] for table in parser.headings]


def test_ytd_table_prints_separators_and_true_minus_signs(client_for, board_member, figures):
    html = client_for(board_member).get(BASE + PERIOD).content.decode()
    all_crime = html[html.index(">All Crime") : html.index("</tr>", html.index(">All Crime"))]
    assert "7,124" in all_crime and "7,475" in all_crime and "+351" in all_crime
    assert "+4.9%" in all_crime
    burglary = html[html.index(">Burglary") : html.index("</tr>", html.index(">Burglary"))]
    assert f"{MINUS}50<" in burglary and f"{MINUS}25.0%" in burglary
    assert not re.search(r">-\d", html)  # no hyphen standing for minus in any cell


def test_asb_is_apart_from_crime_in_the_chart_and_the_table(client_for, board_member, figures):
    response = client_for(board_member).get(BASE + PERIOD)
    charts = response.context["chart"]
    crime = charts["change"]["data"][0]
    assert "Anti-social Behaviour" not in crime["y"] and "All Crime" in crime["y"]
    assert crime["orientation"] == "h"  # one bar per category, the small ones legible
    asb = charts["asb"]
    assert [trace["x"] for trace in asb["data"]] == [["Anti-social Behaviour"]] * 2
    assert asb["layout"]["yaxis"]["title"]["text"] == "Incidents (not crimes)"
    html = response.content.decode()
    assert 'id="asb-chart-data"' in html
    asb_group = html[html.index('<tbody class="asb-rows">') :]
    assert "Anti-social Behaviour" in asb_group and ">All Crime" not in asb_group


def test_the_change_chart_labels_its_bars_as_the_table_does(client_for, board_member, figures):
    chart = client_for(board_member).get(BASE + PERIOD).context["chart"]["change"]
    bars = dict(zip(chart["data"][0]["y"], chart["data"][0]["text"], strict=True))
    assert bars["All Crime"] == "+4.9%" and bars["Burglary"] == f"{MINUS}25.0%"
    axis = chart["layout"]["yaxis"]
    labels = dict(zip(axis["tickvals"], axis["ticktext"], strict=True))
    assert labels["Burglary"] == f"Burglary  {MINUS}25.0%"  # in the label, full size
    assert chart["layout"]["xaxis"]["ticksuffix"] == "%"


def test_each_ytd_row_links_to_its_trend_and_beats(client_for, board_member, figures):
    html = client_for(board_member).get(BASE + PERIOD).content.decode()
    burglary = figures["BUR"].pk
    assert f'href="{BASE}trend/?category={burglary}&amp;year=2022&amp;quarter=2"' in html
    assert f'href="{BASE}beats/?year=2022&amp;quarter=2#beats-{burglary}"' in html
    beats_page = client_for(board_member).get(f"{BASE}beats/{PERIOD}").content.decode()
    assert f'<tr id="beats-{burglary}">' in beats_page
    trend = client_for(board_member).get(f"{BASE}trend/?category={burglary}&year=2022&quarter=2")
    assert trend.context["category"] == figures["BUR"]


def test_trend_axes_print_plain_whole_numbers_and_are_not_clipped(
    client_for, board_member, figures
):
    chart = client_for(board_member).get(f"{BASE}trend/{PERIOD}").context["chart"]
    left, right = chart["layout"]["yaxis"], chart["layout"]["yaxis2"]
    assert left["tickformat"] == right["tickformat"] == ",d"  # 9,991, never 9.991k
    assert left["automargin"] and right["automargin"]
    assert right["side"] == "right" and right["overlaying"] == "y"


@pytest.fixture
def family(partnership, categories):
    group = family_group_for(partnership)
    FamilyGroupMember.objects.create(family_group=group, csp_name="Charnwood", is_self=True)
    others = [
        FamilyGroupMember.objects.create(family_group=group, csp_name=f"Peer {n:02d}")
        for n in range(14)
    ]
    PartnershipPopulation.objects.create(
        partnership=partnership, financial_year=2022, population=166_100
    )
    enter_ytd(partnership, categories["ALL"], Quarter.parse("2022/23", 1), 1700)
    for n, member in enumerate(others):
        PeerFigure.objects.create(
            member=member, category=categories["ALL"], financial_year=2022, quarter=1,
            count=1500 + 20 * n, population=150_000,
        )  # fmt: skip
    return group


def test_family_position_axis_runs_1_to_15_with_the_best_at_the_top(
    client_for, board_member, family
):
    response = client_for(board_member).get(f"{BASE}family/?year=2022&quarter=1")
    axis = response.context["chart"]["layout"]["yaxis"]
    assert axis["range"] == [15.5, 0.5]  # reversed: 1 at the top
    assert axis["tickvals"] == list(range(1, 16))
    assert axis["autorange"] is False
    html = response.content.decode()
    assert "166,100" in html  # our population, with its separator


def test_beats_are_shaded_by_change_with_an_arrow_and_the_change_in_words(
    client_for, board_member, figures
):
    html = client_for(board_member).get(f"{BASE}beats/{PERIOD}").content.decode()
    burglary = html[html.index(f'<tr id="beats-{figures["BUR"].pk}">') :]
    burglary = burglary[: burglary.index("</tr>")]
    assert 'class="num shade better-2"' in burglary  # 40 → 30: fewer, by 25%
    assert "▼" in burglary and f"{MINUS}25.0%" in burglary
    robbery = html[html.index(f'<tr id="beats-{figures["ROB"].pk}">') :]
    robbery = robbery[: robbery.index("</tr>")]
    assert 'class="num shade worse-2"' in robbery and "▲" in robbery and "+20.0%" in robbery
    assert "Shading: green where the beat has fewer crimes" in html
    # Beat names in the headings, not only in tooltips.
    assert 'Beat 61<span class="beat-name">Charnwood East</span>' in html


@pytest.mark.parametrize("page", ["", "trend/", "beats/", "rates/", "family/"])
def test_no_table_has_two_columns_with_the_same_heading(
    client_for, board_member, figures, page, request
):
    period = PERIOD
    if page == "family/":
        request.getfixturevalue("family")
        period = "?year=2022&quarter=1"
    html = client_for(board_member).get(BASE + page + period).content.decode()
    tables = headings(html)
    assert tables, "the page has a table"
    for columns in tables:
        assert len(columns) == len(set(columns)), columns


def test_rates_table_names_what_each_rate_is(client_for, board_member, figures, partnership):
    html = client_for(board_member).get(f"{BASE}rates/{PERIOD}").content.decode()
    rates = next(t for t in headings(html) if "Previous rate per 1,000" in t)
    assert rates == [
        "Category", "Previous YTD crimes", "Previous rate per 1,000", "Current YTD crimes",
        "Current rate per 1,000",
    ]  # fmt: skip


def test_favicon_answers_and_every_page_links_it(client, client_for, board_member):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/static/favicon.svg")
    html = client_for(board_member).get("/").content.decode()
    assert re.search(
        r'<link rel="icon" href="/static/favicon[^"]*\.svg" type="image/svg\+xml">', html
    )


def test_the_pack_summary_uses_the_same_format(partnership, figures):
    from performance.summary import performance_summary_html

    html = performance_summary_html(partnership, THIS_YEAR)
    assert "7,475" in html and f"{MINUS}25.0%" in html and f"{MINUS}50<" in html
