"""python manage.py funding_allocation: seed 004's 2010/11 allocation from a CSV."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

SEED_CSV = Path(__file__).parent / "data" / "allocation_2010-11.csv"
AMOUNTS = ["--even", "175000", "--population", "94125", "--crime", "156875"]


def run(*args: str) -> str:
    out = StringIO()
    call_command("funding_allocation", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_csv_format_prints_each_partnerships_allocation():
    assert run(str(SEED_CSV), *AMOUNTS, "--format", "csv") == (
        "partnership,even,population,crime,total\n"
        "Blaby,25000,13711,20840,59551\n"
        "Charnwood,25000,24072,47279,96351\n"
        "Harborough,25000,12051,14567,51618\n"
        "Hinckley & Bosworth,25000,15386,24823,65209\n"
        "Melton,25000,7249,11453,43702\n"
        "North West Leics,25000,13281,25863,64144\n"
        "Oadby & Wigston,25000,8375,12050,45425\n"
    )


@pytest.mark.django_db
def test_table_format_adds_the_totals():
    lines = run(str(SEED_CSV), *AMOUNTS, "--format", "table").splitlines()
    assert lines[0].split() == ["partnership", "even", "population", "crime", "total"]
    assert lines[-1].split() == ["Total", "175000", "94125", "156875", "426000"]
    assert len(lines) == 9


@pytest.mark.django_db
def test_a_bad_row_is_named(tmp_path):
    bad = tmp_path / "inputs.csv"
    bad.write_text("partnership,population,crime\nBlaby,92500,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Row 2, crime: '' is not a whole number"):
        run(str(bad), *AMOUNTS)


@pytest.mark.django_db
def test_pence_in_an_amount_are_refused():
    with pytest.raises(CommandError, match="whole number of pounds"):
        run(str(SEED_CSV), "--even", "175000.50", "--population", "1", "--crime", "1")


@pytest.mark.django_db
def test_without_a_csv_it_needs_the_county_and_year():
    with pytest.raises(CommandError, match="--county and --year"):
        run(*AMOUNTS)


@pytest.mark.django_db
def test_stored_figures_of_the_countys_partnerships(partnership, other_partnership):
    from tests.plans.agreement_world import county, population
    from tests.plans.factories import CategoryFactory, figure

    county("testshire", partnership, other_partnership)
    for p, people, crime in ((partnership, 300, 60), (other_partnership, 100, 40)):
        population(p, 2022, people)
        category = CategoryFactory(partnership=p, name="All Crime", code="ALL")
        for number in (1, 2, 3, 4):
            figure(p, category, 2022, number, crime // 4)
    output = run("--county", "testshire", "--year", "2022/23", "--even", "1000",
                 "--population", "500", "--crime", "301", "--format", "csv")  # fmt: skip
    assert output.splitlines()[1:] == [
        "Charnwood CSP,500,375,181,1056",
        "Melton CSP,500,125,120,745",
    ]
