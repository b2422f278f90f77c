"""The force area's figures from police.uk: each partnership's quarter, as the county
template's import stores it, equals a count of the shipped sample made here on its own
(csv module, LSOA name prefixes, crime types), for all nine partnerships."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from csp_portal.county import TEMPLATE_DIR, read_rows
from performance import services
from performance.county_template import rows_by_partnership, template_figures
from performance.force_area import count_files, with_zeros
from performance.models import QuarterlyFigure
from tests.performance.county_world import FORCE_AREA, county_of, make_partnership

pytestmark = pytest.mark.django_db
SAMPLE = sorted((Path(__file__).parent / "data" / "force_area").glob("2022-0*-sample.csv"))
#: The nine partnerships' districts, written out here rather than read from the template.
DISTRICTS = {
    "Charnwood": "charnwood", "Blaby": "blaby-hinckley-bosworth",
    "Hinckley and Bosworth": "blaby-hinckley-bosworth", "Harborough": "harborough",
    "Melton": "melton", "North West Leicestershire": "nw-leicestershire",
    "Oadby and Wigston": "oadby-wigston", "Leicester": "leicester", "Rutland": "rutland",
}  # fmt: skip
SHOWN = {"Burglary": "BUR", "Vehicle crime": "VEH", "Robbery": "ROB", "Bicycle theft": "CYC",
         "Shoplifting": "SHOP"}  # fmt: skip


def independent_count() -> Counter:
    counted: Counter = Counter()
    for path in SAMPLE:
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                name = row["LSOA name"]
                district = next((d for d in DISTRICTS if name.startswith(d + " ")), None)
                if district is None:
                    continue  # no location, or another force's area
                slug = DISTRICTS[district]
                kind = row["Crime type"]
                if kind == "Anti-social behaviour":
                    counted[(slug, "ASB")] += 1
                    continue
                counted[(slug, "ALL")] += 1
                if kind in SHOWN:
                    counted[(slug, SHOWN[kind])] += 1
    return counted


def test_the_sample_is_three_months_of_the_whole_force_area():
    assert [p.name[:7] for p in SAMPLE] == ["2022-07", "2022-08", "2022-09"]
    names = {row["LSOA name"].rsplit(" ", 1)[0] for p in SAMPLE for row in read_rows(p)}
    assert set(DISTRICTS) <= names


def test_nine_partnerships_figures_for_a_quarter_equal_an_independent_count():
    county = county_of()
    partnerships = [make_partnership(county, spec[0]) for spec in FORCE_AREA]
    prefixes = dict(DISTRICTS)
    mapping: dict[str, list[str]] = {}
    for row in read_rows(TEMPLATE_DIR / "crime_type_mapping.csv"):
        mapping.setdefault(row["crime_type"], []).append(row["category"])
    codes = [row["code"] for row in read_rows(TEMPLATE_DIR / "categories.csv")]
    counted = count_files(SAMPLE, prefixes, mapping)
    rows = [
        dict(zip(["partnership", "financial_year", "quarter", "category", "count"], map(str, r),
                 strict=True))
        for r in with_zeros(counted, [p.slug for p in partnerships], codes)
    ]  # fmt: skip
    for partnership in partnerships:
        values = template_figures(
            partnership, [r for r in rows if r["partnership"] == partnership.slug]
        )
        services.apply_figures(partnership=partnership, values=values)
    stored = {
        (slug, code): count
        for slug, code, count in QuarterlyFigure.objects.filter(
            financial_year=2022, quarter=2, beat__isnull=True
        ).values_list("partnership__slug", "category__code", "count")
    }
    expected = independent_count()
    assert len(stored) == 8 * 7  # eight partnerships (nine districts) × seven categories
    assert stored == {key: expected.get(key, 0) for key in stored}
    assert sum(stored[(p.slug, "ALL")] for p in partnerships) > 1000  # a real sample


def test_the_demo_figures_file_covers_every_partnership_and_quarter():
    grouped = rows_by_partnership()
    slugs = [row["slug"] for row in read_rows(TEMPLATE_DIR / "partnerships.csv")]
    assert sorted(grouped) == sorted(slugs)
    for slug in slugs:
        periods = {(r["financial_year"], r["quarter"]) for r in grouped[slug]}
        assert len(periods) == 6 and len(grouped[slug]) == 6 * 7  # Apr 2021 – Sep 2022
