"""A priority lead's quarterly report to the Board: when it is due, which leads still owe
one (their home page's "what needs you"), and the one recorded for a quarter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from csp_portal.financial_year import Quarter
from plans.models import PlanStatus, Priority, PriorityReport


def report_for(priority: Priority, quarter: Quarter) -> PriorityReport | None:
    """The lead's report on `priority` for `quarter`, if one is recorded."""
    return PriorityReport.objects.filter(
        priority=priority, financial_year=quarter.financial_year, quarter=quarter.number
    ).first()


def report_due_date(quarter: Quarter) -> dt.date:
    """A lead's report is due by the end of the month after the quarter ends."""
    following = quarter.end + dt.timedelta(days=1)
    next_month = (following.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return next_month - dt.timedelta(days=1)


@dataclass(frozen=True)
class DueReport:
    priority: Priority
    quarter: Quarter
    report_missing: bool
    actions_without_progress: int
    due: dt.date


def reports_due(user, today: dt.date | None = None) -> list[DueReport]:
    """For a priority lead: the adopted plans' priorities whose last quarter's report or
    action progress is still to come."""
    today = today or dt.date.today()
    quarter = Quarter.latest_complete(today)
    if not user.is_authenticated:
        return []
    priorities = (
        Priority.objects.filter(plan__status=PlanStatus.ADOPTED)
        .filter(Q(lead_person=user) | Q(lead_body__chair=user))
        .select_related("plan__partnership")
        .distinct()
    )
    due = []
    for priority in priorities:
        if not priority.plan.covers(quarter):
            continue
        has_report = PriorityReport.objects.filter(
            priority=priority, financial_year=quarter.financial_year, quarter=quarter.number
        ).exists()
        missing = (
            priority.actions.exclude(
                progress__financial_year=quarter.financial_year,
                progress__quarter=quarter.number,
            )
            .distinct()
            .count()
        )
        if not has_report or missing:
            due.append(
                DueReport(priority, quarter, not has_report, missing, report_due_date(quarter))
            )
    return due
