"""Year-to-date totals of one crime category (named by its code) in several partnerships.

The county pages (the Safer Communities Agreement's progress, the funding formula's crime
share) read each partnership's own figures through `performance.selectors.ytd_by_code`:
a category is matched by its code in each partnership (every partnership keeps its own
categories), the count is the sum of the partnership totals from 1 April to the end of
the quarter, the rate is per 1,000 of that year's population (or the latest before it),
and `complete` follows performance.completeness: a figure resting on an incomplete
quarter is marked so and must not be rated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership, PartnershipPopulation
from performance.completeness import completeness
from performance.models import CrimeCategory, QuarterlyFigure
from performance.targets import rate_per_1000


@dataclass(frozen=True)
class CategoryTotal:
    partnership: Partnership
    code: str
    quarter: Quarter
    has_category: bool
    count: int | None  # 1 April to the end of `quarter`; None when nothing is stored
    population: int | None
    complete: bool
    notes: list[str] = field(default_factory=list)

    @property
    def rate(self) -> Decimal | None:
        return rate_per_1000(self.count, self.population)


def population_in(partnership: Partnership, quarter: Quarter) -> int | None:
    """The population of the quarter's financial year, or the latest before it."""
    row = (
        PartnershipPopulation.objects.filter(
            partnership=partnership, financial_year__lte=quarter.financial_year.start_year
        )
        .order_by("-financial_year")
        .values_list("population", flat=True)
        .first()
    )
    return row


def ytd_by_code(
    partnerships: Iterable[Partnership], code: str, quarter: Quarter
) -> dict[int, CategoryTotal]:
    """{partnership pk: CategoryTotal} for the category `code` in each partnership."""
    partnerships = list(partnerships)
    categories = {
        c.partnership_id: c
        for c in CrimeCategory.objects.filter(partnership__in=partnerships, code=code)
    }
    totals = {
        row["partnership_id"]: row["total"]
        for row in QuarterlyFigure.objects.filter(
            category__in=list(categories.values()),
            financial_year=quarter.financial_year.start_year,
            quarter__lte=quarter.number,
            beat__isnull=True,
        )
        .values("partnership_id")
        .annotate(total=Sum("count"))
    }
    result: dict[int, CategoryTotal] = {}
    for partnership in partnerships:
        category = categories.get(partnership.pk)
        population = population_in(partnership, quarter)
        if category is None:
            result[partnership.pk] = CategoryTotal(
                partnership, code, quarter, False, None, population, False,
                [f"{partnership} has no crime category with the code {code}"],
            )  # fmt: skip
            continue
        quarters = quarter.year_to_date
        of = completeness(partnership, quarters, [category])
        result[partnership.pk] = CategoryTotal(
            partnership,
            code,
            quarter,
            True,
            totals.get(partnership.pk),
            population,
            of.complete(category, quarters),
            of.notes(quarters, [category]),
        )
    return result


def latest_quarter_with(partnerships: Iterable[Partnership], code: str) -> Quarter | None:
    """The latest quarter in which any of `partnerships` stored a total of category `code`."""
    row = (
        QuarterlyFigure.objects.filter(
            partnership__in=list(partnerships), category__code=code, beat__isnull=True
        )
        .order_by("-financial_year", "-quarter")
        .values_list("financial_year", "quarter")
        .first()
    )
    return Quarter.parse(row[0], row[1]) if row else None
