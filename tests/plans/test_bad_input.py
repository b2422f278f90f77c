"""Bad input gets a clear message naming the field and problem, and changes nothing."""

import pytest
from django.urls import reverse

from csp_portal.financial_year import FinancialYear, Quarter
from plans import progress, services
from plans.models import ActionProgress, PerformanceMeasure, Priority, PriorityReport
from tests.plans.factories import (
    ActionFactory,
    PlanFactory,
    PriorityFactory,
    ThemeFactory,
    adopted_plan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(partnership):
    plan = PlanFactory(partnership=partnership)
    theme = ThemeFactory(plan=plan, number=1, title="Making Communities Safer")
    PriorityFactory(plan=plan, theme=theme, number=3, title="Proactively tackle ASB")
    return plan


def test_priority_number_used_twice_is_refused_and_form_kept(client_for, partnership_admin, draft):
    url = reverse("plans:priority_create", args=[draft.partnership.slug, draft.pk])
    response = client_for(partnership_admin).post(
        url,
        {
            "theme": draft.themes.get().pk,
            "number": 3,
            "title": "Reduce the risk of harm for young people",
            "why": "Young people are being drawn into crime.",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Priority 3 is already used in this plan" in page
    assert "Proactively tackle ASB" in page  # names the priority that holds the number
    assert "Reduce the risk of harm for young people" in page  # what was typed is kept
    assert "Young people are being drawn into crime." in page
    assert Priority.objects.filter(plan=draft).count() == 1


def test_priority_number_clash_refused_by_the_service_too(draft):
    clash = Priority(plan=draft, theme=draft.themes.get(), number=3, title="Another")
    with pytest.raises(Exception, match="Priority 3 is already used"):
        services.save_priority(priority=clash)
    assert Priority.objects.filter(plan=draft).count() == 1


def test_measure_without_direction_is_refused(client_for, partnership_admin, draft):
    priority = draft.priorities.get()
    url = reverse("plans:measure_create", args=[draft.partnership.slug, priority.pk])
    response = client_for(partnership_admin).post(
        url, {"order": 1, "name": "Number of PACT meetings", "target_value": "12"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Say whether lower or higher is better" in page
    assert 'value="Number of PACT meetings"' in page
    assert not PerformanceMeasure.objects.exists()


def test_measure_without_direction_refused_by_the_service(draft):
    measure = PerformanceMeasure(priority=draft.priorities.get(), name="PACT meetings")
    with pytest.raises(Exception, match="lower or higher is better"):
        services.save_measure(measure=measure)
    assert not PerformanceMeasure.objects.exists()


def test_progress_for_a_quarter_outside_the_plan_changes_nothing(client_for, officer, partnership):
    plan = adopted_plan(partnership)
    priority = PriorityFactory(plan=plan, theme=ThemeFactory(plan=plan), number=1)
    first, second = ActionFactory(priority=priority), ActionFactory(priority=priority)
    url = reverse("plans:priority_update", args=[partnership.slug, priority.pk])
    response = client_for(officer).post(
        url,
        {
            "financial_year": "2021/22",
            "quarter": "1",
            f"action-{first.pk}-status": "on_track",
            f"action-{first.pk}-commentary": "Strategy drafted",
            f"action-{second.pk}-status": "at_risk",
            f"action-{second.pk}-commentary": "Waiting for data",
            "report-successes": "Burglary down in Beat 62",
            "report-threats": "Shoplifting rising",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Q1 2021/22 is outside the plan&#x27;s period (2017/18 – 2019/20)" in page
    assert "Burglary down in Beat 62" in page and "Waiting for data" in page
    assert not ActionProgress.objects.exists()
    assert not PriorityReport.objects.exists()


def test_progress_outside_the_period_refused_by_the_service(partnership, officer):
    plan = adopted_plan(partnership)
    action = ActionFactory(priority=PriorityFactory(plan=plan, theme=ThemeFactory(plan=plan)))
    with pytest.raises(Exception, match="outside the plan's period"):
        progress.record_progress(
            action=action,
            quarter=Quarter(FinancialYear(2016), 4),  # 31 March 2017: the day before it starts
            status="on_track",
            commentary="",
            user=officer,
        )
    assert not ActionProgress.objects.exists()


def test_quarterly_update_saves_everything_together(client_for, officer, partnership):
    plan = adopted_plan(partnership)
    priority = PriorityFactory(plan=plan, theme=ThemeFactory(plan=plan), number=1)
    action = ActionFactory(priority=priority)
    url = reverse("plans:priority_update", args=[partnership.slug, priority.pk])
    response = client_for(officer).post(
        url,
        {
            "financial_year": "2017/18",
            "quarter": "4",  # Q4 2017/18 ends 31 March 2018, inside the plan
            f"action-{action.pk}-status": "on_track",
            f"action-{action.pk}-commentary": "Strategy adopted by JAG",
            "report-successes": "Burglary down",
            "report-threats": "Shoplifting rising",
        },
    )
    assert response.status_code == 302
    progress = ActionProgress.objects.get()
    assert (progress.period, progress.status) == (Quarter(FinancialYear(2017), 4), "on_track")
    assert progress.reported_by == officer
    report = PriorityReport.objects.get()
    assert report.successes == "Burglary down" and report.author == officer


def test_update_page_records_indicator_values_and_rejects_bad_numbers(
    client_for, officer, partnership
):
    from plans.models import MeasureValue
    from tests.plans.factories import MeasureFactory

    plan = adopted_plan(partnership)
    priority = PriorityFactory(plan=plan, theme=ThemeFactory(plan=plan), number=1)
    measure = MeasureFactory(
        priority=priority, name="PACT meetings", target_change_pct=None, target_value=3
    )
    url = reverse("plans:priority_update", args=[partnership.slug, priority.pk])
    form = {
        "financial_year": "2017/18",
        "quarter": "2",
        "report-successes": "Good",
        "report-threats": "None",
    }
    response = client_for(officer).post(url, {**form, f"measure-{measure.pk}-value": "three"})
    assert response.status_code == 200
    assert "Enter a number." in response.content.decode()
    assert not MeasureValue.objects.exists() and not PriorityReport.objects.exists()

    response = client_for(officer).post(url, {**form, f"measure-{measure.pk}-value": "4"})
    assert response.status_code == 302
    value = MeasureValue.objects.get()
    assert (str(value.period), value.value, value.entered_by) == ("Q2 2017/18", 4, officer)
