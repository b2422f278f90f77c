"""A partnership administrator writes a draft plan through the pages."""

import pytest
from django.urls import reverse

from plans.models import Action, PerformanceMeasure, Plan, PlanStatus, Priority, Theme
from tests.factories import OrganisationFactory
from tests.plans.factories import (
    ActionFactory,
    CategoryFactory,
    MeasureFactory,
    PriorityFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def test_admin_builds_a_draft_plan_from_the_pages(client_for, partnership, partnership_admin):
    client = client_for(partnership_admin)
    slug = partnership.slug
    response = client.post(
        reverse("plans:create", args=[slug]),
        {
            "title": "Partnership Plan 2020-2023",
            "first_year": "2020/21",
            "last_year": "2022/23",
            "vision": "A safer Charnwood",
        },
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and plan.status == PlanStatus.DRAFT
    assert str(plan.first_year) == "2020/21"

    client.post(
        reverse("plans:theme_create", args=[slug, plan.pk]), {"number": 1, "title": "Safer"}
    )
    theme = Theme.objects.get()
    client.post(
        reverse("plans:priority_create", args=[slug, plan.pk]),
        {"theme": theme.pk, "number": 1, "title": "Reduce burglary"},
    )
    priority = Priority.objects.get()
    category = CategoryFactory(partnership=partnership, name="Burglary – Residential")
    response = client.post(
        reverse("plans:measure_create", args=[slug, priority.pk]),
        {
            "order": 1,
            "name": "Domestic burglary",
            "crime_category": category.pk,
            "direction": "lower",
            "target_change_pct": "-3",
        },
    )
    assert response.status_code == 302
    measure = PerformanceMeasure.objects.get()
    assert (measure.crime_category, str(measure.target_change_pct)) == (category, "-3.0")
    agency = OrganisationFactory(name="Leicestershire Police")
    agency.partnerships.add(partnership)
    response = client.post(
        reverse("plans:action_create", args=[slug, priority.pk]),
        {
            "number": 1,
            "key_action": "Target hardening",
            "lead_agency": agency.pk,
            "measure": measure.pk,
        },
    )
    assert response.status_code == 302
    assert Action.objects.get().measure == measure

    response = client.post(reverse("plans:adopt", args=[slug, plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ADOPTED


def test_last_year_before_first_year_is_refused(client_for, partnership, partnership_admin):
    response = client_for(partnership_admin).post(
        reverse("plans:create", args=[partnership.slug]),
        {"title": "Backwards", "first_year": "2020/21", "last_year": "2019/20"},
    )
    assert response.status_code == 200
    assert "cannot end (2019/20) before it starts (2020/21)" in response.content.decode()
    assert not Plan.objects.exists()


def test_a_plan_with_no_priorities_cannot_be_adopted(client_for, partnership, partnership_admin):
    plan = Plan.objects.create(
        partnership=partnership, title="Empty", first_year=2020, last_year=2022
    )
    client_for(partnership_admin).post(reverse("plans:adopt", args=[partnership.slug, plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_index_shows_the_list_while_no_plan_is_adopted(client_for, partnership, board_member):
    Plan.objects.create(
        partnership=partnership, title="Draft plan", first_year=2020, last_year=2022
    )
    response = client_for(board_member).get(reverse("plans:index", args=[partnership.slug]))
    assert response.status_code == 200
    assert "Draft plan" in response.content.decode()


def test_removing_from_a_draft_and_never_from_an_adopted_plan(
    client_for, partnership, partnership_admin
):
    draft = Plan.objects.create(
        partnership=partnership, title="Draft", first_year=2020, last_year=2022
    )
    priority = PriorityFactory(plan=draft, theme=ThemeFactory(plan=draft), number=1)
    measure = MeasureFactory(priority=priority)
    action = ActionFactory(priority=priority)
    client = client_for(partnership_admin)
    url = reverse("plans:remove", args=[partnership.slug, "measure", measure.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not PerformanceMeasure.objects.exists()

    draft.status = PlanStatus.ADOPTED
    draft.save()
    url = reverse("plans:remove", args=[partnership.slug, "action", action.pk])
    assert client.post(url).status_code == 403
    assert Action.objects.filter(pk=action.pk).exists()
    url = reverse("plans:remove", args=[partnership.slug, "priority", priority.pk])
    assert client.post(url).status_code == 403
    assert Priority.objects.filter(pk=priority.pk).exists()


def test_another_partnerships_records_cannot_be_removed(client_for, outsider, partnership):
    draft = Plan.objects.create(
        partnership=partnership, title="Draft", first_year=2020, last_year=2022
    )
    priority = PriorityFactory(plan=draft, theme=ThemeFactory(plan=draft), number=1)
    url = reverse("plans:remove", args=["melton", "priority", priority.pk])
    assert client_for(outsider).post(url).status_code == 404
    assert Priority.objects.filter(pk=priority.pk).exists()
