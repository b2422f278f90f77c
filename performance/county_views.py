"""The county view (/county/<county>/performance/): every partnership of the county side
by side for a category and a year to date, with a CSV (`?format=csv`). Read by the county
roles and by members of the county's partnerships (csp_portal.access.county_view); each
row links to the partnership's dashboard only for a viewer who may read it
(performance.access.reads_figures)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from csp_portal import exports
from csp_portal.access import county_view
from csp_portal.financial_year import Quarter
from performance import county as county_rules
from performance.access import reads_figures
from performance.forms import PeriodForm


def _asked_quarter(request: HttpRequest) -> Quarter | None:
    try:
        return Quarter.parse(int(request.GET["year"]), int(request.GET["quarter"]))
    except (KeyError, ValueError, TypeError):
        return None


@require_safe
@county_view()
def county_performance(request: HttpRequest, county) -> HttpResponse:
    table = county_rules.county_table(county, _asked_quarter(request), request.GET.get("category"))
    quarter = table.quarter
    if request.GET.get("format") == "csv":
        code = table.category.pk if table.category else "none"
        return exports.csv_response(
            f"{county.slug}-{code}-{quarter.financial_year.start_year}-q{quarter.number}.csv",
            county_rules.csv_rows(table),
            header=county_rules.CSV_HEADER,
        )
    for row in table.rows:
        row.readable = row.partnership is not None and reads_figures(request.user, row.partnership)
    years = sorted(
        {q.financial_year.start_year for q in table.quarters} | {quarter.financial_year.start_year},
        reverse=True,
    )
    form = PeriodForm(
        initial={"year": str(quarter.financial_year.start_year), "quarter": quarter.number},
        years=years,
    )
    return render(
        request,
        "performance/county.html",
        {
            "county": county,
            "table": table,
            "form": form,
            "quarter": quarter,
            "categories": table.categories,
            "category": table.category,
            "chart": county_rules.county_chart(table) if table.category else None,
        },
    )
