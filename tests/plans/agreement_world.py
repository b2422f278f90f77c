"""A small county with an agreement, built with factories (never the demo's files)."""

from __future__ import annotations

from decimal import Decimal

from csp_portal.financial_year import FinancialYear
from csp_portal.models import County, Partnership, PartnershipPopulation
from plans.agreement_models import (
    Agreement,
    AgreementArea,
    CountyIndicator,
    CountyPriority,
    DistrictTarget,
    Holding,
    PriorityHolding,
)


def county(slug: str = "testshire", *partnerships: Partnership) -> County:
    found, _ = County.objects.get_or_create(slug=slug, defaults={"name": slug.title()})
    for partnership in partnerships:
        partnership.county = found
        partnership.save()
    return found


def population(partnership: Partnership, year: int, people: int) -> PartnershipPopulation:
    return PartnershipPopulation.objects.create(
        partnership=partnership, financial_year=FinancialYear(year), population=people
    )


def agreement(of: County, areas: dict[str, Partnership | None]) -> Agreement:
    """An agreement with the given areas, one priority held two ways and NI 20 (VWI)
    with a rate target for 2010/11 per area (baseline 5.00, −6 %: 4.70)."""
    made = Agreement.objects.create(
        county=of,
        title="Testshire Safer Communities Agreement",
        first_year=FinancialYear(2008),
        last_year=FinancialYear(2010),
        source="Built by the tests",
    )
    built = [
        AgreementArea.objects.create(agreement=made, name=name, order=i, partnership=p)
        for i, (name, p) in enumerate(areas.items())
    ]
    priority = CountyPriority.objects.create(
        agreement=made, name="Violent Crime", source_tag="LAA2"
    )
    PriorityHolding.objects.create(priority=priority, area=built[0], holding=Holding.THEME)
    if len(built) > 1:
        PriorityHolding.objects.create(priority=priority, area=built[1], holding=Holding.SUB)
    indicator = CountyIndicator.objects.create(
        agreement=made, code="NI 20", name="Assault with injury crime rate", category_code="VWI"
    )
    for area in built:
        DistrictTarget.objects.create(
            indicator=indicator,
            area=area,
            financial_year=FinancialYear(2010),
            measure="rate",
            kind="reduction",
            baseline=Decimal("5.00"),
            change_pct=Decimal("-6"),
        )
    return made
