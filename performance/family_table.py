"""The family group dashboard: per quarter, the Most Similar Family Group's rates per
1,000 for a category, ranked, with the group's average, our distance from it and its
significance (a fixed number of queries whatever the quarters stored)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import Partnership
from performance.change import INCOMPLETE, two_decimals
from performance.completeness import completeness
from performance.dashboards import population_for, populations
from performance.family import competition_ranks, exact_rate
from performance.models import CrimeCategory, FamilyGroupMember, PeerFigure, QuarterlyFigure
from performance.significance import Significance, significance


@dataclass
class FamilyRow:
    csp_name: str
    is_self: bool
    count: int
    population: int
    rate: Decimal  # two decimals, for display
    rank: int
    exact_rate: Fraction  # what the rank and the average are computed from


@dataclass
class FamilyQuarter:
    quarter: Quarter
    rows: list[FamilyRow]
    complete: bool = True  # our own figure for the quarter is all in

    @property
    def own(self) -> FamilyRow | None:
        return next((r for r in self.rows if r.is_self), None)

    @property
    def exact_average(self) -> Fraction | None:
        if not self.rows:
            return None
        return sum((r.exact_rate for r in self.rows), Fraction(0)) / len(self.rows)

    @property
    def average(self) -> Decimal | None:
        average = self.exact_average
        return None if average is None else two_decimals(average)

    @property
    def distance(self) -> Decimal | None:
        if self.own is None or self.exact_average is None:
            return None
        return two_decimals(self.own.exact_rate - self.exact_average)

    @property
    def significance(self) -> Significance | None:
        """Our count against the other members' taken together, for our population share
        (RISE: significantly above the group's rate, FALL: below). None if incomplete."""
        own = self.own
        others = [r for r in self.rows if not r.is_self]
        if own is None or not others or not self.complete:
            return None
        rest_population = sum(r.population for r in others)
        share = own.population / (own.population + rest_population)
        return significance(sum(r.count for r in others), own.count, share)

    @property
    def significance_display(self) -> str:
        verdict = self.significance
        if verdict is None:
            return INCOMPLETE
        return {
            Significance.RISE: "significantly above the group's rate",
            Significance.FALL: "significantly below the group's rate",
            Significance.NONE: "not significantly different from the group's rate",
        }[verdict]


class FamilyHistory(list):
    """The family group's quarters (a list) with the sentences naming what is missing."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.notes: list[str] = []


def _with_completeness(
    partnership: Partnership, category: CrimeCategory, history: list[FamilyQuarter]
) -> FamilyHistory:
    """Mark each quarter whose own figure is missing or lacks a month (two queries)."""
    result = FamilyHistory(history)
    if not history:
        return result
    quarters = [h.quarter for h in history]
    complete_of = completeness(partnership, quarters, [category])
    for item in history:
        item.complete = item.own is not None and complete_of.complete(category, [item.quarter])
    result.notes = complete_of.notes([h.quarter for h in history if not h.complete], [category])
    return result


def family_group(partnership: Partnership, category: CrimeCategory) -> FamilyHistory:
    """Per quarter, the group's rates per 1,000 for `category`, ranked (1 = lowest rate).

    Only CSPs that were members at the end of that quarter are ranked. The partnership's
    own count and population come from its peer row when uploaded, else from its own
    figures and population.
    """
    members = list(FamilyGroupMember.objects.filter(family_group__partnership=partnership))
    figures = PeerFigure.objects.filter(
        member__family_group__partnership=partnership, category=category
    ).values_list("member_id", "financial_year", "quarter", "count", "population")
    by_quarter: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    for member_id, year, number, count, population in figures:
        by_quarter[Quarter.parse(year, number).index][member_id] = (count, population)
    own = next((m for m in members if m.is_self), None)
    if own is not None and by_quarter:
        pops = populations(partnership)
        own_rows = QuarterlyFigure.objects.filter(
            partnership=partnership, category=category, beat__isnull=True
        ).values_list("financial_year", "quarter", "count")
        for year, number, count in own_rows:
            index = Quarter.parse(year, number).index
            own_population = population_for(pops, FinancialYear.parse(year))
            if index in by_quarter and own.pk not in by_quarter[index] and own_population:
                by_quarter[index][own.pk] = (count, own_population)
    result: list[FamilyQuarter] = []
    for index in sorted(by_quarter):
        quarter = Quarter.from_index(index)
        rows = []
        for member in members:
            if member.pk in by_quarter[index] and member.member_on(quarter.end):
                count, population = by_quarter[index][member.pk]
                exact = exact_rate(count, population)
                rows.append(
                    FamilyRow(
                        member.csp_name,
                        member.is_self,
                        count,
                        population,
                        two_decimals(exact),  # what rate_per_1000 prints
                        0,
                        exact,
                    )
                )
        rows.sort(key=lambda r: (r.exact_rate, r.csp_name))
        # On the exact rates: equal rates share a rank (1, 2, 2, 4).
        for row, rank in zip(rows, competition_ranks([r.exact_rate for r in rows]), strict=True):
            row.rank = rank
        result.append(FamilyQuarter(quarter, rows))
    return _with_completeness(partnership, category, result)
