"""The funding pages over HTTP: who reaches what, and bad input changing nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from csp_portal.models import Role
from funding import services, workflow
from funding.models import Bid, BidState, Outcome
from tests.funding import deciding

pytestmark = pytest.mark.django_db


def url(name, partnership, *args):
    return reverse(f"funding:{name}", args=[partnership.slug, *args])


def bid_data(cast, **overrides):
    data = {
        "fund": cast.fund.pk,
        "budget_line": cast.line.pk,
        "title": "Street-based youth work",
        "description": "Detached youth workers.",
        "amount_requested": "1250.00",
        "deliverables": "48 sessions.",
        "timescale": "October to March",
        "delivery_group": cast.group.pk,
    }
    return {**data, **overrides}


# --- access ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reaches_the_funding_index(cast, client_for, role_users, role):
    assert client_for(role_users[role]).get(url("index", cast.partnership)).status_code == 200


def test_member_of_another_partnership_is_refused(cast, client_for, outsider):
    bid = cast.bid()
    client = client_for(outsider)
    assert client.get(url("index", cast.partnership)).status_code == 403
    assert client.get(url("bid", cast.partnership, bid.pk)).status_code == 403
    assert client.get(url("fund", cast.partnership, cast.fund.pk)).status_code == 403


def test_a_bid_asked_for_through_another_partnership_is_a_404(
    cast, client_for, other_partnership, county_admin
):
    bid = cast.bid()
    response = client_for(county_admin).get(url("bid", other_partnership, bid.pk))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.BOARD_MEMBER, 200),
        (Role.CLERK, 200),
        (Role.PERFORMANCE_OFFICER, 200),
        (Role.ADMIN, 200),
        (Role.PARTNER, 403),
    ],
)
def test_reports_are_for_readers_not_partners(cast, client_for, role_users, role, status):
    client = client_for(role_users[role])
    for name, args in [
        ("fund", [cast.fund.pk]),
        ("decisions_report", []),
        ("monitoring", []),
        ("grants_export", ["csv"]),
    ]:
        assert client.get(url(name, cast.partnership, *args)).status_code == status, name


@pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.CLERK, Role.PERFORMANCE_OFFICER])
def test_only_admins_manage_funds(cast, client_for, role_users, role):
    client = client_for(role_users[role])
    assert client.get(url("fund_new", cast.partnership)).status_code == 403
    assert client.get(url("line_new", cast.partnership, cast.fund.pk)).status_code == 403
    assert client.get(url("spend_new", cast.partnership, cast.fund.pk)).status_code == 403


def test_admin_adds_a_budget_line(cast, client_for, partnership_admin):
    response = client_for(partnership_admin).post(
        url("line_new", cast.partnership, cast.fund.pk),
        {"description": "Mediation", "allocated": "5000.00", "order": 1},
    )
    assert response.status_code == 302
    assert cast.fund.lines.get(description="Mediation").allocated == Decimal("5000.00")


def test_a_line_over_the_fund_is_refused_and_keeps_what_was_typed(
    cast, client_for, partnership_admin
):
    response = client_for(partnership_admin).post(
        url("line_new", cast.partnership, cast.fund.pk),
        {"description": "Too much", "allocated": "5000.01", "order": 1},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "£5,000.00 is left to allocate" in page
    assert 'value="Too much"' in page
    assert not cast.fund.lines.filter(description="Too much").exists()


def test_partner_sees_only_their_organisations_bids(cast, client_for):
    own = cast.bid(title="Our project")
    from tests.factories import OrganisationFactory, member

    other_org = OrganisationFactory(name="Probation Service")
    someone = member(cast.partnership, Role.PARTNER, username="probation")
    someone.profile.organisation = other_org
    someone.profile.save()
    theirs = Bid.objects.create(
        fund=cast.fund,
        budget_line=cast.line,
        applicant=someone,
        applicant_organisation=other_org,
        title="Their project",
        description="x",
        amount_requested=Decimal("10"),
        deliverables="x",
        timescale="x",
        delivery_group=cast.group,
    )
    client = client_for(cast.colleague)
    page = client.get(url("index", cast.partnership)).content.decode()
    assert "Our project" in page and "Their project" not in page
    assert client.get(url("bid", cast.partnership, own.pk)).status_code == 200
    assert client.get(url("bid", cast.partnership, theirs.pk)).status_code == 404


def test_group_member_sees_the_bid_sent_to_their_group(cast, client_for):
    bid = cast.bid()
    workflow.submit(bid=bid, by=cast.applicant)
    client = client_for(cast.group_member)
    page = client.get(url("bid", cast.partnership, bid.pk)).content.decode()
    assert "Declare any interest" in page and "Your decision" not in page
    client.post(url("bid_declare", cast.partnership, bid.pk), {"interest": "no"})
    page = client.get(url("bid", cast.partnership, bid.pk))
    assert page.status_code == 200 and "Your decision" in page.content.decode()


# --- the process over HTTP ----------------------------------------------------------------


def test_applicant_creates_and_submits_a_bid(cast, client_for):
    client = client_for(cast.applicant)
    response = client.post(url("bid_new", cast.partnership), bid_data(cast))
    bid = Bid.objects.get(title="Street-based youth work")
    assert response.status_code == 302 and bid.applicant_organisation == cast.organisation
    client.post(url("bid_step", cast.partnership, bid.pk), {"step": "submit"})
    bid.refresh_from_db()
    assert bid.state == BidState.SUBMITTED


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "at least £0.01"),
        ("-5", "at least £0.01"),
        ("10.001", "no more than 2 decimal places"),
        ("ten", "as a number"),
    ],
)
def test_bad_amounts_are_refused_and_nothing_typed_is_lost(cast, client_for, amount, message):
    response = client_for(cast.applicant).post(
        url("bid_new", cast.partnership), bid_data(cast, amount_requested=amount)
    )
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert 'value="Street-based youth work"' in page and "Detached youth workers." in page
    assert not Bid.objects.exists()


def test_a_line_of_another_fund_is_refused(cast, client_for):
    from tests.funding.factories import BudgetLineFactory, FundFactory

    other = BudgetLineFactory(fund=FundFactory(partnership=cast.partnership))
    response = client_for(cast.applicant).post(
        url("bid_new", cast.partnership), bid_data(cast, budget_line=other.pk)
    )
    assert "Choose one of the chosen fund&#x27;s budget lines" in response.content.decode()
    assert not Bid.objects.exists()


def test_rejection_without_reasons_is_refused_and_keeps_the_choice(cast, client_for):
    bid = cast.bid()
    workflow.submit(bid=bid, by=cast.applicant)
    deciding.declare_none(bid, cast.group_chair)
    response = client_for(cast.group_chair).post(
        url("bid_step", cast.partnership, bid.pk), {"step": "group_reject", "reasons": "  "}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Give the reasons for this decision." in page
    assert (
        'value="group_reject" checked' in page
        or 'checked value="group_reject"' in page
        or ('value="group_reject"' in page and "checked" in page)
    )
    bid.refresh_from_db()
    assert bid.state == BidState.SUBMITTED and not bid.decisions.exists()


def test_decider_beaten_to_it_is_told_what_happened(cast, client_for):
    bid = cast.supported("2000.00")
    deciding.panel_decide(bid=bid, by=cast.panel_member, outcome=Outcome.APPROVE)
    response = client_for(cast.designated).post(
        url("bid_step", cast.partnership, bid.pk),
        {"step": "panel_reject", "reasons": "Too costly."},
        follow=False,
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "now approved" in page and "The last decision was “Approved”" in page
    assert bid.decisions.filter(stage="panel").count() == 1


def test_bid_page_always_says_who_it_is_waiting_for(cast, client_for, board_member):
    bid = cast.supported("999.99")
    deciding.office_decide(bid=bid, by=cast.designated, outcome=Outcome.APPROVE)
    page = client_for(board_member).get(url("bid", cast.partnership, bid.pk)).content.decode()
    assert "Waiting for:" in page and "Chair (" in page and "Vice-Chair (" in page
    assert "Designated Officer (" not in page.split("Waiting for:")[1].split("</div>")[0]


def test_office_holder_decides_over_http(cast, client_for):
    bid = cast.supported("999.99")
    for person in cast.office_holders:
        client = client_for(person)
        declared = client.post(url("bid_declare", cast.partnership, bid.pk), {"interest": "no"})
        assert declared.status_code == 302
        response = client.post(
            url("bid_step", cast.partnership, bid.pk), {"step": "office_approve"}
        )
        assert response.status_code == 302
    bid.refresh_from_db()
    assert bid.state == BidState.APPROVED


def test_approved_bid_cannot_be_edited(cast, client_for):
    bid = cast.supported("1000.00")
    deciding.panel_decide(bid=bid, by=cast.panel_member, outcome=Outcome.APPROVE)
    response = client_for(cast.applicant).post(
        url("bid_edit", cast.partnership, bid.pk),
        bid_data(cast, title="Changed", version=bid.version),
    )
    assert "can be changed only as a draft" in response.content.decode()
    bid.refresh_from_db()
    assert bid.title != "Changed"


def test_fund_page_and_csv(cast, client_for, board_member, django_assert_max_num_queries):
    client = client_for(board_member)
    with django_assert_max_num_queries(12):
        page = client.get(url("fund", cast.partnership, cast.fund.pk))
    assert "<caption>" in page.content.decode() and "Total" in page.content.decode()
    csv_text = client.get(url("fund", cast.partnership, cast.fund.pk) + "?format=csv")
    assert csv_text.content.decode().splitlines()[-1] == "Total,15000.00,0.00,15000.00"


def test_index_query_count_does_not_grow_with_bids(
    cast, client_for, board_member, django_assert_max_num_queries
):
    for _ in range(15):
        cast.supported("999.99")
    client = client_for(board_member)
    with django_assert_max_num_queries(20):
        assert client.get(url("index", cast.partnership)).status_code == 200


def test_admin_creates_a_fund_and_records_spend(cast, client_for, partnership_admin):
    client = client_for(partnership_admin)
    response = client.post(
        url("fund_new", cast.partnership),
        {
            "name": "Youth Prevention and Diversion",
            "financial_year": "2016/17",
            "funder": "PCC",
            "criteria": "",
            "total": "15956.00",
            "grant_identifier_prefix": "",
        },
    )
    assert response.status_code == 302
    from funding.models import Fund

    fund = Fund.objects.get(name="Youth Prevention and Diversion")
    assert str(fund.financial_year) == "2016/17" and fund.total == Decimal("15956.00")
    line = fund.lines.create(description="Go Getta Desire", allocated=Decimal("2500.00"))
    response = client.post(
        url("spend_new", cast.partnership, fund.pk),
        {"budget_line": line.pk, "date": "2016-09-30", "amount": "2000.00", "reference": "Q2"},
    )
    assert response.status_code == 302
    page = client.get(url("fund", cast.partnership, fund.pk)).content.decode()
    assert "£2,000.00" in page and "£500.00" in page


def test_admin_cannot_edit_a_decided_bid(cast, rf, staff_admin):
    from django.contrib.admin.sites import site

    bid = cast.supported("1000.00")
    deciding.panel_decide(bid=bid, by=cast.panel_member, outcome=Outcome.APPROVE)
    request = rf.get("/")
    request.user = staff_admin
    readonly = site._registry[Bid].get_readonly_fields(request, Bid.objects.get(pk=bid.pk))
    assert {"amount_requested", "title", "budget_line"} <= set(readonly)


def test_applicant_revises_and_resubmits_over_http(cast, client_for):
    bid = cast.bid("2500.00")
    workflow.submit(bid=bid, by=cast.applicant)
    deciding.group_decide(bid=bid, by=cast.group_chair, outcome=Outcome.REVISE, reasons="Add X.")
    client = client_for(cast.applicant)
    response = client.post(
        url("bid_edit", cast.partnership, bid.pk),
        bid_data(cast, title="Revised", amount_requested="2400.00", version=bid.version),
    )
    assert response.status_code == 302
    client.post(url("bid_step", cast.partnership, bid.pk), {"step": "resubmit"})
    bid.refresh_from_db()
    assert (bid.title, bid.amount_requested, bid.state, bid.round) == (
        "Revised",
        Decimal("2400.00"),
        BidState.SUBMITTED,
        2,
    )


def test_partner_without_an_organisation_cannot_start_a_bid(cast, client_for, partner):
    response = client_for(partner).get(url("bid_new", cast.partnership))
    assert response.status_code == 403


def test_a_new_bid_is_its_makers_and_their_organisations(cast, client_for):
    response = client_for(cast.colleague).post(url("bid_new", cast.partnership), bid_data(cast))
    assert response.status_code == 302
    bid = Bid.objects.get()
    assert (bid.applicant, bid.applicant_organisation) == (cast.colleague, cast.organisation)


def test_saving_a_new_bid_needs_an_organisation_on_the_profile(cast, partner):
    bid = Bid(
        fund=cast.fund,
        budget_line=cast.line,
        title="No organisation",
        description="-",
        amount_requested=Decimal("100.00"),
        deliverables="-",
        timescale="-",
        delivery_group=cast.group,
    )
    with pytest.raises(ValidationError, match="Your profile has no organisation"):
        services.save_bid(bid=bid, by=partner)
    assert not Bid.objects.exists()


def test_applicant_withdraws_over_http(cast, client_for):
    bid = cast.bid()
    workflow.submit(bid=bid, by=cast.applicant)
    client_for(cast.colleague).post(
        url("bid_step", cast.partnership, bid.pk),
        {"step": "withdraw", "reasons": "No longer needed"},
    )
    bid.refresh_from_db()
    assert bid.state == BidState.WITHDRAWN


def test_a_reader_who_is_not_the_applicant_is_refused_submitting_with_a_403(
    cast, client_for, board_member
):
    """A reader sees a bid sent back for revision but is not the applicant's
    organisation: resubmitting is refused outright (403), not bounced back to the bid
    page as if it might work. (A draft they do not even see: tests/funding/test_access.py.)"""
    bid = cast.bid()
    workflow.submit(bid=bid, by=cast.applicant)
    deciding.group_decide(bid=bid, by=cast.group_chair, outcome=Outcome.REVISE, reasons="More.")
    response = client_for(board_member).post(
        url("bid_step", cast.partnership, bid.pk), {"step": "resubmit"}
    )
    assert response.status_code == 403
    assert "Only the applicant" in response.content.decode()
    bid.refresh_from_db()
    assert bid.state == BidState.REVISION_REQUESTED and bid.transitions.count() == 2


def test_someone_outside_the_group_deciding_for_it_gets_a_403(cast, client_for):
    bid = cast.bid()
    workflow.submit(bid=bid, by=cast.applicant)
    response = client_for(cast.panel_member).post(
        url("bid_step", cast.partnership, bid.pk), {"step": "group_support"}
    )
    assert response.status_code == 403
    assert "Only the Delivery Group may do that." in response.content.decode()
    bid.refresh_from_db()
    assert bid.state == BidState.SUBMITTED and not bid.decisions.exists()


def test_the_applicant_deciding_their_own_bid_gets_a_403(cast, client_for):
    bid = cast.bid()
    workflow.submit(bid=bid, by=cast.applicant)
    response = client_for(cast.applicant).post(
        url("bid_step", cast.partnership, bid.pk), {"step": "group_support"}
    )
    assert response.status_code == 403 and "your own bid" in response.content.decode()
    assert not bid.decisions.exists()


def test_a_refused_decision_comes_back_offering_only_this_deciders_choices(cast, client_for):
    """The form is checked against every step (so a decider beaten to it is told what
    happened), but it must not come back offering the panel's or the office-holders'."""
    bid = cast.bid()
    workflow.submit(bid=bid, by=cast.applicant)
    deciding.declare_none(bid, cast.group_chair)
    response = client_for(cast.group_chair).post(
        url("bid_step", cast.partnership, bid.pk), {"step": "group_reject", "reasons": ""}
    )
    offered = response.context["decision_form"].fields["step"].choices
    assert response.status_code == 400
    assert [name for name, _ in offered] == ["group_support", "group_reject", "group_revise"]
    page = response.content.decode()
    assert 'value="panel_approve"' not in page and 'value="office_approve"' not in page


def test_a_decider_beaten_to_it_is_offered_no_decision(cast, client_for):
    bid = cast.supported("2000.00")
    deciding.panel_decide(bid=bid, by=cast.panel_member, outcome=Outcome.APPROVE)
    response = client_for(cast.designated).post(
        url("bid_step", cast.partnership, bid.pk), {"step": "panel_reject", "reasons": "No."}
    )
    assert response.status_code == 409
    assert response.context["decision_form"] is None
    assert "Record the decision" not in response.content.decode()
