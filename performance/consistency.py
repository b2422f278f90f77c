"""Checks that warn, not refuse: beats that do not add up to the partnership total, and
sub-categories that add up to more than their parent (Residential + Business burglary
more than Burglary).

Beats may fall short of the total for good reason (crimes with no beat), so that is a
warning; sub-categories above their parent cannot be right, but the officer may be
entering the parent next, so that is a warning too. Used by the entry grid and by every
import's preview.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import Partnership
from performance.models import Beat, CrimeCategory, QuarterlyFigure
from performance.services import CellKey


@dataclass(frozen=True)
class BeatSumWarning:
    category: str
    beats_total: int
    partnership_total: int

    def __str__(self) -> str:
        return (
            f"{self.category}: the beats add up to {self.beats_total:,} but the partnership "
            f"total is {self.partnership_total:,}."
        )


def beat_sum_warnings(
    categories: Iterable[CrimeCategory],
    beats: Sequence[Beat],
    cells: Mapping[tuple[int, int | None], int | None],
) -> list[BeatSumWarning]:
    """Categories whose beats, all filled in, do not add up to the partnership total.

    A warning, not an error: a few crimes have no beat (no location), so the police's
    total can be higher than the sum of the beats.
    """
    warnings = []
    for category in categories:
        total = cells.get((category.pk, None))
        counts = [cells.get((category.pk, beat.pk)) for beat in beats]
        filled = [c for c in counts if c is not None]
        if total is None or not counts or len(filled) != len(counts):
            continue
        if sum(filled) != total:
            warnings.append(BeatSumWarning(category.name, sum(filled), total))
    return warnings


@dataclass(frozen=True)
class SubcategoryWarning:
    parent: str
    where: str
    children: tuple[tuple[str, int], ...]
    parent_count: int

    def __str__(self) -> str:
        parts = " + ".join(name for name, _ in self.children)
        total = sum(count for _, count in self.children)
        return (
            f"{self.parent}, {self.where}: {parts} add up to {total:,}, more than "
            f"{self.parent} ({self.parent_count:,})."
        )


def subcategory_warnings(
    categories: Iterable[CrimeCategory],
    beats: Iterable[Beat],
    cells: Mapping[tuple[int, int | None], int | None],
) -> list[SubcategoryWarning]:
    """Where the sub-categories given add up to more than their parent's figure."""
    categories = list(categories)
    children: dict[int, list[CrimeCategory]] = defaultdict(list)
    for category in categories:
        if category.parent_id:
            children[category.parent_id].append(category)
    warnings = []
    places = [(b.pk, f"beat {b.code}") for b in beats] + [(None, "partnership total")]
    for parent in categories:
        if not children.get(parent.pk):
            continue
        for beat_id, where in places:
            parent_count = cells.get((parent.pk, beat_id))
            given = [
                (child.name, count)
                for child in children[parent.pk]
                if (count := cells.get((child.pk, beat_id))) is not None
            ]
            if parent_count is not None and given and sum(c for _, c in given) > parent_count:
                warnings.append(SubcategoryWarning(parent.name, where, tuple(given), parent_count))
    return warnings


def figure_warnings(partnership: Partnership, values: Mapping[CellKey, int | None]) -> list[str]:
    """Both checks on each quarter `values` touch, as it would stand after they are saved."""
    quarters = sorted({(key[0], key[1]) for key in values})
    if not quarters:
        return []
    categories = list(CrimeCategory.objects.filter(partnership=partnership))
    beats = list(Beat.objects.filter(partnership=partnership))
    stored: dict[tuple[int, int], dict[tuple[int, int | None], int | None]] = defaultdict(dict)
    for stored_year, number, category_id, beat_id, count in QuarterlyFigure.objects.filter(
        partnership=partnership, financial_year__in={y for y, _ in quarters}
    ).values_list("financial_year", "quarter", "category_id", "beat_id", "count"):
        start = (
            stored_year.start_year if isinstance(stored_year, FinancialYear) else int(stored_year)
        )
        stored[(start, number)][(category_id, beat_id)] = count
    notes = []
    for year, number in quarters:
        cells = dict(stored.get((year, number), {}))
        for (y, q, category, beat), value in values.items():
            if (y, q) == (year, number):
                cells[(category, beat)] = value
        label = str(Quarter(FinancialYear(year), number))
        with_figures = {c for c, _ in cells}
        used = [c for c in categories if c.pk in with_figures]
        notes += [f"{label}: {w}" for w in beat_sum_warnings(used, beats, cells)]
        notes += [f"{label}: {w}" for w in subcategory_warnings(used, beats, cells)]
    return notes
