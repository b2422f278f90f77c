"""The trend dashboard: a category by quarter over the years, with the same quarter a
year earlier and the rolling 12 months (two queries whatever the years stored)."""

from __future__ import annotations

from dataclasses import dataclass

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership
from performance.change import ShowsSignificance, YearOnYear
from performance.completeness import Completeness, imported_months
from performance.models import CrimeCategory, QuarterlyFigure
from performance.significance import Significance, significance


@dataclass
class TrendPoint(YearOnYear, ShowsSignificance):
    quarter: Quarter
    count: int | None
    same_quarter_last_year: int | None
    rolling_12_months: int | None
    complete: bool = True  # this quarter and the same quarter last year are all in
    significance: Significance | None = None  # against the same quarter last year

    @property
    def previous(self) -> int | None:
        """What the change is on: the same quarter last year."""
        return self.same_quarter_last_year

    @property
    def current(self) -> int | None:
        return self.count


class Trend(list):
    """The trend's points (a list) with the sentences naming what is missing."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.notes: list[str] = []


def trend(
    partnership: Partnership, category: CrimeCategory, upto: Quarter, years: int = 5
) -> Trend:
    """The category's quarterly totals for `years` years up to `upto`, with the same
    quarter a year earlier and the rolling 12 months (None where a quarter is missing or
    incomplete). A point resting on an incomplete quarter has no % change or
    significance; the result's `notes` say what is missing."""
    first = Quarter.from_index(upto.index - years * 4 + 1)
    rows = QuarterlyFigure.objects.filter(
        partnership=partnership,
        category=category,
        beat__isnull=True,
        financial_year__gte=first.financial_year.start_year - 1,
        financial_year__lte=upto.financial_year.start_year,
    ).values_list("financial_year", "quarter", "count")
    counts = {Quarter.parse(year, number).index: count for year, number, count in rows}
    window = [Quarter.from_index(i) for i in range(first.index - 4, upto.index + 1)]
    complete_of = Completeness.build(
        [category],
        window,
        {(q.financial_year.start_year, q.number, category.pk) for q in window if q.index in counts},
        imported_months(partnership, window),
    )
    whole = {q.index: complete_of.complete(category, [q]) for q in window}
    points = Trend()
    for index in range(first.index, upto.index + 1):
        last_four = range(index - 3, index + 1)
        rolling = [counts.get(i) for i in last_four]
        complete = whole[index] and whole[index - 4]
        points.append(
            TrendPoint(
                Quarter.from_index(index),
                counts.get(index),
                counts.get(index - 4),
                _rolling(rolling) if all(whole[i] for i in last_four) else None,
                complete,
                significance(counts.get(index - 4), counts.get(index)) if complete else None,
            )
        )
    points.notes = complete_of.notes(window, [category])
    return points


def _rolling(counts: list[int | None]) -> int | None:
    """The sum of four quarters, or None when one is missing."""
    present = [count for count in counts if count is not None]
    return sum(present) if len(present) == len(counts) else None
