"""Pages of the county's Safer Communities Agreement (mounted under /county/<county>/agreement/).

Readers: members of the county's partnerships (plans.access.can_read_agreement); anyone
else signed in gets 403, an unknown county 404. The arithmetic is plans.agreement's.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import County
from performance.selectors import latest_quarter_with
from plans import agreement as arithmetic
from plans.access import require_agreement_reader
from plans.agreement_models import Agreement


def _county(request: HttpRequest, slug: str) -> County:
    county = get_object_or_404(County, slug=slug)
    require_agreement_reader(request.user, county)
    return county


def _quarter(param: str | None, default: Quarter) -> Quarter:
    """?quarter=2022-2 is Q2 2022/23; anything unreadable is the default."""
    try:
        year, number = (param or "").split("-")
        return Quarter.parse(FinancialYear.parse(int(year)), int(number))
    except ValueError:
        return default


@require_GET
def index(request: HttpRequest, county: str) -> HttpResponse:
    found = _county(request, county)
    agreements = Agreement.objects.filter(county=found)
    return render(request, "plans/agreement_list.html", {"county": found, "agreements": agreements})


@require_GET
def detail(request: HttpRequest, county: str, pk: int) -> HttpResponse:
    found = _county(request, county)
    agreement = get_object_or_404(Agreement, county=found, pk=pk)
    areas = list(agreement.areas.select_related("partnership"))
    indicators = list(agreement.indicators.prefetch_related("targets"))
    linked = [a.partnership for a in areas if a.partnership_id]
    measured = [i for i in indicators if i.category_code]
    latest = Quarter.latest_complete()
    default = latest
    if measured and linked:
        default = latest_quarter_with(linked, measured[0].category_code) or latest
    quarter = _quarter(request.GET.get("quarter"), default)
    choices = sorted({quarter} | set(_recent(latest, 8)) | set(_recent(default, 8)), reverse=True)
    return render(
        request,
        "plans/agreement_detail.html",
        {
            "county": found,
            "agreement": agreement,
            "areas": areas,
            "legend": arithmetic.LEGEND,
            "matrix": arithmetic.matrix(agreement, areas),
            "tables": arithmetic.indicator_tables(agreement, areas),
            "rounding_rule": arithmetic.ROUNDING_RULE,
            "discrepancies": arithmetic.discrepancies(agreement),
            "notes": [line for line in agreement.notes.splitlines() if line.strip()],
            "quarter": quarter,
            "quarters": choices,
            "progress": [(i, arithmetic.progress(i, areas, quarter)) for i in measured],
        },
    )


def _recent(last: Quarter, count: int) -> list[Quarter]:
    quarters = [last]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous)
    return quarters
