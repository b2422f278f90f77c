"""Factories for the plans app's tests."""

from __future__ import annotations

import factory

from csp_portal.financial_year import FinancialYear
from performance.models import CrimeCategory, QuarterlyFigure
from plans.models import Action, PerformanceMeasure, Plan, PlanStatus, Priority, Theme
from tests.factories import OrganisationFactory, PartnershipFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    partnership = factory.SubFactory(PartnershipFactory)
    title = "Partnership Plan 2017-2020"
    first_year = FinancialYear(2017)
    last_year = FinancialYear(2019)
    vision = "To contribute to a high quality of life for all."
    overarching_aim = "Enhance partnership working, collaboration and collective problem solving."
    status = PlanStatus.DRAFT


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Theme title {n}")


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    theme = factory.SubFactory(ThemeFactory)
    plan = factory.SelfAttribute("theme.plan")
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Priority title {n}")
    why = "Because the strategic assessment says so."
    aims = "A reduction in Total Crime\nA reduction in Domestic Burglary"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrimeCategory
        django_get_or_create = ["partnership", "name"]

    partnership = factory.SubFactory(PartnershipFactory)
    name = "All Crime"
    code = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerformanceMeasure

    priority = factory.SubFactory(PriorityFactory)
    name = "All Crime"
    direction = "lower"
    target_change_pct = 0


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    priority = factory.SubFactory(PriorityFactory)
    number = factory.Sequence(lambda n: n + 1)
    key_action = "Develop and implement a Partnership Crime Control Strategy"
    lead_agency = factory.SubFactory(OrganisationFactory)
    time_scales = "April 2017 – March 2018"


def figure(partnership, category, year: int, quarter: int, count: int) -> QuarterlyFigure:
    """A partnership-total figure (beat=None) as the performance app stores it."""
    return QuarterlyFigure.objects.create(
        partnership=partnership,
        category=category,
        financial_year=FinancialYear(year),
        quarter=quarter,
        beat=None,
        count=count,
    )


def adopted_plan(partnership, **fields) -> Plan:
    return PlanFactory(partnership=partnership, status=PlanStatus.ADOPTED, **fields)
