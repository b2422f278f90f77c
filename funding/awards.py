"""The money side of approving a bid: what is left to award, and committing an award.

An award may not take its budget line or its fund below zero: allocated (or the fund's
total) less what is committed to approved bids and what is spent besides.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Sum

from funding.lifecycle import TransitionRefused
from funding.models import Bid, BidState, BudgetLine, Fund, SpendEntry
from funding.money import money

S = BidState


def money_out(spend, approved) -> tuple[Decimal, Decimal]:
    """Committed (approved bids' awards) and spent outside them (spend entries not
    against an approved bid, and spend beyond a bid's award): spend against an approved
    bid is its commitment being paid, counted once."""
    zero = Decimal("0")
    committed = approved.aggregate(s=Sum("amount_awarded"))["s"] or zero
    spent = spend.aggregate(s=Sum("amount"))["s"] or zero
    awards = dict(approved.values_list("pk", "amount_awarded"))
    paid = spend.filter(bid__in=list(awards)).values_list("bid").annotate(s=Sum("amount"))
    within = sum((min(total, awards[pk]) for pk, total in paid.order_by()), zero)
    return committed, spent - within


def check_money(bid: Bid, *, lock: bool = False) -> None:
    """Refuse when the award is more than is left on the bid's line or fund: allocated
    (or the fund's total) less what is committed to approved bids and spent besides."""
    amount = bid.amount_requested
    lines = BudgetLine.objects.filter(pk=bid.budget_line_id)
    funds = Fund.objects.filter(pk=bid.fund_id)
    if lock:
        # Lock the fund and line so that two approvals of different bids cannot both
        # spend the last of the money (spend is recorded under the line's lock too).
        funds, lines = funds.select_for_update(), lines.select_for_update()
    fund, line = funds.get(), lines.get()
    approved = Bid.objects.filter(state=S.APPROVED)
    line_committed, line_spent = money_out(
        SpendEntry.objects.filter(budget_line=line), approved.filter(budget_line=line)
    )
    fund_committed, fund_spent = money_out(
        SpendEntry.objects.filter(budget_line__fund=fund), approved.filter(fund=fund)
    )
    line_left = line.allocated - line_committed - line_spent
    fund_left = fund.total - fund_committed - fund_spent
    if amount > line_left:
        raise TransitionRefused(
            f"Approving {money(amount)} would take the budget line “{line.description}” "
            f"below zero: {money(line.allocated)} allocated, {money(line_committed)} "
            f"already committed to approved bids, {money(line_spent)} spent besides, "
            f"{money(line_left)} left to award."
        )
    if amount > fund_left:
        raise TransitionRefused(
            f"Approving {money(amount)} would take the fund “{fund}” below zero: "
            f"{money(fund.total)} in total, {money(fund_committed)} already committed to "
            f"approved bids, {money(fund_spent)} spent besides, {money(fund_left)} left "
            "to award."
        )


def award(bid: Bid) -> None:
    """Check, under the fund's and line's locks, that the money is there, and set the
    award. The approval's move saves it with the new state: the database refuses an
    award on a bid that is not approved (constraint `bid_awarded_when_approved`)."""
    check_money(bid, lock=True)
    bid.amount_awarded = bid.amount_requested


def left_to_award(lines: Iterable[BudgetLine]) -> dict[int, Decimal]:
    """What each line has left to award, by line: allocated less committed to approved
    bids and spent besides (`check_money`'s figure), in three queries for any number of
    lines, so a bid form can show it beside every line it offers."""
    lines = list(lines)
    pks = [line.pk for line in lines]
    zero = Decimal("0")
    approved = Bid.objects.filter(state=S.APPROVED, budget_line__in=pks)
    committed = dict(
        approved.values_list("budget_line").annotate(s=Sum("amount_awarded")).order_by()
    )
    awards = dict(approved.values_list("pk", "amount_awarded"))
    spend = SpendEntry.objects.filter(budget_line__in=pks)
    spent = dict(spend.values_list("budget_line").annotate(s=Sum("amount")).order_by())
    within: dict[int, Decimal] = {}
    paid = spend.filter(bid__in=list(awards)).values_list("budget_line", "bid")
    for line_pk, bid_pk, total in paid.annotate(s=Sum("amount")).order_by():
        within[line_pk] = within.get(line_pk, zero) + min(total, awards[bid_pk])
    return {
        line.pk: line.allocated
        - committed.get(line.pk, zero)
        - (spent.get(line.pk, zero) - within.get(line.pk, zero))
        for line in lines
    }
