"""Who reaches the shared pages, and who is refused."""

import pytest
from django.urls import reverse

from csp_portal.access import has_role, partnerships_for, roles_in
from csp_portal.models import Role

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_login_from_home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_visitor_is_sent_to_login_from_a_partnership(client, partnership):
    response = client.get(reverse("partnership", args=[partnership.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_login_page_is_public(client):
    assert client.get(reverse("login")).status_code == 200


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reaches_its_own_partnership(client_for, role_users, partnership, role):
    response = client_for(role_users[role]).get(reverse("partnership", args=[partnership.slug]))
    assert response.status_code == 200
    assert partnership.name in response.content.decode()


def test_member_of_another_partnership_is_refused(client_for, outsider, partnership):
    response = client_for(outsider).get(reverse("partnership", args=[partnership.slug]))
    assert response.status_code == 403


def test_staff_without_a_membership_sees_no_partnership(staff_admin, partnership):
    # Staff is not a partnership role (tests/core/test_staff_is_not_a_partnership_role.py).
    assert list(partnerships_for(staff_admin)) == []
    assert roles_in(staff_admin, partnership) == frozenset()


def test_user_sees_only_partnerships_they_belong_to(outsider, partnership, other_partnership):
    assert list(partnerships_for(outsider)) == [other_partnership]


def test_partnership_admin_holds_every_role_there_but_not_elsewhere(
    partnership_admin, partnership, other_partnership
):
    assert has_role(partnership_admin, partnership, [Role.CLERK])
    assert not has_role(partnership_admin, other_partnership, [Role.CLERK])


def test_partner_does_not_hold_clerk_role(partner, partnership):
    assert not has_role(partner, partnership, [Role.CLERK, Role.PERFORMANCE_OFFICER])


def test_home_lists_only_my_partnerships(client_for, partner, partnership, other_partnership):
    page = client_for(partner).get(reverse("home")).content.decode()
    assert partnership.name in page
    assert other_partnership.name not in page


def test_unknown_partnership_is_404(client_for, partner):
    assert client_for(partner).get(reverse("partnership", args=["nowhere"])).status_code == 404


def test_roles_become_django_groups(officer):
    assert list(officer.groups.values_list("name", flat=True)) == [Role.PERFORMANCE_OFFICER]


def test_admin_site_refuses_non_staff(client_for, partnership_admin):
    response = client_for(partnership_admin).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_admin_site_lists_core_models_for_staff(client_for, staff_admin):
    page = client_for(staff_admin).get("/admin/").content.decode()
    for name in ["Partnerships", "Organisations", "Bodies", "Memberships", "Office holders"]:
        assert name in page
