"""360Giving export and the funding_report command."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from funding import giving360
from funding.models import Outcome
from tests.funding import deciding

pytestmark = pytest.mark.django_db

REQUIRED = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
]


@pytest.fixture
def awarded(cast):
    cast.organisation.identifier = "GB-GOR-PB188"
    cast.organisation.save()
    bid = cast.supported("999.99", title="Bike marking")
    for person in cast.office_holders:
        deciding.office_decide(bid=bid, by=person, outcome=Outcome.APPROVE)
    rejected = cast.supported("2000.00", title="Not funded")
    deciding.panel_decide(bid=rejected, by=cast.panel_member, outcome="reject", reasons="No.")
    return bid


def test_360giving_csv_has_the_required_columns_and_only_awards(awarded, cast):
    rows = list(csv.DictReader(io.StringIO(giving360.as_csv(cast.partnership))))
    assert list(rows[0])[:10] == REQUIRED
    assert len(rows) == 1
    row = rows[0]
    assert row["Identifier"] == f"360G-charnwood-{awarded.pk}"
    assert row["Amount Awarded"] == "999.99" and row["Currency"] == "GBP"
    assert row["Recipient Org:Identifier"] == "GB-GOR-PB188"
    assert row["Funding Org:Name"] == "Charnwood CSP"


def test_360giving_json_uses_the_schema_names(awarded, cast, client_for, board_member):
    response = client_for(board_member).get(
        reverse("funding:grants_export", args=[cast.partnership.slug, "json"])
    )
    (grant,) = json.loads(response.content)["grants"]
    assert grant["amountAwarded"] == 999.99 and grant["currency"] == "GBP"
    assert grant["recipientOrganization"][0]["name"] == "Leicestershire Fire and Rescue Service"
    assert set(grant) >= {
        "id",
        "title",
        "description",
        "currency",
        "amountAwarded",
        "awardDate",
        "recipientOrganization",
        "fundingOrganization",
    }


def test_funding_report_prints_the_table_with_a_total(cast):
    out = io.StringIO()
    call_command(
        "funding_report",
        "--partnership",
        "charnwood",
        "--fund",
        cast.fund.name,
        "--year",
        "2022/23",
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Description") and "Amount Allocated 2022/23" in lines[0]
    assert lines[-1].split() == ["Total", "£15,000.00", "£0.00", "£15,000.00"]


def test_funding_report_as_csv(cast):
    out = io.StringIO()
    call_command(
        "funding_report",
        partnership="charnwood",
        fund=cast.fund.name,
        year="2022/23",
        format="csv",
        stdout=out,
    )
    assert out.getvalue().splitlines()[-1] == "Total,15000.00,0.00,15000.00"


def test_funding_report_names_the_funds_when_one_is_not_found(cast):
    with pytest.raises(CommandError, match="has no fund called “Nope” in 2022/23"):
        call_command("funding_report", partnership="charnwood", fund="Nope", year="2022/23")


def test_funding_report_refuses_a_bad_year(cast):
    with pytest.raises(CommandError, match="not a financial year"):
        call_command("funding_report", partnership="charnwood", fund="x", year="2022/24")


def test_award_is_exact(awarded):
    assert awarded.__class__.objects.get(pk=awarded.pk).amount_awarded == Decimal("999.99")
