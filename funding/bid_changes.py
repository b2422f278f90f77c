"""What changed in a bid since a person opened it (from the bid's history): shown
when their save is refused because someone else saved first."""

from __future__ import annotations

from dataclasses import dataclass

from funding.models import Bid
from funding.money import money


@dataclass(frozen=True)
class Change:
    """A field of a bid changed by someone else since a person opened it."""

    label: str
    was: str
    now: str


#: The bid's fields people type, in the order of the form.
BID_FIELDS = (
    "fund",
    "budget_line",
    "title",
    "description",
    "amount_requested",
    "priority",
    "deliverables",
    "timescale",
    "delivery_group",
)


def _shown(record, name: str) -> str:
    value = getattr(record, name)
    if name == "amount_requested" and value is not None:
        return money(value)
    return "" if value is None else str(value)


def bid_changes(bid: Bid, since_version: int) -> tuple[list[Change], object]:
    """What changed in `bid` since its version `since_version` (from the bid's history),
    and who saved the latest version (None when the history does not say)."""
    history = bid.history.order_by("-history_date", "-history_id")
    seen = history.filter(version=since_version).first()
    latest = history.first()
    changes = []
    for name in BID_FIELDS:
        was = _shown(seen, name) if seen is not None else ""
        now = _shown(bid, name)
        if seen is None or was != now:
            label = str(getattr(Bid._meta.get_field(name), "verbose_name", name))
            changes.append(Change(label[0].upper() + label[1:], was, now))
    return changes, getattr(latest, "history_user", None)
