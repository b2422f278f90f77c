"""A plan's life cycle, declared once: its states, the steps between them, who may take
each step, whether the page asks for confirmation first and who is told.

    (none) ──start──▶ draft ──adopt──▶ adopted ──supersede──▶ superseded
                        ▲ └─edit─┘         │ └─record_progress─┘
                        └──────review──────┘   (a new draft version; this one stays adopted)

`STEPS` is the table (docs/plans.md prints it and its diagram: `table()`, `diagram()`,
written by scripts/docs_lifecycles.py). A partnership has at most one draft and one
adopted plan at a time; only a draft's content changes (`edit`: an adopted or superseded
plan is read-only). `refusal` answers whether a step may be taken now, and by whom:
plans.services and plans.progress ask it before every write (quarterly progress goes
only against the adopted plan), and the pages ask `allowed_steps(plan, user)`
which buttons to offer (the services check again). What a draft must contain before it
is adopted (a priority) is checked by `services.adopt`, not here: the page offers
"Adopt…" and explains what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from csp_portal import roles
from csp_portal.access import has_role
from csp_portal.models import Partnership, Role
from plans.access import can_report_on
from plans.models import Plan, PlanStatus, Priority

S = PlanStatus


class StepRefused(ValidationError):
    """A step not allowed now, or not for this person; the message says why (a
    ValidationError, so every caller that shows a service's refusal shows this one)."""


class NotAllowed(StepRefused):
    """A step this person may never take on this plan (403, not a conflict)."""


class WrongState(StepRefused):
    """A step the plan's status does not allow (the pages answer 403: the plan is a
    closed record, or not yet adopted, for everyone)."""


class PlanReadOnly(WrongState):
    """Something tried to change the content of a plan that is not a draft."""


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    sources: frozenset[str]  # empty: the step starts a plan where there was none
    target: str | None  # None: the status stays as it is
    who: frozenset[str]  # role set from csp_portal/roles.py; empty: the portal itself
    confirm: bool  # the page asks "are you sure?" first
    notifies: str = ""  # who is told, in words ("" for nobody)
    #: The step makes a new plan in `target`; the plan it is taken on keeps its status.
    new_version: bool = False
    #: A priority's lead (plans/access.py) may take it on their own priorities too.
    also_leads: bool = False
    note: str = ""  # what the table adds in words


STEPS: dict[str, Step] = {
    s.name: s
    for s in [
        Step(
            "start", "Start a new plan", frozenset(), S.DRAFT, roles.EDITORS_OF_PLANS, False,
            note="only while the partnership has no draft",
        ),
        Step(
            "edit", "Change the draft", frozenset({S.DRAFT}), None, roles.EDITORS_OF_PLANS,
            False, note="its text, assessment, themes, priorities, measures and actions",
        ),
        Step(
            "adopt", "Adopt the plan", frozenset({S.DRAFT}), S.ADOPTED,
            roles.EDITORS_OF_PLANS, True, note="the draft needs a priority; the plan in "
            "force is superseded",
        ),
        Step(
            "review", "Start the annual review", frozenset({S.ADOPTED}), S.DRAFT,
            roles.EDITORS_OF_PLANS, True, new_version=True,
            note="a draft copy for next year; only while the partnership has no draft",
        ),
        Step(
            "record_progress", "Record quarterly progress", frozenset({S.ADOPTED}), None,
            roles.RECORDERS_OF_PROGRESS, False, also_leads=True,
            note="progress, figures and the lead's report, for a quarter in the plan's period",
        ),
        Step(
            "supersede", "Supersede", frozenset({S.ADOPTED}), S.SUPERSEDED, frozenset(),
            False, note="taken by `adopt` on the plan in force",
        ),
    ]
}  # fmt: skip


def _label(status: str) -> str:
    return PlanStatus(status).label.lower()


def _who(step: Step, sep: str = ", ") -> str:
    """Who may take `step`, in words."""
    names = sorted(Role(r).label.lower() for r in step.who)
    if step.also_leads:
        names.append("the priority's lead")
    return sep.join(names) or "the portal"


def has_draft(partnership: Partnership) -> bool:
    return Plan.objects.filter(partnership=partnership, status=S.DRAFT).exists()


def refusal(
    name: str,
    plan: Plan | None,
    user,
    *,
    partnership: Partnership | None = None,
    priority: Priority | None = None,
) -> StepRefused | None:
    """None when `user` may take step `name` on `plan` now, else what to raise.

    `user=None` is the portal itself (the services' own check, the demo loader, a
    command): only the state is checked. `start` is taken on no plan: give `partnership`.
    A step leads also take is asked of one `priority` (without it, only the roles count).
    """
    step = STEPS[name]
    where = plan.partnership if plan is not None else partnership
    if where is None:
        raise TypeError(f"refusal({name!r}) needs a plan or a partnership")
    if user is not None:
        if not step.who:
            return NotAllowed(f"“{step.label}” is the portal's step ({step.note}).")
        lead = step.also_leads and priority is not None and can_report_on(user, priority)
        if not lead and not has_role(user, where, step.who):
            label = f"{step.label[0].lower()}{step.label[1:]}"
            return NotAllowed(f"Only a {_who(step, ' or ')} may {label}.")
    if plan is None:
        if step.sources:
            raise TypeError(f"refusal({name!r}) needs a plan")
    elif plan.status not in step.sources:
        return _wrong_state(step, plan)
    if name == "start" and has_draft(where):
        return StepRefused(
            "This partnership already has a draft plan: finish or adopt it before starting another."
        )
    if name == "review" and has_draft(where):
        return StepRefused(
            "There is already a draft version: open it, or adopt it, before starting another."
        )
    return None


def _wrong_state(step: Step, plan: Plan) -> WrongState:
    state = _label(plan.status)
    if step.name == "edit":
        return PlanReadOnly(
            f"{plan.label} is {state} and cannot be changed. "
            "Start the annual review to make a new draft version."
        )
    if step.name == "record_progress":
        return PlanReadOnly(
            f"{plan.label} is {state}: quarterly progress is recorded only against the "
            "adopted plan."
        )
    if step.name == "adopt":
        return WrongState(f"{plan.label} is already {state}: only a draft is adopted.")
    if step.name == "review":
        return WrongState(
            f"{plan.label} is {state}: only the adopted plan goes through the annual review "
            "(a draft is changed directly; a superseded plan is a closed record)."
        )
    return WrongState(f"{plan.label} is {state}: “{step.label}” is not possible now.")


def check(
    name: str,
    plan: Plan | None,
    user=None,
    *,
    partnership: Partnership | None = None,
    priority: Priority | None = None,
) -> None:
    """Raise the refusal of step `name`, if any (the services call this)."""
    problem = refusal(name, plan, user, partnership=partnership, priority=priority)
    if problem is not None:
        raise problem


def target(name: str) -> str:
    """The status step `name` leads to (for a step that changes it)."""
    to = STEPS[name].target
    if to is None:
        raise ValueError(f"{name!r} leaves the status as it is")
    return to


def allowed_steps(plan: Plan, user) -> dict[str, Step]:
    """The steps `user` may take on `plan` now, by name (for the page's buttons: the
    services check again)."""
    return {s.name: s for s in STEPS.values() if s.sources and refusal(s.name, plan, user) is None}


def allows(plan: Plan, user, name: str, *, priority: Priority | None = None) -> bool:
    return refusal(name, plan, user, priority=priority) is None


def may_start(partnership: Partnership, user) -> bool:
    """Whether the plan list offers "New plan"."""
    return refusal("start", None, user, partnership=partnership) is None


def diagram() -> str:
    """The life cycle as a Mermaid state diagram, generated from `STEPS`."""
    lines = ["stateDiagram-v2"]
    for step in STEPS.values():
        target = step.target
        for source in sorted(step.sources) or ["[*]"]:
            to = source if target is None else target
            suffix = " (a new version)" if step.new_version else ""
            lines.append(f"    {source} --> {to}: {step.name}{suffix}")
    lines += [f"    {state} --> [*]" for state in final_states()]
    return "\n".join(lines)


def final_states() -> list[str]:
    """The states no step starts from."""
    starts = {source for step in STEPS.values() for source in step.sources}
    return [state for state in S.values if state not in starts]


def table() -> str:
    """The steps as the table docs/plans.md prints."""
    rows = [
        "| step | from | to | who | confirmation | notifies | rules |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in STEPS.values():
        sources = ", ".join(_label(x) for x in S.values if x in s.sources) or "(no plan)"
        to = "(unchanged)" if s.target is None else _label(s.target)
        if s.new_version:
            to = f"a new {to} (this one unchanged)"
        rows.append(
            f"| `{s.name}` ({s.label}) | {sources} | {to} | {_who(s)} | "
            f"{'yes' if s.confirm else 'no'} | {s.notifies or '–'} | {s.note} |"
        )
    return "\n".join(rows)
