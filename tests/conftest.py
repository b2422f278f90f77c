"""Fixtures shared by every app's tests: two partnerships and a person in each role."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from csp_portal.models import Role
from csp_portal.services import grant_roles
from tests.factories import PartnershipFactory, UserFactory, member


@pytest.fixture
def partnership(db):
    return PartnershipFactory(name="Charnwood CSP", slug="charnwood", ons_code="E22000165")


@pytest.fixture
def other_partnership(db):
    return PartnershipFactory(name="Melton CSP", slug="melton", ons_code="E22000169")


@pytest.fixture
def officer(partnership):
    return member(partnership, Role.PERFORMANCE_OFFICER, username="officer")


@pytest.fixture
def clerk(partnership):
    return member(partnership, Role.CLERK, username="clerk")


@pytest.fixture
def board_member(partnership):
    return member(partnership, Role.BOARD_MEMBER, username="board")


@pytest.fixture
def partner(partnership):
    return member(partnership, Role.PARTNER, username="partner")


@pytest.fixture
def partnership_admin(partnership):
    return member(partnership, Role.ADMIN, username="padmin")


@pytest.fixture
def staff_admin(db):
    """A staff superuser with no membership: the Django admin, no partnership's content."""
    return UserFactory(username="staff", is_staff=True, is_superuser=True)


@pytest.fixture
def county_admin(partnership, other_partnership):
    """A county-wide administrator as the README sets one up: staff (for the Django
    admin) and a member with the admin role in every partnership."""
    user = member(partnership, Role.ADMIN, username="county", is_staff=True)
    grant_roles(user=user, partnership=other_partnership, roles=[Role.ADMIN])
    return user


@pytest.fixture
def outsider(other_partnership):
    """A member of another partnership only."""
    return member(other_partnership, *Role.values, username="outsider")


@pytest.fixture
def county(partnership):
    """Leicestershire, the county of Charnwood (Melton, the other partnership, is left
    outside any county, so that its members are outsiders to the county's pages too)."""
    from csp_portal.models import County

    found = County.objects.create(
        name="Leicestershire Safer Communities Strategy Board",
        slug="leicestershire",
        force_name="Leicestershire Police",
    )
    partnership.county = found
    partnership.save(update_fields=["county"])
    return found


@pytest.fixture
def county_analyst(county):
    """The Police and Crime Commissioner's analyst: the county analyst role on Charnwood's
    county, and no partnership role anywhere."""
    from csp_portal.models import CountyRole
    from csp_portal.services import grant_county_role

    user = UserFactory(username="pcc-analyst")
    grant_county_role(user=user, county=county, role=CountyRole.ANALYST)
    return user


@pytest.fixture
def role_users(officer, clerk, board_member, partner, partnership_admin):
    return {
        Role.PERFORMANCE_OFFICER: officer,
        Role.CLERK: clerk,
        Role.BOARD_MEMBER: board_member,
        Role.PARTNER: partner,
        Role.ADMIN: partnership_admin,
    }


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as `user` (None: anonymous)."""
    from django.test import Client

    def make(user):
        new = Client()
        if user is not None:
            new.force_login(user)
        return new

    return make


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


#: For the few tests that need real row locks and concurrent transactions. CI always
#: runs the suite on PostgreSQL, so there they run; on a newcomer's SQLite they skip.
postgres_only = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL row locks; CI runs the suite on PostgreSQL",
)
