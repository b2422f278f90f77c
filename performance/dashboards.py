"""The board's dashboards, computed from stored figures: YTD table, trend, beats,
family group and rates per 1,000.

Each function makes a fixed number of queries whatever the years or beats stored (the
aggregation happens in the database or in one pass over one query's rows), so a page
costs the same with one year of data as with ten.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count, Sum

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import Partnership, PartnershipPopulation
from csp_portal.number_format import percent_change
from csp_portal.rag import Rag
from performance.completeness import (
    Completeness,
    QuarterStatus,
    completeness,
    imported_months,
    quarter_status,
)
from performance.family import competition_ranks, exact_rate
from performance.models import (
    Beat,
    CrimeCategory,
    FamilyGroupMember,
    PeerFigure,
    PublishedQuarter,
    QuarterlyFigure,
    Target,
)
from performance.selectors import change_pct
from performance.significance import Significance, significance
from performance.targets import assess_target, rate_per_1000

#: What a computed view shows in place of a % change or a RAG resting on an incomplete
#: or missing quarter.
INCOMPLETE = "incomplete"


def categories_in_order(partnership: Partnership) -> list[CrimeCategory]:
    """Categories in display order, each child straight after its parent, with `depth`."""
    categories = list(CrimeCategory.objects.filter(partnership=partnership))
    children = defaultdict(list)
    for category in categories:
        children[category.parent_id].append(category)
    ordered: list[CrimeCategory] = []

    def walk(parent_id, depth):
        for category in children.get(parent_id, []):
            category.depth = depth
            ordered.append(category)
            walk(category.pk, depth + 1)

    walk(None, 0)
    for category in ordered:
        category.has_children = bool(children.get(category.pk))
    return ordered


def active_in(items, quarter: Quarter) -> list:
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
    return {year.start_year: population for year, population in rows}


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
    return [Quarter(year, number) for year, number in rows]


@dataclass
class YtdRow:
    category: CrimeCategory
    depth: int
    previous: int | None
    current: int | None
    target: Target | None
    rag: Rag | None  # None when incomplete: no RAG on figures that are not all in
    complete: bool = True
    significance: Significance | None = None

    @property
    def difference(self) -> int | None:
        if not self.complete or self.previous is None or self.current is None:
            return None
        return self.current - self.previous

    @property
    def change_pct(self) -> Decimal | None:
        return change_pct(self.previous, self.current) if self.complete else None

    @property
    def change_display(self) -> str:
        return percent_change(self.change_pct) if self.complete else INCOMPLETE

    @property
    def target_display(self) -> str:
        return self.target.describe() if self.target else "No target"

    @property
    def status_label(self) -> str:
        """Green, Amber, Red, Grey, or incomplete."""
        return self.rag.label if self.complete and self.rag else INCOMPLETE

    @property
    def status_key(self) -> str:
        return self.rag.value if self.complete and self.rag else INCOMPLETE

    @property
    def significance_display(self) -> str:
        if not self.complete:
            return INCOMPLETE
        return self.significance.label if self.significance else "–"


@dataclass
class YtdTable:
    quarter: Quarter
    rows: list[YtdRow]
    published: bool
    population: int | None
    status: QuarterStatus | None = None
    notes: list[str] = field(default_factory=list)  # what the incomplete rows lack

    @property
    def crime_rows(self) -> list[YtdRow]:
        return [r for r in self.rows if not r.category.is_asb]

    @property
    def asb_rows(self) -> list[YtdRow]:
        """Anti-social behaviour: incidents, not crimes, so shown apart from crime."""
        return [r for r in self.rows if r.category.is_asb]


def ytd_table(partnership: Partnership, quarter: Quarter) -> YtdTable:
    """The seed papers' table: each category's YTD now and a year ago, target and RAG.

    A row resting on a quarter without the category's total or with a month missing is
    incomplete: no % change, significance or RAG, and `notes` say what is missing.
    """
    categories = categories_in_order(partnership)
    year = quarter.financial_year
    now_quarters = quarter.year_to_date
    before_quarters = [q.same_quarter_last_year for q in now_quarters]
    stored = QuarterlyFigure.objects.filter(
        partnership=partnership,
        financial_year__in=[year, year.previous],
        quarter__lte=quarter.number,
        beat__isnull=True,
    ).values_list("financial_year", "quarter", "category_id", "count")
    totals: dict[tuple[int, int], int] = defaultdict(int)
    present = set()
    for stored_year, number, category_id, count in stored:
        totals[(stored_year.start_year, category_id)] += count
        present.add((stored_year.start_year, number, category_id))
    complete_of = Completeness.build(
        categories,
        now_quarters + before_quarters,
        present,
        imported_months(partnership, before_quarters + now_quarters),
    )
    targets = {
        t.category_id: t
        for t in Target.objects.filter(partnership=partnership, financial_year=year)
    }
    population = population_for(populations(partnership), year)
    rows = []
    incomplete = []
    for category in categories:
        previous = totals.get((year.start_year - 1, category.pk))
        current = totals.get((year.start_year, category.pk))
        target = targets.get(category.pk)
        complete = complete_of.complete(category, now_quarters + before_quarters)
        if not complete:
            incomplete.append(category)
            rows.append(YtdRow(category, category.depth, previous, current, target, None, False))
            continue
        change = significance(previous, current)
        rag = assess_target(
            target,
            quarter=quarter,
            current=current,
            change=change_pct(previous, current),
            population=population,
            lower_is_better=category.lower_is_better,
            significance=change,
        )
        rows.append(YtdRow(category, category.depth, previous, current, target, rag, True, change))
    published = PublishedQuarter.objects.filter(
        partnership=partnership, financial_year=year, quarter=quarter.number
    ).first()
    status = quarter_status(partnership, quarter, completeness_of=complete_of, published=published)
    notes = complete_of.notes(before_quarters + now_quarters, incomplete) if incomplete else []
    return YtdTable(quarter, rows, published is not None, population, status, notes)


@dataclass
class TrendPoint:
    quarter: Quarter
    count: int | None
    same_quarter_last_year: int | None
    rolling_12_months: int | None
    complete: bool = True  # this quarter and the same quarter last year are all in
    significance: Significance | None = None  # against the same quarter last year

    @property
    def change_pct(self) -> Decimal | None:
        return change_pct(self.same_quarter_last_year, self.count) if self.complete else None

    @property
    def change_display(self) -> str:
        return percent_change(self.change_pct) if self.complete else INCOMPLETE

    @property
    def significance_display(self) -> str:
        if not self.complete:
            return INCOMPLETE
        return self.significance.label if self.significance else "–"


class Trend(list):
    """The trend's points (a list) with the sentences naming what is missing."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.notes: list[str] = []


def trend(partnership: Partnership, category: CrimeCategory, upto: Quarter, years: int = 5):
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
    counts = {Quarter(year, number).index: count for year, number, count in rows}
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
                None if None in rolling or not all(whole[i] for i in last_four) else sum(rolling),
                complete,
                significance(counts.get(index - 4), counts.get(index)) if complete else None,
            )
        )
    points.notes = complete_of.notes(window, [category])
    return points


#: A beat's % change from which its cell is shaded darker (either way).
LARGE_CHANGE = Decimal(10)


@dataclass
class BeatCell:
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

    @property
    def difference(self) -> int | None:
        if not self.complete or self.previous is None or self.current is None:
            return None
        return self.current - self.previous

    @property
    def change_pct(self) -> Decimal | None:
        return change_pct(self.previous, self.current) if self.complete else None

    @property
    def change_display(self) -> str:
        return percent_change(self.change_pct) if self.complete else INCOMPLETE


@dataclass
class BeatIncrease:
    category: CrimeCategory
    beat: Beat
    previous: int
    current: int

    @property
    def increase(self) -> int:
        return self.current - self.previous


class Noted(tuple):
    """A page's parts (a tuple, unpacked as before) with `notes`: the sentences naming
    what the incomplete rows lack."""

    notes: list[str]


def beats_table(partnership: Partnership, quarter: Quarter):
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
            financial_year__in=[year, year.previous],
            quarter__lte=quarter.number,
            beat__isnull=False,
        )
        .values("financial_year", "category_id", "beat_id")
        .annotate(total=Sum("count"))
    )
    totals = {
        (r["financial_year"].start_year, r["category_id"], r["beat_id"]): r["total"] for r in sums
    }
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
                cell.difference
                and cell.difference > 0
                and not category.has_children
                and not category.is_asb
            ):
                increases.append(BeatIncrease(category, beat, cell.previous, cell.current))
        rows.append((category, cells))
    increases.sort(key=lambda i: (-i.increase, i.category.name, i.beat.code))
    result = Noted((used_beats, rows, increases[:10]))
    result.notes = complete_of.notes(behind, incomplete) if incomplete else []
    return result


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
        return None if average is None else _two_decimals(average)

    @property
    def distance(self) -> Decimal | None:
        if self.own is None or self.exact_average is None:
            return None
        return _two_decimals(self.own.exact_rate - self.exact_average)

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


def _two_decimals(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


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
        by_quarter[Quarter(year, number).index][member_id] = (count, population)
    own = next((m for m in members if m.is_self), None)
    if own is not None and by_quarter:
        pops = populations(partnership)
        own_rows = QuarterlyFigure.objects.filter(
            partnership=partnership, category=category, beat__isnull=True
        ).values_list("financial_year", "quarter", "count")
        for year, number, count in own_rows:
            index = Quarter(year, number).index
            population = population_for(pops, year)
            if index in by_quarter and own.pk not in by_quarter[index] and population:
                by_quarter[index][own.pk] = (count, population)
    result = []
    for index in sorted(by_quarter):
        quarter = Quarter.from_index(index)
        rows = []
        for member in members:
            if member.pk in by_quarter[index] and member.member_on(quarter.end):
                count, population = by_quarter[index][member.pk]
                rows.append(
                    FamilyRow(
                        member.csp_name,
                        member.is_self,
                        count,
                        population,
                        rate_per_1000(count, population),
                        0,
                        exact_rate(count, population),
                    )
                )
        rows.sort(key=lambda r: (r.exact_rate, r.csp_name))
        # On the exact rates: equal rates share a rank (1, 2, 2, 4).
        for row, rank in zip(rows, competition_ranks([r.exact_rate for r in rows]), strict=True):
            row.rank = rank
        result.append(FamilyQuarter(quarter, rows))
    return _with_completeness(partnership, category, result)


@dataclass
class RateRow:
    category: CrimeCategory
    previous: int | None
    current: int | None
    previous_rate: Decimal | None
    current_rate: Decimal | None
    complete: bool = True


def rates_table(
    partnership: Partnership, quarter: Quarter
) -> tuple[list[RateRow], int | None, int | None]:
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


#: The YTD table's CSV: the page's download and `performance_report --format csv`.
YTD_CSV_HEADER = [
    "category",
    "previous_ytd",
    "current_ytd",
    "difference",
    "change_pct",
    "target",
    "status",
    "significant",
]


def _blank(value) -> str:
    return "" if value is None else str(value)


def ytd_csv_rows(table: YtdTable) -> list[list[str]]:
    """status: Green, Amber, Red, Grey or incomplete; change_pct empty when incomplete;
    significant: yes or no (no when incomplete)."""
    return [
        [
            row.category.name,
            _blank(row.previous),
            _blank(row.current),
            _blank(row.difference),
            _blank(row.change_pct),
            row.target.describe() if row.target else "",
            row.status_label,
            "yes" if row.significance and row.significance.is_significant else "no",
        ]
        for row in table.rows
    ]
