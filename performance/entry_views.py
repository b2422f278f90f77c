"""The entry grid: entering a quarter's figures, publishing it and its history of changes
(uploads: performance/upload_views.py, performance/policeuk_views.py,
performance/homeoffice_views.py; the LSOA lookup and family-group figures:
performance/reference_views.py; targets: performance/target_views.py).

Only performance officers and partnership administrators reach these views.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from csp_portal.access import EDITORS_OF_FIGURES, partnership_view
from csp_portal.financial_year import Quarter
from performance import services, versions
from performance.consistency import beat_sum_warnings, subcategory_warnings
from performance.dashboards import active_in, available_quarters, categories_in_order
from performance.forms import EntryGridForm, cell_name, year_choices
from performance.import_flow import quarter_or_404
from performance.links import grid_url
from performance.models import Beat, FigureCorrection, PublishedQuarter, QuarterlyFigure
from performance.views import _context

editors = partnership_view(roles=EDITORS_OF_FIGURES)
#: The forms: shown with GET, sent with POST; any other method is refused (405).
forms_only = require_http_methods(["GET", "HEAD", "POST"])


@require_safe
@editors
def enter(request: HttpRequest, partnership) -> HttpResponse:
    """Start at the quarter after the latest one entered (or the one chosen)."""
    if request.GET.get("year") and request.GET.get("quarter"):
        try:
            return redirect(
                grid_url(partnership, Quarter.parse(request.GET["year"], request.GET["quarter"]))
            )
        except ValueError:
            messages.error(request, "Choose a financial year and a quarter.")
    available = available_quarters(partnership)
    ended = Quarter.latest_complete()
    if not available:
        quarter = ended
    elif available[0] < ended:
        quarter = available[0].next  # the next quarter to fill in
    else:
        # The last ended quarter is in already: a later one has not finished, so the
        # officer is more likely correcting this one than entering the next.
        quarter = available[0]
    return redirect(grid_url(partnership, quarter))


@dataclass(frozen=True)
class GridConflict:
    """A cell someone else saved after the officer opened the grid."""

    label: str
    opened: object  # the stored counts (int, or None for no figure)
    now: object
    typed: str  # what the officer had typed in it
    kept_theirs: bool  # the officer had not touched it, so the grid now shows theirs


def _grid_conflicts(form: EntryGridForm, stale: versions.StaleVersion, data) -> list:
    """Describe the other save, and take its values into `data` (the re-shown grid) in
    the cells the officer left as they were when opened; their own typing stays."""
    conflicts = []
    for difference in stale.differences:
        category_id, where = difference.key.split(":")
        name = cell_name(int(category_id), None if where == "total" else int(where))
        if name not in form.fields:
            continue
        typed = (data.get(name) or "").strip()
        opened = "" if difference.opened is None else str(difference.opened)
        untouched = typed == opened and not stale.missing
        if untouched:
            data[name] = "" if difference.now is None else str(difference.now)
        conflicts.append(
            GridConflict(str(form.fields[name].label), difference.opened, difference.now, typed,
                         untouched)
        )  # fmt: skip
    return conflicts


@forms_only
@editors
def enter_quarter(request: HttpRequest, partnership, year: int, quarter: int) -> HttpResponse:
    """The entry grid: rows are categories, columns the beats and the partnership total.

    The page carries a version (the stored figures it shows, signed): a save against a
    stale version is refused with the other save's changes shown and the typing kept.
    """
    period = quarter_or_404(year, quarter)
    categories = active_in(categories_in_order(partnership), period)
    beats = active_in(Beat.objects.filter(partnership=partnership), period)
    grid_cells = [(c.pk, b.pk if b else None) for c in categories for b in [*beats, None]]
    stored = {
        cell_name(f.category_id, f.beat_id): f.count
        for f in QuarterlyFigure.objects.filter(
            partnership=partnership,
            financial_year=period.financial_year.start_year,
            quarter=period.number,
        ).only("category_id", "beat_id", "count")
    }
    version = versions.sign(
        {
            services.grid_key(c, b): stored[cell_name(c, b)]
            for c, b in grid_cells
            if cell_name(c, b) in stored
        }
    )
    published = PublishedQuarter.objects.filter(
        partnership=partnership,
        financial_year=period.financial_year.start_year,
        quarter=period.number,
    ).first()
    conflicts: list[GridConflict] = []
    if request.method == "POST":
        form = EntryGridForm(request.POST, categories=categories, beats=beats)
        if form.is_valid():
            try:
                changes = services.save_grid(
                    partnership=partnership,
                    quarter=period,
                    cells=form.cells(),
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    opened=versions.read(request.POST.get("version")) or {},
                )
            except services.ReasonRequired as error:
                form.add_error("reason", error.messages[0])
                version = request.POST.get("version", "")
            except versions.StaleVersion as stale:
                data = request.POST.copy()
                conflicts = _grid_conflicts(form, stale, data)
                form = EntryGridForm(data, categories=categories, beats=beats)
                form.is_valid()  # re-shows the merged grid (it was valid)
                # `version` stays the current one: saving again is a decision taken
                # knowing the other save.
                return render(
                    request,
                    "performance/enter.html",
                    _grid_context(
                        request, partnership, period, form, beats, published, version,
                        categories, stored, conflicts=conflicts,
                    ),
                    status=409,
                )  # fmt: skip
            else:
                messages.success(
                    request,
                    f"Saved {period}: {len(changes.created)} new, {len(changes.changed)} "
                    f"changed, {len(changes.removed)} removed figures.",
                )
                for warning in [
                    *beat_sum_warnings(categories, beats, form.cells()),
                    *subcategory_warnings(categories, beats, form.cells()),
                ]:
                    messages.warning(request, f"Check: {warning}")
                return redirect(grid_url(partnership, period))
        else:
            version = request.POST.get("version", "")
        status = 400
    else:
        form = EntryGridForm(initial=stored, categories=categories, beats=beats)
        status = 200
    return render(
        request,
        "performance/enter.html",
        _grid_context(
            request, partnership, period, form, beats, published, version, categories, stored
        ),
        status=status,
    )


def _grid_context(
    request, partnership, period, form, beats, published, version, categories, stored,
    conflicts=(),
) -> dict:  # fmt: skip
    cells = {
        (c.pk, b.pk if b else None): stored.get(cell_name(c.pk, b.pk if b else None))
        for c in categories
        for b in [*beats, None]
    }
    return _context(
        request,
        partnership,
        "enter",
        quarter=period,
        form=form,
        beats=beats,
        published=published,
        version=version,
        conflicts=conflicts,
        warnings=[
            *beat_sum_warnings(categories, beats, cells),
            *subcategory_warnings(categories, beats, cells),
        ],
        previous_quarter=period.previous,
        next_quarter=period.next,
        years=year_choices(),
    )


@require_POST
@editors
def publish(request: HttpRequest, partnership, year: int, quarter: int) -> HttpResponse:
    period = quarter_or_404(year, quarter)
    try:
        services.publish_quarter(partnership=partnership, quarter=period, user=request.user)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{period} is published; corrections now need a reason.")
    return redirect(grid_url(partnership, period))


@require_safe
@editors
def history(request: HttpRequest, partnership, year: int, quarter: int) -> HttpResponse:
    """Every change to the quarter's figures: who, when, from what to what, and why."""
    period = quarter_or_404(year, quarter)
    records = list(
        QuarterlyFigure.history.filter(
            partnership=partnership,
            financial_year=period.financial_year.start_year,
            quarter=period.number,
        )
        .select_related("category", "beat", "history_user")
        .order_by("id", "history_date", "history_id")[:5000]
    )
    previous: dict[int, int] = {}
    for record in records:
        record.old_count = previous.get(record.id)
        previous[record.id] = record.count
    records.sort(key=lambda r: (r.history_date, r.history_id), reverse=True)
    corrections = FigureCorrection.objects.filter(
        partnership=partnership,
        financial_year=period.financial_year.start_year,
        quarter=period.number,
    ).select_related("made_by")
    return render(
        request,
        "performance/history.html",
        _context(
            request,
            partnership,
            "enter",
            quarter=period,
            records=records[:500],
            corrections=corrections,
        ),
    )
