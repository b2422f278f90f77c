"""Budget figures to the penny: seed 003 Appendix A, commitment and refusals with figures."""

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from funding import budget, services
from funding.models import BidState, BudgetLine, Fund, Outcome
from funding.money import money
from funding.workflow import TransitionRefused
from tests.funding import deciding

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


@pytest.fixture
def appendix_a(partnership, partnership_admin) -> Fund:
    """The Strategic Group's 2022/23 budget as seed 003 prints it."""
    fund = Fund.objects.create(
        partnership=partnership,
        name="Partnership Locality Fund",
        financial_year=2022,
        funder="Police and Crime Commissioner for Leicestershire",
        total=Decimal("75500.00"),
    )
    with (DATA / "appendix_a_2022_23.csv").open(encoding="utf-8") as handle:
        for order, row in enumerate(csv.DictReader(handle)):
            line = services.save_budget_line(
                line=BudgetLine(
                    fund=fund,
                    description=row["description"],
                    allocated=Decimal(row["allocated"]),
                    order=order,
                )
            )
            if Decimal(row["spent"]):
                services.record_spend(
                    line=line,
                    date=dt.date(2022, 9, 30),
                    amount=Decimal(row["spent"]),
                    reference=f"Q2-{order}",
                    by=partnership_admin,
                )
    return fund


def test_seed_003_appendix_a_totals_reproduce(appendix_a):
    total = budget.budget_table(appendix_a).total
    assert (money(total.allocated), money(total.spent), money(total.remaining)) == (
        "£75,500.00",
        "£27,647.00",
        "£47,853.00",
    )


def test_budget_table_rows_are_allocated_less_spent(appendix_a):
    rows = {r.description: r for r in budget.budget_table(appendix_a).rows}
    assert rows["Mediation"].remaining == Decimal("3255.00")
    assert rows["Street Pastors"].remaining == Decimal("0.00")


def test_budget_table_csv_has_the_seed_columns_and_a_total_row(appendix_a):
    rows = budget.budget_table(appendix_a).as_csv_rows()
    assert rows[0] == [
        "Description",
        "Amount Allocated 2022/23",
        "Amount Spent",
        "Amount Remaining",
    ]
    assert rows[-1] == ["Total", "75500.00", "27647.00", "47853.00"]
    assert len(rows) == 12


def test_budget_table_is_three_queries(appendix_a, django_assert_num_queries):
    with django_assert_num_queries(3):
        total = budget.budget_table(appendix_a).total
    assert total.allocated == Decimal("75500.00")


def test_money_is_shown_with_pounds_commas_and_pence():
    assert money(Decimal("1234.5")) == "£1,234.50"
    assert money(Decimal("-12")) == "−£12.00"


def test_approval_commits_the_amount_to_the_line(cast):
    bid = cast.supported("1500.00")
    deciding.panel_decide(bid=bid, by=cast.panel_member, outcome=Outcome.APPROVE)
    row = budget.budget_table(cast.fund).rows[0]
    assert row.committed == Decimal("1500.00")
    assert row.uncommitted == Decimal("13500.00")
    assert row.spent == Decimal("0")  # committed is not spent until paid


def test_approval_over_the_lines_remaining_money_is_refused_with_figures(cast):
    cast.line.allocated = Decimal("2000.00")
    cast.line.save()
    first = cast.supported("1500.00")
    deciding.panel_decide(bid=first, by=cast.panel_member, outcome=Outcome.APPROVE)
    second = cast.supported("1000.00")
    with pytest.raises(TransitionRefused) as refusal:
        deciding.panel_decide(bid=second, by=cast.panel_member, outcome=Outcome.APPROVE)
    text = str(refusal.value)
    assert "Approving £1,000.00" in text and "£2,000.00 allocated" in text
    assert "£1,500.00 already committed" in text and "£500.00 left to award" in text
    second.refresh_from_db()
    assert second.state == BidState.WITH_PANEL and second.amount_awarded is None
    assert not second.decisions.filter(outcome="approve").exists()


def test_exactly_the_remaining_money_can_be_approved(cast):
    cast.line.allocated = Decimal("1000.00")
    cast.line.save()
    bid = cast.supported("1000.00")
    bid = deciding.panel_decide(bid=bid, by=cast.panel_member, outcome=Outcome.APPROVE)
    assert bid.state == BidState.APPROVED
    assert budget.budget_table(cast.fund).rows[0].uncommitted == Decimal("0.00")


def test_approval_over_the_funds_remaining_money_is_refused(cast):
    other = BudgetLine.objects.create(
        fund=cast.fund, description="Other", allocated=Decimal("5000")
    )
    cast.fund.total = Decimal("15500.00")  # lines were allocated before a cut
    cast.fund.save()
    big = cast.supported("15000.00")
    deciding.panel_decide(bid=big, by=cast.panel_member, outcome=Outcome.APPROVE)
    bid = cast.supported("600.00", budget_line=other)
    for person in cast.office_holders[:2]:
        deciding.office_decide(bid=bid, by=person, outcome=Outcome.APPROVE)
    with pytest.raises(TransitionRefused, match="fund .* below zero.*£500.00 left to award"):
        deciding.office_decide(bid=bid, by=cast.vice_chair, outcome=Outcome.APPROVE)
    bid.refresh_from_db()
    assert bid.state == BidState.WITH_OFFICE_HOLDERS
    assert bid.decisions.filter(office="vice_chair").count() == 0


def test_budget_lines_cannot_exceed_the_fund(cast):
    with pytest.raises(ValidationError, match="more than its £20,000.00"):
        services.save_budget_line(
            line=BudgetLine(fund=cast.fund, description="Too much", allocated=Decimal("5000.01"))
        )


def test_spend_beyond_the_line_is_refused_with_figures(cast, partnership_admin):
    with pytest.raises(ValidationError, match="£15,000.00 allocated, £0.00 spent"):
        services.record_spend(
            line=cast.line,
            date=dt.date(2022, 10, 1),
            amount=Decimal("15000.01"),
            reference="INV-1",
            by=partnership_admin,
        )
    assert not cast.line.spend.exists()


@pytest.mark.parametrize("amount", ["0", "-5", "10.001"])
def test_bid_amounts_must_be_positive_pennies_at_the_database(cast, amount):
    from django.db import IntegrityError, transaction

    bid = cast.bid("10.00")
    bid.amount_requested = Decimal(amount)
    with pytest.raises((ValidationError, IntegrityError)), transaction.atomic():
        bid.full_clean()
        bid.save()


def test_spend_against_an_approved_bid_counts_on_its_line(cast, partnership_admin):
    bid = cast.supported("1500.00")
    with pytest.raises(ValidationError, match="approved line"):
        services.record_spend(
            line=cast.line,
            bid=bid,
            date=dt.date(2022, 11, 1),
            amount=Decimal("100.00"),
            reference="INV-9",
            by=partnership_admin,
        )
    deciding.panel_decide(bid=bid, by=cast.panel_member, outcome=Outcome.APPROVE)
    bid.refresh_from_db()
    services.record_spend(
        line=cast.line,
        bid=bid,
        date=dt.date(2022, 11, 1),
        amount=Decimal("100.00"),
        reference="INV-9",
        by=partnership_admin,
    )
    row = budget.budget_table(cast.fund).rows[0]
    assert (row.committed, row.spent, row.remaining) == (
        Decimal("1500.00"),
        Decimal("100.00"),
        Decimal("14900.00"),
    )


def test_approval_counts_money_already_spent_on_the_line(cast, partnership_admin):
    """Issue 11: an approval ignored money already spent. £2,000 allocated, £1,200 paid
    out directly (no bid): £800 is left, so a £1,000 award is refused, naming the figures."""
    cast.line.allocated = Decimal("2000.00")
    cast.line.save()
    services.record_spend(
        line=cast.line,
        date=dt.date(2022, 10, 1),
        amount=Decimal("1200.00"),
        reference="INV-77",
        by=partnership_admin,
    )
    bid = cast.supported("1000.00")
    with pytest.raises(TransitionRefused) as refusal:
        deciding.panel_decide(bid=bid, by=cast.panel_member, outcome=Outcome.APPROVE)
    text = str(refusal.value)
    assert "£2,000.00 allocated, £0.00 already committed to approved bids" in text
    assert "£1,200.00 spent besides, £800.00 left to award" in text
    bid.refresh_from_db()
    assert bid.state == BidState.WITH_PANEL and bid.amount_awarded is None
    smaller = cast.supported("800.00")
    for person in cast.office_holders:
        deciding.office_decide(bid=smaller, by=person, outcome=Outcome.APPROVE)
    smaller.refresh_from_db()
    assert smaller.state == BidState.APPROVED  # exactly what is left


def test_spend_paying_an_approved_bid_is_not_counted_twice(cast, partnership_admin):
    cast.line.allocated = Decimal("3000.00")
    cast.line.save()
    first = cast.supported("1000.00")
    deciding.panel_decide(bid=first, by=cast.panel_member, outcome=Outcome.APPROVE)
    first.refresh_from_db()
    services.record_spend(
        line=cast.line,
        bid=first,
        date=dt.date(2022, 11, 1),
        amount=Decimal("600.00"),
        reference="INV-8",
        by=partnership_admin,
    )
    second = cast.supported("2000.00")
    second = deciding.panel_decide(bid=second, by=cast.panel_member, outcome=Outcome.APPROVE)
    assert second.state == BidState.APPROVED


def test_approval_over_http_is_refused_with_the_figures(cast, client_for, partnership_admin):
    from django.urls import reverse

    cast.line.allocated = Decimal("1500.00")
    cast.line.save()
    services.record_spend(
        line=cast.line,
        date=dt.date(2022, 10, 1),
        amount=Decimal("1000.00"),
        reference="INV-5",
        by=partnership_admin,
    )
    bid = cast.supported("1000.00")
    deciding.declare_none(bid, cast.panel_member)
    response = client_for(cast.panel_member).post(
        reverse("funding:bid_step", args=[cast.partnership.slug, bid.pk]),
        {"step": "panel_approve"},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "£1,000.00 spent besides, £500.00 left to award" in page
    bid.refresh_from_db()
    assert bid.state == BidState.WITH_PANEL
