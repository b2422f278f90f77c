"""A new partnership of the county from its template, by a command: bodies, categories,
police.uk mapping, a beat per district with its LSOAs, councils and the population (a sum
for a partnership of two districts); twice changes nothing; bad input changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from csp_portal.county import TEMPLATE_DIR, read_rows
from csp_portal.models import LocalAuthority, Partnership
from performance.models import Beat, CrimeCategory, CrimeTypeMapping, LsoaBeat
from tests.performance.county_world import county_of

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("create_partnership", *args, stdout=out)
    return out.getvalue()


def template_lsoas(*districts: str) -> set[str]:
    return {
        row["lsoa_code"]
        for row in read_rows(TEMPLATE_DIR / "lsoas.csv")
        if any(row["lsoa_name"].startswith(d + " ") for d in districts)
    }


def test_a_partnership_of_two_districts_from_the_template():
    county = county_of()
    out = run(
        "--county", "leicestershire", "--name", "Blaby and Hinckley & Bosworth CSP",
        "--ons-code", "E22000164", "--districts", "Blaby;Hinckley and Bosworth",
        "--slug", "blaby-hinckley-bosworth",
        "--councils", "Blaby District Council;Hinckley & Bosworth Borough Council",
    )  # fmt: skip
    partnership = Partnership.objects.get(slug="blaby-hinckley-bosworth")
    assert partnership.county == county
    assert "population 216,600" in out
    assert partnership.populations.get().population == 102900 + 113700  # Census 2021 sum
    assert set(partnership.bodies.values_list("slug", flat=True)) == {"board", "jag"}
    assert set(partnership.organisations.values_list("name", flat=True)) == {
        "Blaby District Council", "Hinckley & Bosworth Borough Council",
    }  # fmt: skip
    template_codes = [row["code"] for row in read_rows(TEMPLATE_DIR / "categories.csv")]
    assert sorted(CrimeCategory.objects.filter(partnership=partnership).values_list(
        "code", flat=True)) == sorted(template_codes)  # fmt: skip
    assert CrimeTypeMapping.objects.filter(partnership=partnership).count() == 19
    beats = {b.code: b for b in Beat.objects.filter(partnership=partnership)}
    assert set(beats) == {"E07000129", "E07000132"}
    stored = LsoaBeat.objects.filter(partnership=partnership)
    assert {row.lsoa_code for row in stored} == template_lsoas("Blaby", "Hinckley and Bosworth")
    assert all(
        row.lsoa_name.startswith("Blaby ") == (row.beat.code == "E07000129") for row in stored
    )
    assert set(LocalAuthority.objects.filter(partnership=partnership).values_list(
        "name", flat=True)) == {"Blaby", "Hinckley and Bosworth"}  # fmt: skip
    # Twice changes nothing.
    counts = (CrimeCategory.objects.count(), LsoaBeat.objects.count(), Beat.objects.count())
    run("--county", "leicestershire", "--name", "Blaby and Hinckley & Bosworth CSP",
        "--ons-code", "E22000164", "--districts", "Blaby;Hinckley and Bosworth",
        "--slug", "blaby-hinckley-bosworth")  # fmt: skip
    assert (CrimeCategory.objects.count(), LsoaBeat.objects.count(), Beat.objects.count()) == counts


def test_melton_in_one_command_with_the_default_slug():
    county_of()
    run("--county", "leicestershire", "--name", "Melton CSP", "--ons-code", "E22000169",
        "--districts", "Melton")  # fmt: skip
    melton = Partnership.objects.get(slug="melton-csp")
    assert LsoaBeat.objects.filter(partnership=melton).count() == len(template_lsoas("Melton"))
    assert melton.local_authority == "Melton Council"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--county", "nowhere"], "No county “nowhere”"),
        (["--districts", "Atlantis"], "Atlantis: not a local authority of the template"),
        (["--ons-code", "E07000133"], "An ONS CSP code looks like E22000165"),
    ],
)
def test_bad_input_is_named_and_changes_nothing(args, message):
    county_of()
    base = {"--county": "leicestershire", "--name": "Melton CSP", "--ons-code": "E22000169",
            "--districts": "Melton"}  # fmt: skip
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    with pytest.raises(CommandError, match=message):
        run(*[part for pair in base.items() for part in pair])
    assert not Partnership.objects.exists() and not LocalAuthority.objects.exists()


def test_a_district_already_covered_is_refused():
    county_of()
    run("--county", "leicestershire", "--name", "Melton CSP", "--ons-code", "E22000169",
        "--districts", "Melton")  # fmt: skip
    with pytest.raises(CommandError, match="Melton is already covered by Melton CSP"):
        run("--county", "leicestershire", "--name", "Greater Melton", "--ons-code",
            "E22000999", "--districts", "Melton")  # fmt: skip
    assert Partnership.objects.count() == 1
