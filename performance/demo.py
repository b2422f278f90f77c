"""Loads the demo partnership's performance data from fixtures/demo/performance/.

Idempotent: beats, categories and the rest are found by their natural keys, and the
figures go through the same import as an officer's upload, which leaves unchanged
figures alone. Every quarter but the latest is published.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import Partnership
from performance import services
from performance.family import apply_peer_figures, family_group_for, parse_peer_figures
from performance.models import Beat, CrimeCategory, FamilyGroupMember
from performance.reference_data import (
    apply_lsoa_lookup,
    parse_lsoa_lookup,
    set_crime_type_mapping,
)
from performance.spreadsheets import parse_figures, read_table

#: Shown on the family group page. The peers' figures are invented (the members are
#: those of the seeds' family group), set so that Charnwood's Q3 2016/17 ranks are those
#: seed 001 reports; the note says so as a council paper would.
FAMILY_NOTE = (
    "The other partnerships' figures are illustrative. They are set so that Charnwood's "
    "ranks in Q3 2016/17 are those reported to the Board on 26 January 2017 (All Crime 6th "
    "of 15, Domestic Burglary 15th, Theft from Motor Vehicle 15th, Theft of Motor Vehicle "
    "10th, Robbery 6th)."
)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _yes(text: str) -> bool:
    return text.lower() in {"yes", "true", "1", "y"}


def _reference(model, partnership: Partnership, code: str, values: dict):
    """The beat or category coded `code`, saved through the services if new or changed."""
    record = model.objects.filter(partnership=partnership, code=code).first()
    if record is None:
        record = model(partnership=partnership, code=code)
    elif all(getattr(record, name) == value for name, value in values.items()):
        return record
    for name, value in values.items():
        setattr(record, name, value)
    return services.save_reference(record=record)


def load(partnership: Partnership, directory) -> None:
    folder = Path(directory) / "performance"
    for row in _rows(folder / "beats.csv"):
        _reference(
            Beat,
            partnership,
            row["code"],
            {
                "name": row["name"],
                "active_from": _date(row["active_from"]),
                "active_to": _date(row["active_to"]),
                "figures_note": row.get("figures_note", ""),
            },
        )
    by_code = {}
    for row in _rows(folder / "categories.csv"):
        by_code[row["code"]] = _reference(
            CrimeCategory,
            partnership,
            row["code"],
            {
                "name": row["name"],
                "parent": by_code.get(row["parent"]),
                "lower_is_better": _yes(row["lower_is_better"]),
                "is_asb": _yes(row["is_asb"]),
                "display_order": int(row["display_order"]),
            },
        )
    set_crime_type_mapping(
        partnership=partnership,
        pairs=[(r["crime_type"], r["category"]) for r in _rows(folder / "crime_type_mapping.csv")],
    )
    apply_lsoa_lookup(
        partnership=partnership,
        parsed=parse_lsoa_lookup(partnership, read_table(folder / "lsoa_beats.csv")),
    )
    # The shipped Home Office offence -> category mapping, so that the demo can import the
    # recorded-crime-by-CSP tables at once (officers edit it on the Home Office page).
    from performance.homeoffice import load_standard_mapping

    load_standard_mapping(partnership=partnership)
    targets: dict[FinancialYear, dict[int, dict]] = defaultdict(dict)
    for row in _rows(folder / "targets.csv"):
        targets[FinancialYear.parse(row["financial_year"])][by_code[row["category"]].pk] = {
            "kind": row["kind"],
            "value": Decimal(row["value"]) if row["value"] else None,
            "tolerance": Decimal(row["tolerance"] or "5"),
        }
    for year, rows in targets.items():
        services.save_targets(partnership=partnership, year=year, rows=rows)
    group = family_group_for(partnership)
    if group.figures_note != FAMILY_NOTE:
        group.figures_note = FAMILY_NOTE
        group.save()
    for row in _rows(folder / "family_members.csv"):
        FamilyGroupMember.objects.update_or_create(
            family_group=group,
            csp_name=row["csp"],
            defaults={
                "ons_code": row["ons_code"],
                "is_self": _yes(row["is_self"]),
                "joined": _date(row["joined"]),
                "left": _date(row["left"]),
            },
        )
    peers = parse_peer_figures(partnership, read_table(folder / "family_figures.csv"))
    apply_peer_figures(partnership=partnership, parsed=peers)
    figures = parse_figures(partnership, read_table(folder / "figures.csv"))
    if figures.errors:
        raise ValueError(f"Demo figures: {figures.errors[0]}")
    services.apply_figures(
        partnership=partnership,
        values=figures.values,
        reason="Quarterly figures as reported to the Partnership",
    )
    quarters = sorted({Quarter.parse(y, q) for y, q, _, _ in figures.values})
    for quarter in quarters[:-1]:
        services.publish_quarter(partnership=partnership, quarter=quarter)
