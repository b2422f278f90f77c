"""The police.uk street-level upload (preview, then confirm: an import job) and the crime
type → category mapping its counts use. Officers and administrators only."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from performance import monthly_figures
from performance.dashboards import categories_in_order
from performance.entry_views import editors, forms_only
from performance.forms import CrimeTypeMappingForm, PoliceUkUploadForm
from performance.import_flow import confirm_job, job_preview
from performance.models import CrimeTypeMapping, PoliceUkCrimeType
from performance.policeuk import count_street_files
from performance.reference_data import set_crime_type_mapping
from performance.views import _context


@forms_only
@editors
def policeuk(request: HttpRequest, partnership) -> HttpResponse:
    """Upload police.uk street-level files; shows the counts and what was left out.

    The same page keeps the crime type → category mapping the counts use.
    """
    categories = categories_in_order(partnership)
    mapped = defaultdict(list)
    for crime_type, code in CrimeTypeMapping.objects.filter(partnership=partnership).values_list(
        "crime_type", "category__code"
    ):
        mapped[crime_type].append(code)
    initial = {
        f"type_{i}": mapped.get(crime_type, [])
        for i, crime_type in enumerate(PoliceUkCrimeType.values)
    }
    if request.method == "POST" and "mapping" in request.POST:
        mapping_form = CrimeTypeMappingForm(request.POST, categories=categories)
        if mapping_form.is_valid():
            set_crime_type_mapping(partnership=partnership, pairs=mapping_form.pairs())
            messages.success(request, "Crime type mapping saved.")
            return redirect("performance:policeuk", partnership=partnership.slug)
    mapping_form = CrimeTypeMappingForm(initial=initial, categories=categories)
    form = PoliceUkUploadForm(
        request.POST if "mapping" not in request.POST else None, request.FILES or None
    )
    if request.method == "POST" and "mapping" not in request.POST and form.is_valid():
        files = form.cleaned_data["files"]
        result = count_street_files(partnership, files)
        plan = (
            monthly_figures.plan_months(partnership, result)
            if not result.errors
            else monthly_figures.MonthPlan()
        )
        return job_preview(
            request,
            partnership,
            kind="policeuk",
            files=files,
            changes=plan.changes,
            ok=not result.errors,
            template="performance/policeuk_preview.html",
            tab="policeuk",
            result=result,
            plan=plan,
            by_type=sorted(result.by_crime_type.items()),
            unmapped=result.unmapped_lsoas.most_common(),
        )
    return render(
        request,
        "performance/policeuk.html",
        _context(request, partnership, "policeuk", form=form, mapping_form=mapping_form),
        status=400 if form.errors else 200,
    )


@require_POST
@editors
def policeuk_confirm(request: HttpRequest, partnership) -> HttpResponse:
    """Start the import of the previewed files as a job; its page shows the progress."""
    return confirm_job(
        request,
        partnership,
        kind="policeuk",
        expired="Those files have expired or were already imported; upload them again.",
        back="performance:policeuk",
    )
