"""What changed between two versions of a plan (the annual review's comparison).

Themes and priorities are matched by their numbers, which is how the Board refers to
them; measures and actions by the record they were copied from at the review, falling
back to the measure's name or the action's number. Text is compared word by word.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from plans.models import Action, PerformanceMeasure, Plan, Priority


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str

    @property
    def words(self) -> list[tuple[str, str]]:
        """[(op, text)] with op "same", "del" or "ins", for showing a word-level diff."""
        old, new = self.before.split(), self.after.split()
        pieces: list[tuple[str, str]] = []
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                pieces.append(("same", " ".join(old[a1:a2])))
                continue
            if a2 > a1:
                pieces.append(("del", " ".join(old[a1:a2])))
            if b2 > b1:
                pieces.append(("ins", " ".join(new[b1:b2])))
        return pieces


@dataclass
class Section:
    heading: str
    state: str = "changed"  # "changed", "added" or "removed"
    changes: list[Change] = field(default_factory=list)


def _text(value) -> str:
    return "" if value is None else str(value)


def _compare(section: Section, pairs: list[tuple[str, object, object]]) -> None:
    for label, before, after in pairs:
        if _text(before).split() != _text(after).split():
            section.changes.append(Change(label, _text(before), _text(after)))


def _plan_fields(plan: Plan) -> list[tuple[str, object]]:
    return [
        ("Title", plan.title),
        ("Period", plan.period),
        ("Vision", plan.vision),
        ("Overarching aim", plan.overarching_aim),
        ("Key findings of the strategic assessment", plan.key_findings),
    ]


def _priority_fields(p: Priority) -> list[tuple[str, object]]:
    return [
        ("Title", p.title),
        ("Theme", p.theme),
        ("Why is this a priority", p.why),
        ("What we will aim to achieve", p.aims),
        ("How we will achieve it", p.approach),
        ("How we will measure success", p.measures_of_success),
        ("Lead body", p.lead_body),
        ("Lead person", p.lead_person.get_full_name() if p.lead_person else ""),
    ]


def _measure_fields(m: PerformanceMeasure) -> list[tuple[str, object]]:
    return [
        ("Name", m.name),
        ("Crime category", m.crime_category),
        ("Direction", m.get_direction_display()),
        ("Target (as worded)", m.target_text),
        ("Target % change", m.target_change_pct),
        ("Target value", m.target_value),
    ]


def _action_fields(a: Action) -> list[tuple[str, object]]:
    return [
        ("Key action", a.key_action),
        ("Lead agency", a.lead_agency),
        ("Time scales", a.time_scales),
        ("Financial and resource implications", a.resource_implications),
        ("Outcome target and performance measure", a.outcome_target),
    ]


def _pair_sections(heading, old, new, fields) -> Section:
    section = Section(heading)
    if old is None:
        section.state = "added"
        section.changes = [Change(label, "", _text(v)) for label, v in fields(new) if _text(v)]
    elif new is None:
        section.state = "removed"
        section.changes = [Change(label, _text(v), "") for label, v in fields(old) if _text(v)]
    else:
        _compare(
            section,
            [(label, b, a) for (label, b), (_, a) in zip(fields(old), fields(new), strict=True)],
        )
    return section


def _match(old_items, new_items, key_old, key_new):
    """Pair old and new records: first by copied_from, then by the fallback key."""
    old_by_pk = {item.pk: item for item in old_items}
    old_by_key = {key_old(item): item for item in old_items}
    used: set[int] = set()
    pairs = []
    for item in new_items:
        match = old_by_pk.get(item.copied_from_id) or old_by_key.get(key_new(item))
        if match is not None and match.pk not in used:
            used.add(match.pk)
            pairs.append((match, item))
        else:
            pairs.append((None, item))
    pairs.extend((item, None) for item in old_items if item.pk not in used)
    return pairs


def diff_plans(old: Plan, new: Plan) -> list[Section]:
    """Sections (the plan, each theme, priority, measure and action) that differ."""
    sections = [_pair_sections("The plan", old, new, _plan_fields)]
    old_themes = {t.number: t for t in old.themes.all()}
    new_themes = {t.number: t for t in new.themes.all()}
    for number in sorted(old_themes.keys() | new_themes.keys()):
        sections.append(
            _pair_sections(
                f"Theme {number}",
                old_themes.get(number),
                new_themes.get(number),
                lambda t: [("Title", t.title)],
            )
        )

    def load(plan):
        priorities = plan.priorities.select_related("theme", "lead_body", "lead_person")
        return {p.number: p for p in priorities}

    old_priorities, new_priorities = load(old), load(new)
    measures = PerformanceMeasure.objects.filter(priority__plan__in=[old, new]).select_related(
        "crime_category"
    )
    actions = Action.objects.filter(priority__plan__in=[old, new]).select_related(
        "lead_agency", "priority"
    )
    measures_of, actions_of = _group(measures), _group(actions)
    for number in sorted(old_priorities.keys() | new_priorities.keys()):
        before, after = old_priorities.get(number), new_priorities.get(number)
        sections.append(_pair_sections(f"Priority {number}", before, after, _priority_fields))
        old_m = measures_of.get(before.pk, []) if before else []
        new_m = measures_of.get(after.pk, []) if after else []
        for m_old, m_new in _match(old_m, new_m, lambda m: m.name, lambda m: m.name):
            name = (m_new or m_old).name
            heading = f"Priority {number}: measure “{name}”"
            sections.append(_pair_sections(heading, m_old, m_new, _measure_fields))
        old_a = actions_of.get(before.pk, []) if before else []
        new_a = actions_of.get(after.pk, []) if after else []
        for a_old, a_new in _match(old_a, new_a, lambda a: a.number, lambda a: a.number):
            ref = (a_new or a_old).number
            sections.append(_pair_sections(f"Action {number}.{ref}", a_old, a_new, _action_fields))
    return [s for s in sections if s.changes or s.state != "changed"]


def _group(rows) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.priority_id, []).append(row)
    return grouped
