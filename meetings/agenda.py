"""The agenda of a meeting: the usual shape proposed for a new meeting, and the clerk's
edits to its items (adding, rewording, moving, nesting and removing). Papers on an item:
meetings/papers.py; the generated exclusion item: meetings/exclusion.py.

Every action runs in one transaction and raises ValidationError with a message a clerk
can act on, leaving nothing changed.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from csp_portal.models import Organisation
from csp_portal.versioning import check_version
from meetings import lifecycle, selectors
from meetings.exclusion import check_not_generated, renumber, sync_exclusion
from meetings.models import (
    AgendaItem,
    ForwardProgrammeEvent,
    ItemKind,
    Meeting,
    Minute,
    Timing,
)


def propose_agenda(*, meeting: Meeting) -> list[AgendaItem]:
    """Apologies, minutes, matters arising, standing and due Forward Programme items,
    Any Other Business and the Forward Programme: the usual shape, for the clerk to edit."""
    created: list[AgendaItem] = []

    def add(kind: str, title: str, purpose: str = "", entry=None) -> None:
        created.append(
            AgendaItem.objects.create(
                meeting=meeting,
                order=len(created) + 1,
                kind=kind,
                title=title,
                purpose=purpose,
                forward_programme_entry=entry,
            )
        )

    add(ItemKind.APOLOGIES, "Apologies")
    before = selectors.previous_meeting(meeting)
    if before:
        add(
            ItemKind.MINUTES,
            "Minutes",
            f"To approve the minutes of the meeting held on {before.date:%-d %B %Y}, "
            "and to discuss matters arising.",
        )
    actions = list(selectors.open_actions_before(meeting))
    if actions:
        add(
            ItemKind.MATTERS_ARISING,
            "Matters arising",
            f"{len(actions)} open action{'s' if len(actions) != 1 else ''} from earlier meetings.",
        )
    for entry in selectors.entries_due(meeting).order_by("timing", "item"):
        kind = ItemKind.STANDING if entry.timing == Timing.STANDING else ItemKind.BUSINESS
        add(kind, entry.item, entry.detail, entry)
        if entry.timing != Timing.STANDING:  # standing items would repeat every time
            ForwardProgrammeEvent.objects.create(
                entry=entry,
                meeting=meeting,
                date=meeting.date,
                note=f"Put on the agenda of {meeting.date:%-d %B %Y}.",
            )
    add(ItemKind.AOB, "Any Other Business")
    add(
        ItemKind.FORWARD_PROGRAMME,
        "Forward Programme",
        "To enable the Partnership to consider and manage its Forward Programme of work.",
    )
    return created


def check_agenda_editable(meeting: Meeting) -> None:
    if not lifecycle.agenda_editable(meeting):
        raise ValidationError(
            f"The agenda of {meeting} can no longer be changed: the meeting is "
            f"{meeting.get_status_display().lower()}."
        )


def _siblings(meeting: Meeting, parent_id: int | None):
    return AgendaItem.objects.select_for_update().filter(meeting=meeting, parent_id=parent_id)


@transaction.atomic
def add_item(
    *,
    meeting: Meeting,
    title: str,
    purpose: str = "",
    parent: AgendaItem | None = None,
    position: int | None = None,
    presenter=None,
    presenter_name: str = "",
    presenter_organisation: Organisation | None = None,
    is_exempt: bool = False,
    exempt_paragraph: int | None = None,
    exempt_reason: str = "",
    kind: str = ItemKind.BUSINESS,
) -> AgendaItem:
    """Add an item (at the end, or before Any Other Business when there is one). An
    exempt item cites its paragraph of Schedule 12A and the public interest reason."""
    check_agenda_editable(meeting)
    if kind == ItemKind.EXCLUSION:
        raise ValidationError("The exclusion of the press and public is proposed by the portal.")
    exempt_paragraph = check_exemption(is_exempt, exempt_paragraph, exempt_reason)
    if parent is not None and (parent.meeting_id != meeting.pk or parent.parent_id):
        raise ValidationError({"parent": "A sub-item goes under a main item of this meeting."})
    siblings = list(_siblings(meeting, parent.pk if parent else None).order_by("order", "pk"))
    if position is None:
        position = len(siblings) + 1
        # new business goes before Any Other Business and the Forward Programme, AOB
        # before the Forward Programme: the order every agenda of the partnership keeps
        closing_kinds: dict[str, set[str]] = {
            ItemKind.FORWARD_PROGRAMME: set(),
            ItemKind.AOB: {ItemKind.FORWARD_PROGRAMME},
        }
        closing = closing_kinds.get(kind, {ItemKind.AOB, ItemKind.FORWARD_PROGRAMME})
        if parent is None:
            for sibling in siblings:
                if sibling.kind in closing:
                    position = sibling.order
                    break
    for sibling in siblings:
        if sibling.order >= position:
            AgendaItem.objects.filter(pk=sibling.pk).update(order=sibling.order + 1)
    item = AgendaItem.objects.create(
        meeting=meeting,
        parent=parent,
        order=position,
        kind=kind,
        title=title,
        purpose=purpose,
        presenter=presenter,
        presenter_name=presenter_name,
        presenter_organisation=presenter_organisation,
        is_exempt=is_exempt,
        exempt_paragraph=exempt_paragraph,
        exempt_reason=exempt_reason,
    )
    renumber(meeting, parent.pk if parent else None)
    sync_exclusion(meeting)
    item.refresh_from_db(fields=["order"])
    return item


def check_exemption(is_exempt: bool, paragraph: int | None, reason: str) -> int | None:
    """An exempt item needs its paragraph (1–7 of Part 1 of Schedule 12A) and the public
    interest reason; an item that is not exempt cites none. Returns the paragraph to keep."""
    if not is_exempt:
        return None
    problems = {}
    if paragraph not in range(1, 8):
        problems["exempt_paragraph"] = (
            "Choose the paragraph of Schedule 12A (1 to 7) the item is exempt under."
        )
    if not reason.strip():
        problems["exempt_reason"] = "Give the public interest reason for keeping this item exempt."
    if problems:
        raise ValidationError(problems)
    return paragraph


ITEM_LABELS = {
    "title": "Title",
    "purpose": "Purpose",
    "presenter_name": "Presenter's name",
    "is_exempt": "Exempt",
    "exempt_paragraph": "Paragraph of Schedule 12A",
    "exempt_reason": "Public interest reason",
}


class Keep(enum.Enum):
    """`update_item`'s default for a field the caller leaves as it is."""

    KEEP = "keep"


KEEP = Keep.KEEP


@transaction.atomic
def update_item(
    *,
    item: AgendaItem,
    expected_version: int | None = None,
    title: str | Keep = KEEP,
    purpose: str | Keep = KEEP,
    presenter: Any | Keep = KEEP,
    presenter_name: str | Keep = KEEP,
    presenter_organisation: Organisation | None | Keep = KEEP,
    is_exempt: bool | Keep = KEEP,
    exempt_paragraph: int | None | Keep = KEEP,
    exempt_reason: str | Keep = KEEP,
    priorities: Iterable[Any] | None = None,
) -> AgendaItem:
    """Change an item's wording, presenter, exemption or the plan priorities it discusses
    (its place is changed by moving); a field not given keeps its value, `priorities`
    None keeps them. `expected_version`: the version the clerk's form was opened at; a
    save against an older one is refused (`StaleVersion`)."""
    given = {
        "title": title,
        "purpose": purpose,
        "presenter": presenter,
        "presenter_name": presenter_name,
        "presenter_organisation": presenter_organisation,
        "is_exempt": is_exempt,
        "exempt_paragraph": exempt_paragraph,
        "exempt_reason": exempt_reason,
    }
    changes: dict[str, Any] = {name: value for name, value in given.items() if value is not KEEP}
    stored = AgendaItem.objects.select_for_update().get(pk=item.pk)
    check_version(
        what=f"item “{stored.title}”",
        stored_version=stored.version,
        expected=expected_version,
        stored={name: getattr(stored, name) for name in ITEM_LABELS},
        typed={name: changes.get(name, getattr(stored, name)) for name in ITEM_LABELS},
        labels=ITEM_LABELS,
    )
    item.version = stored.version + 1
    check_agenda_editable(item.meeting)
    check_not_generated(item, "edited")
    for name, value in changes.items():
        setattr(item, name, value)
    item.exempt_paragraph = check_exemption(
        item.is_exempt, item.exempt_paragraph, item.exempt_reason
    )
    item.save()
    sync_exclusion(item.meeting)
    if priorities is not None:
        priorities = list(priorities)
        partnership_id = item.meeting.body.partnership_id
        if any(priority.plan.partnership_id != partnership_id for priority in priorities):
            raise ValidationError({"priorities": "Choose priorities of this partnership's plan."})
        item.priorities.set(priorities)
    return item


@transaction.atomic
def move_item(*, item: AgendaItem, direction: str) -> None:
    """Swap an item with its neighbour ("up" or "down"); numbers follow, and the
    exclusion of the press and public goes with the first exempt item."""
    check_agenda_editable(item.meeting)
    check_not_generated(item, "moved")
    renumber(item.meeting, item.parent_id)
    siblings = list(_siblings(item.meeting, item.parent_id).order_by("order", "pk"))
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(siblings):
        raise ValidationError(f"“{item.title}” cannot move {direction} any further.")
    a, b = siblings[index], siblings[other]
    if ItemKind.EXCLUSION in (a.kind, b.kind):
        # The generated item stays straight before the first exempt item: moving past it
        # swaps with the item on its other side.
        step = -1 if direction == "up" else 1
        if not 0 <= other + step < len(siblings):
            raise ValidationError(f"“{item.title}” cannot move {direction} any further.")
        b = siblings[other + step]
    AgendaItem.objects.filter(pk=a.pk).update(order=b.order)
    AgendaItem.objects.filter(pk=b.pk).update(order=a.order)
    sync_exclusion(item.meeting)


@transaction.atomic
def indent_item(*, item: AgendaItem) -> None:
    """Make an item a sub-item of the main item above it (6 → 5(a))."""
    meeting = item.meeting
    check_agenda_editable(meeting)
    check_not_generated(item, "nested")
    if item.parent_id:
        raise ValidationError(f"“{item.title}” is already a sub-item.")
    if item.children.exists():
        raise ValidationError(f"“{item.title}” has sub-items of its own, so it cannot be nested.")
    above = _siblings(meeting, None).filter(order__lt=item.order).order_by("-order", "-pk").first()
    if above is None:
        raise ValidationError(f"“{item.title}” is first, so there is no item to nest it under.")
    last = above.children.aggregate(m=Max("order"))["m"] or 0
    item.parent = above
    item.order = last + 1
    item.save(update_fields=["parent", "order"])
    renumber(meeting, None)
    sync_exclusion(meeting)


@transaction.atomic
def outdent_item(*, item: AgendaItem) -> None:
    """Make a sub-item a main item, placed straight after its former parent."""
    meeting = item.meeting
    check_agenda_editable(meeting)
    check_not_generated(item, "un-nested")
    parent = item.parent
    if parent is None:
        raise ValidationError(f"“{item.title}” is already a main item.")
    for sibling in _siblings(meeting, None).filter(order__gt=parent.order):
        AgendaItem.objects.filter(pk=sibling.pk).update(order=sibling.order + 1)
    item.parent = None
    item.order = parent.order + 1
    item.save(update_fields=["parent", "order"])
    renumber(meeting, parent.pk)
    renumber(meeting, None)
    sync_exclusion(meeting)


@transaction.atomic
def remove_item(*, item: AgendaItem) -> None:
    meeting = item.meeting
    check_agenda_editable(meeting)
    check_not_generated(item, "removed")
    parent_id = item.parent_id
    if Minute.objects.filter(item__in=[item, *item.children.all()]).exists():
        raise ValidationError(f"“{item.title}” has minutes, so it cannot be removed.")
    item.delete()
    renumber(meeting, parent_id)
    sync_exclusion(meeting)
