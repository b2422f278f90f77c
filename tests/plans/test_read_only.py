"""An adopted (or superseded) plan is read-only: the services refuse, nothing changes."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from csp_portal.financial_year import FinancialYear, Quarter
from plans import progress, services
from plans.lifecycle import PlanReadOnly
from plans.models import Plan, PlanStatus, Priority, Theme
from tests.plans.factories import (
    ActionFactory,
    MeasureFactory,
    PriorityFactory,
    ThemeFactory,
    adopted_plan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def priority(partnership):
    plan = adopted_plan(partnership)
    return PriorityFactory(theme=ThemeFactory(plan=plan), plan=plan, number=1, title="Reduce crime")


def test_adopted_plan_text_cannot_be_changed(priority):
    plan = priority.plan
    plan.vision = "Something else"
    with pytest.raises(PlanReadOnly, match="adopted and cannot be changed"):
        services.update_plan(plan=plan)
    plan.refresh_from_db()
    assert plan.vision == "To contribute to a high quality of life for all."


def test_adopted_plan_priorities_themes_measures_actions_are_frozen(priority):
    priority.title = "Changed"
    with pytest.raises(PlanReadOnly):
        services.save_priority(priority=priority)
    assert Priority.objects.get(pk=priority.pk).title == "Reduce crime"
    with pytest.raises(PlanReadOnly):
        services.save_theme(theme=Theme(plan=priority.plan, number=9, title="New"))
    assert not Theme.objects.filter(number=9).exists()
    measure = MeasureFactory.build(priority=priority)
    with pytest.raises(PlanReadOnly):
        services.save_measure(measure=measure)
    assert measure.pk is None
    action = ActionFactory.build(priority=priority, lead_agency=ActionFactory().lead_agency)
    with pytest.raises(PlanReadOnly):
        services.save_action(action=action)
    assert action.pk is None


def test_adopted_plan_assessment_cannot_be_replaced(priority):
    upload = SimpleUploadedFile("sa.pdf", b"%PDF-1.4 junk", content_type="application/pdf")
    with pytest.raises(PlanReadOnly):
        services.set_strategic_assessment(plan=priority.plan, upload=upload)
    assert not Plan.objects.get(pk=priority.plan.pk).strategic_assessment


def test_superseded_plan_takes_no_more_progress(priority, officer):
    plan = priority.plan
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUPERSEDED)
    action = ActionFactory(priority=priority)
    with pytest.raises(PlanReadOnly, match="superseded"):
        progress.record_progress(
            action=action,
            quarter=Quarter(FinancialYear(2017), 1),
            status="on_track",
            commentary="",
            user=officer,
        )
    assert not action.progress.exists()


def test_draft_takes_no_progress_until_adopted(partnership, officer):
    plan = Plan.objects.create(
        partnership=partnership, title="Draft", first_year=2017, last_year=2019
    )
    priority = PriorityFactory(theme=ThemeFactory(plan=plan), plan=plan)
    measure = MeasureFactory(priority=priority, name="PACT meetings", target_change_pct=None)
    with pytest.raises(PlanReadOnly, match="only against the adopted plan"):
        progress.record_measure_value(
            measure=measure, quarter=Quarter(FinancialYear(2017), 1), value=Decimal(3), user=officer
        )
    assert not measure.values.exists()


def test_edit_pages_of_an_adopted_plan_refuse_even_the_admin(
    client_for, partnership_admin, priority
):
    client = client_for(partnership_admin)
    plan = priority.plan
    urls = [
        reverse("plans:edit", args=[plan.partnership.slug, plan.pk]),
        reverse("plans:priority_edit", args=[plan.partnership.slug, plan.pk, priority.pk]),
        reverse("plans:priority_create", args=[plan.partnership.slug, plan.pk]),
        reverse("plans:theme_create", args=[plan.partnership.slug, plan.pk]),
        reverse("plans:measure_create", args=[plan.partnership.slug, priority.pk]),
        reverse("plans:action_create", args=[plan.partnership.slug, priority.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    response = client.post(urls[1], {"title": "Changed", "number": 1, "theme": priority.theme_id})
    assert response.status_code == 403
    assert Priority.objects.get(pk=priority.pk).title == "Reduce crime"
