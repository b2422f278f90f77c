"""Writes to plans: editing a draft, recording quarterly progress, the annual review.

Every function runs in one transaction and checks the plan's state first, as the life
cycle declared in plans/lifecycle.py says (`lifecycle.check`): content changes only
while a plan is a draft (an adopted or superseded plan is read-only), and quarterly
records go only against the adopted plan, for a quarter inside its period.
Views, the demo loader and tests all call these functions.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership
from csp_portal.upload_checks import check_pdf_upload
from csp_portal.versioning import check_and_bump
from plans import lifecycle
from plans.models import (
    Action,
    ActionProgress,
    PerformanceMeasure,
    Plan,
    PlanStatus,
    Priority,
    ProgressStatus,
    Theme,
)


def _locked_plan(plan_id: int) -> Plan:
    # Lock the plan row so an edit and an adoption of the same plan cannot interleave.
    return Plan.objects.select_for_update().select_related("partnership").get(pk=plan_id)


def _ensure_draft(plan: Plan) -> None:
    """Only a draft's content changes (the life cycle's `edit` step)."""
    lifecycle.check("edit", plan)


def _ensure_in_force(plan: Plan, quarter: Quarter) -> None:
    """Quarterly records go only against the adopted plan (the `record_progress` step)."""
    lifecycle.check("record_progress", plan)
    if not plan.covers(quarter):
        raise ValidationError(
            {"financial_year": f"{quarter} is outside the plan's period ({plan.period})."}
        )


# --- plan content (drafts only) -------------------------------------------------------


@transaction.atomic
def create_plan(
    *,
    partnership: Partnership,
    title: str,
    first_year,
    last_year,
    vision: str = "",
    overarching_aim: str = "",
    key_findings: str = "",
    document=None,
    by=None,
) -> Plan:
    """Start a draft plan, with its strategic assessment (a PDF) when one is given: both
    saved, or neither. `by`: who asks (None: the portal, which checks only the state)."""
    lifecycle.check("start", None, by, partnership=partnership)
    plan = Plan(
        partnership=partnership,
        title=title,
        first_year=first_year,
        last_year=last_year,
        vision=vision,
        overarching_aim=overarching_aim,
        key_findings=key_findings,
    )
    _check_period(plan)
    plan.full_clean()
    plan.save()
    if document:
        set_strategic_assessment(plan=plan, upload=document)
    return plan


def _check_period(plan: Plan) -> None:
    if plan.first_year and plan.last_year and plan.last_year < plan.first_year:
        raise ValidationError(
            {
                "last_year": f"The plan cannot end ({plan.last_year}) before it starts "
                f"({plan.first_year})."
            }
        )


@transaction.atomic
def update_plan(*, plan: Plan, expected_version: int | None = None, document=None) -> Plan:
    """Save the changed fields of a draft plan (as a bound ModelForm leaves them) and
    its new strategic assessment if one is given, all or nothing; refused
    (`StaleVersion`) when someone saved it since the form was opened."""
    stored = _locked_plan(plan.pk)
    _ensure_draft(stored)
    check_and_bump(plan, expected=expected_version, what=f"{stored.label}")
    plan.status = stored.status  # the form cannot change the status: adopt() does
    _check_period(plan)
    plan.full_clean()
    plan.save()
    if document:
        set_strategic_assessment(plan=plan, upload=document)
    return plan


@transaction.atomic
def set_strategic_assessment(*, plan: Plan, upload) -> Plan:
    stored = _locked_plan(plan.pk)
    _ensure_draft(stored)
    try:
        check_pdf_upload(upload)
    except ValidationError as error:
        raise ValidationError({"document": error.messages}) from error
    old = stored.strategic_assessment.name if stored.strategic_assessment else ""
    stored.strategic_assessment_name = upload.name[:200]
    stored.strategic_assessment.save(upload.name, upload, save=False)
    stored.save(update_fields=["strategic_assessment", "strategic_assessment_name"])
    shared = Plan.objects.filter(strategic_assessment=old).exclude(pk=stored.pk).exists()
    if old and old != stored.strategic_assessment.name and not shared:
        # Remove the replaced file only once the new one is committed, and never while
        # another version of the plan (copied at the annual review) still refers to it.
        storage = stored.strategic_assessment.storage
        transaction.on_commit(lambda: storage.delete(old))
    return stored


@transaction.atomic
def save_theme(*, theme: Theme, expected_version: int | None = None) -> Theme:
    plan = _locked_plan(theme.plan_id)
    _ensure_draft(plan)
    check_and_bump(theme, expected=expected_version, what=f"theme {theme.number}")
    clash = Theme.objects.filter(plan=plan, number=theme.number).exclude(pk=theme.pk).first()
    if clash:
        raise ValidationError(
            {"number": f"Theme {theme.number} is already used in this plan ({clash.title})."}
        )
    theme.full_clean(validate_constraints=False)
    theme.save()
    return theme


@transaction.atomic
def save_priority(*, priority: Priority, expected_version: int | None = None) -> Priority:
    """Create or change a priority of a draft plan; numbers are unique across the plan."""
    plan = _locked_plan(priority.plan_id)
    _ensure_draft(plan)
    check_and_bump(priority, expected=expected_version, what=f"priority {priority.number}")
    if priority.pk:
        _ensure_draft(Priority.objects.get(pk=priority.pk).plan)
    if priority.theme.plan_id != plan.pk:
        raise ValidationError({"theme": "That theme belongs to another plan."})
    clash = (
        Priority.objects.filter(plan=plan, number=priority.number).exclude(pk=priority.pk).first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "number": f"Priority {priority.number} is already used in this plan "
                f"(“{clash.title}”). Each priority needs its own number."
            }
        )
    priority.full_clean(validate_constraints=False)
    priority.save()
    return priority


@transaction.atomic
def save_measure(
    *, measure: PerformanceMeasure, expected_version: int | None = None
) -> PerformanceMeasure:
    priority = measure.priority
    _ensure_draft(_locked_plan(priority.plan_id))
    check_and_bump(measure, expected=expected_version, what=f"measure “{measure.name}”")
    errors: dict[str, str] = {}
    if not measure.direction:
        errors["direction"] = (
            f"Say whether lower or higher is better for “{measure.name}”: without a "
            "direction the measure cannot be rated."
        )
    if measure.target_change_pct is not None and measure.target_value is not None:
        errors["target_value"] = "Give a target % change or a target value, not both."
    category = measure.crime_category
    if category is not None and category.partnership_id != priority.plan.partnership_id:
        errors["crime_category"] = "That crime category belongs to another partnership."
    if errors:
        raise ValidationError(errors)
    measure.full_clean(validate_constraints=False)
    measure.save()
    return measure


@transaction.atomic
def save_action(*, action: Action, expected_version: int | None = None) -> Action:
    priority = action.priority
    _ensure_draft(_locked_plan(priority.plan_id))
    check_and_bump(
        action, expected=expected_version, what=f"action {priority.number}.{action.number}"
    )
    if action.measure is not None and action.measure.priority_id != priority.pk:
        raise ValidationError({"measure": "Choose one of this priority's measures."})
    clash = Action.objects.filter(priority=priority, number=action.number).exclude(pk=action.pk)
    if clash.exists():
        raise ValidationError(
            {"number": f"Action {priority.number}.{action.number} already exists."}
        )
    action.full_clean(validate_constraints=False)
    action.save()
    return action


@transaction.atomic
def remove_from_draft(*, record: Priority | PerformanceMeasure | Action) -> None:
    """Delete a priority, measure or action of a draft plan (with what hangs from it).

    Refused for an adopted plan, and when a record of another app (a bid, an agenda
    item) still points at it: unlink that first.
    """
    plan_id = record.plan_id if isinstance(record, Priority) else record.priority.plan_id
    _ensure_draft(_locked_plan(plan_id))
    try:
        with transaction.atomic():
            record.delete()
    except ProtectedError as error:
        names = sorted({str(obj) for obj in error.protected_objects})[:3]
        raise ValidationError(
            f"{record} cannot be removed while other records refer to it: {'; '.join(names)}."
        ) from error


# --- annual review --------------------------------------------------------------------


@transaction.atomic
def start_review(*, plan: Plan, by=None) -> Plan:
    """Start next year's version of an adopted plan as a draft.

    Copies the plan's text, themes, priorities and measures, and the actions that are
    still open (the latest progress is not "complete"); quarterly progress, values and
    reports stay with the version they were recorded against.
    """
    source = _locked_plan(plan.pk)
    lifecycle.check("review", source, by)
    version_year = (source.version_year or source.first_year).next
    draft = Plan.objects.create(
        partnership=source.partnership,
        title=source.title,
        first_year=source.first_year,
        last_year=max(source.last_year, version_year),
        vision=source.vision,
        overarching_aim=source.overarching_aim,
        key_findings=source.key_findings,
        version_year=version_year,
        based_on=source,
        strategic_assessment=source.strategic_assessment.name,
        strategic_assessment_name=source.strategic_assessment_name,
    )
    themes = {}
    for theme in source.themes.all():
        themes[theme.pk] = Theme.objects.create(
            plan=draft, number=theme.number, title=theme.title, copied_from=theme
        )
    latest_status = _latest_status_by_action(source)
    for priority in source.priorities.prefetch_related("measures", "actions"):
        copy = Priority.objects.create(
            plan=draft,
            theme=themes[priority.theme_id],
            number=priority.number,
            title=priority.title,
            why=priority.why,
            aims=priority.aims,
            approach=priority.approach,
            measures_of_success=priority.measures_of_success,
            lead_body_id=priority.lead_body_id,
            lead_person_id=priority.lead_person_id,
            copied_from=priority,
        )
        measures: dict[int, PerformanceMeasure] = {}
        for measure in priority.measures.all():
            measures[measure.pk] = PerformanceMeasure.objects.create(
                priority=copy,
                order=measure.order,
                name=measure.name,
                crime_category_id=measure.crime_category_id,
                unit=measure.unit,
                direction=measure.direction,
                target_text=measure.target_text,
                target_change_pct=measure.target_change_pct,
                target_value=measure.target_value,
                copied_from=measure,
            )
        for action in priority.actions.all():
            if latest_status.get(action.pk) == ProgressStatus.COMPLETE:
                continue
            Action.objects.create(
                priority=copy,
                number=action.number,
                key_action=action.key_action,
                lead_agency_id=action.lead_agency_id,
                time_scales=action.time_scales,
                resource_implications=action.resource_implications,
                outcome_target=action.outcome_target,
                measure=measures.get(action.measure_id) if action.measure_id else None,
                copied_from=action,
            )
    return draft


def _latest_status_by_action(plan: Plan) -> dict[int, str]:
    latest: dict[int, str] = {}
    rows = ActionProgress.objects.filter(action__priority__plan=plan).order_by(
        "financial_year", "quarter"
    )
    for action_id, status in rows.values_list("action_id", "status"):
        latest[action_id] = status  # ordered by quarter, so the last one wins
    return latest


@transaction.atomic
def adopt(*, plan: Plan, on: dt.date | None = None, by=None) -> Plan:
    """Adopt a draft: it becomes the plan in force and the previous one is superseded."""
    draft = _locked_plan(plan.pk)
    lifecycle.check("adopt", draft, by)
    if not draft.priorities.exists():
        raise ValidationError(f"{draft.label} has no priorities yet; add them before adopting.")
    current = (
        Plan.objects.select_for_update()
        .filter(partnership=draft.partnership, status=PlanStatus.ADOPTED)
        .first()
    )
    if current is not None:
        lifecycle.check("supersede", current)
        current.status = lifecycle.target("supersede")
        current.save(update_fields=["status"])
    draft.status = lifecycle.target("adopt")
    draft.adopted_on = on or timezone.localdate()
    draft.save(update_fields=["status", "adopted_on"])
    return draft
