"""Who may read and change plans: every role reads; admins edit; leads and officers
record progress; other partnerships are out of reach."""

import pytest
from django.urls import reverse

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import Role
from plans import progress
from plans.models import ActionProgress
from tests.factories import member
from tests.plans.factories import (
    ActionFactory,
    PlanFactory,
    PriorityFactory,
    ThemeFactory,
    adopted_plan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def priority(partnership):
    plan = adopted_plan(partnership)
    return PriorityFactory(plan=plan, theme=ThemeFactory(plan=plan), number=1)


def _read_urls(priority):
    slug, plan = priority.plan.partnership.slug, priority.plan
    return [
        reverse("plans:index", args=[slug]),
        reverse("plans:list", args=[slug]),
        reverse("plans:plan", args=[slug, plan.pk]),
        reverse("plans:priority", args=[slug, priority.pk]),
        reverse("plans:pdf", args=[slug, plan.pk]),
    ]


def test_every_role_reads_the_plan(client_for, role_users, priority):
    for role, user in role_users.items():
        client = client_for(user)
        for url in _read_urls(priority):
            response = client.get(url, follow=True)
            assert response.status_code == 200, (role, url)


def test_other_partnerships_are_refused(client_for, outsider, priority):
    client = client_for(outsider)
    for url in _read_urls(priority):
        assert client.get(url).status_code == 403, url


def test_another_partnerships_plan_is_not_found_under_your_own(
    client_for, outsider, other_partnership, priority
):
    # The outsider is a member of Melton: Charnwood's plan under Melton's slug is a 404.
    url = reverse("plans:plan", args=[other_partnership.slug, priority.plan.pk])
    assert client_for(outsider).get(url).status_code == 404
    url = reverse("plans:priority", args=[other_partnership.slug, priority.pk])
    assert client_for(outsider).get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, priority):
    response = client.get(_read_urls(priority)[2])
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_only_partnership_admins_edit_plans(client_for, role_users, partnership):
    draft = PlanFactory(partnership=partnership)
    url = reverse("plans:edit", args=[partnership.slug, draft.pk])
    for role, user in role_users.items():
        expected = 200 if role == Role.ADMIN else 403
        assert client_for(user).get(url).status_code == expected, role
    new = reverse("plans:create", args=[partnership.slug])
    assert client_for(role_users[Role.BOARD_MEMBER]).get(new).status_code == 403


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.PERFORMANCE_OFFICER, 200),
        (Role.ADMIN, 200),
        (Role.CLERK, 403),
        (Role.BOARD_MEMBER, 403),
        (Role.PARTNER, 403),
    ],
)
def test_quarterly_update_page_by_role(client_for, role_users, priority, role, expected):
    url = reverse("plans:priority_update", args=[priority.plan.partnership.slug, priority.pk])
    assert client_for(role_users[role]).get(url).status_code == expected


def test_a_partner_who_leads_the_priority_records_its_progress(client_for, partnership, priority):
    lead = member(partnership, Role.PARTNER, username="jagchair")
    priority.lead_person = lead
    priority.save()
    action = ActionFactory(priority=priority)
    url = reverse("plans:priority_update", args=[partnership.slug, priority.pk])
    response = client_for(lead).post(
        url,
        {
            "financial_year": "2017/18",
            "quarter": "1",
            f"action-{action.pk}-status": "on_track",
            f"action-{action.pk}-commentary": "Under way",
            "report-successes": "Good start",
            "report-threats": "None",
        },
    )
    assert response.status_code == 302
    assert ActionProgress.objects.get().reported_by == lead


def test_lead_of_one_priority_cannot_update_another(client_for, partnership, priority):
    lead = member(partnership, Role.PARTNER, username="jagchair")
    other = PriorityFactory(plan=priority.plan, theme=priority.theme, number=2, lead_person=lead)
    assert other.lead_person == lead
    url = reverse("plans:priority_update", args=[partnership.slug, priority.pk])
    assert client_for(lead).get(url).status_code == 403


def test_chair_of_the_lead_body_counts_as_lead(partnership, priority):
    from tests.factories import BodyFactory

    chair = member(partnership, Role.BOARD_MEMBER, username="inspector")
    priority.lead_body = BodyFactory(partnership=partnership, chair=chair)
    priority.save()
    action = ActionFactory(priority=priority)
    progress.record_progress(
        action=action,
        quarter=Quarter(FinancialYear(2017), 1),
        status="at_risk",
        commentary="",
        user=chair,
    )
    assert action.progress.get().status == "at_risk"


def test_service_refuses_a_clerk(priority, clerk):
    from django.core.exceptions import PermissionDenied

    action = ActionFactory(priority=priority)
    with pytest.raises(PermissionDenied):
        progress.record_progress(
            action=action,
            quarter=Quarter(FinancialYear(2017), 1),
            status="on_track",
            commentary="",
            user=clerk,
        )
    assert not action.progress.exists()
