"""Speed of the funding pages people open most: a fund's budget table with many lines
and spend entries, the funding index for a board member, and a decider's home queue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from bench.figures import Figure, median_ms
from csp_portal.models import Body, BodyType, Office, OfficeHolder, Organisation, Partnership, Role
from csp_portal.services import grant_roles
from funding import budget, home, workflow
from funding.models import Bid, BudgetLine, Fund, SpendEntry

LINES, SPEND_PER_LINE, BIDS = 60, 40, 300


def _setup():
    User = get_user_model()
    partnership = Partnership.objects.create(
        name="Bench CSP", slug="bench", ons_code="E22999999", local_authority="Bench Council"
    )
    org = Organisation.objects.create(name="Bench Fire Service")
    people = {}
    for name, role in [
        ("applicant", Role.PARTNER),
        ("dgchair", Role.PARTNER),
        ("chair", Role.BOARD_MEMBER),
        ("vice", Role.BOARD_MEMBER),
        ("designated", Role.BOARD_MEMBER),
        ("board", Role.BOARD_MEMBER),
    ]:
        people[name] = User.objects.create(username=f"bench-{name}", email=f"{name}@x.org")
        grant_roles(user=people[name], partnership=partnership, roles=[role])
    from csp_portal.models import Profile

    Profile.objects.create(user=people["applicant"], organisation=org)
    group = Body.objects.create(
        partnership=partnership,
        name="Group",
        slug="group",
        body_type=BodyType.DELIVERY_GROUP,
        chair=people["dgchair"],
    )
    Body.objects.create(
        partnership=partnership, name="PG", slug="pg", body_type=BodyType.PERFORMANCE_GROUP
    )
    for office, who in [
        (Office.CHAIR, "chair"),
        (Office.VICE_CHAIR, "vice"),
        (Office.DESIGNATED_OFFICER, "designated"),
    ]:
        OfficeHolder.objects.create(partnership=partnership, office=office, user=people[who])
    fund = Fund.objects.create(
        partnership=partnership,
        name="Bench Fund",
        financial_year=2022,
        funder="PCC",
        total=Decimal(LINES * 10000),
    )
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(fund=fund, description=f"Line {i}", allocated=Decimal("10000.00"), order=i)
        for i in range(LINES)
    )
    SpendEntry.objects.bulk_create(
        SpendEntry(
            budget_line=line,
            date=dt.date(2022, 6, 1),
            amount=Decimal("12.34"),
            reference=f"INV-{line.pk}-{n}",
        )
        for line in lines
        for n in range(SPEND_PER_LINE)
    )
    for i in range(BIDS):
        bid = Bid.objects.create(
            fund=fund,
            budget_line=lines[i % LINES],
            applicant=people["applicant"],
            applicant_organisation=org,
            title=f"Bid {i}",
            description="x",
            amount_requested=Decimal("500.00"),
            deliverables="x",
            timescale="x",
            delivery_group=group,
        )
        if i % 3:
            workflow.submit(bid=bid, by=people["applicant"])
        if i % 3 == 2:
            workflow.declare(bid=bid, by=people["dgchair"], interest=False)
            workflow.group_decide(bid=bid, by=people["dgchair"], outcome="support")
    return partnership, fund, people


def run() -> list[Figure]:
    partnership, fund, people = _setup()
    table_ms = median_ms(lambda: budget.budget_table(fund).total)
    client = Client()
    client.force_login(people["board"])
    index_url = reverse("funding:index", args=[partnership.slug])
    fund_url = reverse("funding:fund", args=[partnership.slug, fund.pk])
    index_ms = median_ms(lambda: client.get(index_url), repeat=7)
    fund_ms = median_ms(lambda: client.get(fund_url), repeat=7)
    queue_ms = median_ms(lambda: home.home_decisions(people["chair"]), repeat=7)
    return [
        Figure(
            f"budget table ({LINES} lines, {LINES * SPEND_PER_LINE} spend)",
            f"{table_ms:.1f} ms",
            "< 50 ms",
            table_ms < 50,
        ),
        Figure(
            f"funding index, board ({BIDS} bids)", f"{index_ms:.0f} ms", "< 500 ms", index_ms < 500
        ),
        Figure("fund page with budget table", f"{fund_ms:.0f} ms", "< 300 ms", fund_ms < 300),
        Figure(
            f"office-holder's queue ({BIDS // 3} waiting)",
            f"{queue_ms:.0f} ms",
            "< 200 ms",
            queue_ms < 200,
        ),
    ]
