"""The home page starts the funding app's main jobs: an applicant's bid form for each fund
open for bids (never a closed fund, a fund with no budget line or another partnership's),
and an administrator's funds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from csp_portal.models import Profile, Role
from funding.home_jobs import funds_to_manage, open_funds
from tests.factories import OrganisationFactory, member
from tests.funding.factories import BudgetLineFactory, FundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(partnership):
    user = member(partnership, Role.PARTNER, username="applicant")
    Profile.objects.filter(user=user).update(organisation=OrganisationFactory())
    return type(user).objects.get(pk=user.pk)  # as a request loads it, with the profile


def _fund(partnership, name: str, closes_in_days: int | None, lines: bool = True):
    closes = None
    if closes_in_days is not None:
        closes = timezone.localdate() + dt.timedelta(days=closes_in_days)
    fund = FundFactory(partnership=partnership, name=name, bids_close_on=closes)
    if lines:
        BudgetLineFactory(fund=fund)
        BudgetLineFactory(fund=fund)  # two lines, one entry
    return fund


def test_the_applicant_is_offered_each_open_fund_with_its_bid_form(
    partnership, other_partnership, applicant
):
    until_closed = _fund(partnership, "Locality Fund", None)
    closing = _fund(partnership, "Safer Streets Fund", 0)  # its last day is today
    _fund(partnership, "Last Year's Fund", -1)
    _fund(partnership, "Empty Fund", None, lines=False)
    _fund(other_partnership, "Melton's Fund", None)
    entries = open_funds(applicant)
    new_bid = reverse("funding:bid_new", args=["charnwood"])
    assert [(e.title, e.url) for e in entries] == [
        (f"Start a bid to the {closing}", f"{new_bid}?fund={closing.pk}"),
        (f"Start a bid to the {until_closed}", f"{new_bid}?fund={until_closed.pk}"),
    ]
    assert entries[0].detail.endswith(f"Bids close on {timezone.localdate():%-d %B %Y}.")
    assert entries[1].detail.endswith("Open for bids.")


def test_no_fund_is_offered_to_someone_who_cannot_start_a_bid(partnership, partner, officer):
    _fund(partnership, "Locality Fund", None)
    assert open_funds(partner) == []  # a partner with no organisation on their profile
    assert open_funds(officer) == []  # not an applicant's role


def test_the_administrator_is_offered_the_funds_and_a_new_one(partnership, partnership_admin):
    entries = funds_to_manage(partnership_admin)
    assert [(e.title, e.url) for e in entries] == [
        ("Funds, budget lines and spend", reverse("funding:index", args=["charnwood"])),
        ("Add a fund", reverse("funding:fund_new", args=["charnwood"])),
    ]


def test_only_administrators_manage_funds(partnership, role_users):
    for role, user in role_users.items():
        assert bool(funds_to_manage(user)) == (role == Role.ADMIN), role


def test_the_funding_page_lists_only_funds_open_for_bids_each_leading_to_its_form(
    partnership, applicant, client
):
    open_fund = _fund(partnership, "Locality Fund", 30)
    _fund(partnership, "Last Year's Fund", -1)
    client.force_login(applicant)
    page = client.get(reverse("funding:index", args=["charnwood"])).content.decode()
    section = page.split('id="open-h"', 1)[1].split("</section>", 1)[0]
    new_bid = reverse("funding:bid_new", args=["charnwood"])
    assert f'href="{new_bid}?fund={open_fund.pk}"' in section
    assert "Last Year" not in section
    closes = timezone.localdate() + dt.timedelta(days=30)
    assert f"bids close on {closes:%-d %B %Y}" in section
