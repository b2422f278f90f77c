"""Loads the demo partnership's funding data from fixtures/demo/funding/.

Funds and budget lines carry the figures of seed 001 (Partnership Locality Fund and
Youth Prevention and Diversion 2016/17) and seed 003 (Appendix A, 2022/23); the bids are
replayed through the real workflow so that every stage of the process is on show, each
decider declaring (no interest, or an interest) before deciding as the process requires.
Idempotent: funds, lines and spend are found by their natural keys, and a bid that
already exists is left as it is.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from csp_portal.demo import read_csv
from csp_portal.financial_year import FinancialYear
from csp_portal.models import Body, Partnership
from funding import interests, lifecycle, monitoring, workflow
from funding.models import Bid, BudgetLine, Evaluation, Fund, SpendEntry

DEMO_APPLICANT = "partner"
DEMO_GROUP = "loughborough-central"
DEMO_FUND = ("Partnership Locality Fund", "2022/23")


def _priority(partnership: Partnership, number: str | int | None):
    """The numbered priority of the partnership's latest plan, if the plans app has one."""
    if number in (None, ""):
        return None
    from plans.selectors import latest_priority_numbered

    return latest_priority_numbered(partnership, int(number))


@transaction.atomic
def load(partnership: Partnership, directory: Path) -> None:
    folder = Path(directory) / "funding"
    funds = {}
    for row in read_csv(folder / "funds.csv"):
        year = FinancialYear.parse(row["financial_year"])
        fund, _ = Fund.objects.update_or_create(
            partnership=partnership,
            name=row["name"],
            financial_year=year,
            defaults={
                "funder": row["funder"],
                "total": Decimal(row["total"]),
                "criteria": row["criteria"],
                "grant_identifier_prefix": row["grant_identifier_prefix"],
            },
        )
        funds[(row["name"], str(year))] = fund

    lines = {}
    for order, row in enumerate(read_csv(folder / "budget_lines.csv")):
        fund = funds[(row["fund"], str(FinancialYear.parse(row["financial_year"])))]
        line, _ = BudgetLine.objects.update_or_create(
            fund=fund,
            description=row["description"],
            defaults={
                "allocated": Decimal(row["allocated"]),
                "order": order,
                "priority": _priority(partnership, row["priority"]),
            },
        )
        lines[(fund.pk, line.description)] = line
        spent = Decimal(row["spent"] or "0")
        if spent:
            # The papers give spend to date as one figure: one entry per line, dated at
            # the quarter the paper reports (Q2 of its year).
            SpendEntry.objects.update_or_create(
                budget_line=line,
                reference="Spend to date as reported",
                defaults={"date": fund.year.quarter(2).end, "amount": spent},
            )

    _load_bids(partnership, folder, funds[DEMO_FUND], lines)


def _load_bids(partnership: Partnership, folder: Path, fund: Fund, lines: dict) -> None:
    users = {u.username: u for u in get_user_model().objects.all()}
    group = Body.objects.filter(partnership=partnership, slug=DEMO_GROUP).first()
    if group is None:
        return  # the core demo bodies are missing: nothing sensible to show
    spec = json.loads((folder / "bids.json").read_text(encoding="utf-8"))
    for item in spec["bids"]:
        if Bid.objects.filter(fund=fund, title=item["title"]).exists():
            continue
        who = users.get(item.get("applicant", DEMO_APPLICANT))
        org = getattr(getattr(who, "profile", None), "organisation", None)
        if who is None or org is None:
            continue  # that demo person is missing: leave their bid out
        bid = Bid.objects.create(
            fund=fund,
            budget_line=lines[(fund.pk, item["line"])],
            applicant=who,
            applicant_organisation=org,
            delivery_group=group,
            title=item["title"],
            description=item["description"],
            amount_requested=Decimal(item["amount"]),
            priority=_priority(partnership, item.get("priority")),
            deliverables=item["deliverables"],
            timescale=item["timescale"],
        )
        for name, username, reasons in item["steps"]:
            person = users[username]
            if name in lifecycle.DECISION_STEPS and interests.needs_declaration(bid, person):
                # Deciders declare before deciding, as everyone must.
                workflow.declare(bid=bid, by=person, interest=False)
            bid = workflow.take(name, bid=bid, by=person, reasons=reasons)
        if item.get("returns") == "submit_first":
            _history_of_a_funded_project(bid, who)


def _history_of_a_funded_project(bid: Bid, applicant) -> None:
    """Give one approved bid a past: returns from 2022/23 (one in, others overdue) and
    an overdue evaluation, so the due/overdue lists and the missing-evaluation flag
    have something to show."""
    returns = monitoring.schedule_for(bid, approved_on=dt.date(2022, 7, 15))
    # Replaying the approval today scheduled a return for today's quarter too; this
    # project's returns are those of its own year.
    bid.returns.exclude(pk__in=[r.pk for r in returns]).filter(submitted_at__isnull=True).delete()
    first = returns[0]
    if first.submitted_at is None:
        monitoring.submit_return(
            monitoring_return=first,
            by=applicant,
            progress="Twelve outreach sessions held; 85 young people engaged.",
            spend_to_date=Decimal("1500.00"),
            outcomes="Calls about youth ASB in the town centre down on the same quarter.",
        )
    Evaluation.objects.filter(bid=bid, submitted_at__isnull=True).update(
        due_date=min(monitoring.evaluation_due_date(bid.fund.year), timezone.localdate())
    )
