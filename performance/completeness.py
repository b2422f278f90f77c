"""Whether a quarter's figures are complete, and the one status of a quarter.

A figure for partnership × quarter × category is complete when the partnership total
is stored for every category active in the quarter and, when the quarter came from a
month-based import (police.uk: `ImportedMonth` rows), all three of its months are in.
A quarter with no ImportedMonth rows came from a quarter-based source (the grid, a
spreadsheet): only its totals matter.

Every computed view asks `Completeness.complete(category, quarters)` before showing a
% change, a significance or a RAG, and prints `Completeness.notes(...)`, the sentences
naming what is missing ("Q3 2022/23: no partnership total for 11 categories";
"Q2 2022/23: September not imported").

`quarter_status()` is the one status of a quarter (in progress, incomplete, provisional,
published) that the home page, the dashboards and the officer's tasks all show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from django.db import models

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership
from performance.models import CrimeCategory, ImportedMonth, PublishedQuarter, QuarterlyFigure

#: Police figures for a quarter usually arrive within a month of its end; officers are
#: asked to publish within six weeks.
PUBLISH_WITHIN_DAYS = 42

#: Up to this many missing categories are named in a sentence; more are counted.
NAMED_IN_NOTES = 3


def months_of(quarter: Quarter) -> list[dt.date]:
    """The first days of the quarter's three calendar months."""
    first = quarter.start
    return [dt.date(first.year + (first.month + i > 12), (first.month + i - 1) % 12 + 1, 1)
            for i in range(3)]  # fmt: skip


def _active(category: CrimeCategory, quarter: Quarter) -> bool:
    return (category.active_from is None or category.active_from <= quarter.end) and (
        category.active_to is None or category.active_to >= quarter.start
    )


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class QuarterCompleteness:
    """What a quarter lacks: active categories with no partnership total, months not in."""

    quarter: Quarter
    missing_totals: tuple[CrimeCategory, ...]
    missing_months: tuple[dt.date, ...]
    active_categories: int

    @property
    def complete(self) -> bool:
        return not self.missing_totals and not self.missing_months

    @property
    def has_figures(self) -> bool:
        return len(self.missing_totals) < self.active_categories

    def notes(self, categories: Iterable[CrimeCategory] | None = None) -> list[str]:
        """Sentences naming what is missing (about `categories` only, when given)."""
        wanted = None if categories is None else {c.pk for c in categories}
        missing = [c for c in self.missing_totals if wanted is None or c.pk in wanted]
        notes = []
        if missing and wanted is None and not self.has_figures:
            notes.append(f"{self.quarter}: no partnership totals entered")
        elif missing and len(missing) <= NAMED_IN_NOTES:
            notes.append(
                f"{self.quarter}: no partnership total for {_names([c.name for c in missing])}"
            )
        elif missing:
            notes.append(f"{self.quarter}: no partnership total for {len(missing)} categories")
        if self.missing_months:
            months = _names([f"{m:%B}" for m in self.missing_months])
            notes.append(f"{self.quarter}: {months} not imported")
        return notes

    def refusal(self) -> str:
        """Why the quarter cannot be published, naming every missing category and month."""
        parts = []
        if self.missing_totals:
            parts.append(
                "no partnership total for " + _names([c.name for c in self.missing_totals])
            )
        if self.missing_months:
            parts.append(_names([f"{m:%B %Y}" for m in self.missing_months]) + " not imported")
        return f"{self.quarter} is incomplete: {'; '.join(parts)}."


@dataclass
class Completeness:
    """Completeness of a set of quarters, built from two queries (see completeness())."""

    categories: list[CrimeCategory]
    quarters: dict[int, QuarterCompleteness] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        categories: Iterable[CrimeCategory],
        quarters: Iterable[Quarter],
        totals: set[tuple[int, int, int]],
        months: set[dt.date],
    ) -> Completeness:
        """From the stored totals {(year start, quarter, category id)} and imported months."""
        categories = list(categories)
        result = cls(categories)
        for quarter in set(quarters):
            year = quarter.financial_year.start_year
            active = [c for c in categories if _active(c, quarter)]
            expected = months_of(quarter)
            imported = [m for m in expected if m in months]
            result.quarters[quarter.index] = QuarterCompleteness(
                quarter,
                tuple(c for c in active if (year, quarter.number, c.pk) not in totals),
                tuple(m for m in expected if m not in months) if imported else (),
                len(active),
            )
        return result

    def quarter(self, quarter: Quarter) -> QuarterCompleteness:
        return self.quarters[quarter.index]

    def complete(self, category: CrimeCategory, quarters: Iterable[Quarter]) -> bool:
        """True when every one of `quarters` has the category's total and all its months."""
        for quarter in quarters:
            status = self.quarters[quarter.index]
            if status.missing_months:
                return False
            if any(c.pk == category.pk for c in status.missing_totals):
                return False
        return True

    def notes(
        self, quarters: Iterable[Quarter], categories: Iterable[CrimeCategory] | None = None
    ) -> list[str]:
        """The sentences of every incomplete quarter among `quarters`, oldest first."""
        categories = None if categories is None else list(categories)
        notes: list[str] = []
        for quarter in sorted(set(quarters)):
            notes.extend(self.quarters[quarter.index].notes(categories))
        return notes


def stored_totals(partnership: Partnership, quarters: Iterable[Quarter]):
    """Query of (year, quarter, category id, count) of the partnership totals of `quarters`'
    years (callers that also need the counts read them from the same query)."""
    years = {q.financial_year.start_year for q in quarters}
    return QuarterlyFigure.objects.filter(
        partnership=partnership, beat__isnull=True, financial_year__in=years
    ).values_list("financial_year", "quarter", "category_id", "count")


def imported_months(partnership: Partnership, quarters: Iterable[Quarter]) -> set[dt.date]:
    """The months of `quarters` a month-based import recorded (one query)."""
    quarters = list(quarters)
    if not quarters:
        return set()
    first, last = min(quarters).start, max(quarters).end
    return set(
        ImportedMonth.objects.filter(partnership=partnership, month__range=(first, last))
        .values_list("month", flat=True)
        .distinct()
    )


def completeness(
    partnership: Partnership,
    quarters: Iterable[Quarter],
    categories: Iterable[CrimeCategory] | None = None,
) -> Completeness:
    """Which of `quarters` lack a partnership total (per category) or a month.

    Two queries (three without `categories`), whatever the number of quarters.
    """
    quarters = list(quarters)
    if categories is None:
        categories = CrimeCategory.objects.filter(partnership=partnership)
    totals = {
        (year.start_year, number, category_id)
        for year, number, category_id, _ in stored_totals(partnership, quarters)
    }
    return Completeness.build(categories, quarters, totals, imported_months(partnership, quarters))


class QuarterState(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    INCOMPLETE = "incomplete", "Incomplete"
    PROVISIONAL = "provisional", "Provisional"
    PUBLISHED = "published", "Published"


@dataclass(frozen=True)
class QuarterStatus:
    """The one status of a quarter, as every page shows it."""

    quarter: Quarter
    state: QuarterState
    completeness: QuarterCompleteness
    published: PublishedQuarter | None
    due: dt.date

    @property
    def sentence(self) -> str:
        if self.state == QuarterState.PUBLISHED:
            return f"{self.quarter}: published figures."
        if self.state == QuarterState.IN_PROGRESS:
            return f"{self.quarter} has not ended: its figures are provisional."
        if self.state == QuarterState.PROVISIONAL:
            return f"{self.quarter}: provisional, complete but not yet published."
        missing = "; ".join(n.split(": ", 1)[1] for n in self.completeness.notes())
        published = "published but " if self.published else ""
        return f"{self.quarter} is {published}incomplete: {missing}."

    def overdue(self, today: dt.date | None = None) -> bool:
        return self.state != QuarterState.PUBLISHED and (today or dt.date.today()) > self.due


def status_of(
    quarter: Quarter,
    completeness_of: QuarterCompleteness,
    published: PublishedQuarter | None,
    today: dt.date | None = None,
) -> QuarterStatus:
    """The one rule deciding a quarter's status, whoever read the data."""
    if published and completeness_of.complete:
        state = QuarterState.PUBLISHED
    elif quarter > Quarter.latest_complete(today):
        state = QuarterState.IN_PROGRESS
    elif not completeness_of.complete:  # published or not: the board must not read it as final
        state = QuarterState.INCOMPLETE
    else:
        state = QuarterState.PROVISIONAL
    due = quarter.end + dt.timedelta(days=PUBLISH_WITHIN_DAYS)
    return QuarterStatus(quarter, state, completeness_of, published or None, due)


def quarter_status(
    partnership: Partnership,
    quarter: Quarter,
    *,
    today: dt.date | None = None,
    completeness_of: Completeness | None = None,
    published: PublishedQuarter | Literal[False] | None = False,
) -> QuarterStatus:
    """The status of `quarter`: published, provisional (complete, not published),
    incomplete (naming what is missing) or in progress (not ended).

    Callers that have already read the quarter's completeness or publication pass them
    (`published=None` means "read, not published") so no query is repeated.
    """
    if completeness_of is None or quarter.index not in completeness_of.quarters:
        completeness_of = completeness(partnership, [quarter])
    if published is False:
        published = PublishedQuarter.objects.filter(
            partnership=partnership,
            financial_year=quarter.financial_year.start_year,
            quarter=quarter.number,
        ).first()
    return status_of(quarter, completeness_of.quarter(quarter), published, today)


def quarter_statuses(
    partnerships: Iterable[Partnership], quarter: Quarter, *, today: dt.date | None = None
) -> dict[int, QuarterStatus]:
    """quarter_status() of one quarter for several partnerships (the home page) in three
    queries, however many partnerships."""
    partnerships = list(partnerships)
    if not partnerships:
        return {}
    year = quarter.financial_year
    has_total = QuarterlyFigure.objects.filter(
        partnership=models.OuterRef("partnership"),
        category=models.OuterRef("pk"),
        financial_year=year.start_year,
        quarter=quarter.number,
        beat__isnull=True,
    )
    categories = CrimeCategory.objects.filter(partnership__in=partnerships).annotate(
        has_total=models.Exists(has_total)
    )
    by_partnership: dict[int, list[CrimeCategory]] = {p.pk: [] for p in partnerships}
    totals: dict[int, set[tuple[int, int, int]]] = {p.pk: set() for p in partnerships}
    for category in categories:
        by_partnership[category.partnership_id].append(category)
        if category.has_total:
            totals[category.partnership_id].add((year.start_year, quarter.number, category.pk))
    months: dict[int, set[dt.date]] = {p.pk: set() for p in partnerships}
    for partnership_id, month in ImportedMonth.objects.filter(
        partnership__in=partnerships, month__range=(quarter.start, quarter.end)
    ).values_list("partnership_id", "month"):
        months[partnership_id].add(month)
    published = {
        row.partnership_id: row
        for row in PublishedQuarter.objects.filter(
            partnership__in=partnerships, financial_year=year.start_year, quarter=quarter.number
        )
    }
    return {
        p.pk: status_of(
            quarter,
            Completeness.build(by_partnership[p.pk], [quarter], totals[p.pk], months[p.pk]).quarter(
                quarter
            ),
            published.get(p.pk),
            today,
        )
        for p in partnerships
    }
