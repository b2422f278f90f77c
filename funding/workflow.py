"""The bid process of the partnership's Funding Process (seed 000), in one place.

`TRANSITIONS` declares every allowed step: its name, the states it may start from and
who may take it. Each step is a function below that locks the bid row, checks the step
is allowed now and for this person, records who and why (a `Transition`, and a
`Decision` for decisions), moves the money when a bid is approved, and notifies the
people who act next. Anything else is refused with `TransitionRefused`, whose message
is meant for the person who tried.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from funding import interests, notifications
from funding.deciders import (
    APPROVING_OFFICES,
    approval_panel,
    current_office_holders,
    is_delivery_group_decider,
    is_panel_decider,
    offices_held,
)
from funding.models import (
    FINAL_STATES,
    Bid,
    BidState,
    BudgetLine,
    Decision,
    Declaration,
    Fund,
    Interest,
    Outcome,
    SpendEntry,
    Stage,
    Transition,
)
from funding.money import money

S = BidState


class TransitionRefused(Exception):
    """A step that is not allowed now, or not for this person; the message says why."""


class NotYours(TransitionRefused):
    """A step this person may never take on this bid at this stage (not the applicant's
    organisation, not a decider here): the views answer 403, where a step refused
    because the bid has moved on (someone else decided first) is a conflict."""


class DeclarationNeeded(TransitionRefused):
    """A decider who has not yet declared whether they have an interest in the bid."""


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    sources: frozenset[str]
    actor: str  # who may take it, in words (shown when refused)


TRANSITIONS: dict[str, Step] = {
    step.name: step
    for step in [
        Step("submit", "Submit", frozenset({S.DRAFT}), "the applicant"),
        Step("resubmit", "Resubmit", frozenset({S.REVISION_REQUESTED}), "the applicant"),
        Step(
            "withdraw",
            "Withdraw",
            frozenset(BidState.values) - FINAL_STATES,
            "the applicant's organisation",
        ),
        Step("group_support", "Support", frozenset({S.SUBMITTED}), "the Delivery Group"),
        Step("group_reject", "Reject", frozenset({S.SUBMITTED}), "the Delivery Group"),
        Step("group_revise", "Ask for revision", frozenset({S.SUBMITTED}), "the Delivery Group"),
        Step("panel_approve", "Approve", frozenset({S.WITH_PANEL}), "the approval panel"),
        Step("panel_reject", "Reject", frozenset({S.WITH_PANEL}), "the approval panel"),
        Step(
            "office_approve",
            "Approve",
            frozenset({S.WITH_OFFICE_HOLDERS}),
            "the Designated Officer, the Chair or the Vice-Chair",
        ),
        Step(
            "office_reject",
            "Reject",
            frozenset({S.WITH_OFFICE_HOLDERS}),
            "the Designated Officer, the Chair or the Vice-Chair",
        ),
        Step(
            "panel_confirm_rejection",
            "Confirm the rejection",
            frozenset({S.REJECTION_REFERRED}),
            "the approval panel",
        ),
        Step(
            "panel_overturn_rejection",
            "Overturn the rejection and approve",
            frozenset({S.REJECTION_REFERRED}),
            "the approval panel",
        ),
        # Taken by the portal, never chosen: when an office-holder withdraws (an
        # interest, the applicant's organisation, an earlier decision), the three
        # approvals the delegated route needs can no longer all be given, so the bid
        # goes to the approval panel (the stricter route, as for exactly the threshold).
        Step(
            "refer_to_panel",
            "Refer to the approval panel",
            frozenset({S.WITH_OFFICE_HOLDERS}),
            "the portal, when an office-holder withdraws",
        ),
    ]
}

#: Steps a decider chooses on the decision form.
DECISION_STEPS = frozenset(
    {
        "group_support",
        "group_reject",
        "group_revise",
        "panel_approve",
        "panel_reject",
        "panel_confirm_rejection",
        "panel_overturn_rejection",
        "office_approve",
        "office_reject",
    }
)

#: Steps that need reasons: every rejection, a request for revision, and a panel
#: overturning the office-holders.
NEEDS_REASONS = frozenset(
    {
        "group_reject",
        "group_revise",
        "panel_reject",
        "office_reject",
        "panel_confirm_rejection",
        "panel_overturn_rejection",
    }
)


def allowed_steps(bid: Bid, user) -> list[Step]:
    """The steps `user` may take on `bid` now (for showing buttons; the steps re-check)."""
    return [step for step in TRANSITIONS.values() if _refusal(step.name, bid, user) is None]


def decision_steps(bid: Bid, user) -> list[Step]:
    """The decisions `user` may record on `bid` now: declared, with no conflict."""
    return [s for s in allowed_steps(bid, user) if s.name in DECISION_STEPS]


def _refusal(name: str, bid: Bid, user) -> TransitionRefused | None:
    """None when `user` may take step `name` on `bid` now, else the refusal to raise:
    `NotYours` when the person may not take the step, a plain `TransitionRefused`
    when the bid is not at that stage (any more) or the person already acted."""
    step = TRANSITIONS[name]
    if bid.state not in step.sources:
        return TransitionRefused(
            f"“{bid.title}” is now {bid.get_state_display().lower()}: "
            f"“{step.label}” is not possible at this stage."
        )
    if name in {"submit", "resubmit", "withdraw"}:
        org = getattr(getattr(user, "profile", None), "organisation_id", None)
        if user.pk != bid.applicant_id and org != bid.applicant_organisation_id:
            return NotYours(f"Only {step.actor} may do that.")
        return None
    if name == "refer_to_panel":
        return NotYours("The portal refers a bid to the panel when an office-holder withdraws.")
    if user.pk == bid.applicant_id:
        return NotYours("You cannot decide your own bid.")
    if name.startswith("group_"):
        ok = is_delivery_group_decider(user, bid.delivery_group)
    elif name.startswith("panel_"):
        ok = is_panel_decider(user, bid.partnership)
    else:
        held = offices_held(user, bid.partnership)
        if not held:
            ok = False
        else:
            done = set(
                bid.decisions.filter(stage=Stage.OFFICE_HOLDERS, round=bid.round).values_list(
                    "office", flat=True
                )
            )
            if not set(held) - done:
                return TransitionRefused("You have already decided this bid.")
            ok = True
    if not ok:
        return NotYours(f"Only {step.actor} may do that.")
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


def _lock(bid: Bid) -> Bid:
    """Re-read the bid under a row lock: the second of two deciders waits, then sees
    what the first did."""
    return Bid.objects.select_for_update().select_related("fund__partnership").get(pk=bid.pk)


def _check(name: str, bid: Bid, user, reasons: str = "") -> None:
    refusal = _refusal(name, bid, user)
    if refusal is not None:
        last = bid.decisions.select_related("decided_by").order_by("-decided_at", "-pk").first()
        if last and bid.state not in TRANSITIONS[name].sources:
            refusal = TransitionRefused(
                f"{refusal} The last decision was “{last.get_outcome_display()}” by "
                f"{last.decider} at {timezone.localtime(last.decided_at):%H:%M on %-d %B %Y}."
            )
        raise refusal
    if name in NEEDS_REASONS and not reasons.strip():
        raise TransitionRefused("Give the reasons for this decision: the applicant is told them.")


def _move(bid: Bid, to: str, user, note: str = "") -> None:
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


def _record_withdrawal(bid: Bid, person, conflict, by, details: str = "") -> Declaration:
    return Declaration.objects.create(
        bid=bid,
        round=bid.round,
        stage=interests.stage_of(bid),
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
    people = interests.stage_people(bid, stage)
    declared = interests.declarations(bid, stage)
    for pk, conflict in interests.rule_conflicts(bid, stage, people).items():
        if pk not in declared:
            person = next(p for p in people if p.pk == pk)
            _record_withdrawal(bid, person, conflict, by)
    _after_withdrawals(bid, by)


def _after_withdrawals(bid: Bid, by) -> None:
    from funding.deciders import waiting_for

    if bid.state == S.WITH_OFFICE_HOLDERS:
        stuck = interests.stuck_offices(bid)
        if stuck:
            _move(
                bid,
                S.WITH_PANEL,
                by,
                f"Referred to the approval panel: the {', '.join(stuck)} withdrew from "
                "deciding it, so the office-holders cannot all approve it",
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
        return _record_withdrawal(bid, by, conflict, by, details)
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
    name = "resubmit" if bid.state == S.REVISION_REQUESTED else "submit"
    _check(name, bid, by)
    bid.round += 1
    bid.submitted_at = timezone.now()
    _move(bid, S.SUBMITTED, by, "Resubmitted after revision" if name == "resubmit" else "")
    _enter_stage(bid, by)
    return bid


resubmit = submit


@transaction.atomic
def withdraw(*, bid: Bid, by, reasons: str = "") -> Bid:
    bid = _lock(bid)
    _check("withdraw", bid, by)
    was_submitted = bid.round > 0
    _move(bid, S.WITHDRAWN, by, reasons.strip())
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
    names = {Outcome.SUPPORT: "group_support", Outcome.REJECT: "group_reject"}
    names[Outcome.REVISE] = "group_revise"
    if outcome not in names:
        raise TransitionRefused("The Delivery Group supports, rejects or asks for revision.")
    bid = _lock(bid)
    _check(names[outcome], bid, by, reasons)
    _decide(
        bid,
        by,
        stage=Stage.DELIVERY_GROUP,
        outcome=outcome,
        reasons=reasons,
        meeting=meeting,
        body=bid.delivery_group,
    )
    if outcome == Outcome.REJECT:
        _move(bid, S.REJECTED, by, reasons)
        notifications.outcome_to_applicant(bid, "rejected by the Delivery Group", reasons)
    elif outcome == Outcome.REVISE:
        _move(bid, S.REVISION_REQUESTED, by, reasons)
        notifications.revision_requested(bid, reasons)
    else:
        to_panel = bid.amount_requested >= bid.partnership.bid_approval_threshold
        _move(bid, S.WITH_PANEL if to_panel else S.WITH_OFFICE_HOLDERS, by, reasons)
        _enter_stage(bid, by)
    return bid


# --- the approval panel ---------------------------------------------------------------


@transaction.atomic
def panel_decide(*, bid: Bid, by, outcome: str, reasons: str = "", meeting=None) -> Bid:
    """The panel approves or rejects a bid at or over the threshold, or confirms or
    overturns the office-holders' rejection of one under it."""
    names = {
        Outcome.APPROVE: "panel_approve",
        Outcome.REJECT: "panel_reject",
        Outcome.CONFIRM_REJECTION: "panel_confirm_rejection",
        Outcome.OVERTURN_REJECTION: "panel_overturn_rejection",
    }
    if outcome not in names:
        raise TransitionRefused("The approval panel approves or rejects.")
    bid = _lock(bid)
    _check(names[outcome], bid, by, reasons)
    stage = Stage.PANEL if bid.state == S.WITH_PANEL else Stage.PANEL_REVIEW
    panel = approval_panel(bid.partnership)
    if outcome in {Outcome.APPROVE, Outcome.OVERTURN_REJECTION}:
        _commit(bid)
        _decide(bid, by, stage=stage, outcome=outcome, reasons=reasons, meeting=meeting, body=panel)
        _move(bid, S.APPROVED, by, reasons)
        notifications.outcome_to_applicant(bid, "approved", reasons)
    else:
        _decide(bid, by, stage=stage, outcome=outcome, reasons=reasons, meeting=meeting, body=panel)
        _move(bid, S.REJECTED, by, reasons)
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
    names = {Outcome.APPROVE: "office_approve", Outcome.REJECT: "office_reject"}
    if outcome not in names:
        raise TransitionRefused("An office-holder approves or rejects.")
    bid = _lock(bid)
    _check(names[outcome], bid, by, reasons)
    done = set(
        bid.decisions.filter(stage=Stage.OFFICE_HOLDERS, round=bid.round).values_list(
            "office", flat=True
        )
    )
    for office in offices_held(by, bid.partnership):
        if office in done:
            continue
        _decide(
            bid,
            by,
            stage=Stage.OFFICE_HOLDERS,
            outcome=outcome,
            reasons=reasons,
            meeting=meeting,
            office=office,
        )
    if outcome == Outcome.REJECT:
        _move(bid, S.REJECTION_REFERRED, by, reasons)
        _enter_stage(bid, by)
        return bid
    approved = set(
        bid.decisions.filter(
            stage=Stage.OFFICE_HOLDERS, round=bid.round, outcome=Outcome.APPROVE
        ).values_list("office", flat=True)
    )
    if approved >= set(APPROVING_OFFICES):
        _commit(bid)
        _move(bid, S.APPROVED, by, "Approved by the Designated Officer, Chair and Vice-Chair")
        notifications.outcome_to_applicant(bid, "approved", reasons)
    return bid


# --- money ------------------------------------------------------------------------------


def _money_out(spend, approved) -> tuple[Decimal, Decimal]:
    """Committed (approved bids' awards) and spent outside them (spend entries not
    against an approved bid, and spend beyond a bid's award): spend against an approved
    bid is its commitment being paid, counted once."""
    zero = Decimal("0")
    committed = approved.aggregate(s=Sum("amount_awarded"))["s"] or zero
    spent = spend.aggregate(s=Sum("amount"))["s"] or zero
    awards = dict(approved.values_list("pk", "amount_awarded"))
    paid = spend.filter(bid__in=list(awards)).values_list("bid").annotate(s=Sum("amount"))
    within = sum((min(total, awards[pk]) for pk, total in paid.order_by()), zero)
    return committed, spent - within


def _check_money(bid: Bid, *, lock: bool = False) -> None:
    """Refuse when the award is more than is left on the bid's line or fund: allocated
    (or the fund's total) less what is committed to approved bids and spent besides."""
    amount = bid.amount_requested
    lines = BudgetLine.objects.filter(pk=bid.budget_line_id)
    funds = Fund.objects.filter(pk=bid.fund_id)
    if lock:
        # Lock the fund and line so that two approvals of different bids cannot both
        # spend the last of the money (spend is recorded under the line's lock too).
        funds, lines = funds.select_for_update(), lines.select_for_update()
    fund, line = funds.get(), lines.get()
    approved = Bid.objects.filter(state=S.APPROVED)
    line_committed, line_spent = _money_out(
        SpendEntry.objects.filter(budget_line=line), approved.filter(budget_line=line)
    )
    fund_committed, fund_spent = _money_out(
        SpendEntry.objects.filter(budget_line__fund=fund), approved.filter(fund=fund)
    )
    line_left = line.allocated - line_committed - line_spent
    fund_left = fund.total - fund_committed - fund_spent
    if amount > line_left:
        raise TransitionRefused(
            f"Approving {money(amount)} would take the budget line “{line.description}” "
            f"below zero: {money(line.allocated)} allocated, {money(line_committed)} "
            f"already committed to approved bids, {money(line_spent)} spent besides, "
            f"{money(line_left)} left to award."
        )
    if amount > fund_left:
        raise TransitionRefused(
            f"Approving {money(amount)} would take the fund “{fund}” below zero: "
            f"{money(fund.total)} in total, {money(fund_committed)} already committed to "
            f"approved bids, {money(fund_spent)} spent besides, {money(fund_left)} left "
            "to award."
        )


def _commit(bid: Bid) -> None:
    _check_money(bid, lock=True)
    bid.amount_awarded = bid.amount_requested
    from funding.monitoring import schedule_for

    bid.save()
    schedule_for(bid)


# --- one entry point for the views ------------------------------------------------------

_OUTCOME_OF_STEP = {
    "group_support": Outcome.SUPPORT,
    "group_reject": Outcome.REJECT,
    "group_revise": Outcome.REVISE,
    "panel_approve": Outcome.APPROVE,
    "panel_reject": Outcome.REJECT,
    "panel_confirm_rejection": Outcome.CONFIRM_REJECTION,
    "panel_overturn_rejection": Outcome.OVERTURN_REJECTION,
    "office_approve": Outcome.APPROVE,
    "office_reject": Outcome.REJECT,
}


def take(name: str, *, bid: Bid, by, reasons: str = "", meeting=None) -> Bid:
    """Take the step called `name` (as TRANSITIONS names it), or declare
    ("declare_no_interest", "declare_interest" with the interest as `reasons`)."""
    if name in {"declare_no_interest", "declare_interest"}:
        declare(bid=bid, by=by, interest=name == "declare_interest", details=reasons)
        return Bid.objects.get(pk=bid.pk)
    if name in {"submit", "resubmit"}:
        return submit(bid=bid, by=by)
    if name == "withdraw":
        return withdraw(bid=bid, by=by, reasons=reasons)
    if name not in _OUTCOME_OF_STEP:
        raise TransitionRefused(f"There is no step called “{name}”.")
    decide = {"group": group_decide, "panel": panel_decide, "office": office_decide}[
        name.split("_", 1)[0]
    ]
    return decide(bid=bid, by=by, outcome=_OUTCOME_OF_STEP[name], reasons=reasons, meeting=meeting)


__all__ = [
    "take",
    "TRANSITIONS",
    "NotYours",
    "Step",
    "TransitionRefused",
    "DeclarationNeeded",
    "allowed_steps",
    "declare",
    "decision_steps",
    "current_office_holders",
    "group_decide",
    "office_decide",
    "panel_decide",
    "resubmit",
    "submit",
    "withdraw",
]
