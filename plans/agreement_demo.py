"""Loads the county's Safer Communities Agreement from fixtures/demo/plans/agreement.json.

The agreement is the county's, not one partnership's: it is loaded for the county with
the fixture's slug (`leicestershire`, made if missing by csp_portal.services.ensure_county,
the one place the demo makes the county), and each of its areas is linked to the first
of the partnerships its fixture names that exists (Blaby to `blaby`, else to the merged
`blaby-hinckley-bosworth`), whichever partnerships the demo has. A linked partnership
with no county is put in this one. Idempotent: a second run updates the records in
place and links areas whose partnership has appeared since.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from csp_portal.financial_year import FinancialYear
from csp_portal.models import Partnership
from csp_portal.services import ensure_county
from plans.agreement_models import (
    Agreement,
    AgreementArea,
    CountyIndicator,
    CountyPriority,
    DistrictTarget,
    Holding,
    PriorityHolding,
)

FIXTURE = "agreement.json"
SYMBOLS = {"●": Holding.THEME, "⊙": Holding.CROSS_CUTTING, "○": Holding.SUB}


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None or value == "" else Decimal(value)


def load(partnership: Partnership | None, directory: Path) -> Agreement:
    """The DEMO_LOADERS entry point (the partnership is not needed: the county's)."""
    return load_agreement(Path(directory) / "plans" / FIXTURE)


@transaction.atomic
def load_agreement(path: Path) -> Agreement:
    spec = json.loads(Path(path).read_text(encoding="utf-8"))
    county = ensure_county(**spec["county"])
    agreement, _ = Agreement.objects.update_or_create(
        county=county,
        title=spec["title"],
        defaults={
            "first_year": FinancialYear.parse(spec["first_year"]),
            "last_year": FinancialYear.parse(spec["last_year"]),
            "source": spec["source"],
            "notes": "\n".join(spec["notes"]),
        },
    )
    areas = {}
    slugs = [slug for a in spec["areas"] for slug in a["partnership"]]
    existing = {p.slug: p for p in Partnership.objects.filter(slug__in=slugs)}
    for order, row in enumerate(spec["areas"], start=1):
        found = next((existing[s] for s in row["partnership"] if s in existing), None)
        area, _ = AgreementArea.objects.get_or_create(
            agreement=agreement, name=row["name"], defaults={"order": order}
        )
        if found is not None and area.partnership_id is None:
            area.partnership = found
            area.save()
        if found is not None and found.county_id is None:
            found.county = county
            found.save()
        areas[row["name"]] = area
    for order, row in enumerate(spec["priorities"], start=1):
        priority, _ = CountyPriority.objects.update_or_create(
            agreement=agreement,
            name=row["name"],
            defaults={"source_tag": row["source_tag"], "order": order},
        )
        for area_spec, symbol in zip(spec["areas"], row["cells"], strict=True):
            if symbol:
                PriorityHolding.objects.update_or_create(
                    priority=priority,
                    area=areas[area_spec["name"]],
                    defaults={"holding": SYMBOLS[symbol]},
                )
    for order, row in enumerate(spec["indicators"], start=1):
        indicator, _ = CountyIndicator.objects.update_or_create(
            agreement=agreement,
            code=row["code"],
            defaults={
                "name": row["name"],
                "category_code": row["category_code"],
                "lower_is_better": row["lower_is_better"],
                "notes": row["notes"],
                "order": order,
            },
        )
        for target in row["targets"]:
            DistrictTarget.objects.update_or_create(
                indicator=indicator,
                area=None if target["area"] == "County" else areas[target["area"]],
                financial_year=FinancialYear.parse(target["year"]),
                measure=target["measure"],
                defaults={
                    "kind": target["kind"],
                    "baseline": _decimal(target.get("baseline")),
                    "baseline_label": target.get("baseline_label", ""),
                    "change_pct": _decimal(target.get("change_pct")),
                    "stated": _decimal(target.get("stated")),
                    "printed": _decimal(target.get("printed")),
                },
            )
    return agreement
