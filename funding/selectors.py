"""Reads of bids: which bids a person may see, and one of them or a 404; and the
funded bids a plan priority links to. The app's other reads are by topic:
funding.budget (budget tables), funding.reports (the decisions report), funding.home
(decision queues and what is due) and funding.bid_changes (a refused save's changes).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from csp_portal.extension_points import PriorityLink
from csp_portal.models import Partnership
from funding import access
from funding.models import Bid, BidState
from funding.money import money


def bids_for(user, partnership: Partnership) -> QuerySet[Bid]:
    """The bids `user` may see (the rule is `funding.access.visible_bids`)."""
    return access.visible_bids(user, partnership)


def bid_for(user, partnership: Partnership, pk: int) -> Bid:
    """One bid the user may see, else 404 (another partnership's bid is a 404 too)."""
    return get_object_or_404(
        bids_for(user, partnership).select_related(
            "fund__partnership",
            "budget_line",
            "applicant",
            "applicant_organisation",
            "delivery_group__chair",
            "priority",
        ),
        pk=pk,
    )


def open_for_bids(*, today: dt.date) -> Q:
    """Which funds accept bids on `today`: those whose bids have not closed (or that set
    no closing date). The one rule for the bid form, the home page and the funding page."""
    return Q(bids_close_on__isnull=True) | Q(bids_close_on__gte=today)


def priority_links(priority) -> list[PriorityLink]:
    bids = Bid.objects.filter(priority=priority, state=BidState.APPROVED).select_related(
        "fund__partnership", "applicant_organisation"
    )
    return [
        PriorityLink(
            "Funded bid",
            bid.title,
            bid.get_absolute_url(),
            timezone.localtime(bid.decided_at).date() if bid.decided_at else None,
            f"{money(bid.amount_awarded)} to {bid.applicant_organisation} from {bid.fund}",
        )
        for bid in bids
    ]
