"""The board's dashboards: thin views over performance.dashboards, each with a CSV
download of its table (`?format=csv`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from csp_portal import exports
from csp_portal.access import EDITORS_OF_FIGURES, has_role
from csp_portal.financial_year import Quarter
from performance import beat_table, caching, charts, dashboards, family_table, ytd
from performance import family as family_group_rules
from performance.access import figures_view
from performance.change import INCOMPLETE
from performance.forms import PeriodForm
from performance.models import CrimeCategory, FamilyGroup, FamilyGroupMember
from performance.policeuk import UNASSIGNED_LABEL
from performance.rates import annual_rates, rates_table
from performance.selectors import unassigned_ytd
from performance.trend import trend as trend_points


def csv_download(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = exports.csv_writer(response)
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


def _status(complete: bool) -> str:
    return "complete" if complete else INCOMPLETE


def _yes_no(significance) -> str:
    return "yes" if significance is not None and significance.is_significant else "no"


def _ytd_table_and_chart(partnership, quarter: Quarter):
    table = ytd.ytd_table(partnership, quarter)
    return table, charts.ytd_charts(table.rows, quarter)


@require_safe
@figures_view
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
            ytd.YTD_CSV_HEADER,
            ytd.ytd_csv_rows(table),
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


def _category(
    request: HttpRequest, partnership
) -> tuple[CrimeCategory | None, list[CrimeCategory]]:
    categories = dashboards.categories_in_order(partnership)
    wanted = request.GET.get("category")
    chosen = next((c for c in categories if str(c.pk) == wanted), None)
    return chosen or (categories[0] if categories else None), categories


@require_safe
@figures_view
def trend(request: HttpRequest, partnership) -> HttpResponse:
    """A category by quarter over the years, with last year's quarter and rolling 12 months."""
    quarter, form = _period(request, partnership)
    category, categories = _category(request, partnership)
    points = trend_points(partnership, category, quarter) if category else []
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
                "status",
                "significant",
            ],
            [
                [
                    str(p.quarter),
                    category.name if category else "",  # no category: no rows
                    p.count,
                    p.same_quarter_last_year,
                    p.rolling_12_months,
                    _change_text(p.change_pct),
                    _status(p.complete),
                    _yes_no(p.significance),
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
            notes=getattr(points, "notes", []),
            chart=charts.trend_chart(points, category) if category else None,
        ),
    )


@require_safe
@figures_view
def beats(request: HttpRequest, partnership) -> HttpResponse:
    """YTD by beat and category, and the top 10 increases."""
    quarter, form = _period(request, partnership)
    table = beat_table.beats_table(partnership, quarter)
    used_beats, rows, increases = table
    # Crimes of ours on no beat (LSOAs missing from the lookup): a column of their own,
    # as complete as the category's row.
    complete_of = {category.pk: all(c.complete for c in cells) for category, cells in rows}
    unassigned = unassigned_ytd(partnership, quarter)
    lower_is_better = {category.pk: category.lower_is_better for category, _ in rows}
    unassigned_cells = {
        category_id: beat_table.BeatCell(
            previous,
            current,
            complete_of.get(category_id, True),
            lower_is_better.get(category_id, True),
        )
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
                        _change_text(cell.change_pct),
                        _status(cell.complete),
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
                        _change_text(cell.change_pct),
                        _status(cell.complete),
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
                "status",
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
            figures_notes=sorted({b.figures_note for b in used_beats if b.figures_note}),
            rows=[(category, cells, unassigned_cells.get(category.pk)) for category, cells in rows],
            unassigned=bool(unassigned_cells),
            unassigned_label=UNASSIGNED_LABEL,
            increases=increases,
            large_change=beat_table.LARGE_CHANGE,
            notes=table.notes,
            chart=charts.increases_chart(increases),
        ),
    )


@require_safe
@figures_view
def family(request: HttpRequest, partnership) -> HttpResponse:
    """Rank, rate, group average and distance in the Most Similar Family Group."""
    quarter, form = _period(request, partnership)
    category, categories = _category(request, partnership)
    history = family_table.family_group(partnership, category) if category else []
    current = next((h for h in history if h.quarter == quarter), None)
    # A group of more or fewer than 15 on a date makes every rank of that date suspect.
    wrong_sizes = family_group_rules.wrong_sizes(
        list(FamilyGroupMember.objects.filter(family_group__partnership=partnership)),
        [h.quarter.end for h in history] or [quarter.end],
    )
    note = (
        FamilyGroup.objects.filter(partnership=partnership)
        .values_list("figures_note", flat=True)
        .first()
    )
    if _wants_csv(request):
        return csv_download(
            "family-group.csv",
            [
                "quarter",
                "category",
                "csp",
                "count",
                "population",
                "rate_per_1000",
                "rank",
                "status",
                "significant",
            ],
            [
                [
                    str(h.quarter),
                    category.name if category else "",  # no category: no rows
                    r.csp_name,
                    r.count,
                    r.population,
                    r.rate,
                    r.rank,
                    _status(h.complete),
                    _yes_no(h.significance) if r.is_self else "",
                ]
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
            wrong_sizes=wrong_sizes,
            figures_note=note,
            wrong_size_quarters={d for d, _ in wrong_sizes},
            group_size=family_group_rules.GROUP_SIZE,
            notes=getattr(history, "notes", []),
            chart=charts.family_chart(history, category, family_group_rules.GROUP_SIZE)
            if category
            else None,
        ),
    )


@require_safe
@figures_view
def rates(request: HttpRequest, partnership) -> HttpResponse:
    """Crimes per 1,000 residents, year to date, now and a year ago."""
    quarter, form = _period(request, partnership)
    table = rates_table(partnership, quarter)
    rows, before, now = table
    headline = rows[0].category if rows else None
    annual = annual_rates(partnership, headline) if headline else []
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
                "status",
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
                    _status(r.complete),
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
            notes=table.notes,
        ),
    )
