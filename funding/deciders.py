"""Who decides a bid at each stage, and who a bid is waiting for now.

The Delivery Group's chair and members record the group's decision; the approval panel
is the partnership's configured body (the Performance Group when none is set); bids
under the threshold need the Designated Officer, the Chair and the Vice-Chair.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from csp_portal.models import Body, BodyType, Office, OfficeHolder, Partnership
from funding.models import Bid, BidState, Stage
from funding.money import money

APPROVING_OFFICES = (Office.DESIGNATED_OFFICER, Office.CHAIR, Office.VICE_CHAIR)


def approval_panel(partnership: Partnership) -> Body | None:
    """The partnership's approval panel: its setting, else its Performance Group."""
    if partnership.approval_panel_id:
        return partnership.approval_panel
    return (
        Body.objects.filter(partnership=partnership, body_type=BodyType.PERFORMANCE_GROUP)
        .order_by("-is_active", "pk")
        .first()
    )


def goes_to_panel(partnership: Partnership, amount: Decimal) -> bool:
    """Whether a supported bid of `amount` goes to the approval panel (the threshold or
    more) rather than to the three office-holders. Exactly the threshold goes to the
    panel: seed 000 leaves it open, and the panel is the stricter route."""
    return amount >= partnership.bid_approval_threshold


def route_after(partnership: Partnership, *, to_panel: bool) -> str:
    """The route of a supported bid, to follow its amount ("£750.00 is under …")."""
    threshold = money(partnership.bid_approval_threshold)
    if to_panel:
        panel = approval_panel(partnership)
        name = f"the approval panel ({panel})" if panel else "the approval panel"
        return f"is {threshold} or more: once supported, it goes to {name}."
    return (
        f"is under {threshold}: once supported, it goes to the Designated Officer, the "
        "Chair and the Vice-Chair, who must all approve it."
    )


def route(partnership: Partnership, amount: Decimal) -> str:
    """Where a bid of `amount` goes once its Delivery Group supports it, in words: what
    the applicant is shown before submitting."""
    to_panel = goes_to_panel(partnership, amount)
    return f"{money(amount)} {route_after(partnership, to_panel=to_panel)}"


def body_people(body: Body | None) -> list:
    """The chair first, then the members by name (the same order on every page and e-mail)."""
    if body is None:
        return []
    people = [body.chair] if body.chair_id else []
    members = body.members.order_by("last_name", "first_name", "username")
    people += [m for m in members if m.pk != body.chair_id]
    return people


def is_body_decider(user, body: Body | None) -> bool:
    if body is None or not user.is_authenticated:
        return False
    return body.chair_id == user.pk or body.members.filter(pk=user.pk).exists()


def is_delivery_group_decider(user, body: Body) -> bool:
    return is_body_decider(user, body)


def is_panel_decider(user, partnership: Partnership) -> bool:
    return is_body_decider(user, approval_panel(partnership))


def current_office_holders(partnership: Partnership) -> list[OfficeHolder]:
    return list(
        OfficeHolder.objects.current()
        .filter(partnership=partnership, office__in=APPROVING_OFFICES)
        .select_related("user")
    )


def offices_held(user, partnership: Partnership) -> list[str]:
    """The deciding offices `user` holds in `partnership` today."""
    if not user.is_authenticated:
        return []
    return sorted(
        {
            holder.office
            for holder in current_office_holders(partnership)
            if holder.user_id == user.pk
        }
    )


def offices_decided(bid: Bid, outcome: str | None = None) -> set[str]:
    """The offices whose holders have decided the bid in its current round (given
    `outcome`: those that decided it so)."""
    decisions = bid.decisions.filter(stage=Stage.OFFICE_HOLDERS, round=bid.round)
    if outcome is not None:
        decisions = decisions.filter(outcome=outcome)
    return set(decisions.values_list("office", flat=True))


@dataclass
class Waiting:
    """Who a bid is waiting for: a sentence to show, and the people to notify.

    stuck: recusals leave nobody able to decide; `people` are then who must be asked."""

    text: str
    people: list = field(default_factory=list)
    stuck: bool = False


def _names(people) -> str:
    return ", ".join(p.get_full_name() or p.get_username() for p in people)


def partnership_chair(partnership: Partnership):
    """The current Chair of the partnership, or None."""
    for holder in current_office_holders(partnership):
        if holder.office == Office.CHAIR:
            return holder.user
    return None


def _withdrawn_text(people, reasons: dict[int, str]) -> str:
    return "; ".join(f"{p.get_full_name() or p.get_username()} ({reasons[p.pk]})" for p in people)


def _body_waiting(bid: Bid, body: Body, why: str, label: str) -> Waiting:
    from funding import interests

    everyone = interests.stage_people(bid)
    reasons = interests.withdrawals(bid, people=everyone)
    able = [p for p in everyone if p.pk not in reasons]
    gone = [p for p in everyone if p.pk in reasons]
    if not able:
        chair = partnership_chair(bid.partnership)
        who = (
            f"the Chair of the partnership, {chair.get_full_name() or chair.get_username()},"
            if chair
            else "the partnership admin"
        )
        ask = f"{who} must be asked to bring someone with no interest onto {body}"
        why_not = (
            f"every decider has withdrawn ({_withdrawn_text(gone, reasons)})"
            if gone
            else "it has nobody to decide it"
        )
        return Waiting(
            f"Nobody on {body} can decide it{why}: {why_not}; {ask}",
            [p for p in [chair, body.chair] if p is not None],
            stuck=True,
        )
    text = f"{body}{why} ({label}: {_names(able)})"
    if gone:
        text += f"; withdrawn: {_withdrawn_text(gone, reasons)}"
    return Waiting(text, able)


def waiting_for(bid: Bid) -> Waiting:
    state = bid.state
    if state == BidState.DRAFT:
        return Waiting(
            f"The applicant ({bid.applicant.get_full_name()}) to submit it", [bid.applicant]
        )
    if state == BidState.REVISION_REQUESTED:
        return Waiting(
            f"The applicant ({bid.applicant.get_full_name()}) to revise and resubmit it",
            [bid.applicant],
        )
    if state == BidState.SUBMITTED:
        return _body_waiting(bid, bid.delivery_group, "", "chair and members")
    if state in {BidState.WITH_PANEL, BidState.REJECTION_REFERRED}:
        panel = approval_panel(bid.partnership)
        if panel is None:
            return Waiting("The approval panel: none is set up; ask the partnership admin")
        why = (
            " to confirm or overturn the rejection" if state == BidState.REJECTION_REFERRED else ""
        )
        return _body_waiting(bid, panel, why, "members")
    if state == BidState.WITH_OFFICE_HOLDERS:
        from funding import interests

        done = offices_decided(bid)
        holders = current_office_holders(bid.partnership)
        reasons = interests.withdrawals(bid, people=[h.user for h in holders])
        pending = [h for h in holders if h.office not in done]
        pending.sort(key=lambda h: APPROVING_OFFICES.index(h.office))
        able = [h for h in pending if h.user_id not in reasons]
        gone = [h for h in pending if h.user_id in reasons]
        text = "; ".join(f"{h.get_office_display()} ({h.user.get_full_name()})" for h in able)
        missing = [
            Office(o).label
            for o in APPROVING_OFFICES
            if o not in done and o not in {h.office for h in pending}
        ]
        if missing:
            text += ("; " if text else "") + f"no current {', '.join(missing)}: ask the admin"
        if gone:
            text += (
                ("; " if text else "")
                + "withdrawn: "
                + "; ".join(
                    f"{h.get_office_display()} ({h.user.get_full_name()}, {reasons[h.user_id]}): "
                    "the approval panel must be asked to decide it"
                    for h in gone
                )
            )
        return Waiting(text, [h.user for h in able], stuck=bool(gone))
    return Waiting("Nobody: the decision is final")
