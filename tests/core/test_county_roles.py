"""The county roles: the Police and Crime Commissioner's analyst reads every partnership's
dashboards of its county and the county view, and is refused every exempt paper, every
bid (drafts included) and every other page of a partnership, as an outsider is; its
county role admits it nowhere outside its county."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from csp_portal.access import has_county_role, has_role
from csp_portal.models import CountyRole, Role
from csp_portal.roles import COUNTY_READERS_OF_FIGURES, READERS
from tests.e2e.matrix import World
from tests.funding import access_matrix as funding_matrix
from tests.meetings import access_matrix as meetings_matrix
from tests.performance.access_matrix import with_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(partnership, other_partnership, role_users, county_analyst, outsider) -> World:
    return World(
        partnership=partnership,
        other_partnership=other_partnership,
        users=dict(role_users),
        staff=None,
        outsider=outsider,
        county_analyst=county_analyst,
    )


def get_as(user, name: str, kwargs: dict) -> int:
    client = Client()
    client.force_login(user)
    with transaction.atomic():
        status = client.get(reverse(name, kwargs=kwargs)).status_code
        transaction.set_rollback(True)
    return status


EXEMPT_PAPERS = [meetings_matrix.exempt_paper, meetings_matrix.exempt_sub_item_paper]
BIDS = [
    ("funding:bid", funding_matrix.bid_kwargs),
    ("funding:bid", funding_matrix.draft_kwargs),
    ("funding:attachment", funding_matrix.paper_kwargs),
]


@pytest.mark.parametrize("builder", EXEMPT_PAPERS, ids=lambda b: b.__name__)
def test_the_county_analyst_is_refused_every_exempt_paper(world, builder):
    kwargs = builder(world)
    # The paper is there: the board member reads it...
    assert get_as(world.users[Role.BOARD_MEMBER], "meetings:paper", kwargs) == 200
    # ...and the county analyst does not.
    assert get_as(world.county_analyst, "meetings:paper", kwargs) == 403


@pytest.mark.parametrize(("name", "builder"), BIDS, ids=lambda v: getattr(v, "__name__", v))
def test_the_county_analyst_is_refused_every_bid(world, name, builder):
    kwargs = builder(world)
    if builder is not funding_matrix.draft_kwargs:  # a draft is its author's alone (404)
        assert get_as(world.users[Role.ADMIN], name, kwargs) == 200
    assert get_as(world.county_analyst, name, kwargs) == 403


def test_every_meetings_and_funding_page_refuses_the_county_analyst(world):
    """Every declared meetings and funding URL but the public ones: no 200 for the analyst."""
    served = []
    for entry in [*meetings_matrix.ENTRIES, *funding_matrix.ENTRIES]:
        if entry.name.startswith("public:") or entry.method != "GET":
            continue
        with transaction.atomic():  # each entry's records built afresh, then rolled back
            status = get_as(world.county_analyst, entry.name, entry.kwargs(world))
            transaction.set_rollback(True)
        if status not in (403, 404, 405):
            served.append(f"{entry.name}: {status}")
    assert served == []


def test_the_county_analyst_reads_the_dashboards_and_the_county_view(world):
    kwargs = with_figures(world)
    for name in ("index", "trend", "beats", "family", "rates"):
        assert get_as(world.county_analyst, f"performance:{name}", kwargs) == 200, name
    county = {"county": world.partnership.county.slug}
    assert get_as(world.county_analyst, "county_performance:index", county) == 200
    # Nothing that writes figures, and no partnership page.
    assert get_as(world.county_analyst, "performance:enter", kwargs) == 403
    assert get_as(world.county_analyst, "partnership", kwargs) == 403
    # Melton is in no county of the analyst's: its dashboards are refused.
    other = {"partnership": world.other_partnership.slug}
    assert get_as(world.county_analyst, "performance:index", other) == 403


def test_county_roles_never_make_a_partnership_member(world):
    analyst = world.county_analyst
    assert has_county_role(analyst, world.partnership.county_id, COUNTY_READERS_OF_FIGURES)
    assert not has_role(analyst, world.partnership, READERS)
    assert CountyRole.ANALYST not in Role.values
