"""A meeting's life cycle, declared once: its states, the steps between them, who may
take each step, whether the page asks for confirmation first and who is told.

    scheduled ──publish──▶ agenda published ──hold──▶ held ──confirm_minutes──▶ minutes confirmed
        │  └────────────hold────────────────────────▲
        └──cancel──▶ cancelled ◀──cancel── agenda published

`TRANSITIONS` is the table (docs/meetings.md prints it and its diagram:
`table_markdown()`, `diagram()`, written by scripts/docs_lifecycles.py). Each step is
a function below that locks the meeting row, checks the step is allowed now and for this
person (`refusal`), changes the status, records who took it and when (a `StatusChange`)
and queues the notification once the transaction commits. Views and templates ask
`allowed_transitions(meeting, user)` what to offer; the functions check again.

Re-issuing a pack (a revised or supplementary pack) changes no state: it is the
`issue_pack` row, taken by `meetings.publishing`; on a held meeting it only publishes an
agenda never published (a held meeting's published pack is not re-issued).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from csp_portal import roles
from csp_portal.access import has_role
from csp_portal.mail import send_email
from csp_portal.models import Role
from meetings.models import Meeting, MeetingStatus, StatusChange

S = MeetingStatus


class TransitionRefused(ValidationError):
    """A step not allowed now, or not for this person; the message says why (a
    ValidationError, so every caller that shows a service's refusal shows this one)."""


class NotAllowed(TransitionRefused):
    """A step this person may never take on this meeting (403, not a conflict)."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the status stays as it is
    who: frozenset[str]  # role set from csp_portal/roles.py
    confirm: bool  # the page asks "are you sure?" first
    notifies: str  # who is told, in words ("" for nobody)


#: Who is told of a published, re-issued or cancelled meeting.
NOTIFIED = roles.READERS_OF_EXEMPT

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "publish", "Publish the agenda", frozenset({S.SCHEDULED}), S.AGENDA_PUBLISHED,
            roles.CLERKS, True, "the body's members (clerks, board members, admins)",
        ),
        Transition(
            "issue_pack", "Issue a revised or supplementary pack",
            frozenset({S.AGENDA_PUBLISHED, S.HELD}), None,
            roles.CLERKS, True, "the body's members (clerks, board members, admins)",
        ),
        Transition(
            "hold", "Mark held", frozenset({S.SCHEDULED, S.AGENDA_PUBLISHED}), S.HELD,
            roles.CLERKS, False, "",
        ),
        Transition(
            "cancel", "Cancel the meeting", frozenset({S.SCHEDULED, S.AGENDA_PUBLISHED}),
            S.CANCELLED, roles.CLERKS, True, "the body's members (clerks, board members, admins)",
        ),
        Transition(
            "confirm_minutes", "Confirm and sign the minutes", frozenset({S.HELD}),
            S.MINUTES_CONFIRMED, roles.CLERKS, True, "",
        ),
    ]
}  # fmt: skip


def _label(status: str) -> str:
    return MeetingStatus(status).label.lower()


def refusal(name: str, meeting: Meeting, user) -> TransitionRefused | None:
    """None when `user` may take step `name` on `meeting` now, else what to raise.
    `user=None` is the portal itself (the demo loader, a management command)."""
    step = TRANSITIONS[name]
    if user is not None and not has_role(user, meeting.body.partnership, step.who):
        return NotAllowed(f"Only the partnership's clerks may {step.label.lower()}.")
    if name == "confirm_minutes" and meeting.status != S.HELD:
        if meeting.status == S.MINUTES_CONFIRMED:
            return TransitionRefused(f"The minutes of {meeting} are already confirmed.")
        return TransitionRefused(f"{meeting} has no minutes to confirm (it is not marked held).")
    if meeting.status not in step.sources:
        return TransitionRefused(
            f"{meeting} is {_label(meeting.status)}: “{step.label}” is not possible now."
        )
    if name == "issue_pack" and meeting.status == S.HELD and meeting.published_at is not None:
        return TransitionRefused(
            f"{meeting} has been held: its agenda pack is a matter of record and is not "
            "re-issued (a correction to the minutes is an amendment)."
        )
    if name == "hold" and meeting.date > timezone.localdate():
        return TransitionRefused(f"{meeting} has not taken place yet.")
    return None


def allowed_transitions(meeting: Meeting, user) -> list[Transition]:
    """The steps `user` may take on `meeting` now (for the page; the steps check again)."""
    return [t for t in TRANSITIONS.values() if refusal(t.name, meeting, user) is None]


def allows(meeting: Meeting, user, name: str) -> bool:
    return refusal(name, meeting, user) is None


def _take(name: str, meeting: Meeting, by, **fields) -> Meeting:
    """Lock, check, change, record and notify: the body of every step."""
    meeting = (
        Meeting.objects.select_for_update().select_related("body__partnership").get(pk=meeting.pk)
    )
    problem = refusal(name, meeting, by)
    if problem is not None:
        raise problem
    step = TRANSITIONS[name]
    before = meeting.status
    if step.target is not None:
        meeting.status = step.target
    for field, value in fields.items():
        setattr(meeting, field, value)
    meeting.save(update_fields=["status", *fields])
    StatusChange.objects.create(
        meeting=meeting, transition=name, from_status=before, to_status=meeting.status, by=by
    )
    if step.notifies:
        _notify(meeting, step)
    return meeting


def _notify(meeting: Meeting, step: Transition) -> None:
    people = (
        get_user_model()
        .objects.filter(
            memberships__partnership=meeting.body.partnership,
            memberships__roles__name__in=NOTIFIED,
            is_active=True,
        )
        .distinct()
    )
    what = {
        "publish": "The agenda has been published",
        "issue_pack": "A revised or supplementary agenda pack has been issued",
        "cancel": "The meeting has been cancelled",
    }[step.name]
    send_email(
        subject=f"{meeting.body.name}, {meeting.date:%-d %B %Y}: {what.lower()}",
        body=f"{what}: {meeting.body.name}, {meeting.date:%A %-d %B %Y} at "
        f"{meeting.start_time:%H:%M}, {meeting.venue}.\n",
        to=[p.email for p in people],
    )


@transaction.atomic
def publish(*, meeting: Meeting, by, published_at) -> Meeting:
    """The first pack is out: the agenda is published (and the meeting public)."""
    return _take("publish", meeting, by, published_at=meeting.published_at or published_at)


@transaction.atomic
def issue_pack(*, meeting: Meeting, by, published_at) -> Meeting:
    """A later pack is out (or a held meeting's agenda published at last)."""
    return _take("issue_pack", meeting, by, published_at=meeting.published_at or published_at)


@transaction.atomic
def hold(*, meeting: Meeting, by) -> Meeting:
    return _take("hold", meeting, by)


@transaction.atomic
def cancel(*, meeting: Meeting, by) -> Meeting:
    return _take("cancel", meeting, by)


@transaction.atomic
def confirm_minutes(*, meeting: Meeting, at: Meeting, by, signed_by) -> Meeting:
    """Confirm and sign a meeting's minutes at a later meeting of the same body; they
    are then locked (amendments only)."""
    if at.body_id != meeting.body_id or at.date <= meeting.date:
        raise TransitionRefused("Minutes are confirmed at a later meeting of the same body.")
    return _take(
        "confirm_minutes", meeting, by, minutes_confirmed_at=at, minutes_signed_by=signed_by
    )


#: States in which the agenda (items, papers) no longer changes.
AGENDA_FROZEN = frozenset({S.CANCELLED, S.MINUTES_CONFIRMED})


def agenda_editable(meeting: Meeting) -> bool:
    return meeting.status not in AGENDA_FROZEN


def can_issue_pack(meeting: Meeting, user) -> bool:
    """The first pack (`publish`) or a later one (`issue_pack`) may be published now."""
    return allows(meeting, user, "publish") or allows(meeting, user, "issue_pack")


def minutes_pdf_available(meeting: Meeting) -> bool:
    """A meeting has minutes to print once it was held (never before)."""
    return meeting.status in (S.HELD, S.MINUTES_CONFIRMED)


def table_markdown() -> str:
    """The transitions as the table docs/meetings.md prints."""
    rows = [
        "| transition | from | to | who | confirmation | notifies |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for t in TRANSITIONS.values():
        sources = ", ".join(_label(s) for s in S.values if s in t.sources)
        who = ", ".join(sorted(Role(r).label.lower() for r in t.who))
        rows.append(
            f"| `{t.name}` ({t.label}) | {sources} | "
            f"{_label(t.target) if t.target else '(unchanged)'} | {who} | "
            f"{'yes' if t.confirm else 'no'} | {t.notifies or '–'} |"
        )
    return "\n".join(rows)


def diagram() -> str:
    """The life cycle as a Mermaid state diagram, generated from `TRANSITIONS` (a step
    that leaves the status as it is loops back to its state)."""
    lines = ["stateDiagram-v2", f"    [*] --> {S.SCHEDULED}"]
    for t in TRANSITIONS.values():
        for source in (s for s in S.values if s in t.sources):
            lines.append(f"    {source} --> {t.target or source}: {t.name}")
    starts = {source for t in TRANSITIONS.values() for source in t.sources}
    lines += [f"    {state} --> [*]" for state in S.values if state not in starts]
    return "\n".join(lines)
