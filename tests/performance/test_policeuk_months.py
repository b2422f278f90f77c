"""police.uk months are the unit of an import: one at a time equals all at once.

Samples: tests/performance/data/2022-0{6,7,8,9}-leicestershire-street-sample.csv, rows of
the real Leicestershire files of June–September 2022 (data.police.uk, Open Government
Licence): every row of some Charnwood LSOAs, some rows elsewhere and "No Location" rows.
"""

import csv
import io
import random
from collections import Counter
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from performance import monthly_figures
from performance.models import (
    ImportedMonth,
    MonthlyFigure,
    QuarterlyFigure,
)
from performance.policeuk import count_street_files
from performance.services import apply_figures
from tests.performance.factories import map_lsoas, map_policeuk

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
MONTHS = ["2022-06", "2022-07", "2022-08", "2022-09"]
FILES = [DATA / f"{m}-leicestershire-street-sample.csv" for m in MONTHS]


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def lookup(partnership, categories, beats):
    """Every Charnwood LSOA of the samples on a beat, except one left out of the lookup."""
    lsoas = sorted(
        {r["LSOA code"] for f in FILES for r in _rows(f) if r["LSOA name"].startswith("Charnwood")}
    )
    codes = list(beats)
    mapping = {code: codes[i % len(codes)] for i, code in enumerate(lsoas[1:])}
    map_lsoas(partnership, beats, mapping)
    map_policeuk(partnership, categories)
    return {"mapped": mapping, "unmapped": lsoas[0]}


def _import(partnership, paths, **kwargs):
    result = count_street_files(partnership, paths)
    assert not result.errors, result.errors
    return monthly_figures.import_months(partnership=partnership, result=result, **kwargs)


def _snapshot(partnership) -> dict:
    quarterly = {
        (f.financial_year.start_year, f.quarter, f.category_id, f.beat_id): f.count
        for f in QuarterlyFigure.objects.filter(partnership=partnership)
    }
    monthly = {
        (f.month, f.category_id, f.beat_id): f.count
        for f in MonthlyFigure.objects.filter(partnership=partnership)
    }
    return {"quarterly": quarterly, "monthly": monthly}


def _forget_everything(partnership) -> None:
    for model in (QuarterlyFigure, MonthlyFigure, ImportedMonth):
        model.objects.filter(partnership=partnership).delete()


def test_the_samples_have_two_quarters_and_unassigned_rows(lookup):
    months = {r["Month"] for f in FILES for r in _rows(f)}
    assert months == set(MONTHS)  # June is Q1, July–September Q2
    unmapped = sum(1 for f in FILES for r in _rows(f) if r["LSOA code"] == lookup["unmapped"])
    assert unmapped > 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_months_one_at_a_time_shuffled_and_one_repeated_equal_all_at_once(
    partnership, lookup, seed
):
    _import(partnership, FILES)
    all_at_once = _snapshot(partnership)
    assert all_at_once["quarterly"] and all_at_once["monthly"]
    _forget_everything(partnership)
    order = list(FILES)
    random.Random(seed).shuffle(order)
    order.insert(2, order[0])  # one month imported twice
    for path in order:
        _import(partnership, [path])
    assert _snapshot(partnership) == all_at_once


def test_a_quarter_is_the_sum_of_its_months(partnership, categories, lookup):
    _import(partnership, FILES)
    q2_rows = [r for f in FILES[1:] for r in _rows(f)]
    ours = [
        r
        for r in q2_rows
        if r["LSOA name"].startswith("Charnwood") and r["Location"].lower() != "no location"
    ]
    robbery = sum(1 for r in ours if r["Crime type"] == "Robbery")
    not_asb = sum(1 for r in ours if r["Crime type"] != "Anti-social behaviour")
    figure = QuarterlyFigure.objects.get(
        partnership=partnership,
        financial_year=2022,
        quarter=2,
        beat=None,
        category=categories["ALL"],
    )
    assert figure.count == not_asb
    assert (
        QuarterlyFigure.objects.get(
            partnership=partnership,
            financial_year=2022,
            quarter=2,
            beat=None,
            category=categories["ROB"],
        ).count
        == robbery
    )


def test_importing_a_month_again_replaces_that_month_only(
    partnership, categories, lookup, tmp_path
):
    _import(partnership, FILES)
    before = _snapshot(partnership)
    # August again, with its first five Charnwood crimes withdrawn by the force.
    rows = _rows(FILES[2])
    dropped = [i for i, r in enumerate(rows) if r["LSOA code"] in lookup["mapped"]][:5]
    kept = [r for i, r in enumerate(rows) if i not in dropped]
    august = tmp_path / "2022-08-leicestershire-street.csv"
    with august.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(kept)
    plan = _import(partnership, [august])
    assert [m.isoformat() for m in plan.replaced] == ["2022-08-01"] and not plan.added
    after = _snapshot(partnership)
    changed_months = {k[0] for k in set(before["monthly"]) | set(after["monthly"])
                      if before["monthly"].get(k) != after["monthly"].get(k)}  # fmt: skip
    assert {m.isoformat() for m in changed_months} == {"2022-08-01"}
    changed_quarters = {
        k[:2] for k in before["quarterly"] if before["quarterly"][k] != after["quarterly"][k]
    }
    assert changed_quarters == {(2022, 2)}
    total = (2022, 2, categories["ALL"].pk, None)
    withdrawn = sum(1 for i in dropped if rows[i]["Crime type"] != "Anti-social behaviour")
    assert before["quarterly"][total] - after["quarterly"][total] == withdrawn


def test_the_same_month_twice_changes_nothing(partnership, lookup):
    _import(partnership, FILES[1:2])
    before = _snapshot(partnership)
    plan = _import(partnership, FILES[1:2])
    assert plan.changes.total == 0 and plan.replaced
    assert _snapshot(partnership) == before


def test_figures_typed_for_other_categories_are_kept(partnership, categories, lookup):
    violence = (2022, 2, categories["VWI"].pk, None)  # fed by no police.uk crime type
    apply_figures(partnership=partnership, values={violence: 321})
    for path in FILES:
        _import(partnership, [path])
    assert _snapshot(partnership)["quarterly"][violence] == 321


def test_imported_months_are_recorded_with_rows_counted(partnership, lookup):
    _import(partnership, FILES[1:3])
    recorded = dict(ImportedMonth.objects.values_list("month", "rows"))
    assert [m.isoformat() for m in sorted(recorded)] == ["2022-07-01", "2022-08-01"]
    july = [
        r
        for r in _rows(FILES[1])
        if r["LSOA name"].startswith("Charnwood") and r["Location"].lower() != "no location"
    ]
    assert recorded[min(recorded)] == len(july)


def test_a_crime_id_counted_in_another_month_is_reported(partnership, lookup, tmp_path):
    _import(partnership, FILES[1:2])
    july_crime = next(
        r for r in _rows(FILES[1]) if r["Crime ID"] and r["LSOA code"] in lookup["mapped"]
    )
    rows = _rows(FILES[2])
    rows.append({**july_crime, "Month": "2022-08"})
    august = tmp_path / "2022-08-leicestershire-street.csv"
    with august.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = count_street_files(partnership, [august])
    plan = monthly_figures.plan_months(partnership, result)
    assert len(plan.repeated_ids) == 1
    (warning,) = plan.warnings
    assert july_crime["Crime ID"][:12] in warning
    assert "August 2022 was already counted in July 2022" in warning
    # Within one import too.
    both = count_street_files(partnership, [FILES[1], august])
    assert any("already counted in July 2022" in w for w in both.warnings)


def test_one_month_in_two_files_is_refused(partnership, lookup, tmp_path):
    copy = tmp_path / "copy-of-july.csv"
    copy.write_bytes(FILES[1].read_bytes())
    result = count_street_files(partnership, [FILES[1], copy])
    assert any("July 2022 is in both" in e for e in result.errors)
    with pytest.raises(ValueError):
        monthly_figures.import_months(partnership=partnership, result=result)
    assert not QuarterlyFigure.objects.exists()


def test_preview_lists_months_added_and_replaced(
    client_for, officer, partnership, lookup, django_capture_on_commit_callbacks
):
    _import(partnership, FILES[1:2])
    uploads = [
        SimpleUploadedFile(p.name, p.read_bytes(), content_type="text/csv") for p in FILES[1:3]
    ]
    client = client_for(officer)
    response = client.post("/p/charnwood/performance/policeuk/", {"files": uploads})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Added: August 2022" in page
    assert "only these months change): July 2022" in page
    assert not MonthlyFigure.objects.filter(month__month=8).exists()  # a preview writes nothing
    with django_capture_on_commit_callbacks(execute=True):  # the import job runs at commit
        confirmed = client.post(
            "/p/charnwood/performance/policeuk/confirm/", {"token": response.context["token"]}
        )
    assert confirmed.status_code == 302
    assert MonthlyFigure.objects.filter(month__month=8).exists()


def test_the_command_says_which_months_it_adds_and_replaces(partnership, lookup):
    out = io.StringIO()
    call_command(
        "import_policeuk", str(FILES[1]), "--partnership", "charnwood", "--no-progress", stdout=out
    )
    assert "Months added: July 2022. Months replaced: none." in out.getvalue()
    out = io.StringIO()
    call_command(
        "import_policeuk", *map(str, FILES[1:3]), "--partnership", "charnwood", "--no-progress",
        stdout=out,
    )  # fmt: skip
    assert "Months added: August 2022. Months replaced: July 2022." in out.getvalue()


def test_crimes_on_no_beat_count_as_not_assigned(partnership, categories, beats, lookup):
    _import(partnership, FILES[1:2])
    rows = [r for r in _rows(FILES[1]) if r["LSOA code"] == lookup["unmapped"]]
    not_asb = Counter(r["Crime type"] != "Anti-social behaviour" for r in rows)[True]
    unassigned = MonthlyFigure.objects.get(
        partnership=partnership, category=categories["ALL"], beat=None
    )
    assert unassigned.count == not_asb > 0
    figures = QuarterlyFigure.objects.filter(
        partnership=partnership, financial_year=2022, quarter=2, category=categories["ALL"]
    )
    total = figures.get(beat=None).count
    on_beats = sum(f.count for f in figures.exclude(beat=None))
    assert total == on_beats + not_asb  # in the total, in no beat, not dropped


def test_the_beats_page_shows_crimes_not_assigned_to_a_beat(
    client_for, board_member, partnership, categories, lookup
):
    _import(partnership, FILES[1:2])
    unassigned = MonthlyFigure.objects.get(
        partnership=partnership, category=categories["ALL"], beat=None
    ).count
    client = client_for(board_member)
    page = client.get("/p/charnwood/performance/beats/?year=2022&quarter=2").content.decode()
    assert "Not assigned to a beat" in page
    assert f'<td class="num">{unassigned} ' in page
    download = client.get("/p/charnwood/performance/beats/?year=2022&quarter=2&format=csv")
    line = next(
        r for r in csv.reader(io.StringIO(download.content.decode()))
        if r[0] == "All Crime" and r[2] == "Not assigned to a beat"
    )  # fmt: skip
    assert line[4] == str(unassigned)


def test_the_import_report_counts_crimes_not_assigned_to_a_beat(partnership, lookup):
    out = io.StringIO()
    call_command(
        "import_policeuk", str(FILES[1]), "--partnership", "charnwood", "--no-progress", stdout=out
    )
    rows = [r for r in _rows(FILES[1]) if r["LSOA code"] == lookup["unmapped"]]
    assert f"{len(rows)} not assigned to a beat" in out.getvalue()


def test_crimes_not_assigned_to_a_beat_are_compared_with_a_year_before(
    partnership, categories, lookup, tmp_path
):
    from csp_portal.financial_year import Quarter
    from performance.selectors import unassigned_ytd

    rows = _rows(FILES[1])
    last_year = tmp_path / "2021-07-leicestershire-street.csv"
    with last_year.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**r, "Month": "2021-07"} for r in rows)
    _import(partnership, [last_year])
    assert unassigned_ytd(partnership, Quarter.parse("2022/23", 2)) == {}  # none this year
    _import(partnership, FILES[1:2])
    ytd = unassigned_ytd(partnership, Quarter.parse("2022/23", 2))
    expected = sum(
        1
        for r in rows
        if r["LSOA code"] == lookup["unmapped"] and r["Crime type"] != "Anti-social behaviour"
    )
    assert ytd[categories["ALL"].pk] == (expected, expected)
