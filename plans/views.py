"""Pages of the plans app: thin views over selectors.py and services.py.

Everyone in the partnership reads plans; partnership administrators edit drafts and run
the annual review; performance officers, administrators and a priority's lead record
its quarterly update. Objects are always fetched within the partnership in the URL.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from csp_portal.access import READERS, partnership_view
from csp_portal.forms import show_refusal
from csp_portal.versioning import StaleVersion, refresh_version
from plans import progress, selectors, services
from plans.access import PLAN_EDITORS, can_edit_plans, can_report_on
from plans.forms import (
    ActionForm,
    MeasureForm,
    PlanForm,
    PriorityForm,
    ProgressForm,
    QuarterForm,
    ReportForm,
    ThemeForm,
    ValueForm,
)
from plans.models import Action, PerformanceMeasure, Plan, PlanStatus, Priority, PriorityReport
from plans.pdf import plan_pdf_bytes
from plans.report_paper import render_report_html
from plans.review import diff_plans


def _plan(partnership, pk: int) -> Plan:
    return get_object_or_404(
        Plan.objects.select_related("partnership"), pk=pk, partnership=partnership
    )


def _priority(partnership, pk: int) -> Priority:
    return get_object_or_404(
        Priority.objects.select_related(
            "plan__partnership", "theme", "lead_body", "lead_person", "copied_from"
        ),
        pk=pk,
        plan__partnership=partnership,
    )


@require_GET
@partnership_view(READERS)
def index(request: HttpRequest, partnership) -> HttpResponse:
    """The plan in force, or the list of plans while none is adopted."""
    plan = selectors.current_plan(partnership)
    if plan is not None:
        return redirect("plans:plan", partnership=partnership.slug, plan=plan.pk)
    return plan_list(request, partnership.slug)


@require_GET
@partnership_view(READERS)
def plan_list(request: HttpRequest, partnership) -> HttpResponse:
    return render(
        request,
        "plans/plan_list.html",
        {
            "partnership": partnership,
            "plans": selectors.plans_for(partnership),
            "can_edit": can_edit_plans(request.user, partnership),
        },
    )


@require_GET
@partnership_view(READERS)
def plan_detail(request: HttpRequest, partnership, plan: int) -> HttpResponse:
    plan = _plan(partnership, plan)
    quarter = selectors.quarter_from_param(plan, request.GET.get("quarter"))
    overview = selectors.plan_overview(plan, quarter)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "partnership": partnership,
            "plan": plan,
            "quarter": quarter,
            "overview": overview,
            "can_edit": can_edit_plans(request.user, partnership),
            "draft": Plan.objects.filter(partnership=partnership, status=PlanStatus.DRAFT)
            .exclude(pk=plan.pk)
            .first(),
        },
    )


@require_GET
@partnership_view(READERS)
def plan_pdf(request: HttpRequest, partnership, plan: int) -> HttpResponse:
    plan = _plan(partnership, plan)
    quarter = selectors.quarter_from_param(plan, request.GET.get("quarter"))
    response = HttpResponse(plan_pdf_bytes(plan, quarter), content_type="application/pdf")
    name = slugify(f"{partnership.slug} {plan.label}")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'  # a PDF we built
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@partnership_view(READERS)
def assessment(request: HttpRequest, partnership, plan: int) -> FileResponse:
    """The strategic assessment, served only to members (MEDIA_ROOT is not public)."""
    plan = _plan(partnership, plan)
    if not plan.strategic_assessment:
        raise Http404("This plan has no strategic assessment attached.")
    try:
        handle = plan.strategic_assessment.open("rb")
    except FileNotFoundError as error:
        raise Http404("The strategic assessment file is missing.") from error
    # An uploaded file, not one we built: downloaded, never opened inside the portal.
    response = FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=True,
        filename=plan.strategic_assessment_name or "strategic-assessment.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _form_page(request, partnership, form, *, title, back, plan, submit="Save", stale=None):
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


def _refuse_if_locked(plan: Plan) -> None:
    if not plan.is_editable:
        raise PermissionDenied(
            f"{plan.label} is {plan.get_status_display().lower()} and read-only; start the "
            "annual review to change it."
        )


@require_http_methods(["GET", "POST"])
@partnership_view(PLAN_EDITORS)
def plan_create(request: HttpRequest, partnership) -> HttpResponse:
    form = PlanForm(request.POST or None, request.FILES or None)
    back = reverse("plans:list", kwargs={"partnership": partnership.slug})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                partnership=partnership,
                title=data["title"],
                first_year=data["first_year"],
                last_year=data["last_year"],
                vision=data["vision"],
                overarching_aim=data["overarching_aim"],
                key_findings=data["key_findings"],
                document=data.get("document"),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{plan.label} created as a draft.")
            return redirect("plans:plan", partnership=partnership.slug, plan=plan.pk)
    return _form_page(request, partnership, form, title="New plan", back=back, plan=None)


@require_http_methods(["GET", "POST"])
@partnership_view(PLAN_EDITORS)
def plan_edit(request: HttpRequest, partnership, plan: int) -> HttpResponse:
    plan = _plan(partnership, plan)
    _refuse_if_locked(plan)
    form = PlanForm(request.POST or None, request.FILES or None, instance=plan)
    back = reverse("plans:plan", kwargs={"partnership": partnership.slug, "plan": plan.pk})
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(
                plan=form.instance,
                expected_version=form.posted_version(),
                document=form.cleaned_data.get("document"),
            )
        except StaleVersion as error:
            stale = error
            refresh_version(form, error)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Plan saved.")
            return redirect(back)
    return _form_page(
        request, partnership, form, title=f"Edit {plan.label}", back=back, plan=plan, stale=stale
    )


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
    return _form_page(request, partnership, form, title=title, back=back, plan=plan, stale=stale)


def _plan_url(plan: Plan) -> str:
    return reverse("plans:plan", kwargs={"partnership": plan.partnership.slug, "plan": plan.pk})


def _priority_url(priority: Priority) -> str:
    return reverse(
        "plans:priority",
        kwargs={"partnership": priority.plan.partnership.slug, "priority": priority.pk},
    )


@require_http_methods(["GET", "POST"])
@partnership_view(PLAN_EDITORS)
def theme_edit(request: HttpRequest, partnership, plan: int, theme: int | None = None):
    plan = _plan(partnership, plan)
    _refuse_if_locked(plan)
    instance = get_object_or_404(plan.themes, pk=theme) if theme else None
    form = ThemeForm(request.POST or None, instance=instance)
    form.instance.plan = plan
    return _content_view(
        request,
        partnership,
        form=form,
        save=lambda t, v: services.save_theme(theme=t, expected_version=v),
        title=f"Theme {instance.number}" if instance else "New theme",
        back=_plan_url(plan),
        plan=plan,
    )


@require_http_methods(["GET", "POST"])
@partnership_view(PLAN_EDITORS)
def priority_edit(request: HttpRequest, partnership, plan: int, priority: int | None = None):
    plan = _plan(partnership, plan)
    _refuse_if_locked(plan)
    instance = get_object_or_404(plan.priorities, pk=priority) if priority else None
    form = PriorityForm(request.POST or None, instance=instance, plan=plan)
    form.instance.plan = plan
    return _content_view(
        request,
        partnership,
        form=form,
        save=lambda p, v: services.save_priority(priority=p, expected_version=v),
        title=f"Priority {instance.number}" if instance else "New priority",
        back=_priority_url(instance) if instance else _plan_url(plan),
        plan=plan,
    )


@require_http_methods(["GET", "POST"])
@partnership_view(PLAN_EDITORS)
def measure_edit(request: HttpRequest, partnership, priority: int, measure: int | None = None):
    priority = _priority(partnership, priority)
    _refuse_if_locked(priority.plan)
    instance = get_object_or_404(priority.measures, pk=measure) if measure else None
    form = MeasureForm(request.POST or None, instance=instance, priority=priority)
    form.instance.priority = priority
    return _content_view(
        request,
        partnership,
        form=form,
        save=lambda m, v: services.save_measure(measure=m, expected_version=v),
        title=f"Measure of priority {priority.number}",
        back=_priority_url(priority),
        plan=priority.plan,
    )


@require_http_methods(["GET", "POST"])
@partnership_view(PLAN_EDITORS)
def action_edit(request: HttpRequest, partnership, priority: int, action: int | None = None):
    priority = _priority(partnership, priority)
    _refuse_if_locked(priority.plan)
    instance = get_object_or_404(priority.actions, pk=action) if action else None
    form = ActionForm(request.POST or None, instance=instance, priority=priority)
    form.instance.priority = priority
    return _content_view(
        request,
        partnership,
        form=form,
        save=lambda a, v: services.save_action(action=a, expected_version=v),
        title=f"Action {priority.number}.{instance.number}" if instance else "New action",
        back=_priority_url(priority),
        plan=priority.plan,
    )


@require_GET
@partnership_view(READERS)
def priority_detail(request: HttpRequest, partnership, priority: int) -> HttpResponse:
    """The golden thread: measures with live figures, actions, reports, linked records."""
    priority = _priority(partnership, priority)
    plan = priority.plan
    quarter = selectors.quarter_from_param(plan, request.GET.get("quarter"))
    (status,) = selectors.priority_statuses(plan, quarter, [priority])
    return render(
        request,
        "plans/priority_detail.html",
        {
            "partnership": partnership,
            "plan": plan,
            "priority": priority,
            "quarter": quarter,
            "status": status,
            "reports": selectors.reports_for(priority),
            "links": selectors.priority_links(priority, request.user),
            "can_edit": can_edit_plans(request.user, partnership) and plan.is_editable,
            "can_report": can_report_on(request.user, priority)
            and plan.status == PlanStatus.ADOPTED,
        },
    )


def _update_forms(request, priority: Priority, quarter, status):
    """The quarterly update: the quarter, each action's progress, indicator values and
    the lead's report, prefilled with what is already recorded for that quarter."""
    data = request.POST if request.method == "POST" else None
    existing = {
        p.action_id: p for row in status.actions if (p := row.progress) and p.period == quarter
    }
    period = QuarterForm(
        data, initial={"financial_year": quarter.financial_year, "quarter": quarter.number}
    )
    progress = [
        (
            row.action,
            ProgressForm(
                data,
                prefix=f"action-{row.action.pk}",
                initial={
                    "status": existing[row.action.pk].status,
                    "commentary": existing[row.action.pk].commentary,
                }
                if row.action.pk in existing
                else {"status": row.progress.status if row.progress else "not_started"},
            ),
        )
        for row in status.actions
    ]
    values = [
        (
            result.measure,
            ValueForm(
                data, prefix=f"measure-{result.measure.pk}", initial={"value": result.current}
            ),
        )
        for result in status.measures
        if not result.measure.is_crime_figure
    ]
    report = PriorityReport.objects.filter(
        priority=priority, financial_year=quarter.financial_year, quarter=quarter.number
    ).first()
    report_form = ReportForm(
        data,
        prefix="report",
        initial={"successes": report.successes, "threats": report.threats} if report else {},
    )
    return period, progress, values, report_form


@require_http_methods(["GET", "POST"])
@partnership_view(READERS)
def priority_update(request: HttpRequest, partnership, priority: int) -> HttpResponse:
    priority = _priority(partnership, priority)
    if not can_report_on(request.user, priority):
        raise PermissionDenied(
            f"Only the lead of priority {priority.number}, performance officers and "
            "partnership administrators can record its progress."
        )
    plan = priority.plan
    if plan.status != PlanStatus.ADOPTED:
        raise PermissionDenied("Quarterly updates are recorded only against the adopted plan.")
    quarter = selectors.quarter_from_param(plan, request.GET.get("quarter"))
    (status,) = selectors.priority_statuses(plan, quarter, [priority])
    period, action_forms, values, report_form = _update_forms(request, priority, quarter, status)
    forms_ok = all(f.is_valid() for f in [period, report_form, *(f for _, f in action_forms)])
    forms_ok = all(f.is_valid() for _, f in values) and forms_ok
    if request.method == "POST" and forms_ok:
        chosen = period.period
        try:
            progress.record_quarterly_update(
                priority=priority,
                quarter=chosen,
                actions=[
                    progress.ActionUpdate(
                        action, form.cleaned_data["status"], form.cleaned_data["commentary"]
                    )
                    for action, form in action_forms
                ],
                measures=[
                    progress.MeasureUpdate(
                        measure, form.cleaned_data["value"], form.cleaned_data["note"]
                    )
                    for measure, form in values
                    if form.cleaned_data["value"] is not None
                ],
                successes=report_form.cleaned_data["successes"],
                threats=report_form.cleaned_data["threats"],
                user=request.user,
            )
        except ValidationError as error:
            show_refusal(period, error)
        else:
            messages.success(request, f"Quarterly update for {chosen} saved.")
            return redirect(
                f"{_priority_url(priority)}?quarter={chosen.financial_year.start_year}-{chosen.number}"
            )
    return render(
        request,
        "plans/priority_update.html",
        {
            "partnership": partnership,
            "plan": plan,
            "priority": priority,
            "quarter": quarter,
            "period_form": period,
            "progress_forms": action_forms,
            "value_forms": values,
            "report_form": report_form,
        },
    )


@require_GET
@partnership_view(READERS)
def report_detail(request: HttpRequest, partnership, report: int) -> HttpResponse:
    report = get_object_or_404(
        PriorityReport.objects.select_related("priority__plan"),
        pk=report,
        priority__plan__partnership=partnership,
    )
    return render(
        request,
        "plans/report_detail.html",
        {
            "partnership": partnership,
            "report": report,
            "priority": report.priority,
            "plan": report.priority.plan,
            "paper": render_report_html(partnership, report, standalone=False),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view(PLAN_EDITORS)
def review_start(request: HttpRequest, partnership, plan: int) -> HttpResponse:
    plan = _plan(partnership, plan)
    if plan.status != PlanStatus.ADOPTED:
        # Only the plan in force is reviewed into next year's version: a draft is edited
        # directly and a superseded plan is a closed record.
        raise PermissionDenied(
            f"{plan.label} is {plan.get_status_display().lower()}: only the adopted plan "
            "goes through the annual review."
        )
    if request.method == "POST":
        try:
            draft = services.start_review(plan=plan)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_plan_url(plan))
        messages.success(request, f"{draft.label} started as a draft from {plan.label}.")
        return redirect(_plan_url(draft))
    return render(
        request,
        "plans/confirm.html",
        {
            "partnership": partnership,
            "plan": plan,
            "title": f"Start the annual review of {plan.label}",
            "explanation": "This makes a draft copy of the plan for next year: its themes, "
            "priorities, measures and the actions not yet complete. The adopted plan stays "
            "in force until the draft is adopted.",
            "submit": "Start the review",
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view(PLAN_EDITORS)
def adopt(request: HttpRequest, partnership, plan: int) -> HttpResponse:
    plan = _plan(partnership, plan)
    # Only a draft can be adopted; an adopted or superseded plan is read-only.
    _refuse_if_locked(plan)
    if request.method == "POST":
        try:
            services.adopt(plan=plan)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{plan.label} adopted.")
        return redirect(_plan_url(plan))
    current = selectors.current_plan(partnership)
    return render(
        request,
        "plans/confirm.html",
        {
            "partnership": partnership,
            "plan": plan,
            "title": f"Adopt {plan.label}",
            "explanation": (f"{current.label} will be superseded. " if current else "")
            + "An adopted plan is read-only: further changes need the next annual review.",
            "submit": "Adopt the plan",
        },
    )


@require_GET
@partnership_view(READERS)
def compare(request: HttpRequest, partnership, plan: int) -> HttpResponse:
    """What changed between this version and another (by default the one it came from)."""
    plan = _plan(partnership, plan)
    other_id = request.GET.get("with") or plan.based_on_id
    if not other_id or not str(other_id).isdigit():
        raise Http404("Choose a version to compare with.")
    other = _plan(partnership, int(other_id))
    old, new = sorted(
        [other, plan], key=lambda p: (p.first_year, p.version_year or p.first_year, p.pk)
    )
    return render(
        request,
        "plans/compare.html",
        {
            "partnership": partnership,
            "plan": plan,
            "old": old,
            "new": new,
            "sections": diff_plans(old, new),
            "versions": selectors.plans_for(partnership).exclude(pk=plan.pk),
        },
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
    _refuse_if_locked(plan)
    back = _plan_url(plan) if model is Priority else _priority_url(record.priority)
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
