"""The bid life cycle is one table; the database ties its states to the fields they imply."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from funding import lifecycle, workflow
from funding.models import FINAL_STATES, Bid, BidState, Outcome, Stage

pytestmark = pytest.mark.django_db


def test_the_rules_derived_from_the_table():
    assert {s.name for s in lifecycle.STEPS if s.outcome} == lifecycle.DECISION_STEPS
    # every rejection, a request for revision and the panel's review of a rejection
    assert {
        "group_reject",
        "group_revise",
        "panel_reject",
        "office_reject",
        "panel_confirm_rejection",
        "panel_overturn_rejection",
    } == lifecycle.NEEDS_REASONS
    for step in lifecycle.STEPS:
        assert step.sources and step.targets, step.name
        assert not step.sources & FINAL_STATES, f"{step.name} starts from a final state"
        if len(step.targets - step.sources) > 1:
            assert step.route, f"{step.name} leads to several states: say which rule picks"


def test_who_decides_where_is_derived_from_the_table():
    assert lifecycle.STAGE_OF_STATE == {
        BidState.SUBMITTED: Stage.DELIVERY_GROUP,
        BidState.WITH_PANEL: Stage.PANEL,
        BidState.WITH_OFFICE_HOLDERS: Stage.OFFICE_HOLDERS,
        BidState.REJECTION_REFERRED: Stage.PANEL_REVIEW,
    }
    for step in lifecycle.STEPS:  # one stage per state: every decision from it agrees
        assert bool(step.stage) == step.is_decision, step.name
        assert all(lifecycle.STAGE_OF_STATE[s] == step.stage for s in step.sources if step.stage)
    assert lifecycle.states_of(lifecycle.Actor.PANEL) == {
        BidState.WITH_PANEL,
        BidState.REJECTION_REFERRED,
    }
    assert {"submit", "resubmit", "withdraw"} == lifecycle.APPLICANT_STEPS
    assert lifecycle.states_of(lifecycle.Actor.APPLICANT) == {
        BidState.DRAFT,
        BidState.REVISION_REQUESTED,
    }
    assert lifecycle.states_before(lifecycle.Actor.DELIVERY_GROUP) == {
        BidState.DRAFT,
        BidState.REVISION_REQUESTED,
        BidState.SUBMITTED,
    }


def test_every_state_but_draft_is_reached_by_some_step():
    reached = set().union(*(s.targets for s in lifecycle.STEPS))
    assert reached == set(BidState.values) - {BidState.DRAFT}


def test_a_move_the_table_does_not_declare_is_refused(cast):
    bid = cast.bid()  # a draft
    with pytest.raises(AssertionError, match="not declared"), transaction.atomic():
        workflow._move(bid, cast.applicant, step="submit", to=BidState.APPROVED)
    assert Bid.objects.get(pk=bid.pk).state == BidState.DRAFT


def test_the_database_refuses_an_approved_bid_without_an_award(cast):
    bid = cast.supported("999.99")
    with pytest.raises(IntegrityError), transaction.atomic():
        Bid.objects.filter(pk=bid.pk).update(state=BidState.APPROVED, decided_at=timezone.now())


def test_the_database_refuses_an_award_on_a_bid_not_approved(cast):
    bid = cast.supported("999.99")
    with pytest.raises(IntegrityError), transaction.atomic():
        Bid.objects.filter(pk=bid.pk).update(amount_awarded=Decimal("10.00"))


def test_the_database_refuses_a_submitted_bid_that_was_never_submitted(cast):
    bid = cast.bid()
    with pytest.raises(IntegrityError), transaction.atomic():
        Bid.objects.filter(pk=bid.pk).update(state=BidState.SUBMITTED)


def test_a_decision_step_taken_by_name_records_its_outcome(cast):
    bid = cast.supported("999.99")
    assert bid.decisions.get().outcome == Outcome.SUPPORT
    assert bid.state == BidState.WITH_OFFICE_HOLDERS
