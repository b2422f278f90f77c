"""E-mails the bid process sends: to whoever must act next, and the outcome to the applicant.

Mail is queued (csp_portal.mail) only once the transaction that changed the bid has
committed, so nobody is told of a decision that was then rolled back, and the worker sends
it. A mail server that is down must not undo or hide a decision already recorded: the
failed task is logged, and the home page's "what needs you" list still shows every decider
what is waiting for them.
"""

from __future__ import annotations

from django.conf import settings

from csp_portal.mail import send_email
from funding.models import Bid


def _link(bid: Bid) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + bid.get_absolute_url()


def _send(subject: str, body: str, people) -> None:
    send_email(subject=subject, body=body, to=[p.email for p in people if p is not None])


def bid_waiting(bid: Bid) -> None:
    """Tell the people whose decision the bid now needs."""
    from funding.deciders import waiting_for

    waiting = waiting_for(bid)
    _send(
        f"Funding bid waiting for your decision: {bid.title}",
        f"“{bid.title}” from {bid.applicant_organisation} asks for £{bid.amount_requested:,.2f} "
        f"from {bid.fund}.\n\nIt is waiting for: {waiting.text}.\n\nOpen it: {_link(bid)}\n",
        waiting.people,
    )


def outcome_to_applicant(bid: Bid, outcome: str, reasons: str) -> None:
    body = f"Your bid “{bid.title}” has been {outcome}."
    if reasons.strip():
        body += f"\n\nReasons:\n{reasons.strip()}"
    _send(
        f"Your funding bid has been {outcome}: {bid.title}",
        body + f"\n\n{_link(bid)}\n",
        [bid.applicant],
    )


def revision_requested(bid: Bid, reasons: str) -> None:
    _send(
        f"Please revise and resubmit your funding bid: {bid.title}",
        f"{bid.delivery_group} asks you to revise “{bid.title}” and resubmit it.\n\n"
        f"What to change:\n{reasons.strip()}\n\n{_link(bid)}\n",
        [bid.applicant],
    )


def rejection_to_group_chair(bid: Bid, reasons: str) -> None:
    """Seed 000: the panel informs the Delivery Group's chair and explains a rejection."""
    _send(
        f"Approval panel rejected a bid your group supported: {bid.title}",
        f"The approval panel rejected “{bid.title}”, which {bid.delivery_group} supported."
        f"\n\nExplanation:\n{reasons.strip()}\n\n{_link(bid)}\n",
        [bid.delivery_group.chair],
    )


def bid_withdrawn(bid: Bid) -> None:
    from funding.deciders import body_people

    _send(
        f"Funding bid withdrawn: {bid.title}",
        f"{bid.applicant_organisation} has withdrawn “{bid.title}”.\n\n{_link(bid)}\n",
        body_people(bid.delivery_group)[:1],
    )


def nobody_can_decide(bid: Bid, waiting) -> None:
    """Recusals leave nobody able to decide: tell who must be asked (the Chair)."""
    _send(
        f"Nobody can decide a funding bid: {bid.title}",
        f"“{bid.title}” from {bid.applicant_organisation} asks for £{bid.amount_requested:,.2f} "
        f"from {bid.fund}.\n\n{waiting.text}.\n\nOpen it: {_link(bid)}\n",
        waiting.people,
    )


def referred_to_panel(bid: Bid, offices: list[str]) -> None:
    """An office-holder withdrew: the Chair is told the bid went to the approval panel."""
    from funding.deciders import partnership_chair

    _send(
        f"Funding bid referred to the approval panel: {bid.title}",
        f"The {', '.join(offices)} withdrew from deciding “{bid.title}” (a conflict of "
        f"interest), so the office-holders cannot all approve it: it now waits for the "
        f"approval panel.\n\nOpen it: {_link(bid)}\n",
        [partnership_chair(bid.partnership)],
    )
