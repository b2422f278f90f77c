"""The quarterly record of the plan in force: each action's progress, each indicator's
value and the lead's report on a priority, entered one by one or as one update."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from csp_portal.financial_year import Quarter
from plans.access import require_report_rights
from plans.models import (
    Action,
    ActionProgress,
    MeasureValue,
    PerformanceMeasure,
    Priority,
    PriorityReport,
    ProgressStatus,
)
from plans.services import _ensure_in_force, _locked_plan

# --- the quarterly record (adopted plan only) ----------------------------------------


@transaction.atomic
def record_progress(
    *,
    action: Action,
    quarter: Quarter,
    status: str,
    commentary: str,
    user,
    reported_on: dt.date | None = None,
) -> ActionProgress:
    """Record (or correct) an action's status and commentary for a quarter."""
    priority = action.priority
    require_report_rights(user, priority)
    plan = _locked_plan(priority.plan_id)
    _ensure_in_force(plan, quarter)
    if status not in ProgressStatus.values:
        raise ValidationError({"status": f"“{status}” is not a progress status."})
    progress, _ = ActionProgress.objects.update_or_create(
        action=action,
        financial_year=quarter.financial_year,
        quarter=quarter.number,
        defaults={
            "status": status,
            "commentary": commentary.strip(),
            "reported_on": reported_on or timezone.localdate(),
            "reported_by": user,
        },
    )
    return progress


@transaction.atomic
def record_measure_value(
    *, measure: PerformanceMeasure, quarter: Quarter, value: Decimal, user, note: str = ""
) -> MeasureValue:
    """Enter a quarter's value of an indicator (crime figures come from performance)."""
    require_report_rights(user, measure.priority)
    plan = _locked_plan(measure.priority.plan_id)
    _ensure_in_force(plan, quarter)
    if measure.is_crime_figure:
        raise ValidationError(
            {"value": f"“{measure.name}” comes from the crime figures; it is not entered here."}
        )
    entry, _ = MeasureValue.objects.update_or_create(
        measure=measure,
        financial_year=quarter.financial_year,
        quarter=quarter.number,
        defaults={"value": value, "note": note.strip(), "entered_by": user},
    )
    return entry


@transaction.atomic
def submit_report(
    *,
    priority: Priority,
    quarter: Quarter,
    successes: str,
    threats: str,
    user,
    submitted_on: dt.date | None = None,
) -> PriorityReport:
    """The lead's quarterly report on a priority (one per quarter; resubmitting edits it)."""
    require_report_rights(user, priority)
    plan = _locked_plan(priority.plan_id)
    _ensure_in_force(plan, quarter)
    errors = {}
    if not successes.strip():
        errors["successes"] = "Say what went well this quarter (or write “None”)."
    if not threats.strip():
        errors["threats"] = "Say what threatens performance (or write “None”)."
    if errors:
        raise ValidationError(errors)
    report, _ = PriorityReport.objects.update_or_create(
        priority=priority,
        financial_year=quarter.financial_year,
        quarter=quarter.number,
        defaults={
            "successes": successes.strip(),
            "threats": threats.strip(),
            "submitted_on": submitted_on or timezone.localdate(),
            "author": user,
        },
    )
    return report


@dataclass(frozen=True)
class ActionUpdate:
    action: Action
    status: str
    commentary: str


@dataclass(frozen=True)
class MeasureUpdate:
    measure: PerformanceMeasure
    value: Decimal
    note: str = ""


@transaction.atomic
def record_quarterly_update(
    *,
    priority: Priority,
    quarter: Quarter,
    actions: Iterable[ActionUpdate],
    measures: Iterable[MeasureUpdate],
    successes: str,
    threats: str,
    user,
) -> PriorityReport:
    """A priority's whole quarterly update from its lead: each action's progress, each
    indicator's value and the report, all or nothing (a problem with any part leaves
    every record as it was)."""
    for update in actions:
        record_progress(
            action=update.action,
            quarter=quarter,
            status=update.status,
            commentary=update.commentary,
            user=user,
        )
    for value in measures:
        record_measure_value(
            measure=value.measure, quarter=quarter, value=value.value, note=value.note, user=user
        )
    return submit_report(
        priority=priority, quarter=quarter, successes=successes, threats=threats, user=user
    )
