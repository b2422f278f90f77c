"""The bid life cycle of the partnership's Funding Process (seed 000), declared once.

`STEPS` is the table: each step's name, the states it starts from, the states it may
lead to, who takes it, whether it is a decision (its outcome, and the stage it is
recorded at), whether it needs reasons and who is told. Everything else is derived from
it: the buttons a person is offered (`allowed_steps`), the decision form's choices
(`DECISION_STEPS`), the applicant's steps (`APPLICANT_STEPS`), the stage whose deciders
a bid waits for in each state and who decides where (`STAGE_OF_STATE`,
`DECIDING_STATES`, `states_of`, `states_before`), the refusals (`refusal`), the
reasons rule (`NEEDS_REASONS`) and docs/funding.md's table and diagram
(funding/lifecycle_docs.py). The steps themselves are functions in funding/workflow.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone

from funding import access
from funding.deciders import (
    is_delivery_group_decider,
    is_panel_decider,
    offices_decided,
    offices_held,
)
from funding.models import FINAL_STATES, Bid, BidState, Outcome, Stage

S = BidState


class TransitionRefused(Exception):
    """A step that is not allowed now, or not for this person; the message says why."""


class NotYours(TransitionRefused):
    """A step this person may never take on this bid at this stage (not the applicant's
    organisation, not a decider here): the views answer 403, where a step refused
    because the bid has moved on (someone else decided first) is a conflict."""


class DeclarationNeeded(TransitionRefused):
    """A decider who has not yet declared whether they have an interest in the bid."""


class Actor(StrEnum):
    """Who takes a step; `refusal` asks the matching question of the person."""

    APPLICANT = "the applicant"
    APPLICANTS_ORGANISATION = "the applicant's organisation"
    DELIVERY_GROUP = "the Delivery Group"
    PANEL = "the approval panel"
    OFFICE_HOLDERS = "the Designated Officer, the Chair or the Vice-Chair"
    PORTAL = "the portal, when an office-holder withdraws"


@dataclass(frozen=True)
class Step:
    """One row of the bid life cycle: the only place a step's rules are written.

    `targets` are every state the step may lead to; when there are several, `route`
    says which rule picks one (the step's function applies it, and `_move` refuses a
    target the table does not declare). A step with an `outcome` is a decision: it is
    recorded as a `Decision` at its `stage` and offered on the decision form.
    """

    name: str
    label: str
    sources: frozenset[str]
    targets: frozenset[str]
    actor: Actor
    outcome: str | None = None
    #: The stage a decision is recorded at (whose deciders the bid waits for).
    stage: str = ""
    needs_reasons: bool = False
    #: Only while the bid's fund is open for bids (`Fund.accepts_bids`).
    needs_open_fund: bool = False
    notifies: str = ""
    route: str = ""
    #: What the person who took the step is told was recorded ("{title}", "{group}").
    recorded: str = ""

    @property
    def is_decision(self) -> bool:
        return self.outcome is not None

    @property
    def who(self) -> str:
        """Who may take it, in words (shown when someone else tries)."""
        return str(self.actor)


def _states(*states: str) -> frozenset[str]:
    return frozenset(states)


_NEXT_DECIDERS = "the people who decide next (or the Chair, when nobody can)"

STEPS: tuple[Step, ...] = (
    Step(
        "submit",
        "Submit",
        _states(S.DRAFT),
        _states(S.SUBMITTED),
        Actor.APPLICANT,
        needs_open_fund=True,
        notifies="the Delivery Group",
        recorded="“{title}” is submitted to {group}",
    ),
    Step(
        "resubmit",
        "Resubmit",
        _states(S.REVISION_REQUESTED),
        _states(S.SUBMITTED),
        Actor.APPLICANT,
        notifies="the Delivery Group",
        recorded="“{title}” is resubmitted to {group}",
    ),
    Step(
        "withdraw",
        "Withdraw",
        frozenset(BidState.values) - FINAL_STATES,
        _states(S.WITHDRAWN),
        Actor.APPLICANTS_ORGANISATION,
        notifies="the people deciding it, once submitted",
        recorded="“{title}” is withdrawn",
    ),
    Step(
        "group_support",
        "Support",
        _states(S.SUBMITTED),
        _states(S.WITH_PANEL, S.WITH_OFFICE_HOLDERS),
        Actor.DELIVERY_GROUP,
        outcome=Outcome.SUPPORT,
        stage=Stage.DELIVERY_GROUP,
        notifies=_NEXT_DECIDERS,
        route="the threshold or more: the approval panel; under it: the office-holders",
        recorded="The Delivery Group's support is recorded",
    ),
    Step(
        "group_reject",
        "Reject",
        _states(S.SUBMITTED),
        _states(S.REJECTED),
        Actor.DELIVERY_GROUP,
        outcome=Outcome.REJECT,
        stage=Stage.DELIVERY_GROUP,
        needs_reasons=True,
        notifies="the applicant",
        recorded="The Delivery Group's rejection is recorded",
    ),
    Step(
        "group_revise",
        "Ask for revision",
        _states(S.SUBMITTED),
        _states(S.REVISION_REQUESTED),
        Actor.DELIVERY_GROUP,
        outcome=Outcome.REVISE,
        stage=Stage.DELIVERY_GROUP,
        needs_reasons=True,
        notifies="the applicant",
        recorded="The request for revision is recorded",
    ),
    Step(
        "panel_approve",
        "Approve",
        _states(S.WITH_PANEL),
        _states(S.APPROVED),
        Actor.PANEL,
        outcome=Outcome.APPROVE,
        stage=Stage.PANEL,
        notifies="the applicant",
        recorded="The approval panel's approval is recorded",
    ),
    Step(
        "panel_reject",
        "Reject",
        _states(S.WITH_PANEL),
        _states(S.REJECTED),
        Actor.PANEL,
        outcome=Outcome.REJECT,
        stage=Stage.PANEL,
        needs_reasons=True,
        notifies="the applicant and the Delivery Group's chair",
        recorded="The approval panel's rejection is recorded",
    ),
    Step(
        "office_approve",
        "Approve",
        _states(S.WITH_OFFICE_HOLDERS),
        _states(S.WITH_OFFICE_HOLDERS, S.APPROVED),
        Actor.OFFICE_HOLDERS,
        outcome=Outcome.APPROVE,
        stage=Stage.OFFICE_HOLDERS,
        notifies="the applicant, once all three have approved",
        route="approved once all three offices have approved in this round",
        recorded="Your approval is recorded",
    ),
    Step(
        "office_reject",
        "Reject",
        _states(S.WITH_OFFICE_HOLDERS),
        _states(S.REJECTION_REFERRED),
        Actor.OFFICE_HOLDERS,
        outcome=Outcome.REJECT,
        stage=Stage.OFFICE_HOLDERS,
        needs_reasons=True,
        notifies="the approval panel",
        recorded="Your rejection is recorded",
    ),
    Step(
        "panel_confirm_rejection",
        "Confirm the rejection",
        _states(S.REJECTION_REFERRED),
        _states(S.REJECTED),
        Actor.PANEL,
        outcome=Outcome.CONFIRM_REJECTION,
        stage=Stage.PANEL_REVIEW,
        needs_reasons=True,
        notifies="the applicant and the Delivery Group's chair",
        recorded="The approval panel's confirmation of the rejection is recorded",
    ),
    Step(
        "panel_overturn_rejection",
        "Overturn the rejection and approve",
        _states(S.REJECTION_REFERRED),
        _states(S.APPROVED),
        Actor.PANEL,
        outcome=Outcome.OVERTURN_REJECTION,
        stage=Stage.PANEL_REVIEW,
        needs_reasons=True,
        notifies="the applicant",
        recorded="The approval panel's overturning of the rejection is recorded",
    ),
    # Taken by the portal, never chosen: when an office-holder withdraws (an interest,
    # the applicant's organisation, an earlier decision), the three approvals the
    # delegated route needs can no longer all be given, so the bid goes to the approval
    # panel (the stricter route, as for exactly the threshold).
    Step(
        "refer_to_panel",
        "Refer to the approval panel",
        _states(S.WITH_OFFICE_HOLDERS),
        _states(S.WITH_PANEL),
        Actor.PORTAL,
        notifies="the approval panel",
        recorded="“{title}” is referred to the approval panel",
    ),
)

TRANSITIONS: dict[str, Step] = {step.name: step for step in STEPS}

#: Derived from the table: the steps a decider chooses on the decision form, and those
#: that need reasons (every rejection, a request for revision, the panel's review).
DECISION_STEPS = frozenset(step.name for step in STEPS if step.is_decision)
NEEDS_REASONS = frozenset(step.name for step in STEPS if step.needs_reasons)
#: The steps the applicant's side takes (submit, resubmit, withdraw).
APPLICANT_STEPS = frozenset(
    step.name for step in STEPS if step.actor in {Actor.APPLICANT, Actor.APPLICANTS_ORGANISATION}
)
#: The stage whose deciders a bid in each state waits for: the stage of the decisions
#: that start from the state.
STAGE_OF_STATE: dict[str, str] = {
    source: step.stage for step in STEPS if step.is_decision for source in sorted(step.sources)
}
DECIDING_STATES = frozenset(STAGE_OF_STATE)


def states_of(actor: Actor) -> frozenset[str]:
    """The states in which `actor` takes a step (the Delivery Group decides a submitted
    bid; the applicant sends a draft or a revision)."""
    return frozenset(source for step in STEPS if step.actor == actor for source in step.sources)


def states_before(actor: Actor) -> frozenset[str]:
    """The states a bid is in before `actor` has decided it: the ones `actor` decides
    in, and those that the applicant's steps lead from to one of them."""
    deciding = states_of(actor)
    return deciding | frozenset(
        source
        for step in STEPS
        if step.name in APPLICANT_STEPS and step.targets & deciding
        for source in step.sources
    )


def decision_step(actor: Actor, outcome: str) -> Step | None:
    """The decision step by which `actor` records `outcome` (None: not theirs to give)."""
    return next((s for s in STEPS if s.actor == actor and s.outcome == outcome), None)


def after_step(name: str, bid: Bid) -> str:
    """What the person who just took step `name` is told: what was recorded, then who
    the bid waits for now, or where it ended ("Your approval is recorded. Waiting for:
    Vice-Chair (Sam Patel); Designated Officer (Jo Bloggs).")."""
    from funding.deciders import waiting_for

    step = TRANSITIONS[name]
    recorded = step.recorded.format(title=bid.title, group=bid.delivery_group)
    if bid.state in FINAL_STATES:
        return f"{recorded}. “{bid.title}” is {bid.get_state_display().lower()}."
    return f"{recorded}. Waiting for: {waiting_for(bid).text}."


def allowed_steps(bid: Bid, user) -> list[Step]:
    """The steps `user` may take on `bid` now (for showing buttons; the steps re-check)."""
    return [step for step in TRANSITIONS.values() if refusal(step.name, bid, user) is None]


def decision_steps(bid: Bid, user) -> list[Step]:
    """The decisions `user` may record on `bid` now: declared, with no conflict."""
    return [s for s in allowed_steps(bid, user) if s.name in DECISION_STEPS]


def refusal(name: str, bid: Bid, user) -> TransitionRefused | None:
    """None when `user` may take step `name` on `bid` now, else the refusal to raise:
    `NotYours` when the person may not take the step, a plain `TransitionRefused`
    when the bid is not at that stage (any more) or the person already acted."""
    step = TRANSITIONS[name]
    if bid.state not in step.sources:
        return TransitionRefused(
            f"“{bid.title}” is now {bid.get_state_display().lower()}: "
            f"“{step.label}” is not possible at this stage."
        )
    if step.actor in {Actor.APPLICANT, Actor.APPLICANTS_ORGANISATION}:
        if not access.is_applicant_side(user, bid):
            return NotYours(f"Only {step.who} may do that.")
        # A first submission needs the fund still open; a revision the partnership asked
        # for may be resubmitted after the closing date.
        if step.needs_open_fund and not bid.fund.accepts_bids(timezone.localdate()):
            return TransitionRefused(
                f"{bid.fund} closed for bids on {bid.fund.bids_close_on:%-d %B %Y}: "
                f"“{bid.title}” can no longer be submitted to it."
            )
        return None
    if step.actor == Actor.PORTAL:
        return NotYours("The portal refers a bid to the panel when an office-holder withdraws.")
    if user.pk == bid.applicant_id:
        return NotYours("You cannot decide your own bid.")
    if step.actor == Actor.DELIVERY_GROUP:
        ok = is_delivery_group_decider(user, bid.delivery_group)
    elif step.actor == Actor.PANEL:
        ok = is_panel_decider(user, bid.partnership)
    else:
        held = offices_held(user, bid.partnership)
        if not held:
            ok = False
        else:
            done = offices_decided(bid)
            if not set(held) - done:
                return TransitionRefused("You have already decided this bid.")
            ok = True
    if not ok:
        return NotYours(f"Only {step.who} may do that.")
    from funding import interests  # at the call: interests reads this table

    withdrawn = interests.withdrawal_of(bid, user)
    if withdrawn:
        return NotYours(
            f"You cannot decide “{bid.title}”: you {withdrawn}. "
            "You are recorded as having withdrawn from deciding it."
        )
    if interests.declaration_of(bid, user) is None:
        return DeclarationNeeded(
            "Declare whether you have an interest in this bid before deciding it."
        )
    return None
