"""Counting a force's police.uk street-level files per partnership, by LSOA name.

In a force's file every LSOA name begins with its local authority's name ("Blaby 001A",
"Hinckley and Bosworth 012C"), so a partnership's rows are those whose LSOA name starts
with the name of one of its local authorities followed by a space. Rows with no
location (blank LSOA) and rows in other forces' areas belong to no partnership. Every
anti-social behaviour row is an incident, identical ones included.

`scripts/derive_force_area_figures.py` runs this over the shared files to write the
demo's fixtures/county/figures.csv; the tests run it over the shipped sample and check it
against a count of their own.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from csp_portal.financial_year import Quarter

#: (partnership slug, financial year "2022/23", quarter number, category code) -> count
QuarterCounts = Counter[tuple[str, str, int, str]]


def partnership_of(lsoa_name: str, prefixes: Mapping[str, str]) -> str | None:
    """The slug of the partnership whose local authority names the LSOA, or None."""
    for name, slug in prefixes.items():
        if lsoa_name.startswith(name + " "):
            return slug
    return None


def count_rows(
    rows: Iterable[Mapping[str, str]],
    prefixes: Mapping[str, str],
    mapping: Mapping[str, list[str]],
) -> QuarterCounts:
    """Quarterly counts per partnership and category from police.uk rows.

    `prefixes`: local authority name -> partnership slug; `mapping`: police.uk crime
    type -> the category codes it counts in (All Crime and its own category).
    """
    counts: QuarterCounts = Counter()
    quarters: dict[str, Quarter] = {}
    for row in rows:
        slug = partnership_of((row.get("LSOA name") or "").strip(), prefixes)
        if slug is None:
            continue
        month = row["Month"].strip()
        quarter = quarters.get(month)
        if quarter is None:
            quarter = Quarter.for_date(dt.date(int(month[:4]), int(month[5:7]), 1))
            quarters[month] = quarter
        for code in mapping.get(row["Crime type"].strip(), []):
            counts[(slug, str(quarter.financial_year), quarter.number, code)] += 1
    return counts


def count_files(
    paths: Iterable[Path], prefixes: Mapping[str, str], mapping: Mapping[str, list[str]]
) -> QuarterCounts:
    total: QuarterCounts = Counter()
    for path in paths:
        with Path(path).open(newline="", encoding="utf-8-sig") as handle:
            total.update(count_rows(csv.DictReader(handle), prefixes, mapping))
    return total


def with_zeros(
    counts: QuarterCounts, slugs: Iterable[str], codes: Iterable[str]
) -> list[tuple[str, str, int, str, int]]:
    """Every partnership × quarter seen × category, a 0 where no row was counted (a
    quarter with no robbery is a complete quarter with 0 robberies, not a missing one)."""
    periods = sorted({(year, number) for _, year, number, _ in counts})
    return [
        (slug, year, number, code, counts.get((slug, year, number, code), 0))
        for slug in slugs
        for year, number in periods
        for code in codes
    ]
