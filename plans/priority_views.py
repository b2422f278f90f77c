"""The plans app's priority pages: a priority with its live figures, actions, reports and
linked records (the golden thread), its quarterly update, and a lead's report. Everyone
in the partnership reads them; the update is recorded by the priority's lead,
performance officers and administrators (plans.access)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from csp_portal.access import READERS, partnership_view
from csp_portal.forms import show_refusal
from plans import lifecycle, progress, selectors
from plans.forms import ProgressForm, QuarterForm, ReportForm, ValueForm
from plans.lead_reports import report_for
from plans.models import Priority, PriorityReport
from plans.pages import priority_in, priority_url, refuse_unless
from plans.report_paper import render_report_html


@require_GET
@partnership_view(READERS)
def priority_detail(request: HttpRequest, partnership, priority: int) -> HttpResponse:
    """The golden thread: measures with live figures, actions, reports, linked records."""
    priority = priority_in(partnership, priority)
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
            "can_edit": lifecycle.allows(plan, request.user, "edit"),
            "can_report": lifecycle.allows(
                plan, request.user, "record_progress", priority=priority
            ),
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
    report = report_for(priority, quarter)
    report_form = ReportForm(
        data,
        prefix="report",
        initial={"successes": report.successes, "threats": report.threats} if report else {},
    )
    return period, progress, values, report_form


@require_http_methods(["GET", "POST"])
@partnership_view(READERS)
def priority_update(request: HttpRequest, partnership, priority: int) -> HttpResponse:
    priority = priority_in(partnership, priority)
    plan = priority.plan
    refuse_unless("record_progress", plan, request.user, priority=priority)
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
                f"{priority_url(priority)}?quarter={chosen.financial_year.start_year}-{chosen.number}"
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
