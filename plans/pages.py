"""What the plans pages share: a plan or priority fetched within the partnership in the
URL (another partnership's is a 404), their addresses, the form page, and the refusal of
a life-cycle step the plan's status or the person's roles do not allow."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from plans import lifecycle
from plans.models import Plan, Priority


def plan_in(partnership, pk: int) -> Plan:
    return get_object_or_404(
        Plan.objects.select_related("partnership"), pk=pk, partnership=partnership
    )


def priority_in(partnership, pk: int) -> Priority:
    return get_object_or_404(
        Priority.objects.select_related(
            "plan__partnership", "theme", "lead_body", "lead_person", "copied_from"
        ),
        pk=pk,
        plan__partnership=partnership,
    )


def plan_url(plan: Plan) -> str:
    return reverse("plans:plan", kwargs={"partnership": plan.partnership.slug, "plan": plan.pk})


def priority_url(priority: Priority) -> str:
    return reverse(
        "plans:priority",
        kwargs={"partnership": priority.plan.partnership.slug, "priority": priority.pk},
    )


def form_page(
    request, partnership, form, *, title, back, plan, submit="Save", stale=None
) -> HttpResponse:
    return render(
        request,
        "plans/form.html",
        {
            "partnership": partnership,
            "form": form,
            "title": title,
            "back": back,
            "plan": plan,
            "submit": submit,
            "stale": stale,
        },
        status=409 if stale else 200,
    )


def refuse_unless(name: str, plan: Plan, user, *, priority: Priority | None = None) -> None:
    """403 when the life cycle (plans/lifecycle.py) never lets `user` take step `name` on
    `plan` in its status (an adopted plan is read-only, to administrators too). Other
    refusals (the partnership already has a draft) are the service's to explain."""
    problem = lifecycle.refusal(name, plan, user, priority=priority)
    if isinstance(problem, lifecycle.NotAllowed | lifecycle.WrongState):
        raise PermissionDenied(" ".join(problem.messages))
