"""The steps of the bid process (seed 000): one function per step of the table in
funding/lifecycle.py.

Each locks the bid row, checks the step is allowed now and for this person (the table's
`refusal`), records who and why (a `Transition`, and a `Decision` for decisions), moves
the money when a bid is approved (funding/awards.py), and notifies the people who act
next. Anything else is refused with `TransitionRefused`, whose message is meant for the
person who tried.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from funding import interests, notifications
from funding.awards import award
from funding.deciders import (
    APPROVING_OFFICES,
    approval_panel,
    goes_to_panel,
    offices_decided,
    offices_held,
)
from funding.lifecycle import (
    STEPS,
    TRANSITIONS,
    Actor,
    DeclarationNeeded,
    NotYours,
    Step,
    TransitionRefused,
    decision_step,
    refusal,
)
from funding.models import (
    FINAL_STATES,
    Bid,
    Decision,
    Declaration,
    Interest,
    Outcome,
    Transition,
)
from funding.models import BidState as S
from funding.monitoring import schedule_for


def _lock(bid: Bid) -> Bid:
    """Re-read the bid under a row lock: the second of two deciders waits, then sees
    what the first did."""
    return Bid.objects.select_for_update().select_related("fund__partnership").get(pk=bid.pk)


def _check(name: str, bid: Bid, user, reasons: str = "") -> None:
    refused = refusal(name, bid, user)
    if refused is not None:
        last = bid.decisions.select_related("decided_by").order_by("-decided_at", "-pk").first()
        if last and bid.state not in TRANSITIONS[name].sources:
            refused = TransitionRefused(
                f"{refused} The last decision was “{last.get_outcome_display()}” by "
                f"{last.decider} at {timezone.localtime(last.decided_at):%H:%M on %-d %B %Y}."
            )
        raise refused
    if TRANSITIONS[name].needs_reasons and not reasons.strip():
        raise TransitionRefused("Give the reasons for this decision: the applicant is told them.")


def _move(bid: Bid, user, note: str = "", *, step: str, to: str | None = None) -> None:
    """Record the bid's move by `step` to its target in the table (`to`: the one its
    route picks, when the table declares several), which must start from here."""
    declared = TRANSITIONS[step]
    if to is None:
        (to,) = declared.targets  # a step with several targets must say which
    if bid.state not in declared.sources or to not in declared.targets:
        raise AssertionError(f"{step} is not declared to move a bid from {bid.state} to {to}")
    now = timezone.now()
    Transition.objects.create(
        bid=bid, from_state=bid.state, to_state=to, by=user, at=now, note=note
    )
    bid.state = to
    if to in FINAL_STATES:
        bid.decided_at = now
    bid.save()


def _decide(
    bid: Bid, user, *, stage: str, outcome: str, reasons: str, meeting=None, body=None, office=""
) -> Decision:
    if meeting is not None and meeting.body.partnership_id != bid.fund.partnership_id:
        raise TransitionRefused("That meeting belongs to another partnership.")
    return Decision.objects.create(
        bid=bid,
        round=bid.round,
        stage=stage,
        body=body,
        office=office,
        outcome=outcome,
        reasons=reasons.strip(),
        decided_by=user,
        decided_at=timezone.now(),
        meeting=meeting,
    )


# --- conflicts of interest -------------------------------------------------------------


def _record_withdrawal(
    bid: Bid, person, conflict, by, details: str = "", *, stage: str
) -> Declaration:
    return Declaration.objects.create(
        bid=bid,
        round=bid.round,
        stage=stage,
        person=person,
        interest=conflict.interest,
        details=conflict.reason[0].upper()
        + conflict.reason[1:]
        + (f" ({details})" if details else ""),
        recorded_by=by,
        declared_at=timezone.now(),
    )


def _enter_stage(bid: Bid, by) -> None:
    """The bid has reached a deciding stage: record the withdrawals the rules impose,
    then tell whoever may decide, or refer the bid on / tell the Chair when nobody may."""
    stage = interests.stage_of(bid)
    if stage is not None:  # always, when entering a deciding stage
        people = interests.stage_people(bid, stage)
        declared = interests.declarations(bid, stage)
        for pk, conflict in interests.rule_conflicts(bid, stage, people).items():
            if pk not in declared:
                person = next(p for p in people if p.pk == pk)
                _record_withdrawal(bid, person, conflict, by, stage=stage)
    _after_withdrawals(bid, by)


def _after_withdrawals(bid: Bid, by) -> None:
    from funding.deciders import waiting_for

    if bid.state == S.WITH_OFFICE_HOLDERS:
        stuck = interests.stuck_offices(bid)
        if stuck:
            _move(
                bid,
                by,
                f"Referred to the approval panel: the {', '.join(stuck)} withdrew from "
                "deciding it, so the office-holders cannot all approve it",
                step="refer_to_panel",
            )
            notifications.referred_to_panel(bid, stuck)
            _enter_stage(bid, by)
            return
    waiting = waiting_for(bid)
    if waiting.stuck:
        notifications.nobody_can_decide(bid, waiting)
    else:
        notifications.bid_waiting(bid)


@transaction.atomic
def declare(*, bid: Bid, by, interest: bool, details: str = "") -> Declaration:
    """`by` declares, for the bid's current stage, no interest or an interest.

    An interest is a withdrawal: the person cannot decide the bid at this stage, and the
    people who must act next are told (or the bid is referred on) as for any withdrawal.
    A person the rules already bar is recorded with the rule's reason, whatever they say.
    """
    bid = _lock(bid)
    stage = interests.stage_of(bid)
    if stage is None:
        raise TransitionRefused(
            f"“{bid.title}” is {bid.get_state_display().lower()}: no decision is waiting."
        )
    if not interests.is_stage_decider(bid, by):
        if by.pk == bid.applicant_id:
            raise NotYours("You cannot decide your own bid.")
        raise NotYours("Only the people deciding the bid at this stage declare interests in it.")
    earlier = interests.declaration_of(bid, by)
    if earlier is not None:
        raise TransitionRefused(
            f"You declared “{earlier.get_interest_display()}” on "
            f"{timezone.localtime(earlier.declared_at):%-d %B %Y at %H:%M}; "
            "a declaration is never changed."
        )
    details = details.strip()
    conflict = interests.rule_conflicts(bid, stage, [by]).get(by.pk)
    if conflict is not None:
        return _record_withdrawal(bid, by, conflict, by, details, stage=stage)
    if interest and not details:
        raise TransitionRefused("Say what the interest is: it is recorded and reported.")
    declaration = Declaration.objects.create(
        bid=bid,
        round=bid.round,
        stage=stage,
        person=by,
        interest=Interest.DECLARED if interest else Interest.NONE,
        details=details,
        recorded_by=by,
        declared_at=timezone.now(),
    )
    if interest:
        _after_withdrawals(bid, by)
    return declaration


# --- the applicant ------------------------------------------------------------------


@transaction.atomic
def submit(*, bid: Bid, by) -> Bid:
    """Send a draft (or a revised bid) to its Delivery Group."""
    bid = _lock(bid)
    name = _applicant_step(bid).name
    _check(name, bid, by)
    bid.round += 1
    bid.submitted_at = timezone.now()
    note = "Resubmitted after revision" if name == "resubmit" else ""
    _move(bid, by, note, step=name)
    _enter_stage(bid, by)
    return bid


resubmit = submit


def _applicant_step(bid: Bid) -> Step:
    """The applicant's step that sends the bid, from where it is now, to its Delivery
    Group (submit a draft, resubmit a revision; else "submit", which is then refused)."""
    sending = [s for s in STEPS if s.actor == Actor.APPLICANT]
    return next((s for s in sending if bid.state in s.sources), TRANSITIONS["submit"])


@transaction.atomic
def withdraw(*, bid: Bid, by, reasons: str = "") -> Bid:
    bid = _lock(bid)
    _check("withdraw", bid, by)
    was_submitted = bid.round > 0
    _move(bid, by, reasons.strip(), step="withdraw")
    if was_submitted:  # a draft never reached the group: nobody to tell
        notifications.bid_withdrawn(bid)
    return bid


# --- the Delivery Group ---------------------------------------------------------------


@transaction.atomic
def group_decide(*, bid: Bid, by, outcome: str, reasons: str = "", meeting=None) -> Bid:
    """The Delivery Group supports, rejects or asks for revision.

    A supported bid of the threshold or more goes to the approval panel; under it, to
    the three office-holders. Exactly the threshold goes to the panel (the stricter
    route: seed 000 leaves it open).
    """
    step = decision_step(Actor.DELIVERY_GROUP, outcome)
    if step is None:
        raise TransitionRefused("The Delivery Group supports, rejects or asks for revision.")
    bid = _lock(bid)
    _check(step.name, bid, by, reasons)
    _decide(
        bid,
        by,
        stage=step.stage,
        outcome=outcome,
        reasons=reasons,
        meeting=meeting,
        body=bid.delivery_group,
    )
    if outcome == Outcome.REJECT:
        _move(bid, by, reasons, step=step.name)
        notifications.outcome_to_applicant(bid, "rejected by the Delivery Group", reasons)
    elif outcome == Outcome.REVISE:
        _move(bid, by, reasons, step=step.name)
        notifications.revision_requested(bid, reasons)
    else:
        to_panel = goes_to_panel(bid.partnership, bid.amount_requested)
        to = S.WITH_PANEL if to_panel else S.WITH_OFFICE_HOLDERS
        _move(bid, by, reasons, step=step.name, to=to)
        _enter_stage(bid, by)
    return bid


# --- the approval panel ---------------------------------------------------------------


@transaction.atomic
def panel_decide(*, bid: Bid, by, outcome: str, reasons: str = "", meeting=None) -> Bid:
    """The panel approves or rejects a bid at or over the threshold, or confirms or
    overturns the office-holders' rejection of one under it."""
    step = decision_step(Actor.PANEL, outcome)
    if step is None:
        raise TransitionRefused("The approval panel approves or rejects.")
    bid = _lock(bid)
    _check(step.name, bid, by, reasons)
    panel = approval_panel(bid.partnership)
    stage = step.stage
    if S.APPROVED in step.targets:
        award(bid)
        _decide(bid, by, stage=stage, outcome=outcome, reasons=reasons, meeting=meeting, body=panel)
        _move(bid, by, reasons, step=step.name)
        schedule_for(bid)
        notifications.outcome_to_applicant(bid, "approved", reasons)
    else:
        _decide(bid, by, stage=stage, outcome=outcome, reasons=reasons, meeting=meeting, body=panel)
        _move(bid, by, reasons, step=step.name)
        notifications.outcome_to_applicant(bid, "rejected by the approval panel", reasons)
        notifications.rejection_to_group_chair(bid, reasons)
    return bid


# --- the Designated Officer, Chair and Vice-Chair -------------------------------------


@transaction.atomic
def office_decide(*, bid: Bid, by, outcome: str, reasons: str = "", meeting=None) -> Bid:
    """One office-holder's approval or rejection of a bid under the threshold.

    Approved once all three offices have approved in this round; any rejection is
    referred to the approval panel, which confirms or overturns it.
    """
    step = decision_step(Actor.OFFICE_HOLDERS, outcome)
    if step is None:
        raise TransitionRefused("An office-holder approves or rejects.")
    bid = _lock(bid)
    _check(step.name, bid, by, reasons)
    done = offices_decided(bid)
    for office in offices_held(by, bid.partnership):
        if office in done:
            continue
        _decide(
            bid,
            by,
            stage=step.stage,
            outcome=outcome,
            reasons=reasons,
            meeting=meeting,
            office=office,
        )
    if outcome == Outcome.REJECT:
        _move(bid, by, reasons, step=step.name)
        _enter_stage(bid, by)
        return bid
    approved = offices_decided(bid, Outcome.APPROVE)
    if approved >= set(APPROVING_OFFICES):
        award(bid)
        note = "Approved by the Designated Officer, Chair and Vice-Chair"
        _move(bid, by, note, step=step.name, to=S.APPROVED)
        schedule_for(bid)
        notifications.outcome_to_applicant(bid, "approved", reasons)
    return bid


# --- one entry point for the views ------------------------------------------------------


def take(name: str, *, bid: Bid, by, reasons: str = "", meeting=None) -> Bid:
    """Take the step called `name` (as TRANSITIONS names it), or declare
    ("declare_no_interest", "declare_interest" with the interest as `reasons`)."""
    if name in {"declare_no_interest", "declare_interest"}:
        declare(bid=bid, by=by, interest=name == "declare_interest", details=reasons)
        return Bid.objects.get(pk=bid.pk)
    step = TRANSITIONS.get(name)
    if step is None or step.actor == Actor.PORTAL:
        raise TransitionRefused(f"There is no step called “{name}”.")
    if step.actor == Actor.APPLICANT:
        return submit(bid=bid, by=by)
    if step.actor == Actor.APPLICANTS_ORGANISATION:
        return withdraw(bid=bid, by=by, reasons=reasons)
    assert step.outcome is not None  # every other step is a decision
    decide = {
        Actor.DELIVERY_GROUP: group_decide,
        Actor.PANEL: panel_decide,
        Actor.OFFICE_HOLDERS: office_decide,
    }[step.actor]
    return decide(bid=bid, by=by, outcome=step.outcome, reasons=reasons, meeting=meeting)


__all__ = [
    "DeclarationNeeded",
    "NotYours",
    "TransitionRefused",
    "declare",
    "group_decide",
    "office_decide",
    "panel_decide",
    "resubmit",
    "submit",
    "take",
    "withdraw",
]
