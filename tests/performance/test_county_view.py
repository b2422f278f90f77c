"""The county view: every partnership side by side with its rate, change, significance and
rank in the force area (1 = lowest rate, exact fractions, ties share a rank), the county's
and the force's totals, incomplete partnerships saying so, a CSV and drill-down links for
those allowed to follow them."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from csp_portal.financial_year import Quarter
from csp_portal.models import CountyRole, Role
from csp_portal.services import grant_county_role, grant_roles
from performance.county import chart_label, county_chart, county_table
from performance.significance import Significance
from tests.factories import UserFactory
from tests.performance.county_world import (
    county_of,
    enter_quarters,
    full_year_to_q2,
    make_partnership,
)

pytestmark = pytest.mark.django_db
Q2 = Quarter.parse("2022/23", 2)

#: slug -> (All Crime YTD to Q2 2021/22, to Q2 2022/23)
FIGURES = {
    "charnwood": (900, 919),  # 919 / 183,900 = 4.9973 per 1,000
    "melton": (600, 518),  # 518 / 51,800 = 10 exactly
    "harborough": (900, 976),  # 976 / 97,600 = 10 exactly: a tie with Melton
    "leicester": (4000, 3687),  # 3687 / 368,600 = 10.0027: prints 10.00, ranks after
    "blaby-hinckley-bosworth": (2500, 2600),  # 2600 / 216,600 = 12.0037
}


@pytest.fixture
def force_area(db):
    county = county_of()
    made = {}
    for slug, (previous, current) in FIGURES.items():
        made[slug] = make_partnership(county, slug)
        full_year_to_q2(made[slug], previous, current)
    rutland = make_partnership(county, "rutland")
    # Rutland's Q2 2022/23 is not in: its year to date is incomplete.
    enter_quarters(
        rutland,
        {
            **{(y, n, "ALL"): 100 for y in ("2021/22",) for n in (1, 2)},
            ("2022/23", 1, "ALL"): 90,
        },
    )
    made["rutland"] = rutland
    return county, made


def rows_by_slug(table):
    return {row.partnership.slug: row for row in table.rows}


def test_rates_and_ranks_are_decided_on_exact_fractions(force_area):
    county, _ = force_area
    table = county_table(county, Q2, "ALL")
    rows = rows_by_slug(table)
    assert {slug: row.rate for slug, row in rows.items() if row.rate is not None} == {
        "charnwood": Decimal("5.00"),
        "melton": Decimal("10.00"),
        "harborough": Decimal("10.00"),
        "leicester": Decimal("10.00"),
        "blaby-hinckley-bosworth": Decimal("12.00"),
    }
    # Competition ranking: Melton and Harborough tie at exactly 10; Leicester's 10.0027
    # prints as 10.00 but is higher, so it comes 4th, not 2nd.
    assert {slug: row.rank for slug, row in rows.items()} == {
        "charnwood": 1,
        "melton": 2,
        "harborough": 2,
        "leicester": 4,
        "blaby-hinckley-bosworth": 5,
        "rutland": None,
    }
    # The merged partnership's population is its two districts' sum.
    assert rows["blaby-hinckley-bosworth"].population == 102900 + 113700


def test_changes_and_their_significance(force_area):
    county, _ = force_area
    rows = rows_by_slug(county_table(county, Q2, "ALL"))
    assert rows["melton"].change_display == "−13.7%"
    assert rows["charnwood"].change_display == "+2.1%"
    assert rows["leicester"].significance is Significance.FALL  # 4000 -> 3687
    assert rows["charnwood"].significance is Significance.NONE  # 900 -> 919


def test_an_incomplete_partnership_says_so_and_gets_no_rate_change_or_rank(force_area):
    county, _ = force_area
    table = county_table(county, Q2, "ALL")
    rutland = rows_by_slug(table)["rutland"]
    assert not rutland.complete
    assert (rutland.rate, rutland.rank, rutland.change_pct) == (None, None, None)
    assert rutland.change_display == "incomplete"
    assert "Q2 2022/23: no partnership total for All Crime" in rutland.note
    assert any(note.startswith("Safer Rutland Partnership: incomplete") for note in table.notes)


def test_county_and_force_totals(force_area):
    county, _ = force_area
    table = county_table(county, Q2, "ALL")
    # The county's districts: Leicester and Rutland (unitary authorities) are left out.
    total = table.county_total
    assert (total.previous, total.current) == (900 + 600 + 900 + 2500, 919 + 518 + 976 + 2600)
    assert total.population == 183900 + 51800 + 97600 + 216600
    assert total.rate == Decimal("9.12")  # 5013 / 549,900 × 1,000 = 9.116
    assert total.change_display == "+2.3%"
    # The force area includes Rutland, whose figures are incomplete: so is its total.
    force = table.force_total
    assert force.current == 5013 + 3687 + 90
    assert not force.complete and force.rate is None and force.change_display == "incomplete"
    assert "Safer Rutland Partnership" in force.note


def test_the_page_links_only_to_dashboards_the_viewer_may_read(force_area, client_for):
    county, made = force_area
    board = UserFactory(username="melton-board")
    grant_roles(user=board, partnership=made["melton"], roles=[Role.BOARD_MEMBER])
    url = reverse("county_performance:index", kwargs={"county": county.slug})
    response = client_for(board).get(url, {"category": "ALL", "year": 2022, "quarter": 2})
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("performance:index", kwargs={"partnership": "melton"}) in html
    assert reverse("performance:index", kwargs={"partnership": "leicester"}) not in html
    assert "<caption" in html and 'scope="col"' in html and 'id="county-chart-data"' in html
    assert '<td class="num">51,800</td>' in html  # Melton's population, with separators
    # The same member cannot open another partnership's dashboard by typing its address.
    other = reverse("performance:index", kwargs={"partnership": "leicester"})
    assert client_for(board).get(other).status_code == 403


def test_the_csv_has_every_partnership_and_both_totals(force_area, client_for):
    county, _ = force_area
    county_analyst = UserFactory(username="analyst")
    grant_county_role(user=county_analyst, county=county, role=CountyRole.ANALYST)
    url = reverse("county_performance:index", kwargs={"county": county.slug})
    response = client_for(county_analyst).get(
        url, {"category": "ALL", "year": 2022, "quarter": 2, "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('leicestershire-ALL-2022-q2.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 6 + 2
    leicester = next(r for r in rows if r["partnership"] == "Safer Leicester Partnership")
    assert (leicester["rate_per_1000"], leicester["rank"], leicester["change_pct"]) == (
        "10.00",
        "4",
        "-7.8",
    )
    rutland = next(r for r in rows if r["partnership"] == "Safer Rutland Partnership")
    assert rutland["rank"] == "" and rutland["status"].startswith("incomplete")


def test_the_chart_lists_the_partnerships_top_down_by_their_short_names(force_area):
    county, _ = force_area
    table = county_table(county, Q2, "ALL")
    bars, *force_line = county_chart(table)["data"]
    rated = [row for row in table.rows if row.rate is not None]
    assert bars["orientation"] == "h"
    # Plotly draws the first label at the bottom: the table's first row comes last.
    assert bars["y"] == [chart_label(row.name) for row in reversed(rated)]
    assert bars["x"] == [float(row.rate) for row in reversed(rated)]
    assert bars["text"] == [f"rank {row.rank}" for row in reversed(rated)]
    # No force-area line when the force's rate is incomplete (Rutland lacks a quarter).
    assert table.force_total is not None and table.force_total.rate is None
    assert force_line == []


def test_chart_labels_drop_the_words_every_partnership_name_ends_with():
    assert chart_label("Charnwood Community Safety Partnership") == "Charnwood"
    assert chart_label("Safer Leicester Partnership") == "Safer Leicester"
    assert chart_label("Melton CSP") == "Melton"
    assert chart_label("Partnership") == "Partnership"  # never an empty label
