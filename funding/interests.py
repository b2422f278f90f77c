"""Conflicts of interest: who of a stage's deciders may decide a bid, and who has withdrawn.

Every decider declares, per bid, round and stage, "no interest" or an interest before the
decision form opens (`Declaration`). A decider cannot decide, and is recorded as having
withdrawn, when they

- declared an interest;
- work for the applicant's organisation (the portal records the withdrawal when the bid
  reaches their stage: nobody has to remember to declare it);
- decided the bid at an earlier stage of the same round (a Delivery Group member who
  supported it does not then approve it on the panel, nor an office-holder who
  approved or rejected it review that on the panel).

The writes (declaring, recording the withdrawals, referring a bid on when nobody is left)
are steps of `funding.workflow`; this module only reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from csp_portal.models import Office, Profile
from funding.deciders import (
    APPROVING_OFFICES,
    approval_panel,
    body_people,
    current_office_holders,
    offices_decided,
)
from funding.lifecycle import STAGE_OF_STATE
from funding.models import Bid, Decision, Declaration, Interest, Stage

_EARLIER: dict[str, str] = {
    Stage.DELIVERY_GROUP: "at the Delivery Group",
    Stage.OFFICE_HOLDERS: "as an office-holder",
    Stage.PANEL: "at the approval panel",
    Stage.PANEL_REVIEW: "at the approval panel",
}


@dataclass(frozen=True)
class Conflict:
    """Why a decider cannot decide: the kind recorded, and the reason in words."""

    interest: str
    reason: str


def stage_of(bid: Bid) -> str | None:
    return STAGE_OF_STATE.get(bid.state)


def stage_people(bid: Bid, stage: str | None = None) -> list:
    """The deciders of `stage` (default: the bid's current one), the applicant left out."""
    stage = stage or stage_of(bid)
    if stage == Stage.DELIVERY_GROUP:
        people = body_people(bid.delivery_group)
    elif stage in {Stage.PANEL, Stage.PANEL_REVIEW}:
        people = body_people(approval_panel(bid.partnership))
    elif stage == Stage.OFFICE_HOLDERS:
        holders = sorted(
            current_office_holders(bid.partnership),
            key=lambda h: APPROVING_OFFICES.index(h.office),
        )
        people = list({h.user_id: h.user for h in holders}.values())
    else:
        people = []
    return [p for p in people if p.pk != bid.applicant_id]


def rule_conflicts(bid: Bid, stage: str, people) -> dict[int, Conflict]:
    """The people barred by a rule (not by their own declaration): three queries at most."""
    ids = [p.pk for p in people]
    if not ids:
        return {}
    found: dict[int, Conflict] = {}
    organisation = bid.applicant_organisation
    same = Profile.objects.filter(user_id__in=ids, organisation_id=bid.applicant_organisation_id)
    for user_id in same.values_list("user_id", flat=True):
        found[user_id] = Conflict(
            Interest.APPLICANT_ORGANISATION, f"works for {organisation}, which made the bid"
        )
    earlier = (
        Decision.objects.filter(bid=bid, round=bid.round, decided_by_id__in=ids)
        .exclude(stage=stage)
        .order_by("decided_at", "pk")
    )
    for decision in earlier:
        if decision.decided_by_id in found:
            continue
        verb = decision.get_outcome_display().split(":")[0].lower()
        found[decision.decided_by_id] = Conflict(
            Interest.EARLIER_DECISION, f"{verb} this bid {_EARLIER[decision.stage]}"
        )
    return found


def declarations(bid: Bid, stage: str | None = None) -> dict[int, Declaration]:
    """This round's declarations at `stage` (default: the current one), by person."""
    stage = stage or stage_of(bid)
    rows = Declaration.objects.filter(bid=bid, round=bid.round, stage=stage)
    return {d.person_id: d for d in rows}


def withdrawals(bid: Bid, stage: str | None = None, people=None) -> dict[int, str]:
    """Everyone of the stage who cannot decide, with the reason in words."""
    stage = stage or stage_of(bid)
    if stage is None:
        return {}
    people = stage_people(bid, stage) if people is None else people
    reasons = {pk: c.reason for pk, c in rule_conflicts(bid, stage, people).items()}
    for pk, declaration in declarations(bid, stage).items():
        if declaration.withdrawn and pk not in reasons:
            reasons[pk] = f"declared an interest ({declaration.details})"
    return reasons


def withdrawal_of(bid: Bid, user) -> str | None:
    """Why `user` cannot decide the bid at its current stage, or None."""
    if stage_of(bid) is None or not user.is_authenticated:
        return None
    return withdrawals(bid, people=[user]).get(user.pk)


def declaration_of(bid: Bid, user) -> Declaration | None:
    stage = stage_of(bid)
    if stage is None or not user.is_authenticated:
        return None
    return Declaration.objects.filter(bid=bid, round=bid.round, stage=stage, person=user).first()


def pending_offices(bid: Bid) -> list[str]:
    done = offices_decided(bid)
    return [o for o in APPROVING_OFFICES if o not in done]


def is_stage_decider(bid: Bid, user) -> bool:
    """Is `user` one of the people the bid waits for now (ignoring conflicts)?"""
    stage = stage_of(bid)
    if stage is None or not user.is_authenticated or user.pk == bid.applicant_id:
        return False
    if stage == Stage.OFFICE_HOLDERS:
        pending = set(pending_offices(bid))
        return any(
            h.user_id == user.pk and h.office in pending
            for h in current_office_holders(bid.partnership)
        )
    return any(p.pk == user.pk for p in stage_people(bid, stage))


def needs_declaration(bid: Bid, user) -> bool:
    """A decider of the current stage, not barred, who has yet to declare."""
    return (
        is_stage_decider(bid, user)
        and withdrawal_of(bid, user) is None
        and declaration_of(bid, user) is None
    )


def able_people(bid: Bid) -> list:
    """The current stage's deciders who may still decide (declared or not yet)."""
    people = stage_people(bid)
    barred = withdrawals(bid, people=people)
    return [p for p in people if p.pk not in barred]


def stuck_offices(bid: Bid) -> list[str]:
    """Offices still to approve whose every holder has withdrawn (or made the bid):
    the three approvals the delegated route needs can no longer all be given."""
    holders = current_office_holders(bid.partnership)
    barred = withdrawals(bid, Stage.OFFICE_HOLDERS, [h.user for h in holders])
    stuck = []
    for office in pending_offices(bid):
        theirs = [h for h in holders if h.office == office]
        if theirs and all(h.user_id in barred or h.user_id == bid.applicant_id for h in theirs):
            stuck.append(Office(office).label)
    return stuck
