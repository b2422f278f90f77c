"""The decisions report: every decision and declaration of interest on the
partnership's bids since a date (by default the last Board meeting), grouped by bid
with where each bid ended up; for the page and the agenda pack."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from csp_portal.models import Partnership
from funding.models import FINAL_STATES, Bid, BidState, Decision, Declaration
from funding.money import money


def last_board_meeting(partnership: Partnership, before: dt.date | None = None) -> dt.date | None:
    from meetings import selectors as meetings

    meeting = meetings.last_board_meeting(partnership, before=before or timezone.localdate())
    return meeting.date if meeting else None


def decisions_since(partnership: Partnership, since: dt.date | None) -> QuerySet[Decision]:
    decisions = Decision.objects.filter(bid__fund__partnership=partnership).select_related(
        "bid__fund", "bid__applicant_organisation", "body", "decided_by", "meeting__body"
    )
    if since:
        decisions = decisions.filter(decided_at__date__gte=since)
    return decisions.order_by("decided_at", "pk")


@dataclass(frozen=True)
class BidDecisions:
    """One bid in the decisions report: every vote or decision on it in the period, and
    where the bid ended up (its final outcome, or that it is still being decided)."""

    bid: Bid
    votes: list[Decision]

    @property
    def is_final(self) -> bool:
        return self.bid.state in FINAL_STATES

    @property
    def final_outcome(self) -> str:
        bid = self.bid
        when = f", {timezone.localtime(bid.decided_at):%-d %B %Y}" if bid.decided_at else ""
        if bid.state == BidState.APPROVED and bid.amount_awarded is not None:
            return f"Approved: {money(bid.amount_awarded)} awarded{when}"
        if self.is_final:
            return f"{bid.get_state_display()}{when}"
        return f"Not decided yet ({bid.get_state_display().lower()})"


def decisions_by_bid(decisions) -> list[BidDecisions]:
    """The decisions grouped by bid, bids in the order of their first decision."""
    grouped: dict[int, BidDecisions] = {}
    for decision in decisions:
        grouped.setdefault(decision.bid_id, BidDecisions(decision.bid, [])).votes.append(decision)
    return list(grouped.values())


def declarations_since(partnership: Partnership, since: dt.date | None) -> QuerySet[Declaration]:
    """Every declaration of interest (and "no interest") on the partnership's bids."""
    rows = Declaration.objects.filter(bid__fund__partnership=partnership).select_related(
        "bid__applicant_organisation", "person"
    )
    if since:
        rows = rows.filter(declared_at__date__gte=since)
    return rows.order_by("declared_at", "pk")


def parse_since(params: dict, partnership: Partnership) -> dt.date | None:
    raw = (params or {}).get("since")
    if raw:
        try:
            return dt.date.fromisoformat(str(raw))
        except ValueError:
            raise ValueError(f"“{raw}” is not a date; write it as 2016-10-27.") from None
    return last_board_meeting(partnership)


def render_decisions_block(partnership: Partnership, params: dict) -> str:
    """The decisions report as self-contained HTML for the agenda pack."""
    since = parse_since(params, partnership)
    return render_to_string(
        "funding/blocks/decisions.html",
        {
            "partnership": partnership,
            "since": since,
            "bids": decisions_by_bid(decisions_since(partnership, since)),
            "declarations": list(declarations_since(partnership, since)),
        },
    )
