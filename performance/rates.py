"""The rates dashboard: crimes per 1,000 residents, year to date, now and a year ago,
and each full financial year's rate for a category."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import Partnership
from performance.dashboards import Noted, population_for, populations
from performance.models import CrimeCategory, QuarterlyFigure
from performance.targets import rate_per_1000
from performance.ytd import ytd_table


@dataclass
class RateRow:
    category: CrimeCategory
    previous: int | None
    current: int | None
    previous_rate: Decimal | None
    current_rate: Decimal | None
    complete: bool = True


def rates_table(partnership: Partnership, quarter: Quarter) -> Noted:
    """YTD counts and rates per 1,000 for each category, now and a year ago: a Noted
    (rows, previous population, current population); rows resting on an incomplete
    quarter say so."""
    table = ytd_table(partnership, quarter)
    pops = populations(partnership)
    now = population_for(pops, quarter.financial_year)
    before = population_for(pops, quarter.financial_year.previous)
    rows = [
        RateRow(
            row.category,
            row.previous,
            row.current,
            rate_per_1000(row.previous, before),
            rate_per_1000(row.current, now),
            row.complete,
        )
        for row in table.rows
    ]
    result = Noted((rows, before, now))
    result.notes = table.notes
    return result


def annual_rates(
    partnership: Partnership, category: CrimeCategory
) -> list[tuple[FinancialYear, int, Decimal | None]]:
    """Full financial years only (all four quarters stored): count and rate per 1,000."""
    rows = (
        QuarterlyFigure.objects.filter(
            partnership=partnership, category=category, beat__isnull=True
        )
        .values("financial_year")
        .annotate(total=Sum("count"), quarters=Count("id"))
        .filter(quarters__gte=4)
        .order_by("financial_year")
    )
    pops = populations(partnership)
    return [
        (
            r["financial_year"],
            r["total"],
            rate_per_1000(r["total"], population_for(pops, r["financial_year"])),
        )
        for r in rows
    ]
