"""The agenda's "Exclusion of the press and public" item: generated, never typed.

Before the first exempt item the agenda proposes the resolution (section 100A(4) of the
Local Government Act 1972) citing the paragraphs of Schedule 12A the exempt items are
withheld under. `sync_exclusion` runs after every change to an agenda (adding, editing,
moving, nesting or removing items), so the item is there exactly when some item is
exempt, sits straight before the first one (at its level) and cites the paragraphs in
force. The clerk cannot edit, move or remove it by hand (`check_not_generated`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from meetings import schedule12a
from meetings.models import AgendaItem, ItemKind, Meeting


def is_generated(item: AgendaItem) -> bool:
    return item.kind == ItemKind.EXCLUSION


def check_not_generated(item: AgendaItem, doing: str) -> None:
    if is_generated(item):
        raise ValidationError(
            f"“{item.title}” is proposed by the portal before the first exempt item, so it "
            f"cannot be {doing} by hand: it follows the exempt items."
        )


def _flat(items: list[AgendaItem]) -> list[AgendaItem]:
    mains = [i for i in items if i.parent_id is None]
    children: dict[int, list[AgendaItem]] = {}
    for item in items:
        if item.parent_id is not None:
            children.setdefault(item.parent_id, []).append(item)
    flat: list[AgendaItem] = []
    for main in mains:
        flat.append(main)
        flat.extend(children.get(main.pk, []))
    return flat


def sync_exclusion(meeting: Meeting) -> AgendaItem | None:
    """Put the exclusion item where it belongs (or take it away); return it. Call inside
    the transaction of the change, after the agenda's rows are written."""
    items = list(
        AgendaItem.objects.select_for_update().filter(meeting=meeting).order_by("order", "pk")
    )
    generated = [i for i in items if is_generated(i)]
    others = [i for i in items if not is_generated(i)]
    by_pk = {i.pk: i for i in others}

    def exempt(item: AgendaItem) -> bool:
        parent = by_pk.get(item.parent_id) if item.parent_id else None
        return item.is_exempt or (parent is not None and parent.is_exempt)

    flat = _flat(others)
    withheld = [i for i in flat if exempt(i)]
    if not withheld:
        for item in generated:
            if not hasattr(item, "minute"):  # a minuted one is history: it stays
                parent_id = item.parent_id
                item.delete()
                renumber(meeting, parent_id)
        return None
    keep, extra = generated[0] if generated else None, generated[1:]
    for item in extra:
        item.delete()
    paragraphs = [i.exempt_paragraph for i in withheld if i.is_exempt and i.exempt_paragraph]
    purpose = schedule12a.exclusion_resolution(paragraphs or [3], len(withheld))
    first = withheld[0]
    if keep is None:
        keep = AgendaItem.objects.create(
            meeting=meeting,
            parent_id=first.parent_id,
            order=first.order,
            kind=ItemKind.EXCLUSION,
            title=schedule12a.EXCLUSION_TITLE,
            purpose=purpose,
        )
    else:
        old_parent = keep.parent_id
        if (keep.parent_id, keep.purpose) != (first.parent_id, purpose):
            keep.parent_id = first.parent_id
            keep.purpose = purpose
            keep.save(update_fields=["parent", "purpose"])
        if old_parent != keep.parent_id:
            renumber(meeting, old_parent, skip=keep.pk)
    siblings = [i for i in others if i.parent_id == first.parent_id]
    siblings.sort(key=lambda i: (i.order, i.pk))
    at = siblings.index(first)
    wanted = [*siblings[:at], keep, *siblings[at:]]
    for position, item in enumerate(wanted, start=1):
        if item.order != position:
            AgendaItem.objects.filter(pk=item.pk).update(order=position)
    return keep


def renumber(meeting: Meeting, parent_id: int | None, skip: int | None = None) -> None:
    """Close the gaps: the orders of the items under `parent_id` (None: the main items),
    but `skip`, become 1..n in their current sequence; the rows are locked, as every
    change to an agenda locks them (two clerks can edit one agenda at once)."""
    siblings = AgendaItem.objects.select_for_update().filter(meeting=meeting, parent_id=parent_id)
    if skip is not None:
        siblings = siblings.exclude(pk=skip)
    for position, item in enumerate(siblings.order_by("order", "pk"), start=1):
        if item.order != position:
            AgendaItem.objects.filter(pk=item.pk).update(order=position)
