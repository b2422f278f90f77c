"""The home-page sections that start the funding app's main jobs: for an applicant, each
fund open for bids (one click to its bid form); for a partnership administrator, the
funds and budget lines they manage."""

from __future__ import annotations

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from csp_portal.access import member_partnerships
from csp_portal.extension_points import HomeEntry
from funding import access, selectors
from funding.models import Fund


def open_funds(user) -> list[HomeEntry]:
    """Funds with budget lines that accept bids today, in the partnerships where the user
    may start one: one query, none for someone who may start a bid nowhere."""
    partnerships = [p for p in member_partnerships(user) if access.can_start_bid(user, p)]
    if not partnerships:
        return []
    today = timezone.localdate()
    funds = (
        Fund.objects.filter(selectors.open_for_bids(today=today))
        .filter(partnership__in=partnerships, lines__isnull=False)
        .distinct()
        .select_related("partnership")
        # the soonest to close first; those open until closed last, on every database
        .order_by("partnership__name", F("bids_close_on").asc(nulls_last=True), "name")
    )
    entries = []
    for fund in funds:
        url = reverse("funding:bid_new", args=[fund.partnership.slug]) + f"?fund={fund.pk}"
        if fund.bids_close_on:
            closes = f"Bids close on {date_format(fund.bids_close_on, 'j F Y')}."
        else:
            closes = "Open for bids."
        entries.append(
            HomeEntry(
                title=f"Start a bid to the {fund}",
                url=url,
                partnership=fund.partnership.name,
                detail=f"{fund.funder}. {closes}",
            )
        )
    return entries


def funds_to_manage(user) -> list[HomeEntry]:
    """For each partnership the user administers: its funds (budgets, lines and spend)
    and a new fund. No query."""
    entries = []
    for partnership in member_partnerships(user):
        if not access.can_manage_funds(user, partnership):
            continue
        slug = partnership.slug
        entries += [
            HomeEntry(
                title="Funds, budget lines and spend",
                url=reverse("funding:index", args=[slug]),
                partnership=partnership.name,
                detail="Each fund's budget table; add budget lines and record spend.",
            ),
            HomeEntry(
                title="Add a fund",
                url=reverse("funding:fund_new", args=[slug]),
                partnership=partnership.name,
                detail="A new pot of money for a financial year, then its budget lines.",
            ),
        ]
    return entries
