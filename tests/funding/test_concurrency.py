"""Two deciders acting at once: one wins, the other is told; never a double decision."""

from decimal import Decimal

import pytest

from funding import workflow
from funding.models import Bid, BidState, Decision, Outcome
from tests.concurrency import race as _race
from tests.conftest import postgres_only
from tests.funding import deciding

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_panel_members_deciding_at_once_make_one_decision(cast):
    bid = cast.supported("2000.00")
    # Both declared no interest beforehand: the race is between the decisions.
    deciding.declare_none(bid, cast.panel_member)
    deciding.declare_none(bid, cast.designated)
    results = _race(
        [
            lambda: workflow.panel_decide(
                bid=Bid.objects.get(pk=bid.pk), by=cast.panel_member, outcome=Outcome.APPROVE
            ),
            lambda: workflow.panel_decide(
                bid=Bid.objects.get(pk=bid.pk),
                by=cast.designated,
                outcome=Outcome.REJECT,
                reasons="Not a priority.",
            ),
        ]
    )
    refused = [r for r in results if isinstance(r, workflow.TransitionRefused)]
    assert len(refused) == 1, results
    assert "The last decision was" in str(refused[0])
    assert Decision.objects.filter(bid=bid, stage="panel").count() == 1
    assert Bid.objects.get(pk=bid.pk).state in {BidState.APPROVED, BidState.REJECTED}


def test_two_approvals_cannot_both_take_the_last_money(cast):
    cast.line.allocated = Decimal("3000.00")
    cast.line.save()
    first, second = cast.supported("2000.00"), cast.supported("2000.00")
    deciding.declare_none(first, cast.panel_member)
    deciding.declare_none(second, cast.designated)
    results = _race(
        [
            lambda: workflow.panel_decide(bid=first, by=cast.panel_member, outcome="approve"),
            lambda: workflow.panel_decide(bid=second, by=cast.designated, outcome="approve"),
        ]
    )
    assert sum(isinstance(r, workflow.TransitionRefused) for r in results) == 1, results
    assert Bid.objects.filter(state=BidState.APPROVED).count() == 1


def test_three_office_holders_at_once_approve_exactly_once(cast):
    bid = cast.supported("999.99")
    for person in cast.office_holders:
        deciding.declare_none(bid, person)
    results = _race(
        [
            (lambda p=p: workflow.office_decide(bid=bid, by=p, outcome=Outcome.APPROVE))
            for p in cast.office_holders
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    bid.refresh_from_db()
    assert bid.state == BidState.APPROVED
    assert bid.transitions.filter(to_state="approved").count() == 1


def test_two_saves_of_one_bid_version_at_once_keep_one_and_refuse_the_other(cast):
    from funding import services

    bid = cast.bid("1250.00")

    def save(person, title):
        mine = Bid.objects.get(pk=bid.pk)  # each opened version 1
        mine.title = title
        return services.save_bid(bid=mine, by=person, version=1)

    results = _race(
        [lambda: save(cast.applicant, "Applicant's title"), lambda: save(cast.colleague, "Hers")]
    )
    stale = [r for r in results if isinstance(r, services.StaleBid)]
    saved = [r for r in results if isinstance(r, Bid)]
    assert len(stale) == 1 and len(saved) == 1, results
    bid.refresh_from_db()
    assert bid.version == 2 and bid.title == saved[0].title
