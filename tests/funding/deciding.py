"""Deciding as a decider does: declare no interest at the bid's stage, then decide.

Every decider must declare before deciding (tests/funding/test_conflicts_of_interest.py
pins that); tests about something else decide through these, which declare first.
"""

from __future__ import annotations

from funding import interests, lifecycle, workflow
from funding.models import Bid


def declare_none(bid: Bid, by) -> None:
    """`by` declares no interest at the bid's current stage, unless already declared."""
    bid = Bid.objects.get(pk=bid.pk)
    if interests.is_stage_decider(bid, by) and interests.declaration_of(bid, by) is None:
        workflow.declare(bid=bid, by=by, interest=False)


def group_decide(*, bid: Bid, by, **options) -> Bid:
    declare_none(bid, by)
    return workflow.group_decide(bid=bid, by=by, **options)


def panel_decide(*, bid: Bid, by, **options) -> Bid:
    declare_none(bid, by)
    return workflow.panel_decide(bid=bid, by=by, **options)


def office_decide(*, bid: Bid, by, **options) -> Bid:
    declare_none(bid, by)
    return workflow.office_decide(bid=bid, by=by, **options)


def take(name: str, *, bid: Bid, by, **options) -> Bid:
    if name in lifecycle.DECISION_STEPS:
        declare_none(bid, by)
    return workflow.take(name, bid=bid, by=by, **options)
