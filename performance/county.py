"""The county view: every partnership of a county side by side, for one category and one
year to date.

Per partnership: the year-to-date count and the same point a year earlier, the rate per
1,000 residents, the % change and its significance (performance.significance), and the
rank in the force area (1 = the lowest rate; decided on exact fractions, equal rates
sharing a rank, as the family group ranks: performance.family). Then the county's total
(the partnerships whose local authorities are all districts of the county: E07 codes)
and the force area's (all of them). Categories are matched across partnerships by code
(the county template's codes).

A partnership whose year to date rests on an incomplete quarter (performance.completeness)
shows its counts with a sentence saying so, and no rate, % change, significance or rank;
a total including it is incomplete too.

A fixed number of queries (seven) whatever the number of partnerships, years, beats or
categories stored.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Q

from csp_portal.financial_year import Quarter
from csp_portal.models import County, LocalAuthority, Partnership, PartnershipPopulation
from performance.change import INCOMPLETE, ShowsSignificance, YearOnYear, two_decimals
from performance.completeness import Completeness
from performance.dashboards import population_for
from performance.family import competition_ranks, exact_rate
from performance.models import CrimeCategory, ImportedMonth, QuarterlyFigure
from performance.significance import Significance, significance


@dataclass(frozen=True)
class CountyCategory:
    """A category as the county knows it: its code (`pk`, for the period form) and name."""

    pk: str
    name: str


@dataclass
class CountyRow(YearOnYear, ShowsSignificance):
    name: str
    partnership: Partnership | None  # None for a total
    population: int | None
    previous: int | None
    current: int | None
    complete: bool
    note: str = ""  # why the figures are incomplete (or missing)
    rank: int | None = None
    readable: bool = False  # may the viewer open the partnership's dashboard?

    @property
    def exact_rate(self) -> Fraction | None:
        if not self.complete or not self.population or self.current is None:
            return None
        return exact_rate(self.current, self.population)

    @property
    def rate(self) -> Decimal | None:
        exact = self.exact_rate
        return None if exact is None else two_decimals(exact)

    @property
    def significance(self) -> Significance | None:
        return significance(self.previous, self.current) if self.complete else None


@dataclass
class CountyTable:
    county: County
    quarter: Quarter
    category: CountyCategory | None
    categories: list[CountyCategory]
    rows: list[CountyRow] = field(default_factory=list)
    county_total: CountyRow | None = None
    force_total: CountyRow | None = None
    quarters: list[Quarter] = field(default_factory=list)  # with figures, newest first

    @property
    def totals(self) -> list[CountyRow]:
        return [row for row in (self.county_total, self.force_total) if row is not None]

    @property
    def notes(self) -> list[str]:
        return [f"{row.name}: {row.note}" for row in self.rows if row.note]


def county_categories(categories: list[CrimeCategory]) -> list[CountyCategory]:
    """The codes of the partnerships' categories, in display order, each named as most
    partnerships name it."""
    names: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    order: dict[str, int] = {}
    for category in categories:
        names[category.code][category.name] += 1
        order[category.code] = min(order.get(category.code, 10**6), category.display_order)
    codes = sorted(names, key=lambda code: (order[code], code))
    return [CountyCategory(code, _most_used(names[code])) for code in codes]


def _most_used(counts: dict[str, int]) -> str:
    """The name used most (the first seen of the most used ones)."""
    return max(counts.items(), key=lambda item: item[1])[0]


def _total(name: str, rows: list[CountyRow]) -> CountyRow:
    incomplete = [row.name for row in rows if not row.complete]
    populations = [row.population for row in rows if row.population is not None]
    return CountyRow(
        name=name,
        partnership=None,
        population=sum(populations) if len(populations) == len(rows) else None,
        previous=sum(row.previous or 0 for row in rows),
        current=sum(row.current or 0 for row in rows),
        complete=not incomplete,
        note=f"includes incomplete figures ({', '.join(incomplete)})" if incomplete else "",
    )


def county_table(county: County, quarter: Quarter | None, code: str | None) -> CountyTable:
    """The county view's table for `code` (default: the first category) to `quarter`
    (default: the latest quarter with figures)."""
    partnerships = list(Partnership.objects.filter(county=county).order_by("name"))
    ids = [p.pk for p in partnerships]
    categories = list(CrimeCategory.objects.filter(partnership_id__in=ids))
    choices = county_categories(categories)
    chosen = next((c for c in choices if c.pk == code), choices[0] if choices else None)
    own = {c.partnership_id: c for c in categories if chosen and c.code == chosen.pk}
    # The quarters with a total of the chosen category (the partial unique index on
    # partnership totals answers it without reading the beats' rows).
    periods = (
        QuarterlyFigure.objects.filter(
            partnership_id__in=ids, category_id__in=[c.pk for c in own.values()],
            beat__isnull=True,
        )
        .values_list("financial_year", "quarter")
        .distinct()
        .order_by("-financial_year", "-quarter")
    )  # fmt: skip
    available = [Quarter.parse(year, number) for year, number in periods]
    quarter = quarter or (available[0] if available else Quarter.latest_complete())
    table = CountyTable(county, quarter, chosen, choices, quarters=available)
    if chosen is None:
        return table
    year = quarter.financial_year
    now_quarters = quarter.year_to_date
    before_quarters = [q.same_quarter_last_year for q in now_quarters]
    stored = QuarterlyFigure.objects.filter(
        partnership_id__in=ids,
        category_id__in=[c.pk for c in own.values()],
        financial_year__in=[year.start_year, year.start_year - 1],
        quarter__lte=quarter.number,
        beat__isnull=True,
    ).values_list("partnership_id", "financial_year", "quarter", "category_id", "count")
    totals: dict[tuple[int, int], int] = defaultdict(int)
    present: dict[int, set[tuple[int, int, int]]] = defaultdict(set)
    for partnership_id, stored_year, number, category_id, count in stored:
        totals[(partnership_id, int(stored_year))] += count
        present[partnership_id].add((int(stored_year), number, category_id))
    first, last = min(before_quarters).start, quarter.end
    months: dict[int, set] = defaultdict(set)
    for partnership_id, month in (
        ImportedMonth.objects.filter(partnership_id__in=ids, month__range=(first, last))
        .values_list("partnership_id", "month")
        .distinct()
    ):
        months[partnership_id].add(month)
    pops: dict[int, dict[int, int]] = defaultdict(dict)
    for partnership_id, pop_year, stored_population in PartnershipPopulation.objects.filter(
        partnership_id__in=ids
    ).values_list("partnership_id", "financial_year", "population"):
        pops[partnership_id][int(pop_year)] = stored_population
    districts: dict[int, list[str]] = defaultdict(list)
    for partnership_id, ons_code in LocalAuthority.objects.filter(
        Q(partnership_id__in=ids)
    ).values_list("partnership_id", "ons_code"):
        districts[partnership_id].append(ons_code)
    behind = now_quarters + before_quarters
    for partnership in partnerships:
        category = own.get(partnership.pk)
        previous = totals.get((partnership.pk, year.start_year - 1))
        current = totals.get((partnership.pk, year.start_year))
        population = population_for(pops[partnership.pk], year)
        if category is None:
            row = CountyRow(partnership.name, partnership, population, None, None, False,
                            f"no category {chosen.name} in its figures")  # fmt: skip
        else:
            complete_of = Completeness.build(
                [category], behind, present[partnership.pk], months[partnership.pk]
            )
            complete = complete_of.complete(category, behind)
            note = ""
            if not complete:
                missing = "; ".join(complete_of.notes(behind, [category]))
                note = f"incomplete, so no rate, % change or rank ({missing})"
            elif population is None:
                note = f"no population stored for {year}, so no rate or rank"
            row = CountyRow(partnership.name, partnership, population, previous, current,
                            complete, note)  # fmt: skip
        table.rows.append(row)
    rated = [(row, rate) for row in table.rows if (rate := row.exact_rate) is not None]
    ranks = competition_ranks([rate for _, rate in rated])
    for (row, _), rank in zip(rated, ranks, strict=True):
        row.rank = rank
    in_county = [
        row
        for row in table.rows
        if row.partnership is not None
        and districts[row.partnership.pk]
        and all(code.startswith("E07") for code in districts[row.partnership.pk])
    ]
    table.county_total = _total(f"{county.name}: the county's districts", in_county)
    table.force_total = _total(f"{county.force_name or county.name}: the force area", table.rows)
    return table


CSV_HEADER = [
    "partnership", "ons_code", "population", "previous_ytd", "current_ytd", "change_pct",
    "significance", "rate_per_1000", "rank", "status",
]  # fmt: skip


def csv_rows(table: CountyTable) -> list[list]:
    out = []
    for row in [*table.rows, table.county_total, table.force_total]:
        if row is None:
            continue
        out.append([
            row.name,
            row.partnership.ons_code if row.partnership else "",
            row.population if row.population is not None else "",
            "" if row.previous is None else row.previous,
            "" if row.current is None else row.current,
            "" if row.change_pct is None else str(row.change_pct),
            row.significance_display if row.complete else "",
            "" if row.rate is None else str(row.rate),
            "" if row.rank is None else row.rank,
            "complete" if row.complete else f"{INCOMPLETE}: {row.note}",
        ])  # fmt: skip
    return out


#: Words every partnership's name ends with, left off the chart's labels (the table
#: below it gives the full names).
_NAME_ENDINGS = (" Community Safety Partnership", " Partnership", " CSP")


def chart_label(name: str) -> str:
    """A partnership's name as the county chart labels it: "Charnwood", not "Charnwood
    Community Safety Partnership"."""
    for ending in _NAME_ENDINGS:
        if name.endswith(ending) and len(name) > len(ending):
            return name[: -len(ending)]
    return name


def county_chart(table: CountyTable) -> dict:
    """Rate per 1,000 of each partnership with a complete rate, with the force's rate:
    horizontal bars, the first partnership at the top, so the names read on a phone."""
    from performance.charts import NEUTRAL, PREVIOUS, _layout

    rated = [(row, rate) for row in table.rows if (rate := row.rate) is not None]
    rated.reverse()  # Plotly draws the first category at the bottom
    rows = [row for row, _ in rated]
    names = [chart_label(row.name) for row in rows]
    force = table.force_total.rate if table.force_total else None
    data = [
        {"type": "bar", "orientation": "h", "name": "Rate per 1,000", "y": names,
         "x": [float(r) for _, r in rated], "marker": {"color": NEUTRAL},
         "text": [f"rank {r.rank}" for r in rows], "textposition": "outside",
         "cliponaxis": False},
    ]  # fmt: skip
    if force is not None:
        data.append({"type": "scatter", "mode": "lines", "name": "Force area rate",
                     "y": names, "x": [float(force)] * len(names),
                     "line": {"color": PREVIOUS, "dash": "dash"}})  # fmt: skip
    name = table.category.name if table.category else ""
    title = f"{name} per 1,000, year to date to {table.quarter}"
    widest = max([float(r) for _, r in rated] + ([float(force)] if force is not None else [1.0]))
    return {
        "data": data,
        "layout": _layout(
            title,
            height=140 + 36 * max(len(names), 1),
            # Room to the right of the longest bar for its "rank n" label.
            xaxis={"title": {"text": "Per 1,000 population"}, "range": [0, widest * 1.3]},
            yaxis={"ticksuffix": " "},
        ),
    }
