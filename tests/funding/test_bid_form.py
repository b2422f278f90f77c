"""The bid form prevents wrong data: the chosen fund's lines with what they have left,
open funds only, the route shown before submitting, and after each decision a message
saying what was recorded and who the bid waits for."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from funding import awards, lifecycle, workflow
from funding.forms import BidForm, DecisionForm
from funding.models import Bid, BidState, Outcome, SpendEntry
from tests.funding import deciding
from tests.funding.factories import BudgetLineFactory, FundFactory
from tests.funding.test_views import bid_data, url

pytestmark = pytest.mark.django_db


def offered_lines(response) -> list[str]:
    form = response.context["form"]
    field = form.fields["budget_line"]
    return [field.label_from_instance(line) for line in field.queryset]


def test_the_budget_lines_offered_are_the_chosen_funds_without_javascript(cast, client_for):
    other = FundFactory(partnership=cast.partnership, name="Community Safety Fund")
    BudgetLineFactory(fund=other, description="Hate crime awareness")
    client = client_for(cast.applicant)
    blank = client.get(url("bid_new", cast.partnership))
    assert offered_lines(blank) == []  # two funds open: choose one first

    typed = bid_data(cast, fund=other.pk, budget_line="", title="Typed before choosing")
    shown = client.post(url("bid_new", cast.partnership), {**typed, "choose_fund": "1"})
    assert shown.status_code == 200 and not Bid.objects.exists()
    assert offered_lines(shown) == ["Hate crime awareness – £15,000.00 left to award"]
    page = shown.content.decode()
    assert 'value="Typed before choosing"' in page  # nothing typed is lost
    assert "errorlist" not in page and "invalid-feedback" not in page


def test_a_line_of_another_fund_is_refused(cast, client_for):
    other = FundFactory(partnership=cast.partnership, name="Community Safety Fund")
    foreign = BudgetLineFactory(fund=other, description="Hate crime awareness")
    response = client_for(cast.applicant).post(
        url("bid_new", cast.partnership), bid_data(cast, budget_line=foreign.pk)
    )
    assert response.status_code == 200 and not Bid.objects.exists()
    assert "Choose one of the chosen fund&#x27;s budget lines" in response.content.decode()


def test_each_line_shows_what_it_has_left_to_award(cast):
    approved = cast.supported("600.00")
    for holder in (cast.designated, cast.chair, cast.vice_chair):
        deciding.office_decide(bid=approved, by=holder, outcome=Outcome.APPROVE)
    SpendEntry.objects.create(
        budget_line=cast.line, date=dt.date(2022, 11, 1), amount=Decimal("400.00"), reference="1"
    )  # spend besides the award
    SpendEntry.objects.create(
        budget_line=cast.line,
        bid=approved,
        date=dt.date(2022, 11, 1),
        amount=Decimal("250.00"),
        reference="2",
    )  # the award being paid: counted once
    left = awards.left_to_award([cast.line])[cast.line.pk]
    assert left == Decimal("15000.00") - Decimal("600.00") - Decimal("400.00")
    form = BidForm(partnership=cast.partnership, initial={"fund": cast.fund.pk})
    labels = [form.fields["budget_line"].label_from_instance(li) for li in [cast.line]]
    assert labels == ["Youth ASB Projects – £14,000.00 left to award"]


def test_what_a_line_shows_left_is_what_approval_allows(cast):
    """The figure beside the line is the one approval checks: a request of exactly it is
    approved, a penny more is refused."""
    cast.line.allocated = Decimal("900.00")
    cast.line.save()
    exact = cast.supported("900.00")
    left = awards.left_to_award([cast.line])[cast.line.pk]
    assert left == Decimal("900.00")
    for holder in (cast.designated, cast.chair, cast.vice_chair):
        deciding.office_decide(bid=exact, by=holder, outcome=Outcome.APPROVE)
    assert Bid.objects.get(pk=exact.pk).state == BidState.APPROVED
    assert awards.left_to_award([cast.line])[cast.line.pk] == Decimal("0.00")
    over = cast.supported("0.01")
    with pytest.raises(workflow.TransitionRefused, match="below zero"):
        for holder in (cast.designated, cast.chair, cast.vice_chair):
            deciding.office_decide(bid=over, by=holder, outcome=Outcome.APPROVE)


def test_only_open_funds_are_offered_and_a_closed_one_is_refused(cast, client_for):
    today = timezone.localdate()
    closed = FundFactory(
        partnership=cast.partnership, name="Old fund", bids_close_on=today - dt.timedelta(days=1)
    )
    closing_today = FundFactory(partnership=cast.partnership, name="Closing", bids_close_on=today)
    offered = set(BidForm(partnership=cast.partnership).fields["fund"].queryset)
    assert offered == {cast.fund, closing_today}

    line = BudgetLineFactory(fund=closed, description="Old line")
    response = client_for(cast.applicant).post(
        url("bid_new", cast.partnership), bid_data(cast, fund=closed.pk, budget_line=line.pk)
    )
    assert response.status_code == 200 and not Bid.objects.exists()


def test_a_draft_cannot_be_submitted_once_its_fund_has_closed(cast):
    bid = cast.bid()
    cast.fund.bids_close_on = timezone.localdate() - dt.timedelta(days=1)
    cast.fund.save()
    with pytest.raises(workflow.TransitionRefused, match="closed for bids on"):
        workflow.submit(bid=bid, by=cast.applicant)
    assert Bid.objects.get(pk=bid.pk).state == BidState.DRAFT


def test_a_revision_asked_for_may_be_resubmitted_after_the_fund_closes(cast):
    bid = cast.bid()
    workflow.submit(bid=bid, by=cast.applicant)
    deciding.group_decide(bid=bid, by=cast.group_chair, outcome=Outcome.REVISE, reasons="More")
    cast.fund.bids_close_on = timezone.localdate() - dt.timedelta(days=1)
    cast.fund.save()
    assert workflow.submit(bid=bid, by=cast.applicant).state == BidState.SUBMITTED


def test_the_route_is_shown_before_submitting(cast, client_for):
    client = client_for(cast.applicant)
    page = client.get(url("bid_new", cast.partnership)).content.decode()
    assert "is £1,000.00 or more: once supported, it goes to the approval panel" in page
    assert "is under £1,000.00: once supported, it goes to the Designated Officer" in page
    for amount, words in [
        ("999.99", "this request of £999.99 is under £1,000.00"),
        ("1000.00", "this request of £1,000.00 is £1,000.00 or more"),
    ]:
        bid = cast.bid(amount)
        shown = client.get(url("bid", cast.partnership, bid.pk)).content.decode()
        assert words in shown


def test_after_each_decision_the_message_says_what_was_recorded_and_who_is_waiting(
    cast, client_for
):
    bid = cast.supported("750.00")
    deciding.declare_none(bid, cast.chair)
    response = client_for(cast.chair).post(
        url("bid_step", cast.partnership, bid.pk),
        {"step": "office_approve", "reasons": ""},
        follow=True,
    )
    message = [str(m) for m in response.context["messages"]]
    vice, designated = cast.vice_chair.get_full_name(), cast.designated.get_full_name()
    assert message == [
        f"Your approval is recorded. Waiting for: Designated Officer ({designated}); "
        f"Vice-Chair ({vice})."
    ]
    assert "now with the office-holders" not in response.content.decode()


def test_a_final_decision_says_where_the_bid_ended(cast):
    bid = cast.supported("750.00")
    deciding.office_decide(bid=bid, by=cast.chair, outcome=Outcome.REJECT, reasons="No")
    bid.refresh_from_db()
    assert lifecycle.after_step("office_reject", bid).startswith("Your rejection is recorded.")
    deciding.panel_decide(
        bid=bid, by=cast.panel_member, outcome=Outcome.CONFIRM_REJECTION, reasons="Agreed"
    )
    bid.refresh_from_db()
    assert lifecycle.after_step("panel_confirm_rejection", bid) == (
        "The approval panel's confirmation of the rejection is recorded. "
        f"“{bid.title}” is rejected."
    )


def test_the_reasons_help_names_only_the_choices_offered(cast):
    offices = [lifecycle.TRANSITIONS[n] for n in ("office_approve", "office_reject")]
    form = DecisionForm(steps=offices, partnership=cast.partnership)
    assert form.fields["reasons"].help_text == "Required for: Reject. The applicant is told them."
    assert "revision" not in form.fields["reasons"].help_text


def test_the_bid_page_links_to_the_form_with_the_lines_for_the_script(cast, client_for):
    response = client_for(cast.applicant).get(
        reverse("funding:bid_new", args=[cast.partnership.slug])
    )
    page = response.content.decode()
    assert 'id="bid-lines"' in page and "funding/bid_form.js" in page
    assert response.context["form"].lines_by_fund == {
        str(cast.fund.pk): [[cast.line.pk, "Youth ASB Projects – £15,000.00 left to award"]]
    }
