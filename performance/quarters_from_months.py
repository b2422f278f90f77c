"""Quarterly figures from monthly counts (the police.uk import counts by month): each
beat the sum of its months, the partnership total every row of the category."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from csp_portal.financial_year import Quarter
from performance.services import CellKey

#: (first day of the month, category id, beat id or None = not assigned to a beat)
MonthKey = tuple[dt.date, int, int | None]


def mapping_categories(mapping: dict[str, list[int]]) -> set[int]:
    return {category_id for ids in mapping.values() for category_id in ids}


def quarterly_values(
    monthly: dict[MonthKey, int],
    *,
    months: Iterable[dt.date],
    categories: Iterable[int],
    beat_ids: Iterable[int],
) -> dict[CellKey, int]:
    """The quarterly figures of the quarters `months` touch, from monthly counts.

    Each beat is the sum of its months (0 when none), the partnership total the sum of
    every row of the category, on a beat or not assigned to one.
    """
    values: dict[CellKey, int] = {}
    categories, beat_ids = set(categories), list(beat_ids)
    categories |= {category_id for _, category_id, _ in monthly}
    for quarter in {Quarter.for_date(month) for month in months}:
        year = quarter.financial_year.start_year
        for category_id in categories:
            for beat_id in [*beat_ids, None]:
                values[(year, quarter.number, category_id, beat_id)] = 0
    for (month, category_id, beat_id), count in monthly.items():
        quarter = Quarter.for_date(month)
        year = quarter.financial_year.start_year
        if beat_id is not None:
            values[(year, quarter.number, category_id, beat_id)] += count
        values[(year, quarter.number, category_id, None)] += count
    return values
