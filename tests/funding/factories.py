"""Factories for the funding app's tests."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.utils import timezone

from funding.models import FINAL_STATES, Bid, BidState, BudgetLine, Fund
from tests.factories import OrganisationFactory, PartnershipFactory


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Partnership Locality Fund {n}")
    financial_year = 2022
    funder = "Police and Crime Commissioner"
    total = Decimal("75500.00")


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    fund = factory.SubFactory(FundFactory)
    description = factory.Sequence(lambda n: f"Budget line {n}")
    allocated = Decimal("15000.00")


class BidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bid

    budget_line = factory.SubFactory(BudgetLineFactory)
    fund = factory.LazyAttribute(lambda o: o.budget_line.fund)
    applicant_organisation = factory.SubFactory(OrganisationFactory)
    applicant = None  # required: pass the applicant
    title = factory.Sequence(lambda n: f"Youth diversion project {n}")
    description = "Evening sessions for young people at risk."
    amount_requested = Decimal("999.99")
    deliverables = "Twelve sessions, forty young people."
    timescale = "October 2022 to March 2023"
    delivery_group = None  # required: pass the group

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        """A bid made straight into a later state carries what that state implies (the
        database's check constraints tie them): submitted once, dated when finished,
        awarded when approved."""
        state = kwargs.get("state", BidState.DRAFT)
        now = timezone.now()
        if state not in (BidState.DRAFT, BidState.WITHDRAWN):
            kwargs.setdefault("round", 1)
            kwargs.setdefault("submitted_at", now)
        if state in FINAL_STATES:
            kwargs.setdefault("decided_at", now)
        if state == BidState.APPROVED:
            kwargs.setdefault("amount_awarded", kwargs.get("amount_requested", Decimal("999.99")))
        return kwargs
