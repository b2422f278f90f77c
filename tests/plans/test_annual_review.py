"""Annual review: copy the adopted plan into a draft, compare versions, adopt."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from csp_portal.financial_year import FinancialYear, Quarter
from plans import progress, services
from plans.models import Plan, PlanStatus
from plans.review import diff_plans
from tests.plans.factories import (
    ActionFactory,
    MeasureFactory,
    PriorityFactory,
    ThemeFactory,
    adopted_plan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(partnership, officer):
    plan = adopted_plan(partnership, adopted_on=dt.date(2017, 3, 30))
    theme = ThemeFactory(plan=plan, number=1, title="Making Communities Safer")
    priority = PriorityFactory(
        plan=plan, theme=theme, number=1, title="Reduce All Crime", lead_person=officer
    )
    MeasureFactory(priority=priority, name="All Crime")
    done = ActionFactory(priority=priority, number=1, key_action="Create a Syston working group")
    ActionFactory(priority=priority, number=2, key_action="Review Operation Lexical in June")
    progress.record_progress(
        action=done,
        quarter=Quarter(FinancialYear(2017), 2),
        status="complete",
        commentary="Group formed",
        user=officer,
    )
    return plan


def test_review_copies_themes_priorities_measures_and_open_actions(plan, officer):
    draft = services.start_review(plan=plan)
    assert draft.status == PlanStatus.DRAFT and draft.based_on == plan
    assert draft.version_year == FinancialYear(2018)
    assert draft.label == "Partnership Plan 2017-2020 (2018/19 review)"
    assert [t.title for t in draft.themes.all()] == ["Making Communities Safer"]
    (priority,) = draft.priorities.all()
    assert (priority.number, priority.title, priority.lead_person) == (
        1,
        "Reduce All Crime",
        officer,
    )
    assert [m.name for m in priority.measures.all()] == ["All Crime"]
    # The completed action stays behind; the open one comes across without its progress.
    assert [a.key_action for a in priority.actions.all()] == ["Review Operation Lexical in June"]
    assert not priority.actions.get().progress.exists()
    assert priority.copied_from.plan == plan
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ADOPTED  # still in force until the draft is adopted


def test_only_one_draft_at_a_time(plan):
    services.start_review(plan=plan)
    with pytest.raises(ValidationError, match="already a draft"):
        services.start_review(plan=plan)
    assert Plan.objects.filter(status=PlanStatus.DRAFT).count() == 1


def test_diff_shows_what_changed(plan):
    draft = services.start_review(plan=plan)
    priority = draft.priorities.get()
    priority.title = "Reduce All Crime, particularly Domestic Burglary"
    services.save_priority(priority=priority)
    ActionFactory(priority=priority, number=3, key_action="Seasonal burglary campaign")
    sections = {s.heading: s for s in diff_plans(plan, draft)}
    title = sections["Priority 1"].changes[0]
    assert (title.field, title.before, title.after) == (
        "Title",
        "Reduce All Crime",
        "Reduce All Crime, particularly Domestic Burglary",
    )
    inserted = " ".join(text for op, text in title.words if op == "ins")
    assert inserted.endswith("particularly Domestic Burglary")
    assert sections["Action 1.3"].state == "added"
    assert sections["Action 1.1"].state == "removed"  # completed, so not carried over
    assert "Action 1.2" not in sections  # unchanged


def test_compare_page_lists_changes(client_for, board_member, plan):
    draft = services.start_review(plan=plan)
    draft.vision += " Everyone feels safe in Charnwood."
    services.update_plan(plan=draft)
    url = reverse("plans:compare", args=[plan.partnership.slug, draft.pk])
    page = client_for(board_member).get(url).content.decode()
    assert "<ins>Everyone feels safe in Charnwood.</ins>" in page
    assert "<caption" in page


def test_adopting_the_draft_supersedes_the_previous_plan(plan):
    draft = services.start_review(plan=plan)
    services.adopt(plan=draft, on=dt.date(2018, 5, 31))
    plan.refresh_from_db()
    draft.refresh_from_db()
    assert plan.status == PlanStatus.SUPERSEDED
    assert (draft.status, draft.adopted_on) == (PlanStatus.ADOPTED, dt.date(2018, 5, 31))
    with pytest.raises(ValidationError, match="already adopted"):
        services.adopt(plan=draft)


def test_adopt_and_review_through_the_pages(client_for, partnership_admin, plan):
    client = client_for(partnership_admin)
    slug = plan.partnership.slug
    response = client.post(reverse("plans:review", args=[slug, plan.pk]))
    draft = Plan.objects.get(status=PlanStatus.DRAFT)
    assert response.status_code == 302 and response.url.endswith(f"/{draft.pk}/")
    assert client.post(reverse("plans:adopt", args=[slug, draft.pk])).status_code == 302
    assert Plan.objects.get(pk=draft.pk).status == PlanStatus.ADOPTED
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUPERSEDED


def test_board_member_cannot_adopt(client_for, board_member, plan):
    draft = services.start_review(plan=plan)
    url = reverse("plans:adopt", args=[plan.partnership.slug, draft.pk])
    assert client_for(board_member).post(url).status_code == 403
    assert Plan.objects.get(pk=draft.pk).status == PlanStatus.DRAFT


def test_other_apps_choose_from_the_plan_in_force(plan, partnership):
    from plans.selectors import priorities_in_force, themes_in_force

    draft = services.start_review(plan=plan)
    assert [p.plan for p in priorities_in_force(partnership)] == [plan]
    assert [t.plan for t in themes_in_force(partnership)] == [plan]
    services.adopt(plan=draft)
    assert [p.plan for p in priorities_in_force(partnership)] == [draft]


def test_a_record_keeps_the_superseded_priority_it_is_already_tied_to(plan, partnership):
    """A bid or item tied to the old plan's priority can still be edited: its own link is
    offered beside the plan in force, and nothing else of the old plan is."""
    from plans.selectors import priorities_in_force, priority_label

    old = list(plan.priorities.order_by("number"))
    services.adopt(plan=services.start_review(plan=plan))
    offered = list(priorities_in_force(partnership, keep=[old[0].pk, None]))
    assert old[0] in offered and not set(old[1:]) & set(offered)
    assert priority_label(old[0]) == f"{old[0]} ({plan})"


def test_every_form_that_links_a_priority_offers_the_plan_in_force_only(plan, partnership):
    """The bid, budget-line, agenda-item and partner-report forms give one answer, labelled
    with the plan's name (numbers repeat from one plan to the next)."""
    from funding.forms import BidForm, BudgetLineForm
    from meetings.models import Meeting
    from meetings.report_forms import PartnerReportForm

    superseded = list(plan.priorities.all())
    draft = services.start_review(plan=plan)
    services.adopt(plan=draft)
    in_force = set(draft.priorities.all())
    forms = [
        BidForm(partnership=partnership).fields["priority"],
        BudgetLineForm(partnership=partnership).fields["priority"],
        PartnerReportForm(
            partnership=partnership, themes=[], quarters=[], meetings=Meeting.objects.none()
        ).fields["priorities"],
    ]
    for field in forms:
        assert set(field.queryset) == in_force, field
        assert not set(field.queryset) & set(superseded)
        assert str(draft) in field.label_from_instance(next(iter(in_force)))


def test_an_adopted_plan_offers_no_adoption_and_a_draft_no_review(
    client_for, partnership_admin, plan
):
    # The confirmation pages used to be served for the wrong state (adopt an adopted
    # plan, review a draft), offering a button that could only fail.
    client = client_for(partnership_admin)
    slug = plan.partnership.slug
    adopt_adopted = reverse("plans:adopt", args=[slug, plan.pk])
    assert client.get(adopt_adopted).status_code == 403
    assert client.post(adopt_adopted).status_code == 403
    draft = services.start_review(plan=plan)
    review_draft = reverse("plans:review", args=[slug, draft.pk])
    assert client.get(review_draft).status_code == 403
    assert client.post(review_draft).status_code == 403
    assert Plan.objects.filter(status=PlanStatus.DRAFT).get() == draft
    services.adopt(plan=draft)
    superseded = Plan.objects.get(pk=plan.pk)
    assert superseded.status == PlanStatus.SUPERSEDED
    assert client.get(reverse("plans:review", args=[slug, superseded.pk])).status_code == 403
    assert client.get(reverse("plans:adopt", args=[slug, superseded.pk])).status_code == 403
