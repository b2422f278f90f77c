"""The board's dashboards: thin views over performance.dashboards, each with a CSV
download of its table (`?format=csv`)."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from csp_portal.access import EDITORS_OF_FIGURES, READERS, has_role, partnership_view
from csp_portal.financial_year import Quarter
from performance import caching, charts, dashboards
from performance.forms import PeriodForm
from performance.models import CrimeCategory
from performance.policeuk import UNASSIGNED_LABEL
from performance.selectors import change_pct, unassigned_ytd


def csv_download(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def _period(request: HttpRequest, partnership, version: str = ""):
    """The quarter asked for (default: the latest with figures) and the form choosing it."""
    available = caching.cached_table(
        partnership.pk,
        "quarters",
        lambda: dashboards.available_quarters(partnership),
        version=version,
    )
    latest = available[0] if available else Quarter.latest_complete()
    years = sorted(
        {q.financial_year.start_year for q in available} | {latest.financial_year.start_year},
        reverse=True,
    )
    form = PeriodForm(request.GET or None, years=years)
    quarter = form.quarter_or(latest)
    if not form.is_bound:
        form = PeriodForm(
            initial={"year": str(latest.financial_year.start_year), "quarter": latest.number},
            years=years,
        )
    return quarter, form


def _context(request, partnership, tab: str, **extra) -> dict:
    return {
        "partnership": partnership,
        "tab": tab,
        "can_edit": has_role(request.user, partnership, EDITORS_OF_FIGURES),
        **extra,
    }


def _wants_csv(request: HttpRequest) -> bool:
    return request.GET.get("format") == "csv"


def _change_text(value) -> str:
    return "" if value is None else str(value)


def _ytd_table_and_chart(partnership, quarter: Quarter):
    table = dashboards.ytd_table(partnership, quarter)
    return table, charts.ytd_chart(table.rows, quarter)


@require_safe
@partnership_view(roles=READERS)
def index(request: HttpRequest, partnership) -> HttpResponse:
    """Year-to-date table with targets and RAG, as in the partnership's papers."""
    version = caching.figures_version(partnership.pk)
    quarter, form = _period(request, partnership, version)
    table, chart = caching.cached_table(
        partnership.pk,
        "ytd",
        lambda: _ytd_table_and_chart(partnership, quarter),
        quarter,
        version=version,
    )
    if _wants_csv(request):
        return csv_download(
            f"ytd-{quarter.financial_year.start_year}-q{quarter.number}.csv",
            [
                "category",
                "previous_ytd",
                "current_ytd",
                "difference",
                "change_pct",
                "target",
                "status",
            ],
            [
                [
                    r.category.name,
                    r.previous,
                    r.current,
                    r.difference,
                    _change_text(r.change_pct),
                    r.target_display if r.target else "",
                    r.rag.label,
                ]
                for r in table.rows
            ],
        )
    return render(
        request,
        "performance/index.html",
        _context(
            request,
            partnership,
            "ytd",
            quarter=quarter,
            form=form,
            table=table,
            chart=chart,
            # The table's HTML is cached under the same version (see the template).
            figures_version=version,
            cache_seconds=caching.TABLE_SECONDS,
        ),
    )


def _category(request, partnership) -> CrimeCategory | None:
    categories = dashboards.categories_in_order(partnership)
    wanted = request.GET.get("category")
    chosen = next((c for c in categories if str(c.pk) == wanted), None)
    return chosen or (categories[0] if categories else None), categories


@require_safe
@partnership_view(roles=READERS)
def trend(request: HttpRequest, partnership) -> HttpResponse:
    """A category by quarter over the years, with last year's quarter and rolling 12 months."""
    quarter, form = _period(request, partnership)
    category, categories = _category(request, partnership)
    points = dashboards.trend(partnership, category, quarter) if category else []
    if _wants_csv(request):
        return csv_download(
            "trend.csv",
            [
                "quarter",
                "category",
                "count",
                "same_quarter_last_year",
                "rolling_12_months",
                "change_pct",
            ],
            [
                [
                    str(p.quarter),
                    category.name,
                    p.count,
                    p.same_quarter_last_year,
                    p.rolling_12_months,
                    _change_text(change_pct(p.same_quarter_last_year, p.count)),
                ]
                for p in points
            ],
        )
    return render(
        request,
        "performance/trend.html",
        _context(
            request,
            partnership,
            "trend",
            quarter=quarter,
            form=form,
            category=category,
            categories=categories,
            points=points,
            chart=charts.trend_chart(points, category) if category else None,
        ),
    )


@require_safe
@partnership_view(roles=READERS)
def beats(request: HttpRequest, partnership) -> HttpResponse:
    """YTD by beat and category, and the top 10 increases."""
    quarter, form = _period(request, partnership)
    used_beats, rows, increases = dashboards.beats_table(partnership, quarter)
    # Crimes of ours on no beat (LSOAs missing from the lookup): a column of their own.
    unassigned = unassigned_ytd(partnership, quarter)
    unassigned_cells = {
        category_id: dashboards.BeatCell(previous, current)
        for category_id, (previous, current) in unassigned.items()
    }
    if _wants_csv(request):
        lines = []
        for category, cells in rows:
            for beat, cell in zip(used_beats, cells, strict=True):
                lines.append(
                    [
                        category.name,
                        beat.code,
                        beat.name,
                        cell.previous,
                        cell.current,
                        cell.difference,
                        _change_text(change_pct(cell.previous, cell.current)),
                    ]
                )
            if (cell := unassigned_cells.get(category.pk)) is not None:
                lines.append(
                    [
                        category.name,
                        "",
                        UNASSIGNED_LABEL,
                        cell.previous,
                        cell.current,
                        cell.difference,
                        _change_text(change_pct(cell.previous, cell.current)),
                    ]
                )
        return csv_download(
            "beats.csv",
            [
                "category",
                "beat",
                "beat_name",
                "previous_ytd",
                "current_ytd",
                "difference",
                "change_pct",
            ],
            lines,
        )
    return render(
        request,
        "performance/beats.html",
        _context(
            request,
            partnership,
            "beats",
            quarter=quarter,
            form=form,
            beats=used_beats,
            rows=[(category, cells, unassigned_cells.get(category.pk)) for category, cells in rows],
            unassigned=bool(unassigned_cells),
            unassigned_label=UNASSIGNED_LABEL,
            increases=increases,
            chart=charts.increases_chart(increases),
        ),
    )


@require_safe
@partnership_view(roles=READERS)
def family(request: HttpRequest, partnership) -> HttpResponse:
    """Rank, rate, group average and distance in the Most Similar Family Group."""
    quarter, form = _period(request, partnership)
    category, categories = _category(request, partnership)
    history = dashboards.family_group(partnership, category) if category else []
    current = next((h for h in history if h.quarter == quarter), None)
    if _wants_csv(request):
        return csv_download(
            "family-group.csv",
            ["quarter", "category", "csp", "count", "population", "rate_per_1000", "rank"],
            [
                [str(h.quarter), category.name, r.csp_name, r.count, r.population, r.rate, r.rank]
                for h in history
                for r in h.rows
            ],
        )
    return render(
        request,
        "performance/family.html",
        _context(
            request,
            partnership,
            "family",
            quarter=quarter,
            form=form,
            category=category,
            categories=categories,
            current=current,
            history=history,
            chart=charts.family_chart(history, category) if category else None,
        ),
    )


@require_safe
@partnership_view(roles=READERS)
def rates(request: HttpRequest, partnership) -> HttpResponse:
    """Crimes per 1,000 residents, year to date, now and a year ago."""
    quarter, form = _period(request, partnership)
    rows, before, now = dashboards.rates_table(partnership, quarter)
    headline = rows[0].category if rows else None
    annual = dashboards.annual_rates(partnership, headline) if headline else []
    if _wants_csv(request):
        return csv_download(
            "rates.csv",
            [
                "category",
                "previous_ytd",
                "previous_population",
                "previous_rate_per_1000",
                "current_ytd",
                "current_population",
                "current_rate_per_1000",
            ],
            [
                [
                    r.category.name,
                    r.previous,
                    before,
                    r.previous_rate,
                    r.current,
                    now,
                    r.current_rate,
                ]
                for r in rows
            ],
        )
    return render(
        request,
        "performance/rates.html",
        _context(
            request,
            partnership,
            "rates",
            quarter=quarter,
            form=form,
            rows=rows,
            before=before,
            now=now,
            chart=charts.rates_chart(rows, quarter),
            headline=headline,
            annual=annual,
        ),
    )
