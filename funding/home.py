"""The funding app's part of the home page: the bids waiting for a person's decision
(also the funding index's queue) and what an applicant has to do (revise a bid, send a
monitoring return)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from csp_portal.access import member_partnerships
from csp_portal.extension_points import HomeEntry
from funding import access
from funding.deciders import approval_panel, offices_held, waiting_for
from funding.lifecycle import STAGE_OF_STATE, Actor, states_of
from funding.models import Bid, BidState, Decision, Declaration, Stage
from funding.money import money
from funding.monitoring import open_items_for_applicant


def decision_queue(user) -> list[Bid]:
    """Every bid, across the user's partnerships, that waits on the user's decision."""
    if not user.is_authenticated:
        return []
    base = Bid.objects.select_related("fund__partnership", "applicant_organisation").exclude(
        applicant=user
    )
    found: dict[int, Bid] = {}
    group = base.filter(state__in=states_of(Actor.DELIVERY_GROUP)).filter(
        Q(delivery_group__chair=user) | Q(delivery_group__members=user)
    )
    for bid in group.distinct():
        found[bid.pk] = bid
    for partnership in member_partnerships(user):  # no query: read with the roles
        panel = approval_panel(partnership)
        if panel is not None and (
            panel.chair_id == user.pk or panel.members.filter(pk=user.pk).exists()
        ):
            for bid in base.filter(fund__partnership=partnership, state__in=states_of(Actor.PANEL)):
                found[bid.pk] = bid
        held = offices_held(user, partnership)
        if held:
            waiting = base.filter(
                fund__partnership=partnership, state__in=states_of(Actor.OFFICE_HOLDERS)
            ).prefetch_related("decisions")
            for bid in waiting:
                done = {
                    d.office
                    for d in bid.decisions.all()
                    if d.stage == Stage.OFFICE_HOLDERS and d.round == bid.round
                }
                if set(held) - done:
                    found[bid.pk] = bid
    return sorted(_not_withdrawn(user, found), key=lambda b: b.submitted_at or b.created_at)


def _not_withdrawn(user, found: dict[int, Bid]) -> list[Bid]:
    """Leave out the bids `user` cannot decide: withdrawn (declared or recorded), of
    their own organisation, or decided by them at an earlier stage of the round.
    Two queries, whatever the number of bids."""
    org = access.organisation_id(user)
    withdrawn = set(
        Declaration.objects.filter(person=user, bid__in=list(found))
        .exclude(interest="none")
        .values_list("bid_id", "round", "stage")
    )
    decided = set(
        Decision.objects.filter(decided_by=user, bid__in=list(found)).values_list(
            "bid_id", "round", "stage"
        )
    )
    kept = []
    for bid in found.values():
        stage = STAGE_OF_STATE.get(bid.state)
        if org is not None and bid.applicant_organisation_id == org:
            continue
        if (bid.pk, bid.round, stage) in withdrawn:
            continue
        if any(b == bid.pk and r == bid.round and st != stage for b, r, st in decided):
            continue
        kept.append(bid)
    return kept


def home_decisions(user) -> list[HomeEntry]:
    return [
        HomeEntry(
            title=bid.title,
            url=bid.get_absolute_url(),
            partnership=bid.fund.partnership.name,
            detail=f"{bid.get_state_display()}: {money(bid.amount_requested)} "
            f"from {bid.applicant_organisation}",
        )
        for bid in decision_queue(user)
    ]


def home_applicant(user) -> list[HomeEntry]:
    """The applicant's bids to revise, and monitoring returns due or overdue."""
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    entries = [
        HomeEntry(
            title=f"Revise and resubmit: {bid.title}",
            url=bid.get_absolute_url(),
            partnership=bid.fund.partnership.name,
            detail=waiting_for(bid).text,
        )
        for bid in Bid.objects.filter(
            applicant=user, state=BidState.REVISION_REQUESTED
        ).select_related("fund__partnership", "applicant")
    ]
    for item in open_items_for_applicant(user, today):
        entries.append(
            HomeEntry(
                title=f"Monitoring return {item.period}: {item.bid.title}",
                url=item.bid.get_absolute_url(),
                partnership=item.bid.fund.partnership.name,
                due=item.due_date,
                overdue=item.due_date < today,
            )
        )
    return entries
