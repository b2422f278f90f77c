"""The dashboards: pages, charts with data tables, CSV downloads, and a query count that
does not grow with the years of data stored."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import PartnershipPopulation
from performance.models import QuarterlyFigure
from tests.performance.factories import make_beats, make_categories

pytestmark = pytest.mark.django_db

PAGES = ["", "trend/", "beats/", "family/", "rates/"]


def _fill(partnership, categories, beats, years):
    """Every category × (beat and total) for each quarter of `years` years to 2022/23."""
    rows = []
    for start in range(2022 - years + 1, 2023):
        for number in (1, 2, 3, 4):
            for category in categories.values():
                for beat in [*beats.values(), None]:
                    rows.append(
                        QuarterlyFigure(
                            partnership=partnership,
                            financial_year=FinancialYear(start),
                            quarter=number,
                            category=category,
                            beat=beat,
                            count=(start * 7 + number * 13 + category.pk) % 97,
                        )
                    )
    QuarterlyFigure.objects.bulk_create(rows)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", PAGES)
def test_query_count_is_the_same_with_one_year_and_ten(
    client_for, officer, partnership, other_partnership, page
):
    small, large = partnership, other_partnership
    for target, years in ((small, 1), (large, 10)):
        _fill(target, make_categories(target), make_beats(target), years)
    from tests.factories import member

    outsider_officer = member(large, "performance_officer", username="largeofficer")
    url = "/p/{}/performance/" + page + "?year=2022&quarter=2"
    one_year = _queries(client_for(officer), url.format(small.slug))
    ten_years = _queries(client_for(outsider_officer), url.format(large.slug))
    assert one_year == ten_years
    assert ten_years <= 20


def test_ytd_page_has_chart_data_and_a_table(
    client_for, board_member, partnership, categories, beats
):
    _fill(partnership, categories, beats, 2)
    page = client_for(board_member).get("/p/charnwood/performance/?year=2022&quarter=2")
    html = page.content.decode()
    assert 'id="ytd-chart-data" type="application/json"' in html
    assert 'data-chart="ytd-chart-data"' in html
    assert "plotly/plotly.min.js" in html and "performance/charts.js" in html
    assert "<caption" in html and '<th scope="col">Category</th>' in html
    assert "<script>" not in html  # no inline script: the CSP forbids it
    assert html.count("<h1") == 1


@pytest.mark.parametrize(
    ("page", "header"),
    [
        ("", "category,previous_ytd,current_ytd,difference,change_pct,target,status,"
         "significant"),
        ("trend/", "quarter,category,count,same_quarter_last_year,rolling_12_months,change_pct,"
         "status,significant"),
        ("beats/", "category,beat,beat_name,previous_ytd,current_ytd,difference,change_pct,"
         "status"),
        ("family/", "quarter,category,csp,count,population,rate_per_1000,rank,status,"
         "significant"),
        ("rates/", "category,previous_ytd,previous_population,previous_rate_per_1000,"
         "current_ytd,current_population,current_rate_per_1000,status"),
    ],
)  # fmt: skip
def test_every_dashboard_downloads_its_table_as_csv(
    client_for, board_member, partnership, categories, beats, page, header
):
    _fill(partnership, categories, beats, 2)
    response = client_for(board_member).get(
        f"/p/charnwood/performance/{page}?year=2022&quarter=2&format=csv"
    )
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == header


def test_trend_gives_same_quarter_last_year_and_rolling_year(
    client_for, board_member, partnership, categories, beats
):
    _fill(partnership, categories, beats, 3)
    robbery = categories["ROB"]
    response = client_for(board_member).get(
        f"/p/charnwood/performance/trend/?category={robbery.pk}&year=2022&quarter=2&format=csv"
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    last = rows[-1]
    counts = {
        str(f.period): f.count
        for f in QuarterlyFigure.objects.filter(category=robbery, beat__isnull=True)
    }
    assert last["quarter"] == "Q2 2022/23"
    assert int(last["count"]) == counts["Q2 2022/23"]
    assert int(last["same_quarter_last_year"]) == counts["Q2 2021/22"]
    rolling = sum(counts[q] for q in ["Q3 2021/22", "Q4 2021/22", "Q1 2022/23", "Q2 2022/23"])
    assert int(last["rolling_12_months"]) == rolling


def test_top_10_increases_by_beat_and_category(partnership, categories, beats):
    from performance.beat_table import beats_table
    from tests.performance.factories import enter_ytd, fill_totals

    q3 = Quarter.parse("2016/17", 3)
    enter_ytd(partnership, categories["SHOP"], q3.same_quarter_last_year, 10, beat=beats["64"])
    enter_ytd(partnership, categories["SHOP"], q3, 101, beat=beats["64"])
    enter_ytd(partnership, categories["ROB"], q3.same_quarter_last_year, 10, beat=beats["62"])
    enter_ytd(partnership, categories["ROB"], q3, 5, beat=beats["62"])
    enter_ytd(partnership, categories["ALL"], q3.same_quarter_last_year, 10, beat=beats["62"])
    enter_ytd(partnership, categories["ALL"], q3, 500, beat=beats["62"])
    # Beats count only where the partnership totals behind them are in.
    fill_totals(partnership, q3.year_to_date + [q.same_quarter_last_year for q in q3.year_to_date])
    _, _, increases = beats_table(partnership, q3)
    assert [(i.category.code, i.beat.code, i.increase) for i in increases] == [("SHOP", "64", 91)]


def test_pages_say_provisional_until_published(client_for, board_member, partnership, categories):
    from performance.services import publish_quarter
    from tests.performance.factories import enter_ytd, fill_totals

    quarter = Quarter.parse("2022/23", 2)
    enter_ytd(partnership, categories["ALL"], quarter, 100)
    url = "/p/charnwood/performance/?year=2022&quarter=2"
    assert "Incomplete" in client_for(board_member).get(url).content.decode()
    fill_totals(partnership, quarter.year_to_date)
    assert "Q2 2022/23: provisional, complete" in client_for(board_member).get(url).content.decode()
    publish_quarter(partnership=partnership, quarter=quarter)
    assert "published figures" in client_for(board_member).get(url).content.decode()


def test_rates_fall_back_to_the_latest_population(partnership, categories):
    from performance.rates import rates_table
    from tests.performance.factories import enter_ytd

    PartnershipPopulation.objects.create(
        partnership=partnership, financial_year=FinancialYear(2021), population=200_000
    )
    enter_ytd(partnership, categories["ALL"], Quarter.parse("2022/23", 2), 1000)
    rows, _, now = rates_table(partnership, Quarter.parse("2022/23", 2))
    assert now == 200_000
    assert str(next(r for r in rows if r.category.code == "ALL").current_rate) == "5.00"


def test_rates_page_lists_whole_years(client_for, board_member, partnership, categories, beats):
    _fill(partnership, categories, beats, 2)
    PartnershipPopulation.objects.create(
        partnership=partnership, financial_year=FinancialYear(2021), population=100_000
    )
    page = client_for(board_member).get("/p/charnwood/performance/rates/?year=2022&quarter=2")
    whole_2021 = sum(
        f.count
        for f in QuarterlyFigure.objects.filter(
            category=categories["ALL"], beat__isnull=True, financial_year=FinancialYear(2021)
        )
    )
    assert page.context["annual"][0][1] == whole_2021
    assert "All Crime per 1,000 by financial year" in page.content.decode()
