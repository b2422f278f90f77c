"""A body's Forward Programme: planning, rescheduling and completing its entries (each
change kept in the entry's history), the generated paper for the pack (registered as a
PackBlock) and the picker that puts its entries on a meeting's agenda."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from csp_portal.extension_points import BlockParam, PackBlock
from csp_portal.models import Body
from meetings import agenda
from meetings.models import (
    AgendaItem,
    ForwardProgrammeEntry,
    ForwardProgrammeEvent,
    ItemKind,
    Meeting,
    Timing,
)


def body_choices(partnership: Any) -> list[tuple[str, str]]:
    """The partnership's bodies: the Forward Programme paper's list."""
    return [(b.slug, b.name) for b in partnership.bodies.filter(is_active=True)]


def render(partnership, params: dict) -> str:
    body = partnership.bodies.filter(slug=params.get("body", "")).first()
    if body is None:
        return "<p>No body was chosen for this Forward Programme.</p>"
    entries = (
        body.forward_programme.filter(is_complete=False)
        .select_related("target_meeting")
        .prefetch_related("events")
    )
    return render_to_string(
        "meetings/pdf/forward_programme.html", {"body": body, "entries": entries}
    )


BLOCK = PackBlock(
    key="forward_programme",
    label="Forward Programme",
    render=render,
    describe_params='{"body": "board"}: the slug of the body whose programme to print',
    params_declared=(BlockParam("body", "Body", body_choices),),
)


# --- the Forward Programme picker on a meeting's agenda --------------------------------


@dataclass(frozen=True)
class Offer:
    """A Forward Programme entry the agenda picker offers, and why."""

    entry: ForwardProgrammeEntry
    planned_here: bool  # due at this meeting (targeted at it, dated, annual or standing)
    taken: bool  # already an item of this agenda


def offers(meeting: Meeting) -> list[Offer]:
    """The body's open entries, those planned for this meeting first (an entry
    rescheduled to this meeting among them), each marked taken when already on the
    agenda."""
    from meetings import selectors

    due = set(selectors.entries_due(meeting).values_list("pk", flat=True))
    taken = set(
        meeting.items.filter(forward_programme_entry__isnull=False).values_list(
            "forward_programme_entry_id", flat=True
        )
    )
    entries = meeting.body.forward_programme.filter(is_complete=False).select_related(
        "target_meeting"
    )
    found = [Offer(e, e.pk in due, e.pk in taken) for e in entries]
    return sorted(found, key=lambda o: (o.taken, not o.planned_here, o.entry.item.lower()))


@transaction.atomic
def add_to_agenda(*, meeting: Meeting, entries: list[ForwardProgrammeEntry]) -> list[AgendaItem]:
    """Put the picked entries on the agenda (before Any Other Business), each linked to
    its entry, and record in each entry's history that it was taken for this meeting.
    An entry of another body, complete, or already on this agenda refuses them all."""
    on_agenda = set(
        meeting.items.filter(forward_programme_entry__in=entries).values_list(
            "forward_programme_entry_id", flat=True
        )
    )
    problems = []
    for entry in entries:
        if entry.body_id != meeting.body_id:
            problems.append(f"“{entry.item}” is in another body's Forward Programme.")
        elif entry.is_complete:
            problems.append(f"“{entry.item}” is complete.")
        elif entry.pk in on_agenda:
            problems.append(f"“{entry.item}” is already on this agenda.")
    if not entries:
        problems.append("Choose at least one Forward Programme entry.")
    if problems:
        raise ValidationError(problems)
    items = []
    for entry in entries:
        kind = ItemKind.STANDING if entry.timing == Timing.STANDING else ItemKind.BUSINESS
        item = agenda.add_item(meeting=meeting, title=entry.item, purpose=entry.detail, kind=kind)
        AgendaItem.objects.filter(pk=item.pk).update(forward_programme_entry=entry)
        item.forward_programme_entry = entry
        items.append(item)
        ForwardProgrammeEvent.objects.create(
            entry=entry,
            meeting=meeting,
            date=meeting.date,
            note=f"Put on the agenda of {meeting.date:%-d %B %Y}.",
        )
    return items


def _check_timing(timing: str, target_meeting, target_date, annual_month, body: Body) -> None:
    if timing == Timing.MEETING and (target_meeting is None or target_meeting.body_id != body.pk):
        raise ValidationError({"target_meeting": "Choose the meeting of this body it is due at."})
    if timing == Timing.DATE and target_date is None:
        raise ValidationError({"target_date": "Give the date it is due by."})
    if timing == Timing.ANNUAL and not (annual_month and 1 <= annual_month <= 12):
        raise ValidationError({"annual_month": "Give the month it comes round each year."})


@transaction.atomic
def plan_forward_programme_entry(
    *,
    body: Body,
    item: str,
    timing: str,
    detail: str = "",
    target_meeting: Meeting | None = None,
    target_date: dt.date | None = None,
    annual_month: int | None = None,
    action_by: str = "",
    entry=None,
    note: str = "",
):
    """Add an entry to a body's Forward Programme, or reschedule one, keeping its history."""
    _check_timing(timing, target_meeting, target_date, annual_month, body)
    fields = {
        "item": item,
        "detail": detail,
        "timing": timing,
        "target_meeting": target_meeting if timing == Timing.MEETING else None,
        "target_date": target_date if timing == Timing.DATE else None,
        "annual_month": annual_month if timing == Timing.ANNUAL else None,
        "action_by": action_by,
    }
    if entry is None:
        entry = ForwardProgrammeEntry.objects.create(body=body, **fields)
        what = "Added to the Forward Programme"
    else:
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.save()
        what = "Rescheduled"
    ForwardProgrammeEvent.objects.create(
        entry=entry,
        meeting=None,
        date=timezone.localdate(),
        note=f"{what}: {entry.when}." + (f" {note}" if note else ""),
    )
    return entry


@transaction.atomic
def complete_forward_programme_entry(*, entry, note: str = ""):
    entry.is_complete = True
    entry.save(update_fields=["is_complete"])
    ForwardProgrammeEvent.objects.create(
        entry=entry,
        date=timezone.localdate(),
        note="Completed." + (f" {note}" if note else ""),
    )
    return entry
