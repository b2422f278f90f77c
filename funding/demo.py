"""Loads the demo partnership's funding data from fixtures/demo/funding/.

Funds and budget lines carry the figures of seed 001 (Partnership Locality Fund and
Youth Prevention and Diversion 2016/17) and seed 003 (Appendix A, 2022/23), closed for
bids long ago. The fund of the year the demo is loaded in (current_fund.json) is open,
and the bids are made in it that day, replayed through the real workflow so that every
stage of the process is on show and a bid waits for each kind of decider (the Delivery
Group, the Strategic Group, the office-holders), each decider declaring (no interest,
or an interest) before deciding as the process requires. One approved project has a
monitoring return due next month.

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

from csp_portal.demo import end_of_month, months_ahead, read_csv
from csp_portal.financial_year import FinancialYear
from csp_portal.models import Body, Partnership
from funding import interests, lifecycle, monitoring, workflow
from funding.models import Bid, BudgetLine, Fund, SpendEntry

DEMO_APPLICANT = "partner"
DEMO_GROUP = "loughborough-central"


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
                "bids_close_on": dt.date.fromisoformat(row["bids_close_on"])
                if row["bids_close_on"]
                else None,
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

    today = timezone.localdate()
    fund = _current_fund(partnership, folder, today)
    for line in fund.lines.all():
        lines[(fund.pk, line.description)] = line
    _load_bids(partnership, folder, fund, lines, today)


def _current_fund(partnership: Partnership, folder: Path, today: dt.date) -> Fund:
    """This financial year's fund, open for bids until the year's last day, with its
    lines. A fund of that name and year already loaded (the 2022/23 one, on a day in
    that year) keeps its figures."""
    spec = json.loads((folder / "current_fund.json").read_text(encoding="utf-8"))
    year = FinancialYear.for_date(today)
    fund, created = Fund.objects.get_or_create(
        partnership=partnership,
        name=spec["name"],
        financial_year=year,
        defaults={
            "funder": spec["funder"],
            "total": Decimal(spec["total"]),
            "criteria": spec["criteria"],
            "bids_close_on": year.end,
        },
    )
    if not fund.accepts_bids(today):
        fund.bids_close_on = year.end
        fund.save(update_fields=["bids_close_on"])
    start = fund.lines.count()
    for order, row in enumerate(spec["lines"], start=start):
        BudgetLine.objects.get_or_create(
            fund=fund,
            description=row["description"],
            defaults={
                "allocated": Decimal(row["allocated"]),
                "order": order,
                "priority": _priority(partnership, row["priority"]),
            },
        )
    return fund


def _months(today: dt.date, year: FinancialYear) -> dict[str, str]:
    """The months a bid's timescale names, relative to the day the demo is loaded."""
    end = max(year.end, months_ahead(today, 3))
    return {
        "next_month": f"{months_ahead(today, 1):%B %Y}",
        "in_two_months": f"{months_ahead(today, 2):%B %Y}",
        "year_start": f"{year.start:%B %Y}",
        "year_end": f"{end:%B %Y}",
    }


def _load_bids(
    partnership: Partnership, folder: Path, fund: Fund, lines: dict, today: dt.date
) -> None:
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
            timescale=item["timescale"].format(**_months(today, fund.year)),
        )
        for name, username, reasons in item["steps"]:
            person = users[username]
            if name in lifecycle.DECISION_STEPS and interests.needs_declaration(bid, person):
                # Deciders declare before deciding, as everyone must.
                workflow.declare(bid=bid, by=person, interest=False)
            bid = workflow.take(name, bid=bid, by=person, reasons=reasons)
        if item.get("returns") == "submit_first":
            _history_of_a_funded_project(bid, who, today)


def due_next_month(today: dt.date) -> dt.date:
    """A day of next month within the 31 days the due lists look ahead: the end of next
    month, or sooner when that is further off."""
    return min(end_of_month(months_ahead(today, 1)), today + dt.timedelta(days=31))


def _history_of_a_funded_project(bid: Bid, applicant, today: dt.date) -> None:
    """Give one approved bid a past in its year: one return for each quarter from the
    first; of those already due, the last is overdue and the earlier ones are in; the
    next is due next month (sooner than the schedule would have it on many days, so
    that every day of the year has a return due soon to show)."""
    returns = monitoring.schedule_for(bid, approved_on=bid.fund.year.start)
    upcoming = next((r for r in returns if r.due_date >= today), returns[-1])
    past = [r for r in returns if r.due_date < today and r.pk != upcoming.pk]
    for earlier in past[:-1]:
        if earlier.submitted_at is None:
            monitoring.submit_return(
                monitoring_return=earlier,
                by=applicant,
                progress="Twelve outreach sessions held; 85 young people engaged.",
                spend_to_date=Decimal("1500.00"),
                outcomes="Calls about youth ASB in the town centre down on the same quarter.",
            )
    if upcoming.submitted_at is None and upcoming.due_date != due_next_month(today):
        upcoming.due_date = due_next_month(today)
        upcoming.save(update_fields=["due_date"])
