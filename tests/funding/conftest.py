"""The people and bodies of the bid process, built once per test that asks for them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from csp_portal.models import BodyType, Office, OfficeHolder, Profile, Role
from funding import workflow
from funding.models import Bid, Outcome
from tests.factories import BodyFactory, OrganisationFactory, member
from tests.funding import deciding
from tests.funding.factories import BidFactory, BudgetLineFactory, FundFactory


@dataclass
class Cast:
    partnership: object
    applicant: object
    colleague: object  # same organisation as the applicant
    organisation: object
    group: object
    group_chair: object
    group_member: object
    panel: object
    panel_member: object
    chair: object
    vice_chair: object
    designated: object
    fund: object
    line: object

    def bid(self, amount="999.99", **fields) -> Bid:
        return BidFactory(
            budget_line=fields.pop("budget_line", self.line),
            applicant=self.applicant,
            applicant_organisation=self.organisation,
            delivery_group=self.group,
            amount_requested=Decimal(amount),
            **fields,
        )

    def supported(self, amount="999.99", **fields) -> Bid:
        bid = self.bid(amount, **fields)
        workflow.submit(bid=bid, by=self.applicant)
        return deciding.group_decide(bid=bid, by=self.group_chair, outcome=Outcome.SUPPORT)

    @property
    def office_holders(self):
        return [self.designated, self.chair, self.vice_chair]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def cast(partnership) -> Cast:
    organisation = OrganisationFactory(name="Leicestershire Fire and Rescue Service")
    organisation.partnerships.add(partnership)

    def person(username, *roles, org=None):
        user = member(partnership, *roles, username=username)
        Profile.objects.filter(user=user).update(organisation=org)
        user.refresh_from_db()
        return user

    applicant = person("applicant", Role.PARTNER, org=organisation)
    colleague = person("colleague", Role.PARTNER, org=organisation)
    group_chair = person("dgchair", Role.PARTNER, org=OrganisationFactory(name="University"))
    group_member = person("dgmember", Role.PARTNER, org=OrganisationFactory(name="Police"))
    panel_member = person("panelmember", Role.BOARD_MEMBER)
    chair = person("chair", Role.BOARD_MEMBER)
    vice_chair = person("vicechair", Role.BOARD_MEMBER)
    designated = person("designated", Role.BOARD_MEMBER)
    group = BodyFactory(
        partnership=partnership,
        name="Loughborough Central Delivery Group",
        chair=group_chair,
    )
    group.members.set([group_chair, group_member, applicant])
    panel = BodyFactory(
        partnership=partnership,
        name="Performance Group",
        body_type=BodyType.PERFORMANCE_GROUP,
        chair=designated,
    )
    panel.members.set([designated, panel_member])
    for office, user in [
        (Office.CHAIR, chair),
        (Office.VICE_CHAIR, vice_chair),
        (Office.DESIGNATED_OFFICER, designated),
    ]:
        OfficeHolder.objects.create(partnership=partnership, office=office, user=user)
    fund = FundFactory(partnership=partnership, total=Decimal("20000.00"))
    line = BudgetLineFactory(fund=fund, description="Youth ASB Projects")
    return Cast(
        partnership=partnership,
        applicant=applicant,
        colleague=colleague,
        organisation=organisation,
        group=group,
        group_chair=group_chair,
        group_member=group_member,
        panel=panel,
        panel_member=panel_member,
        chair=chair,
        vice_chair=vice_chair,
        designated=designated,
        fund=fund,
        line=line,
    )
