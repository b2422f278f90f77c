"""The beats dashboard: year to date by beat and category, now and a year ago, and the
ten largest increases (two queries whatever the beats or years stored)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership
from performance.change import YearOnYear
from performance.completeness import completeness
from performance.dashboards import Noted, categories_in_order
from performance.models import Beat, CrimeCategory, QuarterlyFigure

#: A beat's % change from which its cell is shaded darker (either way).
LARGE_CHANGE = Decimal(10)


@dataclass
class BeatCell(YearOnYear):
    previous: int | None
    current: int | None
    complete: bool = True  # the category's quarters behind both YTDs are all in
    lower_is_better: bool = True

    @property
    def shade(self) -> str:
        """ "better-1"/"better-2", "worse-1"/"worse-2" (2 from LARGE_CHANGE %), or "" for
        no change or nothing to compare: the cell's CSS class."""
        change = self.change_pct
        if change is None or change == 0:
            return ""
        better = (change < 0) == self.lower_is_better
        return f"{'better' if better else 'worse'}-{2 if abs(change) >= LARGE_CHANGE else 1}"

    @property
    def arrow(self) -> str:
        """▲ a rise, ▼ a fall, beside the % change (the shade is never alone)."""
        change = self.change_pct
        if change is None or change == 0:
            return ""
        return "▲" if change > 0 else "▼"


@dataclass
class BeatIncrease:
    category: CrimeCategory
    beat: Beat
    previous: int
    current: int

    @property
    def increase(self) -> int:
        return self.current - self.previous


def beats_table(partnership: Partnership, quarter: Quarter) -> Noted:
    """YTD by beat × category (now and a year ago) and the top 10 increases.

    A cell whose category lacks a partnership total (or a month) in a quarter behind it
    is incomplete: no % change, and never among the increases. Returns a Noted
    (beats, rows, increases).
    """
    categories = categories_in_order(partnership)
    beats = list(Beat.objects.filter(partnership=partnership))
    year = quarter.financial_year
    behind = quarter.year_to_date + [q.same_quarter_last_year for q in quarter.year_to_date]
    complete_of = completeness(partnership, behind, categories)
    sums = (
        QuarterlyFigure.objects.filter(
            partnership=partnership,
            financial_year__in=[year.start_year, year.start_year - 1],
            quarter__lte=quarter.number,
            beat__isnull=False,
        )
        .values("financial_year", "category_id", "beat_id")
        .annotate(total=Sum("count"))
    )
    totals = {(int(r["financial_year"]), r["category_id"], r["beat_id"]): r["total"] for r in sums}
    used_beats = [b for b in beats if any(k[2] == b.pk for k in totals)]
    rows = []
    increases = []
    incomplete = []
    for category in categories:
        cells = []
        complete = complete_of.complete(category, behind)
        if not complete:
            incomplete.append(category)
        for beat in used_beats:
            cell = BeatCell(
                totals.get((year.start_year - 1, category.pk, beat.pk)),
                totals.get((year.start_year, category.pk, beat.pk)),
                complete,
                category.lower_is_better,
            )
            cells.append(cell)
            # "All Crime" and other parents would repeat their children's rises.
            if (
                complete
                and cell.previous is not None
                and cell.current is not None
                and cell.current > cell.previous
                and not category.has_children
                and not category.is_asb
            ):
                increases.append(BeatIncrease(category, beat, cell.previous, cell.current))
        rows.append((category, cells))
    increases.sort(key=lambda i: (-i.increase, i.category.name, i.beat.code))
    result = Noted((used_beats, rows, increases[:10]))
    result.notes = complete_of.notes(behind, incomplete) if incomplete else []
    return result
