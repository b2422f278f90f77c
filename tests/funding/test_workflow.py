"""Every path of the Funding Process (seed 000) through funding.workflow."""

from decimal import Decimal

import pytest

from funding import lifecycle, workflow
from funding.models import Bid, BidState, Decision, Outcome, Stage, Transition
from funding.workflow import TransitionRefused
from tests.funding import deciding

pytestmark = pytest.mark.django_db


def test_bid_of_999_99_goes_to_the_office_holders(cast):
    bid = cast.supported("999.99")
    assert bid.state == BidState.WITH_OFFICE_HOLDERS


def test_bid_of_999_99_is_approved_when_all_three_approve(cast):
    bid = cast.supported("999.99")
    deciding.office_decide(bid=bid, by=cast.designated, outcome=Outcome.APPROVE)
    deciding.office_decide(bid=bid, by=cast.chair, outcome=Outcome.APPROVE)
    bid.refresh_from_db()
    assert bid.state == BidState.WITH_OFFICE_HOLDERS  # two of three is not enough
    deciding.office_decide(bid=bid, by=cast.vice_chair, outcome=Outcome.APPROVE)
    bid.refresh_from_db()
    assert bid.state == BidState.APPROVED
    assert bid.amount_awarded == Decimal("999.99")
    offices = set(bid.decisions.filter(stage=Stage.OFFICE_HOLDERS).values_list("office", flat=True))
    assert offices == {"chair", "vice_chair", "designated_officer"}


def test_bid_of_exactly_1000_goes_to_panel(cast):
    assert cast.supported("1000.00").state == BidState.WITH_PANEL


def test_bid_of_1000_01_goes_to_panel(cast):
    assert cast.supported("1000.01").state == BidState.WITH_PANEL


def test_threshold_is_the_partnerships_setting(cast):
    cast.partnership.bid_approval_threshold = Decimal("500.00")
    cast.partnership.save()
    assert cast.supported("500.00").state == BidState.WITH_PANEL


def test_panel_approves_a_bid_over_the_threshold(cast):
    bid = cast.supported("1000.00")
    bid = deciding.panel_decide(bid=bid, by=cast.panel_member, outcome=Outcome.APPROVE)
    assert bid.state == BidState.APPROVED
    decision = bid.decisions.get(stage=Stage.PANEL)
    assert decision.body == cast.panel and decision.decided_by == cast.panel_member


def test_configured_panel_replaces_the_performance_group(cast):
    from tests.factories import BodyFactory

    strategic = BodyFactory(partnership=cast.partnership, name="Strategic Group")
    strategic.members.set([cast.group_member])
    cast.partnership.approval_panel = strategic
    cast.partnership.save()
    bid = cast.supported("5000.00")
    with pytest.raises(TransitionRefused, match="Only the approval panel"):
        deciding.panel_decide(bid=bid, by=cast.panel_member, outcome=Outcome.APPROVE)
    deciding.panel_decide(bid=bid, by=cast.group_member, outcome=Outcome.APPROVE)
    assert Bid.objects.get(pk=bid.pk).state == BidState.APPROVED


def test_panel_rejection_needs_an_explanation_and_ends_the_bid(cast):
    bid = cast.supported("2000.00")
    with pytest.raises(TransitionRefused, match="reasons"):
        deciding.panel_decide(bid=bid, by=cast.panel_member, outcome=Outcome.REJECT)
    bid = deciding.panel_decide(
        bid=bid, by=cast.panel_member, outcome=Outcome.REJECT, reasons="Duplicates funded work."
    )
    assert bid.state == BidState.REJECTED and bid.amount_awarded is None


def test_delegated_rejection_goes_to_the_panel_not_final(cast):
    bid = cast.supported("400.00")
    deciding.office_decide(bid=bid, by=cast.chair, outcome=Outcome.APPROVE)
    bid = deciding.office_decide(
        bid=bid, by=cast.vice_chair, outcome=Outcome.REJECT, reasons="Not value for money."
    )
    assert bid.state == BidState.REJECTION_REFERRED
    assert not bid.is_final


def test_panel_confirms_a_delegated_rejection(cast):
    bid = cast.supported("400.00")
    deciding.office_decide(bid=bid, by=cast.chair, outcome=Outcome.REJECT, reasons="Too late.")
    bid = deciding.panel_decide(
        bid=bid, by=cast.panel_member, outcome=Outcome.CONFIRM_REJECTION, reasons="Agreed."
    )
    assert bid.state == BidState.REJECTED
    assert bid.decisions.filter(stage=Stage.PANEL_REVIEW, outcome="confirm_rejection").exists()


def test_panel_overturns_a_delegated_rejection_and_approves(cast):
    bid = cast.supported("400.00")
    deciding.office_decide(bid=bid, by=cast.chair, outcome=Outcome.REJECT, reasons="Too late.")
    bid = deciding.panel_decide(
        bid=bid,
        by=cast.panel_member,
        outcome=Outcome.OVERTURN_REJECTION,
        reasons="Timescale is fine.",
    )
    assert bid.state == BidState.APPROVED and bid.amount_awarded == Decimal("400.00")


def test_revise_and_resubmit_comes_back_to_the_group_keeping_history(cast):
    bid = cast.bid("2500.00")
    workflow.submit(bid=bid, by=cast.applicant)
    bid = deciding.group_decide(
        bid=bid, by=cast.group_chair, outcome=Outcome.REVISE, reasons="Add outcomes."
    )
    assert bid.state == BidState.REVISION_REQUESTED
    bid = workflow.resubmit(bid=bid, by=cast.applicant)
    assert bid.state == BidState.SUBMITTED and bid.round == 2
    bid = deciding.group_decide(bid=bid, by=cast.group_member, outcome=Outcome.SUPPORT)
    assert bid.state == BidState.WITH_PANEL
    outcomes = list(bid.decisions.values_list("round", "outcome"))
    assert outcomes == [(1, "revise"), (2, "support")]
    assert bid.transitions.count() == 4


def test_office_approvals_of_an_earlier_round_do_not_count(cast):
    bid = cast.supported("300.00")
    for person in cast.office_holders[:2]:
        deciding.office_decide(bid=bid, by=person, outcome=Outcome.APPROVE)
    deciding.office_decide(bid=bid, by=cast.vice_chair, outcome=Outcome.REJECT, reasons="No.")
    deciding.panel_decide(
        bid=bid, by=cast.panel_member, outcome=Outcome.CONFIRM_REJECTION, reasons="Agreed."
    )
    assert Bid.objects.get(pk=bid.pk).state == BidState.REJECTED


def test_applicant_withdraws_before_a_final_decision(cast):
    bid = cast.supported("1500.00")
    bid = workflow.withdraw(bid=bid, by=cast.colleague, reasons="Found other money.")
    assert bid.state == BidState.WITHDRAWN
    assert bid.transitions.last().note == "Found other money."


def test_withdrawal_after_approval_is_refused(cast):
    bid = cast.supported("1500.00")
    deciding.panel_decide(bid=bid, by=cast.panel_member, outcome=Outcome.APPROVE)
    with pytest.raises(TransitionRefused, match="approved"):
        workflow.withdraw(bid=bid, by=cast.applicant)


def test_someone_from_another_organisation_cannot_withdraw(cast):
    bid = cast.supported("1500.00")
    with pytest.raises(TransitionRefused, match="Only the applicant's organisation"):
        workflow.withdraw(bid=bid, by=cast.group_member)


def test_group_rejection_needs_reasons_and_changes_nothing_without(cast):
    bid = cast.bid()
    workflow.submit(bid=bid, by=cast.applicant)
    with pytest.raises(TransitionRefused, match="Give the reasons"):
        deciding.group_decide(bid=bid, by=cast.group_chair, outcome=Outcome.REJECT, reasons=" ")
    bid.refresh_from_db()
    assert bid.state == BidState.SUBMITTED and not bid.decisions.exists()


def test_group_rejection_is_final_and_tells_reasons(cast):
    bid = cast.bid()
    workflow.submit(bid=bid, by=cast.applicant)
    bid = deciding.group_decide(
        bid=bid, by=cast.group_chair, outcome=Outcome.REJECT, reasons="Outside the criteria."
    )
    assert bid.state == BidState.REJECTED
    assert bid.decisions.get().reasons == "Outside the criteria."


@pytest.mark.parametrize(
    "step",
    [
        lambda c, b: deciding.group_decide(bid=b, by=c.group_chair, outcome=Outcome.SUPPORT),
        lambda c, b: deciding.panel_decide(bid=b, by=c.panel_member, outcome=Outcome.APPROVE),
        lambda c, b: deciding.office_decide(bid=b, by=c.chair, outcome=Outcome.APPROVE),
        lambda c, b: (
            workflow.resubmit(bid=b, by=c.applicant) and workflow.submit(bid=b, by=c.applicant)
        ),
    ],
    ids=["group-on-draft", "panel-on-draft", "office-on-draft", "submit-twice"],
)
def test_illegal_transitions_are_refused_and_change_nothing(cast, step):
    bid = cast.bid("1200.00")
    with pytest.raises(TransitionRefused):
        step(cast, bid)
    bid.refresh_from_db()
    assert bid.state == (BidState.SUBMITTED if bid.round else BidState.DRAFT)
    assert not Decision.objects.filter(bid=bid).exists()


def test_panel_cannot_decide_a_bid_for_the_office_holders(cast):
    bid = cast.supported("999.99")
    with pytest.raises(TransitionRefused, match="not possible"):
        deciding.panel_decide(bid=bid, by=cast.panel_member, outcome=Outcome.APPROVE)


def test_office_holder_cannot_decide_twice(cast):
    bid = cast.supported("999.99")
    deciding.office_decide(bid=bid, by=cast.chair, outcome=Outcome.APPROVE)
    with pytest.raises(TransitionRefused, match="already decided"):
        deciding.office_decide(bid=bid, by=cast.chair, outcome=Outcome.APPROVE)


def test_applicant_cannot_decide_their_own_bid_in_their_group(cast):
    bid = cast.bid()
    workflow.submit(bid=bid, by=cast.applicant)
    with pytest.raises(TransitionRefused, match="your own bid"):
        deciding.group_decide(bid=bid, by=cast.applicant, outcome=Outcome.SUPPORT)


def test_a_non_member_cannot_decide_for_the_group(cast):
    bid = cast.bid()
    workflow.submit(bid=bid, by=cast.applicant)
    with pytest.raises(TransitionRefused, match="Only the Delivery Group"):
        deciding.group_decide(bid=bid, by=cast.panel_member, outcome=Outcome.SUPPORT)


def test_meeting_of_another_partnership_is_refused(cast, other_partnership):
    import datetime as dt

    from meetings.models import Meeting
    from tests.factories import BodyFactory

    elsewhere = BodyFactory(partnership=other_partnership)
    meeting = Meeting.objects.create(body=elsewhere, date=dt.date(2022, 10, 1), start_time="10:00")
    bid = cast.bid()
    workflow.submit(bid=bid, by=cast.applicant)
    with pytest.raises(TransitionRefused, match="another partnership"):
        deciding.group_decide(
            bid=bid, by=cast.group_chair, outcome=Outcome.SUPPORT, meeting=meeting
        )


def test_every_step_is_logged_with_who(cast):
    bid = cast.supported("1000.00")
    deciding.panel_decide(bid=bid, by=cast.panel_member, outcome=Outcome.APPROVE)
    steps = list(Transition.objects.filter(bid=bid).values_list("to_state", "by__username"))
    assert steps == [
        ("submitted", "applicant"),
        ("with_panel", "dgchair"),
        ("approved", "panelmember"),
    ]


def test_allowed_steps_match_the_person(cast):
    bid = cast.supported("999.99")
    assert lifecycle.allowed_steps(bid, cast.chair) == []  # not until the Chair declares
    workflow.declare(bid=bid, by=cast.chair, interest=False)
    assert {s.name for s in lifecycle.allowed_steps(bid, cast.chair)} == {
        "office_approve",
        "office_reject",
    }
    assert {s.name for s in lifecycle.allowed_steps(bid, cast.applicant)} == {"withdraw"}
    assert lifecycle.allowed_steps(bid, cast.group_member) == []


def test_one_person_holding_two_offices_decides_for_both(cast):
    from csp_portal.models import Office, OfficeHolder

    OfficeHolder.objects.filter(office=Office.VICE_CHAIR).update(user=cast.chair)
    bid = cast.supported("999.99")
    deciding.office_decide(bid=bid, by=cast.chair, outcome=Outcome.APPROVE)
    bid = deciding.office_decide(bid=bid, by=cast.designated, outcome=Outcome.APPROVE)
    assert bid.state == BidState.APPROVED
    assert set(bid.decisions.filter(decided_by=cast.chair).values_list("office", flat=True)) == {
        "chair",
        "vice_chair",
    }


def test_waiting_for_names_a_missing_office_holder(cast):
    from csp_portal.models import Office, OfficeHolder
    from funding.deciders import waiting_for

    OfficeHolder.objects.filter(office=Office.VICE_CHAIR).delete()
    bid = cast.supported("999.99")
    assert "no current Vice-Chair" in waiting_for(bid).text


def test_a_body_lists_its_chair_then_its_members_by_name(cast):
    from funding.deciders import body_people
    from tests.factories import UserFactory

    # added in reverse alphabetical order, so database order would not pass by luck
    later = [
        UserFactory(username="zed", first_name="Zoe", last_name="Young"),
        UserFactory(username="abe", first_name="Amir", last_name="Ahmed"),
    ]
    cast.panel.members.add(*later)
    names = [person.get_full_name() or person.username for person in body_people(cast.panel)]
    assert names[0] == (cast.designated.get_full_name() or cast.designated.username)
    assert names.index("Amir Ahmed") < names.index("Zoe Young")
