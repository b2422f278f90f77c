"""Editing a fund goes through the service: its total never falls below its lines."""

from decimal import Decimal

import pytest

from funding.models import Fund
from tests.funding.test_views import url

pytestmark = pytest.mark.django_db


def fund_data(fund, **overrides):
    data = {
        "name": fund.name,
        "financial_year": str(fund.year),
        "funder": fund.funder,
        "total": str(fund.total),
        "criteria": "",
        "grant_identifier_prefix": "",
        "bids_close_on": "",
    }
    return {**data, **overrides}


def test_a_total_below_what_the_lines_allocate_is_refused_and_kept(
    cast, client_for, partnership_admin
):
    admin = client_for(partnership_admin)
    response = admin.post(
        url("fund_edit", cast.partnership, cast.fund.pk), fund_data(cast.fund, total="9999.99")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The lines already allocate £15,000.00" in page and 'value="9999.99"' in page
    assert Fund.objects.get(pk=cast.fund.pk).total == Decimal("20000.00")


def test_a_total_covering_the_lines_is_saved(cast, client_for, partnership_admin):
    admin = client_for(partnership_admin)
    response = admin.post(
        url("fund_edit", cast.partnership, cast.fund.pk), fund_data(cast.fund, total="15000.00")
    )
    assert response.status_code == 302
    assert Fund.objects.get(pk=cast.fund.pk).total == Decimal("15000.00")
