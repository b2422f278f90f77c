"""The plans app's pages that change a draft plan's content: its themes, priorities,
measures and actions, and removing one. Partnership administrators only; each save
goes through plans.services with the version the form was opened at."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from csp_portal.access import partnership_view
from csp_portal.forms import show_refusal
from csp_portal.versioning import StaleVersion, refresh_version
from plans import services
from plans.access import PLAN_EDITORS
from plans.forms import ActionForm, MeasureForm, PriorityForm, ThemeForm
from plans.models import Action, PerformanceMeasure, Priority
from plans.pages import form_page, plan_in, plan_url, priority_in, priority_url, refuse_unless


def _content_view(request, partnership, *, form, save, title, back, plan):
    """The shared shape of the draft-content forms: validate, call the service (with the
    version the form was opened at), redirect; a stale save shows what changed."""
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            save(form.instance, form.posted_version())
        except StaleVersion as error:
            stale = error
            refresh_version(form, error)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{title}: saved.")
            return redirect(back)
    return form_page(request, partnership, form, title=title, back=back, plan=plan, stale=stale)


@require_http_methods(["GET", "POST"])
@partnership_view(PLAN_EDITORS)
def theme_edit(request: HttpRequest, partnership, plan: int, theme: int | None = None):
    plan = plan_in(partnership, plan)
    refuse_unless("edit", plan, request.user)
    instance = get_object_or_404(plan.themes, pk=theme) if theme else None
    form = ThemeForm(request.POST or None, instance=instance)
    form.instance.plan = plan
    return _content_view(
        request,
        partnership,
        form=form,
        save=lambda t, v: services.save_theme(theme=t, expected_version=v),
        title=f"Theme {instance.number}" if instance else "New theme",
        back=plan_url(plan),
        plan=plan,
    )


@require_http_methods(["GET", "POST"])
@partnership_view(PLAN_EDITORS)
def priority_edit(request: HttpRequest, partnership, plan: int, priority: int | None = None):
    plan = plan_in(partnership, plan)
    refuse_unless("edit", plan, request.user)
    instance = get_object_or_404(plan.priorities, pk=priority) if priority else None
    form = PriorityForm(request.POST or None, instance=instance, plan=plan)
    form.instance.plan = plan
    return _content_view(
        request,
        partnership,
        form=form,
        save=lambda p, v: services.save_priority(priority=p, expected_version=v),
        title=f"Priority {instance.number}" if instance else "New priority",
        back=priority_url(instance) if instance else plan_url(plan),
        plan=plan,
    )


@require_http_methods(["GET", "POST"])
@partnership_view(PLAN_EDITORS)
def measure_edit(request: HttpRequest, partnership, priority: int, measure: int | None = None):
    priority = priority_in(partnership, priority)
    refuse_unless("edit", priority.plan, request.user)
    instance = get_object_or_404(priority.measures, pk=measure) if measure else None
    form = MeasureForm(request.POST or None, instance=instance, priority=priority)
    form.instance.priority = priority
    return _content_view(
        request,
        partnership,
        form=form,
        save=lambda m, v: services.save_measure(measure=m, expected_version=v),
        title=f"Measure of priority {priority.number}",
        back=priority_url(priority),
        plan=priority.plan,
    )


@require_http_methods(["GET", "POST"])
@partnership_view(PLAN_EDITORS)
def action_edit(request: HttpRequest, partnership, priority: int, action: int | None = None):
    priority = priority_in(partnership, priority)
    refuse_unless("edit", priority.plan, request.user)
    instance = get_object_or_404(priority.actions, pk=action) if action else None
    form = ActionForm(request.POST or None, instance=instance, priority=priority)
    form.instance.priority = priority
    return _content_view(
        request,
        partnership,
        form=form,
        save=lambda a, v: services.save_action(action=a, expected_version=v),
        title=f"Action {priority.number}.{instance.number}" if instance else "New action",
        back=priority_url(priority),
        plan=priority.plan,
    )


REMOVABLE = {"priority": Priority, "measure": PerformanceMeasure, "action": Action}


@require_http_methods(["GET", "POST"])
@partnership_view(PLAN_EDITORS)
def remove(request: HttpRequest, partnership, kind: str, pk: int) -> HttpResponse:
    """Remove a priority, measure or action from a draft plan (after confirming)."""
    model = REMOVABLE.get(kind)
    if model is None:
        raise Http404("Nothing of that kind can be removed.")
    scope = "plan__partnership" if model is Priority else "priority__plan__partnership"
    record = get_object_or_404(model, pk=pk, **{scope: partnership})
    plan = record.plan if model is Priority else record.priority.plan
    refuse_unless("edit", plan, request.user)
    back = plan_url(plan) if model is Priority else priority_url(record.priority)
    if request.method == "POST":
        try:
            services.remove_from_draft(record=record)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Removed {record}.")
        return redirect(back)
    return render(
        request,
        "plans/confirm.html",
        {
            "partnership": partnership,
            "plan": plan,
            "title": f"Remove {record}",
            "explanation": f"This removes it from {plan.label}"
            + (" with its measures and actions." if model is Priority else "."),
            "submit": "Remove",
        },
    )
