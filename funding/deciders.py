"""Who decides a bid at each stage, and who a bid is waiting for now.

The Delivery Group's chair and members record the group's decision; the approval panel
is the partnership's configured body (the Performance Group when none is set); bids
under the threshold need the Designated Officer, the Chair and the Vice-Chair.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from csp_portal.models import Body, BodyType, Office, OfficeHolder, Partnership
from funding.models import Bid, BidState, Stage

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


@dataclass
class Waiting:
    """Who a bid is waiting for: a sentence to show, and the people to notify."""

    text: str
    people: list = field(default_factory=list)


def _names(people) -> str:
    return ", ".join(p.get_full_name() or p.get_username() for p in people)


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
        people = [p for p in body_people(bid.delivery_group) if p.pk != bid.applicant_id]
        return Waiting(f"{bid.delivery_group} (chair and members: {_names(people)})", people)
    if state in {BidState.WITH_PANEL, BidState.REJECTION_REFERRED}:
        panel = approval_panel(bid.partnership)
        if panel is None:
            return Waiting("The approval panel: none is set up; ask the partnership admin")
        people = [p for p in body_people(panel) if p.pk != bid.applicant_id]
        why = (
            " to confirm or overturn the rejection" if state == BidState.REJECTION_REFERRED else ""
        )
        return Waiting(f"{panel}{why} (members: {_names(people)})", people)
    if state == BidState.WITH_OFFICE_HOLDERS:
        done = set(
            bid.decisions.filter(stage=Stage.OFFICE_HOLDERS, round=bid.round).values_list(
                "office", flat=True
            )
        )
        pending = [h for h in current_office_holders(bid.partnership) if h.office not in done]
        pending.sort(key=lambda h: APPROVING_OFFICES.index(h.office))
        text = "; ".join(f"{h.get_office_display()} ({h.user.get_full_name()})" for h in pending)
        missing = [
            Office(o).label
            for o in APPROVING_OFFICES
            if o not in done and o not in {h.office for h in pending}
        ]
        if missing:
            text += ("; " if text else "") + f"no current {', '.join(missing)}: ask the admin"
        return Waiting(text, [h.user for h in pending])
    return Waiting("Nobody: the decision is final")
