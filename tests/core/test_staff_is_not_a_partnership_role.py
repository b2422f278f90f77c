"""Staff is not a partnership role: `is_staff`/`is_superuser` open the Django admin, never
a partnership's content. A county-wide administrator is a member with the admin role."""

import pytest
from django.urls import reverse

from csp_portal.access import has_role, is_member, partnerships_for, roles_in
from csp_portal.models import Role
from plans.models import Plan, PlanStatus
from tests.e2e.matrix import World
from tests.meetings.access_matrix import exempt_paper
from tests.plans.access_matrix import draft_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def melton(other_partnership, outsider) -> World:
    """The world seen from Melton: the attacker is a staff user with no membership."""
    return World(
        partnership=other_partnership,
        other_partnership=other_partnership,
        users=dict.fromkeys(Role.values, outsider),
        staff=None,
        outsider=outsider,
    )


def test_a_staff_user_with_no_membership_cannot_read_an_exempt_paper(
    client_for, staff_admin, melton
):
    url = reverse("meetings:paper", kwargs=exempt_paper(melton))
    assert client_for(melton.outsider).get(url).status_code == 200  # Melton's own clerk
    response = client_for(staff_admin).get(url)
    assert response.status_code == 403
    assert b"%PDF" not in response.content


def test_a_staff_user_with_no_membership_cannot_adopt_a_plan(client_for, staff_admin, melton):
    kwargs = draft_plan(melton)
    response = client_for(staff_admin).post(reverse("plans:adopt", kwargs=kwargs))
    assert response.status_code == 403
    assert Plan.objects.get(pk=kwargs["plan"]).status == PlanStatus.DRAFT


def test_a_staff_user_with_no_membership_sees_no_partnership(
    client_for, staff_admin, partnership, other_partnership
):
    assert list(partnerships_for(staff_admin)) == []
    assert roles_in(staff_admin, partnership) == frozenset()
    assert not is_member(staff_admin, partnership)
    assert not has_role(staff_admin, partnership, [Role.BOARD_MEMBER])
    page = client_for(staff_admin).get(reverse("home")).content.decode()
    assert partnership.name not in page and other_partnership.name not in page
    assert client_for(staff_admin).get(f"/p/{partnership.slug}/").status_code == 403


def test_a_county_wide_administrator_is_an_admin_member_of_each_partnership(
    client_for, county_admin, partnership, other_partnership
):
    assert set(partnerships_for(county_admin)) == {partnership, other_partnership}
    assert roles_in(county_admin, other_partnership) == frozenset({Role.ADMIN})
    for slug in (partnership.slug, other_partnership.slug):
        assert client_for(county_admin).get(f"/p/{slug}/").status_code == 200


def test_the_django_admin_still_opens_for_a_superuser(client_for, staff_admin):
    assert client_for(staff_admin).get("/admin/").status_code == 200


def test_staff_without_explicit_permissions_cannot_change_reference_data(client_for):
    from tests.factories import UserFactory

    clerk_at_the_desk = UserFactory(username="desk", is_staff=True)
    client = client_for(clerk_at_the_desk)
    assert client.get(reverse("admin:csp_portal_partnership_changelist")).status_code == 403
