"""Loads the demo partnership's plans from fixtures/demo/plans/.

plans.json holds each plan's text, themes, priorities and measures (as seeds 000 and
001 print them); actions.csv the action plans in the seeds' format; progress.csv,
measure_values.csv and reports.csv a year of quarterly updates. The 2011-2014 plan is
built, adopted and reported on first; adopting the 2017-2020 plan then supersedes it,
exactly as the annual cycle would. Everything goes through services.py.

Idempotent: a plan that already exists (same title and first year) is left alone.
Measures name a crime category of the performance demo; if the partnership has no
category of that name, the measure is kept as an indicator of its own, unlinked.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from csp_portal.demo import read_csv
from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import Body, Organisation, Partnership
from performance.selectors import category_named
from plans import progress, services
from plans.models import Action, PerformanceMeasure, Plan, Priority, Theme


@transaction.atomic
def load(partnership: Partnership, directory: Path) -> None:
    folder = Path(directory) / "plans"
    specs = json.loads((folder / "plans.json").read_text(encoding="utf-8"))
    actions = _grouped(read_csv(folder / "actions.csv"))
    progress = _grouped(read_csv(folder / "progress.csv"))
    values = _grouped(read_csv(folder / "measure_values.csv"))
    reports = _grouped(read_csv(folder / "reports.csv"))
    users = {u.username: u for u in get_user_model().objects.all()}
    for spec in specs:  # oldest first: adopting each supersedes the one before
        first_year = FinancialYear.parse(spec["first_year"])
        if Plan.objects.filter(
            partnership=partnership, title=spec["title"], first_year=first_year
        ).exists():
            continue
        key = spec["key"]
        plan = _build_plan(partnership, spec, actions[key], users)
        services.adopt(plan=plan, on=dt.date.fromisoformat(spec["adopted_on"]))
        _record_updates(plan, progress[key], values[key], reports[key], users)


def _grouped(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        grouped[row["plan"]].append(row)
    return grouped


def _category(partnership: Partnership, name: str) -> Any:
    """The performance app's category of that name (a plan's measure is measured on it)."""
    return category_named(partnership, name) if name else None


def _decimal(text) -> Decimal | None:
    return None if text in (None, "") else Decimal(str(text))


def _build_plan(partnership, spec, action_rows, users) -> Plan:
    plan = services.create_plan(
        partnership=partnership,
        title=spec["title"],
        first_year=FinancialYear.parse(spec["first_year"]),
        last_year=FinancialYear.parse(spec["last_year"]),
        vision=spec["vision"],
        overarching_aim=spec["overarching_aim"],
        key_findings=spec.get("key_findings", ""),
    )
    themes = {
        row["number"]: services.save_theme(
            theme=Theme(plan=plan, number=row["number"], title=row["title"])
        )
        for row in spec["themes"]
    }
    bodies = {b.slug: b for b in Body.objects.filter(partnership=partnership)}
    priorities = {}
    for row in spec["priorities"]:
        priority = services.save_priority(
            priority=Priority(
                plan=plan,
                theme=themes[row["theme"]],
                number=row["number"],
                title=row["title"],
                why=row["why"],
                aims=row["aims"],
                approach=row["approach"],
                measures_of_success=row["measures_of_success"],
                lead_body=bodies.get(row.get("lead_body", "")),
                lead_person=users.get(row.get("lead_person", "")),
            )
        )
        priorities[priority.number] = priority
        for order, m in enumerate(row.get("measures", []), start=1):
            services.save_measure(
                measure=PerformanceMeasure(
                    priority=priority,
                    order=order,
                    name=m["name"],
                    crime_category=_category(partnership, m.get("category", "")),
                    unit=m.get("unit", ""),
                    direction=m["direction"],
                    target_text=m.get("target_text", ""),
                    target_change_pct=_decimal(m.get("target_change_pct")),
                    target_value=_decimal(m.get("target_value")),
                )
            )
    organisations = {o.name: o for o in Organisation.objects.all()}
    for row in action_rows:
        priority = priorities[int(row["priority"])]
        services.save_action(
            action=Action(
                priority=priority,
                number=int(row["number"]),
                key_action=row["key_action"],
                lead_agency=organisations[row["lead_agency"]],
                time_scales=row["time_scales"],
                resource_implications=row["resource_implications"],
                outcome_target=row["outcome_target"],
                measure=priority.measures.filter(name=row["measure"]).first()
                if row["measure"]
                else None,
            )
        )
    return plan


def _record_updates(plan, progress_rows, value_rows, report_rows, users) -> None:
    for row in progress_rows:
        action = Action.objects.get(
            priority__plan=plan, priority__number=int(row["priority"]), number=int(row["action"])
        )
        progress.record_progress(
            action=action,
            quarter=Quarter.parse(row["financial_year"], row["quarter"]),
            status=row["status"],
            commentary=row["commentary"],
            user=users[row["reported_by"]],
            reported_on=dt.date.fromisoformat(row["reported_on"]),
        )
    for row in value_rows:
        measure = PerformanceMeasure.objects.get(
            priority__plan=plan, priority__number=int(row["priority"]), name=row["measure"]
        )
        if measure.is_crime_figure:
            continue  # the performance demo had this category after all: figures come from it
        progress.record_measure_value(
            measure=measure,
            quarter=Quarter.parse(row["financial_year"], row["quarter"]),
            value=Decimal(row["value"]),
            user=users[row["entered_by"]],
        )
    for row in report_rows:
        priority = Priority.objects.get(plan=plan, number=int(row["priority"]))
        progress.submit_report(
            priority=priority,
            quarter=Quarter.parse(row["financial_year"], row["quarter"]),
            successes=row["successes"],
            threats=row["threats"],
            user=users[row["author"]],
            submitted_on=dt.date.fromisoformat(row["submitted_on"]),
        )
