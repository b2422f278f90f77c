"""The demo's LSOA → beat lookup is derived from where police.uk puts each Charnwood
LSOA's crimes and the places each beat is named after, so that a real import puts the
town centre's crime in Beat 62 (scripts/derive_lsoa_beats.py; the shipped points file
stands in for the police.uk files, which tests never read)."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from csp_portal.financial_year import FinancialYear
from performance.models import Beat, QuarterlyFigure
from performance.reference_data import apply_lsoa_lookup, parse_lsoa_lookup
from performance.spreadsheets import read_table
from scripts.derive_lsoa_beats import (
    PLACES,
    distance_km,
    lookup_from_points,
    nearest_place,
    read_points,
)
from tests.performance.factories import map_policeuk

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "performance"
SAMPLE = Path(__file__).parent / "data" / "2022-07-leicestershire-street-sample.csv"
MARKET_PLACE = (52.7719, -1.2063)  # Loughborough town centre


def _lookup() -> dict[str, str]:
    with (FIXTURES / "lsoa_beats.csv").open(encoding="utf-8") as handle:
        return {row["lsoa_code"]: row["beat"] for row in csv.DictReader(handle)}


def _near_market_place(latitude, longitude, km=0.5) -> bool:
    return distance_km(latitude, longitude, *MARKET_PLACE) <= km


def test_the_shipped_lookup_is_what_the_script_derives_from_the_shipped_points():
    points = read_points(FIXTURES / "lsoa_points.csv")
    assert len(points) == 99  # every Charnwood LSOA
    derived = {row["lsoa_code"]: row["beat"] for row in lookup_from_points(points)}
    assert derived == _lookup()


def test_every_beat_of_the_demo_has_places_and_lsoas():
    with (FIXTURES / "beats.csv").open(encoding="utf-8") as handle:
        beats = {row["code"] for row in csv.DictReader(handle)}
    assert set(PLACES) == beats
    assert set(_lookup().values()) == beats


def test_the_town_centre_and_the_university_are_beat_62_syston_and_thurmaston_beat_61():
    assert nearest_place(*MARKET_PLACE)[0] == "62"
    assert nearest_place(52.7645, -1.2287)[0] == "62"  # Loughborough University
    assert nearest_place(52.6990, -1.0790)[0] == "61"  # Syston
    assert nearest_place(52.6720, -1.0920)[0] == "61"  # Thurmaston
    points = read_points(FIXTURES / "lsoa_points.csv")
    centre = [p for p in points if _near_market_place(float(p["latitude"]), float(p["longitude"]))]
    assert centre and {_lookup()[p["lsoa_code"]] for p in centre} == {"62"}
    busiest = max(points, key=lambda p: int(p["rows"]))  # the town centre's LSOA
    assert _lookup()[busiest["lsoa_code"]] == "62"


def test_a_real_import_puts_the_town_centres_crime_in_beat_62(partnership, categories):
    with (FIXTURES / "beats.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            Beat.objects.create(partnership=partnership, code=row["code"], name=row["name"])
    parsed = parse_lsoa_lookup(partnership, read_table(FIXTURES / "lsoa_beats.csv"))
    assert parsed.ok, parsed.errors
    apply_lsoa_lookup(partnership=partnership, parsed=parsed)
    map_policeuk(partnership, categories)
    call_command("import_policeuk", str(SAMPLE), "--partnership", partnership.slug,
                 "--no-progress", stdout=io.StringIO())  # fmt: skip
    with SAMPLE.open(encoding="utf-8") as handle:
        rows = [
            r for r in csv.DictReader(handle)
            if r["LSOA name"].startswith("Charnwood") and r["Crime type"] != "Anti-social behaviour"
        ]  # fmt: skip
    centre = [r for r in rows if _near_market_place(float(r["Latitude"]), float(r["Longitude"]))]
    assert len(centre) >= 20  # the sample has the town centre's July crimes
    in_62 = [r for r in rows if _lookup()[r["LSOA code"]] == "62"]
    assert set(map(id, centre)) <= set(map(id, in_62))
    stored = QuarterlyFigure.objects.get(
        partnership=partnership, financial_year=FinancialYear(2022), quarter=2,
        category=categories["ALL"], beat__code="62",
    )  # fmt: skip
    assert stored.count == len(in_62)
