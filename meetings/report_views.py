"""Pages of partner update reports: writing one (seed 003's template, the performance
table prefilled from the portal's figures) and reading it with its next step."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from csp_portal import roles
from csp_portal.access import READERS, partnership_view, require_role
from csp_portal.forms import show_refusal
from csp_portal.models import Organisation, Profile
from meetings import access, reports
from meetings.models import PartnerReport
from meetings.report_forms import (
    BaseRowFormSet,
    PartnerReportForm,
    RowFormSet,
    parse_quarter_key,
    quarter_key,
)

WRITERS = roles.WRITERS_OF_PARTNER_REPORTS


def _own_organisation(user) -> Organisation | None:
    profile = Profile.objects.filter(user=user).select_related("organisation").first()
    return profile.organisation if profile else None


def _row_initial(partnership, quarter) -> list[dict]:
    return [
        {
            "crime_type": row.crime_type,
            "change_pct": "" if row.change_pct is None else f"{row.change_pct:+}%",
            "previous": row.previous,
            "current": row.current,
        }
        for row in reports.prefilled_rows(partnership, quarter)
    ]


def _typed(request: HttpRequest) -> dict[str, Any]:
    """What was typed, as a form's initial values (for the refill step, which shows it
    again without judging it)."""
    data: dict[str, Any] = {
        k: request.POST.get(k) for k in request.POST if not k.startswith("rows-")
    }
    data["priorities"] = request.POST.getlist("priorities")
    return data


@partnership_view(READERS)
def report_new(request: HttpRequest, partnership) -> HttpResponse:
    from plans.selectors import themes_in_force

    require_role(request.user, partnership, WRITERS)
    themes = list(themes_in_force(partnership).prefetch_related("priorities"))
    own = _own_organisation(request.user)
    # Clerks and administrators file reports for any partner; a partner writes only their
    # own organisation's, so one agency cannot put words in another's name.
    organisations = None
    if not access.can_edit(request.user, partnership):
        organisations = (
            Organisation.objects.filter(pk=own.pk) if own else Organisation.objects.none()
        )
    quarters = reports.quarters_to_report_on()
    options = {
        "partnership": partnership,
        "themes": themes,
        "quarters": quarters,
        "meetings": reports.meetings_to_report_to(partnership),
        "organisations": organisations,
    }
    initial = {
        "organisation": own.pk if own else None,
        "author": getattr(request.user, "get_full_name", str)() or request.user.username,
        "date": timezone.localdate(),
        "quarter": quarter_key(quarters[0]),
    }
    status = 200
    refill = request.method == "POST" and "refill" in request.POST
    if request.method == "POST" and not refill:
        form = PartnerReportForm(request.POST, **options)
        rows = cast(BaseRowFormSet, RowFormSet(request.POST, prefix="rows"))
        if form.is_valid() and rows.is_valid():
            try:
                report = _submit(form, rows, partnership)
            except ValidationError as error:
                show_refusal(form, error)  # type: ignore[arg-type]  # a ModelForm is a form
            else:
                messages.success(request, f"Report “{report.subject}” saved.")
                return redirect("meetings:report", partnership.slug, report.pk)
        status = 400
    else:
        typed = _typed(request) if refill else {}
        try:
            quarter = parse_quarter_key(str(typed.get("quarter") or initial["quarter"]))
        except ValueError:
            quarter = quarters[0]
        form = PartnerReportForm(initial={**initial, **typed}, **options)
        rows = cast(
            BaseRowFormSet, RowFormSet(prefix="rows", initial=_row_initial(partnership, quarter))
        )
    return render(
        request,
        "meetings/report_form.html",
        {
            "partnership": partnership,
            "form": form,
            "rows": rows,
            "problems": rows.problems() if rows.is_bound else [],
            "no_organisation": organisations is not None and own is None,
            "reports": PartnerReport.objects.filter(partnership=partnership).select_related(
                "organisation"
            )[:20],
        },
        status=status,
    )


def _submit(form: PartnerReportForm, rows: BaseRowFormSet, partnership) -> PartnerReport:
    data = form.cleaned_data
    return reports.submit_partner_report(
        partnership=partnership,
        organisation=data["organisation"],
        author=data["author"],
        date=data["date"],
        subject=data["subject"],
        summary=data["summary"],
        quarter=data["quarter"],
        meeting=data["meeting"],
        rows=[
            reports.Row(r["crime_type"], r["change_pct"], r["previous"], r["current"])
            for r in rows.rows()
        ],
        updates={t: data[f"theme_{t.pk}"] for t in form.themes},
        priorities=data["priorities"],
        recommendations=data["recommendations"],
        budget_implications=data["budget_implications"],
        key_risks=data["key_risks"],
        planned_activity=data["planned_activity"],
        other_updates=data["other_updates"],
        gaps_support=data["gaps_support"],
    )


@require_GET
@partnership_view(READERS)
def report_detail(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    report = get_object_or_404(
        PartnerReport.objects.select_related("organisation", "meeting__body").prefetch_related(
            "updates__theme__priorities", "performance_rows"
        ),
        pk=pk,
        partnership=partnership,
    )
    step = reports.next_step(report, clerk=access.can_edit(request.user, partnership))
    return render(
        request,
        "meetings/report.html",
        {"partnership": partnership, "report": report, "next_step": step},
    )
