"""Someone holding only a county role belongs to no partnership: their home page still
leads to the county's pages (the county view for every county role, the funding formula
for the county administrator)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csp_portal.models import CountyRole
from csp_portal.services import grant_county_role
from funding.allocation_home import home_allocations
from performance.county_home import county_figures
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(CountyRole))
def test_every_county_role_is_led_to_the_county_view(county, role):
    user = UserFactory(username="county-person")
    grant_county_role(user=user, county=county, role=role)
    (entry,) = county_figures(user)
    assert entry.url == reverse("county_performance:index", args=["leicestershire"])
    assert client_home_has(user, entry.title)


def test_only_the_county_administrator_is_led_to_the_funding_formula(county):
    analyst, admin = UserFactory(username="analyst"), UserFactory(username="cadmin")
    grant_county_role(user=analyst, county=county, role=CountyRole.ANALYST)
    grant_county_role(user=admin, county=county, role=CountyRole.ADMIN)
    assert home_allocations(analyst) == []
    (entry,) = home_allocations(admin)
    assert entry.url == reverse("allocation:index", args=["leicestershire"])


def test_members_without_a_county_role_see_no_county_view_entry(county, board_member, outsider):
    assert county_figures(board_member) == [] and county_figures(outsider) == []


def client_home_has(user, text: str) -> bool:
    from django.test import Client
    from django.utils.html import escape

    client = Client()
    client.force_login(user)
    return escape(text) in client.get("/").content.decode()


def test_a_county_only_person_is_not_told_to_ask_to_be_added_to_a_partnership(county, partner):
    analyst = UserFactory(username="analyst")
    grant_county_role(user=analyst, county=county, role=CountyRole.ANALYST)
    assert not client_home_has(analyst, "not a member of any partnership yet")
    assert client_home_has(analyst, "your role is on the county")
    # Someone with no role at all still is; a member sees neither.
    assert client_home_has(UserFactory(username="nobody"), "not a member of any partnership yet")
    assert not client_home_has(partner, "your role is on the county")
