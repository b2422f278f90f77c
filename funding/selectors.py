"""Reads of the funding app: budget tables, who sees which bids, decision queues, reports.

Other apps reach funding only through these functions (and the extension points the
app registers): the meetings pack calls `render_decisions_block` and
`render_budget_block`, plans asks `priority_links`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone

from csp_portal.access import member_partnerships
from csp_portal.extension_points import HomeEntry, PriorityLink
from csp_portal.models import Partnership
from funding import access
from funding.deciders import approval_panel, offices_held, waiting_for
from funding.models import (
    FINAL_STATES,
    Bid,
    BidState,
    BudgetLine,
    Decision,
    Declaration,
    Fund,
    SpendEntry,
    Stage,
)
from funding.money import money

ZERO = Decimal("0.00")
READ_ALL = access.READ_ALL
MANAGERS = access.MANAGERS


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


# --- who sees what -------------------------------------------------------------------


def reads_everything(user, partnership: Partnership) -> bool:
    return access.reads_everything(user, partnership)


def bids_for(user, partnership: Partnership) -> QuerySet[Bid]:
    """The bids `user` may see (the rule is `funding.access.visible_bids`)."""
    return access.visible_bids(user, partnership)


def bid_for(user, partnership: Partnership, pk: int) -> Bid:
    """One bid the user may see, else 404 (another partnership's bid is a 404 too)."""
    return get_object_or_404(
        bids_for(user, partnership).select_related(
            "fund__partnership",
            "budget_line",
            "applicant",
            "applicant_organisation",
            "delivery_group__chair",
            "priority",
        ),
        pk=pk,
    )


def is_applicant_side(user, bid: Bid) -> bool:
    return access.is_applicant_side(user, bid)


# --- queues --------------------------------------------------------------------------


def decision_queue(user) -> list[Bid]:
    """Every bid, across the user's partnerships, that waits on the user's decision."""
    if not user.is_authenticated:
        return []
    base = Bid.objects.select_related("fund__partnership", "applicant_organisation").exclude(
        applicant=user
    )
    found: dict[int, Bid] = {}
    group = base.filter(state=BidState.SUBMITTED).filter(
        Q(delivery_group__chair=user) | Q(delivery_group__members=user)
    )
    for bid in group.distinct():
        found[bid.pk] = bid
    for partnership in member_partnerships(user):  # no query: read with the roles
        panel = approval_panel(partnership)
        if panel is not None and (
            panel.chair_id == user.pk or panel.members.filter(pk=user.pk).exists()
        ):
            for bid in base.filter(
                fund__partnership=partnership,
                state__in=[BidState.WITH_PANEL, BidState.REJECTION_REFERRED],
            ):
                found[bid.pk] = bid
        held = offices_held(user, partnership)
        if held:
            waiting = base.filter(
                fund__partnership=partnership, state=BidState.WITH_OFFICE_HOLDERS
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
    from funding.interests import STAGE_OF_STATE

    org = getattr(getattr(user, "profile", None), "organisation_id", None)
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
    from funding.monitoring import open_items_for_applicant

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


# --- reports -------------------------------------------------------------------------


def last_board_meeting(partnership: Partnership, before: dt.date | None = None) -> dt.date | None:
    from meetings import selectors as meetings

    meeting = meetings.last_board_meeting(partnership, before=before or timezone.localdate())
    return meeting.date if meeting else None


def decisions_since(partnership: Partnership, since: dt.date | None) -> QuerySet[Decision]:
    decisions = Decision.objects.filter(bid__fund__partnership=partnership).select_related(
        "bid__fund", "bid__applicant_organisation", "body", "decided_by", "meeting__body"
    )
    if since:
        decisions = decisions.filter(decided_at__date__gte=since)
    return decisions.order_by("decided_at", "pk")


@dataclass(frozen=True)
class BidDecisions:
    """One bid in the decisions report: every vote or decision on it in the period, and
    where the bid ended up (its final outcome, or that it is still being decided)."""

    bid: Bid
    votes: list[Decision]

    @property
    def is_final(self) -> bool:
        return self.bid.state in FINAL_STATES

    @property
    def final_outcome(self) -> str:
        bid = self.bid
        when = f", {timezone.localtime(bid.decided_at):%-d %B %Y}" if bid.decided_at else ""
        if bid.state == BidState.APPROVED and bid.amount_awarded is not None:
            return f"Approved: {money(bid.amount_awarded)} awarded{when}"
        if self.is_final:
            return f"{bid.get_state_display()}{when}"
        return f"Not decided yet ({bid.get_state_display().lower()})"


def decisions_by_bid(decisions) -> list[BidDecisions]:
    """The decisions grouped by bid, bids in the order of their first decision."""
    grouped: dict[int, BidDecisions] = {}
    for decision in decisions:
        grouped.setdefault(decision.bid_id, BidDecisions(decision.bid, [])).votes.append(decision)
    return list(grouped.values())


def declarations_since(partnership: Partnership, since: dt.date | None) -> QuerySet[Declaration]:
    """Every declaration of interest (and "no interest") on the partnership's bids."""
    rows = Declaration.objects.filter(bid__fund__partnership=partnership).select_related(
        "bid__applicant_organisation", "person"
    )
    if since:
        rows = rows.filter(declared_at__date__gte=since)
    return rows.order_by("declared_at", "pk")


@dataclass(frozen=True)
class Change:
    """A field of a bid changed by someone else since a person opened it."""

    label: str
    was: str
    now: str


#: The bid's fields people type, in the order of the form.
BID_FIELDS = (
    "fund",
    "budget_line",
    "title",
    "description",
    "amount_requested",
    "priority",
    "deliverables",
    "timescale",
    "delivery_group",
)


def _shown(record, name: str) -> str:
    value = getattr(record, name)
    if name == "amount_requested" and value is not None:
        return money(value)
    return "" if value is None else str(value)


def bid_changes(bid: Bid, since_version: int) -> tuple[list[Change], object]:
    """What changed in `bid` since its version `since_version` (from the bid's history),
    and who saved the latest version (None when the history does not say)."""
    history = bid.history.order_by("-history_date", "-history_id")
    seen = history.filter(version=since_version).first()
    latest = history.first()
    changes = []
    for name in BID_FIELDS:
        was = _shown(seen, name) if seen is not None else ""
        now = _shown(bid, name)
        if seen is None or was != now:
            label = str(getattr(Bid._meta.get_field(name), "verbose_name", name))
            changes.append(Change(label[0].upper() + label[1:], was, now))
    return changes, getattr(latest, "history_user", None)


def parse_since(params: dict, partnership: Partnership) -> dt.date | None:
    raw = (params or {}).get("since")
    if raw:
        try:
            return dt.date.fromisoformat(str(raw))
        except ValueError:
            raise ValueError(f"“{raw}” is not a date; write it as 2016-10-27.") from None
    return last_board_meeting(partnership)


def render_decisions_block(partnership: Partnership, params: dict) -> str:
    """The decisions report as self-contained HTML for the agenda pack."""
    since = parse_since(params, partnership)
    return render_to_string(
        "funding/blocks/decisions.html",
        {
            "partnership": partnership,
            "since": since,
            "bids": decisions_by_bid(decisions_since(partnership, since)),
            "declarations": list(declarations_since(partnership, since)),
        },
    )


def render_budget_block(partnership: Partnership, params: dict) -> str:
    """A fund's budget table as self-contained HTML for the agenda pack."""
    try:
        fund = Fund.objects.get(partnership=partnership, pk=int((params or {})["fund"]))
    except (KeyError, TypeError, ValueError, Fund.DoesNotExist):
        raise ValueError(
            f'Give the budget table a fund of {partnership}, e.g. {{"fund": 1}}.'
        ) from None
    return render_to_string("funding/blocks/budget_table.html", {"table": budget_table(fund)})


def priority_links(priority) -> list[PriorityLink]:
    bids = Bid.objects.filter(priority=priority, state=BidState.APPROVED).select_related(
        "fund__partnership", "applicant_organisation"
    )
    return [
        PriorityLink(
            "Funded bid",
            bid.title,
            bid.get_absolute_url(),
            timezone.localtime(bid.decided_at).date() if bid.decided_at else None,
            f"{money(bid.amount_awarded)} to {bid.applicant_organisation} from {bid.fund}",
        )
        for bid in bids
    ]


def fund_choices(partnership: Partnership) -> list[tuple[int, str]]:
    """The partnership's funds, newest year first: the budget table's list."""
    return [
        (fund.pk, f"{fund.name} ({fund.financial_year})")
        for fund in Fund.objects.filter(partnership=partnership).order_by("-financial_year", "name")
    ]
