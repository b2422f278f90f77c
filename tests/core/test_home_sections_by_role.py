"""A home page lists the jobs of the roles its person holds: a partner is not told that
no papers are missing "for the meetings you clerk", a clerk is (even when none are), and
the administrator, who holds every role, sees every section."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CLERK_SECTION = "Papers missing for the next meetings"
BOARD_SECTION = "Your next meeting and the dashboards"
APPLICANT_SECTION = "Your bids and funded projects: what is due"


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("who", "shown", "left_off"),
    [
        ("partner", {APPLICANT_SECTION}, {CLERK_SECTION, BOARD_SECTION}),
        ("clerk", {CLERK_SECTION}, {BOARD_SECTION, APPLICANT_SECTION}),
        ("board_member", {BOARD_SECTION}, {CLERK_SECTION, APPLICANT_SECTION}),
        ("officer", set(), {CLERK_SECTION, BOARD_SECTION, APPLICANT_SECTION}),
        ("partnership_admin", {CLERK_SECTION, BOARD_SECTION, APPLICANT_SECTION}, set()),
    ],
)
def test_each_role_sees_the_sections_of_its_own_jobs(client, request, who, shown, left_off):
    page = _home(client, request.getfixturevalue(who))
    for heading in shown:
        assert heading in page, heading
    for heading in left_off:
        assert heading not in page, heading
