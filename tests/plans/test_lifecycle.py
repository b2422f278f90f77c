"""The plan life cycle is the table in plans/lifecycle.py: a step the table does not
declare for the plan's status is refused by the service and not offered on the page."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from csp_portal.financial_year import Quarter
from plans import lifecycle, progress, services
from plans.models import Plan, PlanStatus
from tests.plans.factories import ActionFactory, PlanFactory, PriorityFactory, ThemeFactory

pytestmark = pytest.mark.django_db

#: What each step's button says on the plan page.
BUTTONS = {
    "edit": "Edit the plan",
    "adopt": "Adopt…",
    "review": "Start the annual review…",
}  # (record_progress: the priority page's "Record the quarterly update", tested below)


def _plan_in(partnership, status: str) -> Plan:
    """A plan with a priority in `status` (a superseded one has its successor adopted)."""
    if status == PlanStatus.SUPERSEDED:
        PlanFactory(partnership=partnership, status=PlanStatus.ADOPTED, title="Successor")
    plan = PlanFactory(partnership=partnership, status=status, title=f"The {status} plan")
    PriorityFactory(plan=plan, theme=ThemeFactory(plan=plan, number=1), number=1)
    return plan


def _take(step: str, plan: Plan, by):
    """The service that takes `step` on `plan`."""
    if step == "edit":
        plan.vision = "A changed vision"
        return services.update_plan(plan=plan)
    if step == "adopt":
        return services.adopt(plan=plan, on=dt.date(2026, 4, 1), by=by)
    if step == "review":
        return services.start_review(plan=plan, by=by)
    raise AssertionError(step)


NOT_DECLARED = [
    (status, step)
    for status in PlanStatus.values
    for step in BUTTONS
    if status not in lifecycle.STEPS[step].sources
]
DECLARED = [
    (status, step)
    for status in PlanStatus.values
    for step in BUTTONS
    if status in lifecycle.STEPS[step].sources
]


def test_every_status_leaves_some_step_undeclared():
    # The test below would prove nothing if the table allowed everything everywhere.
    assert {status for status, _ in NOT_DECLARED} == set(PlanStatus.values)
    assert ("adopted", "edit") in NOT_DECLARED and ("draft", "review") in NOT_DECLARED


@pytest.mark.parametrize(("status", "step"), NOT_DECLARED)
def test_a_step_the_table_does_not_declare_is_refused_and_not_offered(
    client_for, partnership, partnership_admin, status, step
):
    plan = _plan_in(partnership, status)
    before = {p.pk: p.status for p in Plan.objects.all()}
    with pytest.raises(lifecycle.WrongState):
        _take(step, Plan.objects.get(pk=plan.pk), partnership_admin)
    assert {p.pk: p.status for p in Plan.objects.all()} == before
    assert Plan.objects.count() == len(before)

    client = client_for(partnership_admin)
    page = client.get(reverse("plans:plan", args=[partnership.slug, plan.pk]))
    assert page.status_code == 200
    assert BUTTONS[step] not in page.content.decode()
    url = {"edit": "plans:edit", "adopt": "plans:adopt", "review": "plans:review"}[step]
    assert client.post(reverse(url, args=[partnership.slug, plan.pk])).status_code == 403


@pytest.mark.parametrize(("status", "step"), DECLARED)
def test_a_step_the_table_declares_is_offered_to_an_administrator_only(
    client_for, partnership, partnership_admin, board_member, status, step
):
    plan = _plan_in(partnership, status)
    url = reverse("plans:plan", args=[partnership.slug, plan.pk])
    assert BUTTONS[step] in client_for(partnership_admin).get(url).content.decode()
    assert BUTTONS[step] not in client_for(board_member).get(url).content.decode()
    with pytest.raises(lifecycle.NotAllowed):
        if step == "edit":  # the content saves leave the person to the page
            lifecycle.check("edit", plan, board_member)
        else:
            _take(step, plan, board_member)
    assert Plan.objects.get(pk=plan.pk).status == status


def test_the_review_is_neither_offered_nor_taken_while_a_draft_exists(
    client_for, partnership, partnership_admin
):
    adopted = _plan_in(partnership, PlanStatus.ADOPTED)
    url = reverse("plans:plan", args=[partnership.slug, adopted.pk])
    client = client_for(partnership_admin)
    assert BUTTONS["review"] in client.get(url).content.decode()
    listing = reverse("plans:list", args=[partnership.slug])
    assert "New plan" in client.get(listing).content.decode()
    services.start_review(plan=adopted, by=partnership_admin)
    assert BUTTONS["review"] not in client.get(url).content.decode()
    with pytest.raises(ValidationError, match="already a draft"):
        services.start_review(plan=adopted, by=partnership_admin)
    assert "New plan" not in client.get(listing).content.decode()
    with pytest.raises(ValidationError, match="already has a draft"):
        services.create_plan(
            partnership=partnership,
            title="Another",
            first_year=adopted.first_year,
            last_year=adopted.last_year,
            by=partnership_admin,
        )


def test_adopting_supersedes_the_plan_in_force_as_the_table_says(partnership, partnership_admin):
    adopted = _plan_in(partnership, PlanStatus.ADOPTED)
    draft = services.start_review(plan=adopted)
    services.adopt(plan=draft)
    assert Plan.objects.get(pk=adopted.pk).status == lifecycle.STEPS["supersede"].target
    assert Plan.objects.get(pk=draft.pk).status == lifecycle.STEPS["adopt"].target
    # Nobody supersedes a plan by hand: only the portal, while adopting the next one.
    in_force = Plan.objects.get(pk=draft.pk)
    assert lifecycle.refusal("supersede", in_force, None) is None
    assert isinstance(
        lifecycle.refusal("supersede", in_force, partnership_admin), lifecycle.NotAllowed
    )


@pytest.mark.parametrize("status", PlanStatus.values)
def test_quarterly_progress_is_offered_and_taken_only_where_the_table_says(
    client_for, partnership, officer, status
):
    plan = _plan_in(partnership, status)
    priority = plan.priorities.get()
    action = ActionFactory(priority=priority)
    declared = status in lifecycle.STEPS["record_progress"].sources
    assert declared == (status == PlanStatus.ADOPTED)
    client = client_for(officer)
    page = client.get(reverse("plans:priority", args=[partnership.slug, priority.pk]))
    assert ("Record the quarterly update" in page.content.decode()) == declared
    update = client.get(reverse("plans:priority_update", args=[partnership.slug, priority.pk]))
    assert update.status_code == (200 if declared else 403)
    quarter = Quarter(plan.first_year, 1)
    if declared:
        progress.record_progress(
            action=action, quarter=quarter, status="on_track", commentary="", user=officer
        )
        assert action.progress.count() == 1
    else:
        with pytest.raises(lifecycle.WrongState):
            progress.record_progress(
                action=action, quarter=quarter, status="on_track", commentary="", user=officer
            )
        assert not action.progress.exists()
