"""What the board's dashboards share: the categories in display order, what is active in
a quarter, populations by year and the quarters with figures. Each dashboard has its
module: performance.ytd, performance.trend, performance.beat_table,
performance.family_table and performance.rates.

Each dashboard makes a fixed number of queries whatever the years or beats stored (the
aggregation happens in the database or in one pass over one query's rows), so a page
costs the same with one year of data as with ten.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol, TypeVar

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import Partnership, PartnershipPopulation
from performance.models import CrimeCategory, QuarterlyFigure


def categories_in_order(partnership: Partnership) -> list[CrimeCategory]:
    """Categories in display order, each child straight after its parent, with `depth`."""
    categories = list(CrimeCategory.objects.filter(partnership=partnership))
    children: dict[int | None, list[CrimeCategory]] = defaultdict(list)
    for category in categories:
        children[category.parent_id].append(category)
    ordered: list[CrimeCategory] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for category in children.get(parent_id, []):
            category.depth = depth
            ordered.append(category)
            walk(category.pk, depth + 1)

    walk(None, 0)
    for category in ordered:
        category.has_children = bool(children.get(category.pk))
    return ordered


class _Dated(Protocol):
    @property
    def active_from(self) -> dt.date | None: ...

    @property
    def active_to(self) -> dt.date | None: ...


DatedItem = TypeVar("DatedItem", bound=_Dated)


def active_in(items: Iterable[DatedItem], quarter: Quarter) -> list[DatedItem]:
    """Beats or categories in use at some point of `quarter` (active_from/active_to)."""
    return [
        item
        for item in items
        if (item.active_from is None or item.active_from <= quarter.end)
        and (item.active_to is None or item.active_to >= quarter.start)
    ]


def populations(partnership: Partnership) -> dict[int, int]:
    rows = PartnershipPopulation.objects.filter(partnership=partnership).values_list(
        "financial_year", "population"
    )
    return {int(year): population for year, population in rows}


def population_for(pops: dict[int, int], year: FinancialYear) -> int | None:
    """That year's population, or the latest before it when the estimate is not out yet."""
    earlier = [y for y in pops if y <= year.start_year]
    return pops[max(earlier)] if earlier else None


def available_quarters(partnership: Partnership) -> list[Quarter]:
    """Quarters with a stored partnership total, newest first."""
    rows = (
        QuarterlyFigure.objects.filter(partnership=partnership, beat__isnull=True)
        .values_list("financial_year", "quarter")
        .distinct()
        .order_by("-financial_year", "-quarter")
    )
    return [Quarter.parse(year, number) for year, number in rows]


class Noted(tuple):
    """A page's parts (a tuple, unpacked as before) with `notes`: the sentences naming
    what the incomplete rows lack."""

    notes: list[str]
