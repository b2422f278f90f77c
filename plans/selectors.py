"""Reads of plans: the board's overview, a priority's golden thread, and the RAG roll-up.

Crime-category measures take their figures from `performance.selectors.year_to_date`
(year to date against the same point last year); indicators of a plan's own use the
quarterly values their lead enters. A priority's RAG is the worst of its measures' and
its actions' ratings (csp_portal.rag.worst); an action's rating comes from its latest
progress status (models.STATUS_RAG). Grey means nothing could be rated.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from csp_portal.extension_points import PriorityLink, links_for_priority
from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import Partnership
from csp_portal.number_format import count, percent_change
from csp_portal.rag import Rag, assess_change, assess_value, worst
from performance.selectors import change_pct, complete_ytd_categories, year_to_date
from plans.models import (
    Action,
    ActionProgress,
    MeasureValue,
    PerformanceMeasure,
    Plan,
    PlanStatus,
    Priority,
    PriorityReport,
    Theme,
)


def current_plan(partnership: Partnership) -> Plan | None:
    return Plan.objects.filter(partnership=partnership, status=PlanStatus.ADOPTED).first()


def priorities_in_force(
    partnership: Partnership, *, keep: Iterable[int | None] = ()
) -> QuerySet[Priority]:
    """The priorities a record may be tied to: the one answer for every app's choice list.

    Bids, budget lines, agenda items and partner reports link to the adopted plan's
    priorities; a superseded plan's are history and a draft's not yet agreed. `keep` names
    priorities a record already holds, so editing an older record keeps its link rather
    than failing validation on it. Label the choices with `priority_label`.
    """
    kept = [pk for pk in keep if pk is not None]
    in_force = Q(plan__status=PlanStatus.ADOPTED)
    if kept:
        in_force |= Q(pk__in=kept)
    return (
        Priority.objects.filter(in_force, plan__partnership=partnership)
        .select_related("theme", "plan")
        .order_by("-plan__first_year", "number")
    )


def priority_label(priority: Priority) -> str:
    """A priority as a choice: its number and title, and the plan it belongs to, since
    numbers repeat from one plan to the next."""
    return f"{priority} ({priority.plan})"


def themes_in_force(partnership: Partnership) -> QuerySet[Theme]:
    """The adopted plan's themes, for other apps' choice lists (a report's themes)."""
    return Theme.objects.filter(
        plan__partnership=partnership, plan__status=PlanStatus.ADOPTED
    ).order_by("number")


def latest_priority_numbered(partnership: Partnership, number: int) -> Priority | None:
    """Priority `number` of the partnership's latest plan (the demo's and importers' way
    of naming a priority: "priority 2")."""
    return (
        Priority.objects.filter(plan__partnership=partnership, number=number)
        .order_by("-plan__first_year")
        .first()
    )


def latest_themes_by_number(partnership: Partnership) -> dict[int, Theme]:
    """Each theme number's theme in the partnership's latest plan that has it."""
    themes: dict[int, Theme] = {}
    for theme in Theme.objects.filter(plan__partnership=partnership).order_by(
        "number", "-plan__first_year"
    ):
        themes.setdefault(theme.number, theme)
    return themes


def plans_for(partnership: Partnership):
    return Plan.objects.filter(partnership=partnership).order_by("-first_year", "-version_year")


def draft_besides(plan: Plan) -> Plan | None:
    """The partnership's draft plan other than `plan` (the next version under review)."""
    return (
        Plan.objects.filter(partnership_id=plan.partnership_id, status=PlanStatus.DRAFT)
        .exclude(pk=plan.pk)
        .first()
    )


def default_quarter(plan: Plan, today: dt.date | None = None) -> Quarter:
    """The quarter a plan's pages open at: the last complete quarter inside the plan's
    period, or the latest quarter anyone has reported on if that is earlier, so that the
    figures shown sit beside the commentary written about them."""
    latest = Quarter.latest_complete(today)
    quarters = plan.quarters
    latest = quarters[0] if latest < quarters[0] else min(latest, quarters[-1])
    reported = latest_reported_quarter(plan)
    if reported is not None and reported < latest:
        return reported
    return latest


def latest_reported_quarter(plan: Plan) -> Quarter | None:
    """The latest quarter with action progress or a lead's report on this plan."""
    found = []
    for rows in (
        ActionProgress.objects.filter(action__priority__plan=plan),
        PriorityReport.objects.filter(priority__plan=plan),
    ):
        row = rows.order_by("-financial_year", "-quarter").values("financial_year", "quarter")
        if first := row.first():
            found.append(Quarter(FinancialYear.parse(first["financial_year"]), first["quarter"]))
    return max(found) if found else None


def quarter_from_param(plan: Plan, text: str | None) -> Quarter:
    """Read "2018-2" (a financial year's start and a quarter) from a query string."""
    try:
        year, number = (text or "").split("-")
        quarter = Quarter(FinancialYear(int(year)), int(number))
    except (ValueError, TypeError):
        return default_quarter(plan)
    return quarter if plan.covers(quarter) else default_quarter(plan)


@dataclass(frozen=True)
class MeasureResult:
    measure: PerformanceMeasure
    quarter: Quarter
    previous: Decimal | int | None
    current: Decimal | int | None
    change_pct: Decimal | None
    rag: Rag
    #: False when the crime figures rest on a quarter without its partnership total or a
    #: month (performance.completeness): shown as incomplete, never rated.
    complete: bool = True

    @property
    def change_display(self) -> str:
        if not self.complete:
            return "incomplete"
        return percent_change(self.change_pct)

    @property
    def basis(self) -> str:
        if self.measure.is_crime_figure:
            return f"Recorded crime, year to date to the end of {self.quarter}"
        return f"Value entered for {self.quarter}"

    @property
    def target_display(self) -> str:
        measure = self.measure
        parts = [measure.target_text] if measure.target_text else []
        if measure.target_value is not None:
            unit = "%" if measure.unit == "%" else ""
            parts.append(f"{_plain(measure.target_value)}{unit}")
        elif measure.target_change_pct is not None:
            parts.append(f"{percent_change(measure.target_change_pct)} on last year")
        return " – ".join(parts) or "No target"


def _plain(value: Decimal | int | None) -> str:
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    return count(value)


def _rate(measure: PerformanceMeasure, current, change: Decimal | None) -> Rag:
    if measure.target_value is not None:
        return assess_value(current, measure.target_value, lower_is_better=measure.lower_is_better)
    if measure.target_change_pct is not None:
        return assess_change(
            change, measure.target_change_pct, lower_is_better=measure.lower_is_better
        )
    return Rag.GREY


def measure_results(
    partnership: Partnership, measures: Iterable[PerformanceMeasure], quarter: Quarter
) -> dict[int, MeasureResult]:
    """Figures and RAG of each measure for `quarter`, in three queries whatever the count."""
    measures = list(measures)
    categories = {
        m.crime_category.pk: m.crime_category for m in measures if m.crime_category is not None
    }
    ytd = {}
    complete_ids: set[int] = set()
    if categories:
        ytd = {
            row.category.pk: row
            for row in year_to_date(partnership, quarter, list(categories.values()))
        }
        complete_ids = complete_ytd_categories(partnership, quarter, categories.values())
    indicator_ids = [m.pk for m in measures if not m.is_crime_figure]
    values: dict[tuple[int, int], Decimal] = {}
    if indicator_ids:
        rows = MeasureValue.objects.filter(
            measure_id__in=indicator_ids,
            financial_year__in=[quarter.financial_year, quarter.financial_year.previous],
            quarter=quarter.number,
        ).values_list("measure_id", "financial_year", "value")
        values = {(measure_id, int(year)): value for measure_id, year, value in rows}
    results = {}
    this_year = quarter.financial_year.start_year
    for measure in measures:
        previous: Decimal | int | None
        current: Decimal | int | None
        if measure.crime_category_id is not None:
            row = ytd.get(measure.crime_category_id)
            previous, current = (row.previous, row.current) if row else (None, None)
            if measure.crime_category_id not in complete_ids:
                results[measure.pk] = MeasureResult(
                    measure, quarter, previous, current, None, Rag.GREY, complete=False
                )
                continue
            change = row.change_pct if row else None
        else:
            previous = values.get((measure.pk, this_year - 1))
            current = values.get((measure.pk, this_year))
            change = change_pct(previous, current)
        results[measure.pk] = MeasureResult(
            measure, quarter, previous, current, change, _rate(measure, current, change)
        )
    return results


def latest_progress(actions: Iterable[Action], quarter: Quarter) -> dict[int, ActionProgress]:
    """Each action's most recent progress at or before `quarter` (one query)."""
    ids = [a.pk for a in actions]
    latest: dict[int, ActionProgress] = {}
    rows = ActionProgress.objects.filter(
        action_id__in=ids, financial_year__lte=quarter.financial_year
    ).order_by("financial_year", "quarter")
    for progress in rows:
        if progress.period <= quarter:
            latest[progress.action_id] = progress
    return latest


@dataclass
class ActionRow:
    action: Action
    progress: ActionProgress | None

    @property
    def rag(self) -> Rag:
        return self.progress.rag if self.progress else Rag.GREY

    @property
    def is_current(self) -> bool:
        return self.progress is not None


@dataclass
class PriorityStatus:
    priority: Priority
    quarter: Quarter
    measures: list[MeasureResult] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)

    @property
    def rag(self) -> Rag:
        return worst([m.rag for m in self.measures] + [a.rag for a in self.actions])

    def count(self, rag: Rag) -> int:
        items: list[MeasureResult | ActionRow] = [*self.measures, *self.actions]
        return sum(1 for item in items if item.rag == rag)

    @property
    def rag_summary(self) -> str:
        """ "2 red, 1 amber, 5 green" – the words behind the rolled-up colour."""
        incomplete = sum(1 for m in self.measures if not m.complete)
        parts = [
            f"{count} {rag.label.lower()}"
            for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.GREY)
            if (count := self.count(rag) - (incomplete if rag == Rag.GREY else 0))
        ]
        if incomplete:
            # Named apart so that a colour rolled up from the rest is never read as the
            # whole picture (their figures lack a partnership total or a month).
            parts.append(f"{incomplete} incomplete, not rated")
        return ", ".join(parts) or "nothing to rate yet"


def priority_statuses(
    plan: Plan, quarter: Quarter, priorities: Iterable[Priority] | None = None
) -> list[PriorityStatus]:
    """Every priority's measures, actions and rolled-up RAG for `quarter`."""
    if priorities is None:
        priorities = plan.priorities.select_related("theme", "lead_body", "lead_person")
    priorities = list(priorities)
    ids = [p.pk for p in priorities]
    measures = list(
        PerformanceMeasure.objects.filter(priority_id__in=ids).select_related("crime_category")
    )
    actions = list(
        Action.objects.filter(priority_id__in=ids).select_related("lead_agency", "measure")
    )
    results = measure_results(plan.partnership, measures, quarter)
    progress = latest_progress(actions, quarter)
    by_priority = {p.pk: PriorityStatus(p, quarter) for p in priorities}
    for measure in measures:
        status = by_priority[measure.priority_id]
        measure.priority = status.priority  # already loaded: no query per row
        status.measures.append(results[measure.pk])
    for action in actions:
        status = by_priority[action.priority_id]
        action.priority = status.priority
        status.actions.append(ActionRow(action, progress.get(action.pk)))
    return [by_priority[p.pk] for p in priorities]


@dataclass
class ThemeRow:
    theme: Theme
    priorities: list[PriorityStatus]


def plan_overview(plan: Plan, quarter: Quarter) -> list[ThemeRow]:
    statuses = priority_statuses(plan, quarter)
    grouped: dict[int, list[PriorityStatus]] = defaultdict(list)
    for status in statuses:
        grouped[status.priority.theme_id].append(status)
    return [ThemeRow(theme, grouped[theme.pk]) for theme in plan.themes.all()]


def priority_links(priority: Priority, viewer=None) -> list[PriorityLink]:
    """Records of other apps (bids, meeting items) linked to this priority or to the
    same priority in earlier versions of the plan, which the annual review copied; each
    app lists only what `viewer` may open (exempt meeting items are not for everyone)."""
    links: list[PriorityLink] = []
    seen: set[int] = set()
    current: Priority | None = priority
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        links.extend(links_for_priority(current, viewer))
        current = current.copied_from
    return sorted(links, key=lambda link: (link.date is None, link.date or dt.date.min))


def reports_for(priority: Priority):
    return priority.reports.select_related("author")
