"""Writes of the funding formula: one fund per partnership from an allocation.

All or nothing: every share must name a partnership of the county, the person must be an
administrator of each, and no partnership may already have a fund of that name for the
year (each is named); then every fund is created in one transaction, with its history.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from csp_portal.financial_year import FinancialYear
from csp_portal.models import County
from funding import access
from funding.allocation import Allocation
from funding.models import Fund


@transaction.atomic
def create_allocated_funds(
    *,
    allocation: Allocation,
    county: County,
    name: str,
    year: FinancialYear,
    funder: str,
    by: Any,
) -> list[Fund]:
    name = name.strip()
    if not name:
        raise ValidationError({"fund_name": "Name the fund."})
    unnamed = [s.name for s in allocation.shares if s.partnership is None]
    if unnamed:
        raise ValidationError(f"Not a partnership of {county}: {', '.join(unnamed)}.")
    receiving = [(s, s.partnership) for s in allocation.shares if s.partnership is not None]
    partnerships = [p for _, p in receiving]
    elsewhere = [p.name for p in partnerships if p.county_id != county.pk]
    if elsewhere:
        raise ValidationError(f"Not a partnership of {county}: {', '.join(elsewhere)}.")
    if not access.can_create_allocated_funds(by, partnerships):
        raise PermissionDenied(
            "Creating the funds needs the administrator role in every receiving partnership."
        )
    existing = (
        Fund.objects.select_for_update()
        .filter(partnership__in=partnerships, name=name, financial_year=year)
        .select_related("partnership")
    )
    clashes = sorted(f.partnership.name for f in existing)
    if clashes:
        raise ValidationError(
            f"A fund named “{name}” for {year} already exists in: {', '.join(clashes)}. "
            "No fund was created."
        )
    criteria = (
        f"Allocated by the {county} funding formula: even £{allocation.amounts['even']:,}, "
        f"population £{allocation.amounts['population']:,}, "
        f"crime £{allocation.amounts['crime']:,}."
    )
    return [
        Fund.objects.create(
            partnership=partnership,
            name=name,
            financial_year=year,
            funder=funder.strip() or str(county),
            criteria=criteria,
            total=Decimal(share.total).quantize(Decimal("0.01")),
        )
        for share, partnership in receiving
    ]
