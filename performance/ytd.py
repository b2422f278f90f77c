"""The year-to-date table (the board's first dashboard and the partnership's papers):
each category's YTD now and a year ago, the change, target, RAG and significance; and
its CSV.

A fixed number of queries whatever the years or beats stored.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership
from csp_portal.rag import Rag
from performance.change import INCOMPLETE, ShowsSignificance, YearOnYear, change_pct
from performance.completeness import Completeness, QuarterStatus, imported_months, quarter_status
from performance.dashboards import categories_in_order, population_for, populations
from performance.models import CrimeCategory, PublishedQuarter, QuarterlyFigure, Target
from performance.significance import Significance, significance
from performance.targets import assess_target


@dataclass
class YtdRow(YearOnYear, ShowsSignificance):
    category: CrimeCategory
    depth: int
    previous: int | None
    current: int | None
    target: Target | None
    rag: Rag | None  # None when incomplete: no RAG on figures that are not all in
    complete: bool = True
    significance: Significance | None = None

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
        financial_year__in=[year.start_year, year.start_year - 1],
        quarter__lte=quarter.number,
        beat__isnull=True,
    ).values_list("financial_year", "quarter", "category_id", "count")
    totals: dict[tuple[int, int], int] = defaultdict(int)
    present = set()
    for stored_year, number, category_id, count in stored:
        totals[(int(stored_year), category_id)] += count
        present.add((int(stored_year), number, category_id))
    complete_of = Completeness.build(
        categories,
        now_quarters + before_quarters,
        present,
        imported_months(partnership, before_quarters + now_quarters),
    )
    targets = {
        t.category_id: t
        for t in Target.objects.filter(partnership=partnership, financial_year=year.start_year)
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
        partnership=partnership, financial_year=year.start_year, quarter=quarter.number
    ).first()
    status = quarter_status(partnership, quarter, completeness_of=complete_of, published=published)
    notes = complete_of.notes(before_quarters + now_quarters, incomplete) if incomplete else []
    return YtdTable(quarter, rows, published is not None, population, status, notes)


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
