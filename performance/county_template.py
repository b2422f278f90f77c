"""A new partnership of the county from the county's template, in a few minutes' work.

The template (fixtures/county/, shipped with its sources): the crime categories
(categories.csv), the police.uk crime type -> category mapping (crime_type_mapping.csv),
the bodies a partnership starts with (bodies.csv) and the force area's LSOAs
(lsoas.csv). A new partnership gets one beat per local authority it covers ("the whole
district", until its officers set real beats) and every LSOA whose name begins with one
of its local authorities' names on that beat, so a police.uk import counts its rows at
once. Populations come from populations.csv (Census 2021) when its authorities are there.

`create_from_template` is what `python manage.py create_partnership` and the demo run.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from csp_portal.county import (
    POPULATION_SOURCE,
    TEMPLATE_DIR,
    census_populations,
    read_rows,
    template_bodies,
)
from csp_portal.models import County, Partnership
from csp_portal.services import create_partnership
from performance import services
from performance.caching import figures_changed
from performance.models import Beat, CrimeCategory, LsoaBeat
from performance.reference_data import set_crime_type_mapping
from performance.services import CellKey


def _yes(text: str) -> bool:
    return text.lower() in {"yes", "true", "1", "y"}


def apply_template(*, partnership: Partnership, directory: Path = TEMPLATE_DIR) -> None:
    """Categories, mapping, one beat per local authority and its LSOAs (idempotent)."""
    stored = {c.code: c for c in CrimeCategory.objects.filter(partnership=partnership)}
    for row in read_rows(directory / "categories.csv"):
        if row["code"] in stored:
            continue
        category = CrimeCategory(
            partnership=partnership,
            code=row["code"],
            name=row["name"],
            parent=stored.get(row["parent"]),
            lower_is_better=_yes(row["lower_is_better"]),
            is_asb=_yes(row["is_asb"]),
            display_order=int(row["display_order"]),
        )
        stored[row["code"]] = services.save_reference(record=category)
    set_crime_type_mapping(
        partnership=partnership,
        pairs=[
            (r["crime_type"], r["category"])
            for r in read_rows(directory / "crime_type_mapping.csv")
        ],
    )
    beats = {b.code: b for b in Beat.objects.filter(partnership=partnership)}
    by_prefix = {}
    for authority in partnership.local_authorities.all():
        beat = beats.get(authority.ons_code)
        if beat is None:
            beat = services.save_reference(
                record=Beat(
                    partnership=partnership,
                    code=authority.ons_code,
                    name=f"{authority.name} (whole district)",
                    figures_note="Until the partnership's own beats are set, the whole "
                    "district is one beat.",
                )
            )
        by_prefix[authority.name + " "] = beat
    known = set(
        LsoaBeat.objects.filter(partnership=partnership).values_list("lsoa_code", flat=True)
    )
    new = [
        LsoaBeat(partnership=partnership, lsoa_code=row["lsoa_code"], lsoa_name=row["lsoa_name"],
                 beat=beat)
        for row in read_rows(directory / "lsoas.csv")
        for prefix, beat in by_prefix.items()
        if row["lsoa_name"].startswith(prefix) and row["lsoa_code"] not in known
    ]  # fmt: skip
    if new:
        bulk_create_with_history(new, LsoaBeat)
        figures_changed(partnership.pk)


@transaction.atomic
def create_from_template(
    *,
    county: County,
    slug: str,
    name: str,
    ons_code: str,
    local_authorities: list[str],
    councils: list[str] | None = None,
    directory: Path = TEMPLATE_DIR,
) -> Partnership:
    """The partnership of `county` covering `local_authorities` (names as police.uk LSOA
    names begin), with the template's bodies, categories, mapping, beats and LSOAs."""
    census = census_populations(directory)
    unknown = [la for la in local_authorities if la not in census]
    if unknown:
        from django.core.exceptions import ValidationError

        raise ValidationError(
            f"{', '.join(unknown)}: not a local authority of the template "
            f"(known: {', '.join(sorted(census))})."
        )
    partnership = create_partnership(
        county=county,
        slug=slug,
        name=name,
        ons_code=ons_code,
        local_authorities=[(la, census[la][0]) for la in local_authorities],
        councils=councils or [f"{la} Council" for la in local_authorities],
        population=sum(census[la][1] for la in local_authorities),
        population_source=POPULATION_SOURCE,
        bodies=template_bodies(directory),
    )
    apply_template(partnership=partnership, directory=directory)
    return partnership


def template_figures(
    partnership: Partnership, rows: list[dict[str, str]]
) -> dict[CellKey, int | None]:
    """figures.csv rows of `partnership` as services.apply_figures values."""
    codes = dict(CrimeCategory.objects.filter(partnership=partnership).values_list("code", "pk"))
    values: dict[CellKey, int | None] = {}  # partnership totals only (no beat)
    for row in rows:
        if row["partnership"] == partnership.slug and row["category"] in codes:
            year = int(row["financial_year"][:4])
            values[(year, int(row["quarter"]), codes[row["category"]], None)] = int(row["count"])
    return values


def rows_by_partnership(directory: Path = TEMPLATE_DIR) -> dict[str, list[dict[str, str]]]:
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_rows(directory / "figures.csv"):
        grouped[row["partnership"]].append(row)
    return grouped
