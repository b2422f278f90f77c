"""Conflicts of interest (issue 11, item 8), over HTTP as the person who should not decide.

Every decider declares before the decision form opens; a decider of the applicant's
organisation, or one who declared an interest, cannot decide and is recorded as having
withdrawn; whoever supported a bid at the Delivery Group cannot decide it on the panel;
the bid page, the decisions report and the pack block show the declarations; when
recusals leave nobody, the bid says who must be asked and the Chair is told.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse

from csp_portal.extension_points import pack_block
from csp_portal.models import Profile
from funding import workflow
from funding.deciders import waiting_for
from funding.models import BidState, Declaration, Interest, Outcome, Stage
from tests.funding import deciding

pytestmark = pytest.mark.django_db


def url(name, cast, bid):
    return reverse(f"funding:{name}", args=[cast.partnership.slug, bid.pk])


def submitted(cast, amount="999.99"):
    bid = cast.bid(amount)
    workflow.submit(bid=bid, by=cast.applicant)
    return bid


def works_for(user, organisation) -> None:
    Profile.objects.filter(user=user).update(organisation=organisation)
    user.refresh_from_db()


# --- declaring before deciding ------------------------------------------------------------


def test_the_decision_form_opens_only_after_a_declaration(cast, client_for):
    bid = submitted(cast)
    client = client_for(cast.group_member)
    page = client.get(url("bid", cast, bid)).content.decode()
    assert "Declare any interest" in page and "Record the decision" not in page
    client.post(url("bid_declare", cast, bid), {"interest": "no"})
    page = client.get(url("bid", cast, bid)).content.decode()
    assert "Record the decision" in page and "Declare any interest" not in page
    declaration = Declaration.objects.get(bid=bid, person=cast.group_member)
    assert (declaration.interest, declaration.stage) == (Interest.NONE, Stage.DELIVERY_GROUP)


def test_a_decision_posted_without_a_declaration_is_refused(cast, client_for):
    bid = submitted(cast)
    response = client_for(cast.group_member).post(
        url("bid_step", cast, bid), {"step": "group_support"}
    )
    assert response.status_code == 409
    assert "Declare whether you have an interest" in response.content.decode()
    bid.refresh_from_db()
    assert bid.state == BidState.SUBMITTED and not bid.decisions.exists()


def test_an_interest_must_be_described_and_nothing_is_recorded_without(cast, client_for):
    bid = submitted(cast)
    response = client_for(cast.group_member).post(
        url("bid_declare", cast, bid), {"interest": "yes", "details": "  "}
    )
    assert response.status_code == 400 and "Say what the interest is." in response.content.decode()
    assert not Declaration.objects.filter(bid=bid, person=cast.group_member).exists()


def test_declaring_an_interest_withdraws_the_decider(cast, client_for):
    bid = submitted(cast)
    client = client_for(cast.group_member)
    client.post(url("bid_declare", cast, bid), {"interest": "yes", "details": "My sister runs it."})
    response = client.post(url("bid_step", cast, bid), {"step": "group_support"})
    assert response.status_code == 403
    assert "You are recorded as having withdrawn" in response.content.decode()
    page = client.get(url("bid", cast, bid)).content.decode()
    assert "You have withdrawn from deciding this bid" in page
    assert "Record the decision" not in page
    assert not bid.decisions.exists()
    bid.refresh_from_db()
    assert "withdrawn: " in waiting_for(bid).text and "My sister runs it." in waiting_for(bid).text


def test_a_declaration_is_never_made_twice_or_changed(cast, client_for):
    bid = submitted(cast)
    client = client_for(cast.group_member)
    client.post(url("bid_declare", cast, bid), {"interest": "no"})
    again = client.post(
        url("bid_declare", cast, bid), {"interest": "yes", "details": "Changed my mind."}
    )
    assert again.status_code == 409 and "a declaration is never changed" in again.content.decode()
    declaration = Declaration.objects.get(bid=bid, person=cast.group_member)
    declaration.details = "Rewritten"
    with pytest.raises(ValidationError, match="never changed"):
        declaration.save()
    with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
        Declaration.objects.filter(pk=declaration.pk).update(interest=Interest.DECLARED)
    with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
        Declaration.objects.filter(pk=declaration.pk).delete()
    assert Declaration.objects.get(pk=declaration.pk).interest == Interest.NONE


def test_someone_not_deciding_the_bid_cannot_declare(cast, client_for):
    bid = submitted(cast)
    response = client_for(cast.panel_member).post(url("bid_declare", cast, bid), {"interest": "no"})
    assert response.status_code == 403
    assert not Declaration.objects.filter(person=cast.panel_member).exists()


# --- the applicant's organisation ---------------------------------------------------------


def test_a_colleague_in_the_group_cannot_support_the_bid_and_is_recorded_withdrawn(
    cast, client_for
):
    cast.group.members.add(cast.colleague)
    bid = submitted(cast)
    recorded = Declaration.objects.get(bid=bid, person=cast.colleague)
    assert recorded.interest == Interest.APPLICANT_ORGANISATION and recorded.withdrawn
    client = client_for(cast.colleague)
    # The colleague sees the bid (their organisation's) but no declaration or decision form.
    page = client.get(url("bid", cast, bid)).content.decode()
    assert "Record the decision" not in page and "Declare any interest" not in page
    assert "works for Leicestershire Fire and Rescue Service" in page
    response = client.post(url("bid_step", cast, bid), {"step": "group_support"})
    assert response.status_code == 403
    declared = client.post(url("bid_declare", cast, bid), {"interest": "no"})
    assert declared.status_code == 409  # already recorded; "no interest" cannot undo it
    bid.refresh_from_db()
    assert bid.state == BidState.SUBMITTED and not bid.decisions.exists()
    assert cast.colleague not in waiting_for(bid).people


def test_a_vice_chair_of_the_applicants_organisation_cannot_approve(cast, client_for):
    """The Vice-Chair works for the fire service, which made the bid: her withdrawal is
    recorded when the bid reaches the office-holders, the three approvals can no longer
    all be given, and the bid goes to the approval panel; the Chair is told."""
    works_for(cast.vice_chair, cast.organisation)
    bid = submitted(cast)
    deciding.group_decide(bid=bid, by=cast.group_chair, outcome=Outcome.SUPPORT)
    bid.refresh_from_db()
    assert bid.state == BidState.WITH_PANEL
    assert Declaration.objects.get(bid=bid, person=cast.vice_chair).withdrawn
    assert "the Vice-Chair withdrew" in bid.transitions.last().note
    client = client_for(cast.vice_chair)
    response = client.post(url("bid_step", cast, bid), {"step": "office_approve"})
    assert response.status_code in {403, 409}
    assert not bid.decisions.filter(decided_by=cast.vice_chair).exists()


def test_a_vice_chair_who_joined_the_applicants_organisation_later_is_refused(cast, client_for):
    bid = submitted(cast)
    deciding.group_decide(bid=bid, by=cast.group_chair, outcome=Outcome.SUPPORT)
    works_for(cast.vice_chair, cast.organisation)  # after the bid reached her
    client = client_for(cast.vice_chair)
    client.post(url("bid_declare", cast, bid), {"interest": "no"})
    declaration = Declaration.objects.get(bid=bid, person=cast.vice_chair)
    assert declaration.interest == Interest.APPLICANT_ORGANISATION  # whatever she said
    response = client.post(url("bid_step", cast, bid), {"step": "office_approve"})
    assert response.status_code == 403 and "works for" in response.content.decode()
    assert not bid.decisions.filter(stage=Stage.OFFICE_HOLDERS).exists()


# --- one person, one decision -------------------------------------------------------------


def test_whoever_supported_the_bid_at_the_group_cannot_decide_it_on_the_panel(cast, client_for):
    cast.panel.members.add(cast.group_member)
    bid = submitted(cast, "2500.00")
    client = client_for(cast.group_member)
    client.post(url("bid_declare", cast, bid), {"interest": "no"})
    client.post(url("bid_step", cast, bid), {"step": "group_support"})
    bid.refresh_from_db()
    assert bid.state == BidState.WITH_PANEL
    recorded = Declaration.objects.get(bid=bid, person=cast.group_member, stage=Stage.PANEL)
    assert recorded.interest == Interest.EARLIER_DECISION
    page = client.get(url("bid", cast, bid)).content.decode()
    assert "supported this bid at the Delivery Group" in page
    assert "Record the decision" not in page
    response = client.post(url("bid_step", cast, bid), {"step": "panel_approve"})
    assert response.status_code == 403
    bid.refresh_from_db()
    assert bid.state == BidState.WITH_PANEL and not bid.decisions.filter(stage="panel").exists()
    # The other panel members still may.
    deciding.panel_decide(bid=bid, by=cast.panel_member, outcome=Outcome.APPROVE)
    bid.refresh_from_db()
    assert bid.state == BidState.APPROVED


def test_an_office_holder_who_rejected_does_not_review_the_rejection(cast, client_for):
    bid = submitted(cast, "400.00")
    deciding.group_decide(bid=bid, by=cast.group_chair, outcome=Outcome.SUPPORT)
    deciding.office_decide(bid=bid, by=cast.designated, outcome=Outcome.REJECT, reasons="No.")
    bid.refresh_from_db()
    assert bid.state == BidState.REJECTION_REFERRED
    response = client_for(cast.designated).post(  # the designated officer chairs the panel
        url("bid_step", cast, bid), {"step": "panel_confirm_rejection", "reasons": "Agreed."}
    )
    assert response.status_code == 403 and "rejected this bid" in response.content.decode()
    assert not bid.decisions.filter(stage=Stage.PANEL_REVIEW).exists()


# --- nobody left -------------------------------------------------------------------------


def test_when_nobody_on_the_panel_may_decide_the_bid_says_who_to_ask_and_the_chair_is_told(
    cast, client_for, django_capture_on_commit_callbacks
):
    bid = submitted(cast, "3000.00")
    deciding.group_decide(bid=bid, by=cast.group_chair, outcome=Outcome.SUPPORT)
    client_for(cast.designated).post(
        url("bid_declare", cast, bid), {"interest": "yes", "details": "I manage the project."}
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.panel_member).post(
            url("bid_declare", cast, bid), {"interest": "yes", "details": "A trustee."}
        )
    bid.refresh_from_db()
    waiting = waiting_for(bid)
    assert waiting.stuck
    assert "Nobody on Performance Group can decide it" in waiting.text
    assert "the Chair of the partnership" in waiting.text and "must be asked" in waiting.text
    page = client_for(cast.applicant).get(url("bid", cast, bid)).content.decode()
    assert "Nobody on Performance Group can decide it" in page
    told = [m for m in mail.outbox if m.subject.startswith("Nobody can decide a funding bid")]
    assert len(told) == 1 and "chair@example.org" in told[0].to


def test_an_office_holder_declaring_an_interest_sends_the_bid_to_the_panel(
    cast, django_capture_on_commit_callbacks
):
    bid = submitted(cast)
    deciding.group_decide(bid=bid, by=cast.group_chair, outcome=Outcome.SUPPORT)
    deciding.office_decide(bid=bid, by=cast.designated, outcome=Outcome.APPROVE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.declare(bid=bid, by=cast.chair, interest=True, details="Friend of the applicant.")
    bid.refresh_from_db()
    assert bid.state == BidState.WITH_PANEL
    subjects = {m.subject: m.to for m in mail.outbox}
    assert subjects[f"Funding bid referred to the approval panel: {bid.title}"] == [
        "chair@example.org"
    ]
    # The designated officer approved as an office-holder: not on the panel as well.
    assert (
        "designated@example.org"
        not in subjects[f"Funding bid waiting for your decision: {bid.title}"]
    )


# --- reported --------------------------------------------------------------------------


def test_the_decisions_report_and_the_pack_show_declarations(cast, client_for, board_member):
    cast.group.members.add(cast.colleague)
    bid = submitted(cast, "2500.00")
    workflow.declare(bid=bid, by=cast.group_member, interest=True, details="My sister runs it.")
    deciding.group_decide(bid=bid, by=cast.group_chair, outcome=Outcome.SUPPORT)
    page = client_for(board_member).get(
        reverse("funding:decisions_report", args=[cast.partnership.slug])
    )
    text = page.content.decode()
    assert "Declarations of interest" in text
    assert "Declared an interest: My sister runs it. Withdrew from deciding." in text
    assert "Works for Leicestershire Fire and Rescue Service, which made the bid. Withdrew" in text
    assert "No interest" in text  # the chair's declaration before supporting
    html = pack_block("funding_decisions").render(cast.partnership, {"since": "2000-01-01"})
    assert "My sister runs it." in html and "Declarations of interest" in html
    bid_page = client_for(board_member).get(url("bid", cast, bid)).content.decode()
    assert bid_page.count("Withdrew from deciding.") == 2
