"""What the plans pages share: a plan or priority fetched within the partnership in the
URL (another partnership's is a 404), their addresses, the form page, and the refusal to
change a plan that is no longer a draft."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

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


def refuse_if_locked(plan: Plan) -> None:
    if not plan.is_editable:
        raise PermissionDenied(
            f"{plan.label} is {plan.get_status_display().lower()} and read-only; start the "
            "annual review to change it."
        )
