"""The funding-formula page, its CSV, the confirmed creation of funds and who may use them.

Access (funding.access): administrators of a partnership in the county run the formula;
creating the funds needs the administrator role in every receiving partnership.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import Role
from csp_portal.services import grant_roles
from funding.allocation import inputs_from_figures
from funding.models import Fund
from performance.models import QuarterlyFigure
from tests.factories import PartnershipFactory, member
from tests.funding.factories import FundFactory
from tests.plans.agreement_world import county, population
from tests.plans.factories import CategoryFactory, figure

pytestmark = pytest.mark.django_db

AMOUNTS = {"even": "1000", "population": "500", "crime": "301"}


@pytest.fixture
def shire(partnership, other_partnership):
    """Charnwood (pop. 300) and Melton (pop. 100) in Testshire; All Crime 2022/23: 60 and 40."""
    found = county("testshire", partnership, other_partnership)
    population(partnership, 2022, 300)
    population(other_partnership, 2022, 100)
    for p, counts in ((partnership, (10, 20, 15, 15)), (other_partnership, (10, 10, 10, 10))):
        category = CategoryFactory(partnership=p, name="All Crime", code="ALL")
        for number, count in enumerate(counts, start=1):
            figure(p, category, 2022, number, count)
    return found


@pytest.fixture
def both_admin(partnership, other_partnership):
    user = member(partnership, Role.ADMIN, username="countyofficer")
    grant_roles(user=user, partnership=other_partnership, roles=[Role.ADMIN])
    return user


def figures_post(partnership, other_partnership, **extra) -> dict:
    return {**AMOUNTS, "source": "figures", "partnerships": [partnership.pk, other_partnership.pk],
            "year": "2022/23", "quarter": "4", "category": "ALL", **extra}  # fmt: skip


def test_stored_figures_give_the_inputs_and_the_allocation(
    shire, client_for, partnership_admin, partnership, other_partnership
):
    url = reverse("allocation:index", args=[shire.slug])
    response = client_for(partnership_admin).post(url, figures_post(partnership, other_partnership))
    assert response.status_code == 200
    shares = {s.name: s for s in response.context["result"].shares}
    # Even 1000: 500 each. Population 500 by 300:100: 375, 125. Crime 301 by 60:40:
    # 180.6 and 120.4: floors 180, 120 and the pound left to the larger fraction (.6).
    assert (shares["Charnwood CSP"].even, shares["Charnwood CSP"].population,
            shares["Charnwood CSP"].crime) == (500, 375, 181)  # fmt: skip
    assert shares["Melton CSP"].total == 500 + 125 + 120
    assert "<tfoot>" in response.content.decode()


def test_an_incomplete_partnership_refuses_the_lot_naming_it(shire, partnership, other_partnership):
    QuarterlyFigure.objects.filter(partnership=other_partnership, quarter=3).delete()
    with pytest.raises(ValidationError) as caught:
        inputs_from_figures([partnership, other_partnership], Quarter(FinancialYear(2022), 4))
    assert "Melton CSP: figures to Q4 2022/23 are incomplete" in str(caught.value)
    assert "Charnwood" not in str(caught.value)


def test_the_population_is_the_years_own_or_the_latest_before(
    shire, partnership, other_partnership
):
    # Q4 2022/23 ends 31 March 2023 and uses 2022/23's population; Q1 2023/24 starts on
    # 1 April 2023 and, with no 2023/24 estimate yet, uses 2022/23's too, until one exists.
    march = Quarter.for_date(dt.date(2023, 3, 31))
    april = Quarter.for_date(dt.date(2023, 4, 1))
    assert march == Quarter(FinancialYear(2022), 4) and april == Quarter(FinancialYear(2023), 1)
    for p in (partnership, other_partnership):
        category = p.crime_categories.get(code="ALL")
        figure(p, category, 2023, 1, 5)
    assert [i.population for i in inputs_from_figures([partnership, other_partnership], april)] == [
        300,
        100,
    ]
    population(partnership, 2023, 330)
    assert inputs_from_figures([partnership], april)[0].population == 330
    assert inputs_from_figures([partnership], march)[0].population == 300


def test_a_bad_csv_is_named_and_what_was_typed_is_kept(shire, client_for, partnership_admin):
    upload = SimpleUploadedFile("inputs.csv", b"partnership,population,crime\nBlaby,many,3\n")
    url = reverse("allocation:index", args=[shire.slug])
    response = client_for(partnership_admin).post(
        url, {**AMOUNTS, "even": "175000", "source": "csv", "inputs_file": upload}
    )
    html = response.content.decode()
    assert "Row 2, population: &#x27;many&#x27; is not a whole number." in html
    assert 'value="175000"' in html
    assert "result" not in response.context or not response.context.get("result")


def test_the_csv_download_has_one_row_per_partnership(
    shire, client_for, partnership_admin, partnership, other_partnership
):
    client = client_for(partnership_admin)
    page = client.post(reverse("allocation:index", args=[shire.slug]),
                       figures_post(partnership, other_partnership))  # fmt: skip
    carried = {f.name: f.value() for f in page.context["carried"]}
    response = client.post(reverse("allocation:csv", args=[shire.slug]), carried)
    assert response["Content-Disposition"] == 'attachment; filename="testshire-allocation.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["partnership", "even", "population", "crime", "total"],
        ["Charnwood CSP", "500", "375", "181", "1056"],
        ["Melton CSP", "500", "125", "120", "745"],
    ]


def create_post(page, **extra) -> dict:
    carried = {f.name: f.value() for f in page.context["carried"]}
    return {**carried, "fund_name": "Community Safety Fund", "fund_year": "2023/24",
            "funder": "Testshire County Council", "confirm": "on", **extra}  # fmt: skip


def test_the_funds_are_created_one_per_partnership(
    shire, client_for, both_admin, partnership, other_partnership
):
    client = client_for(both_admin)
    page = client.post(reverse("allocation:index", args=[shire.slug]),
                       figures_post(partnership, other_partnership))  # fmt: skip
    assert page.context["can_create"]
    response = client.post(reverse("allocation:create_funds", args=[shire.slug]), create_post(page))
    assert response.status_code == 302
    funds = {f.partnership: f for f in Fund.objects.all()}
    assert funds[partnership].total == Decimal("1056.00")
    assert funds[other_partnership].total == Decimal("745.00")
    assert funds[partnership].financial_year == FinancialYear(2023)
    assert funds[partnership].history.count() == 1


def test_an_existing_fund_of_that_name_and_year_creates_none(
    shire, client_for, both_admin, partnership, other_partnership
):
    FundFactory(partnership=other_partnership, name="Community Safety Fund",
                financial_year=FinancialYear(2023))  # fmt: skip
    client = client_for(both_admin)
    page = client.post(reverse("allocation:index", args=[shire.slug]),
                       figures_post(partnership, other_partnership))  # fmt: skip
    response = client.post(reverse("allocation:create_funds", args=[shire.slug]), create_post(page))
    assert response.status_code == 200
    assert "already exists in: Melton CSP. No fund was created." in response.content.decode()
    assert Fund.objects.count() == 1


def test_creating_needs_the_confirmation(
    shire, client_for, both_admin, partnership, other_partnership
):
    client = client_for(both_admin)
    page = client.post(reverse("allocation:index", args=[shire.slug]),
                       figures_post(partnership, other_partnership))  # fmt: skip
    data = create_post(page)
    del data["confirm"]
    response = client.post(reverse("allocation:create_funds", args=[shire.slug]), data)
    assert response.status_code == 200 and not Fund.objects.exists()


def test_an_admin_of_one_partnership_may_run_it_but_not_create_every_fund(
    shire, client_for, partnership_admin, partnership, other_partnership
):
    client = client_for(partnership_admin)
    page = client.post(reverse("allocation:index", args=[shire.slug]),
                       figures_post(partnership, other_partnership))  # fmt: skip
    assert page.status_code == 200 and not page.context["can_create"]
    response = client.post(reverse("allocation:create_funds", args=[shire.slug]), create_post(page))
    assert response.status_code == 403 and not Fund.objects.exists()


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_other_roles_are_refused(shire, client_for, role_users, role):
    url = reverse("allocation:index", args=[shire.slug])
    assert client_for(role_users[role]).get(url).status_code == 403


def test_admins_of_a_partnership_outside_the_county_are_refused(shire, client_for):
    elsewhere = PartnershipFactory(name="Leicester", slug="leicester")
    stranger = member(elsewhere, Role.ADMIN, username="stranger")
    assert (
        client_for(stranger).get(reverse("allocation:index", args=[shire.slug])).status_code == 403
    )


def test_the_home_page_links_admins_to_the_formula(shire, client_for, partnership_admin, officer):
    url = reverse("allocation:index", args=[shire.slug])
    assert url in client_for(partnership_admin).get(reverse("home")).content.decode()
    assert url not in client_for(officer).get(reverse("home")).content.decode()
