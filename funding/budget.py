"""A fund's budget table: each line's allocation, what approved bids commit and what is
spent, as the partners print it (the page, its CSV, the command, the agenda pack)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.template.loader import render_to_string

from csp_portal.models import Partnership
from funding.models import Bid, BidState, BudgetLine, Fund, SpendEntry
from funding.money import money

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BudgetRow:
    description: str
    allocated: Decimal
    committed: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.spent

    @property
    def uncommitted(self) -> Decimal:
        return self.allocated - self.committed


@dataclass(frozen=True)
class BudgetTable:
    fund: Fund
    rows: list[BudgetRow]
    lines: list[BudgetLine]

    @property
    def total(self) -> BudgetRow:
        return BudgetRow(
            "Total",
            sum((r.allocated for r in self.rows), ZERO),
            sum((r.committed for r in self.rows), ZERO),
            sum((r.spent for r in self.rows), ZERO),
        )

    @property
    def unallocated(self) -> Decimal:
        return self.fund.total - self.total.allocated

    @property
    def fund_uncommitted(self) -> Decimal:
        return self.fund.total - self.total.committed

    @property
    def allocated_heading(self) -> str:
        return f"Amount Allocated {self.fund.year}"

    def as_csv_rows(self) -> list[list[str]]:
        """Description, Amount Allocated, Amount Spent, Amount Remaining, then Total:
        figures as plain numbers to the penny, for spreadsheets."""
        header = ["Description", self.allocated_heading, "Amount Spent", "Amount Remaining"]
        body = [
            [r.description, f"{r.allocated:.2f}", f"{r.spent:.2f}", f"{r.remaining:.2f}"]
            for r in [*self.rows, self.total]
        ]
        return [header, *body]

    def as_text(self) -> str:
        """The table as the partners print it, £ and all, for the terminal."""
        rows = [
            [r.description, money(r.allocated), money(r.spent), money(r.remaining)]
            for r in [*self.rows, self.total]
        ]
        header = ["Description", self.allocated_heading, "Amount Spent", "Amount Remaining"]
        width = max(len(r[0]) for r in [header, *rows])
        widths = [width] + [max(len(r[i]) for r in [header, *rows]) for i in (1, 2, 3)]

        def line(cells: list[str]) -> str:
            first = cells[0].ljust(widths[0])
            return "  ".join(
                [first, *(c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))]
            )

        return "\n".join([line(header), *(line(r) for r in rows)])


def budget_table(fund: Fund) -> BudgetTable:
    """The fund's lines with allocated, committed and spent: three queries, each a
    single GROUP BY, whatever the number of lines, bids or spend entries."""
    lines = list(fund.lines.select_related("priority"))
    spent = dict(
        SpendEntry.objects.filter(budget_line__fund=fund)
        .values_list("budget_line")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    committed = dict(
        Bid.objects.filter(fund=fund, state=BidState.APPROVED)
        .values_list("budget_line")
        .annotate(total=Sum("amount_awarded"))
        .order_by()
    )
    rows = [
        BudgetRow(li.description, li.allocated, committed.get(li.pk, ZERO), spent.get(li.pk, ZERO))
        for li in lines
    ]
    return BudgetTable(fund, rows, lines)


def find_fund(partnership: Partnership, name: str, year) -> Fund:
    return Fund.objects.get(partnership=partnership, name=name, financial_year=year)


def render_budget_block(partnership: Partnership, params: dict) -> str:
    """A fund's budget table as self-contained HTML for the agenda pack."""
    try:
        fund = Fund.objects.get(partnership=partnership, pk=int((params or {})["fund"]))
    except (KeyError, TypeError, ValueError, Fund.DoesNotExist):
        raise ValueError(
            f'Give the budget table a fund of {partnership}, e.g. {{"fund": 1}}.'
        ) from None
    return render_to_string("funding/blocks/budget_table.html", {"table": budget_table(fund)})


def fund_choices(partnership: Partnership) -> list[tuple[int, str]]:
    """The partnership's funds, newest year first: the budget table's list."""
    return [
        (fund.pk, f"{fund.name} ({fund.financial_year})")
        for fund in Fund.objects.filter(partnership=partnership).order_by("-financial_year", "name")
    ]
