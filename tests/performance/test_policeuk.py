"""police.uk street-level imports: a real (sampled) Leicestershire file counts exactly.

The sample is 490 rows of 2022-07-leicestershire-street.csv: every row of some Charnwood
LSOAs (with repeated ASB rows), rows from elsewhere in the force area and "No Location"
rows. Expected counts are computed here from the file with the csv module.
"""

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from csp_portal.financial_year import Quarter
from performance.models import QuarterlyFigure
from performance.policeuk import count_street_files, district_prefix
from performance.services import apply_figures
from tests.performance.factories import map_lsoas, map_policeuk

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "2022-07-leicestershire-street-sample.csv"
Q2 = Quarter.parse("2022/23", 2)


def _rows():
    with SAMPLE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _ours(row) -> bool:
    return row["LSOA name"].startswith("Charnwood") and row["Location"] != "No Location"


@pytest.fixture
def lookup(partnership, categories, beats):
    """Every Charnwood LSOA of the sample on a beat, except one left out of the lookup."""
    lsoas = sorted({r["LSOA code"] for r in _rows() if r["LSOA name"].startswith("Charnwood")})
    assert len(lsoas) >= 4
    codes = list(beats)
    mapping = {code: codes[i % len(codes)] for i, code in enumerate(lsoas[1:])}
    map_lsoas(partnership, beats, mapping)
    map_policeuk(partnership, categories)
    return {"mapped": mapping, "unmapped": lsoas[0]}


def test_sample_has_what_the_test_needs():
    rows = _rows()
    asb = Counter(
        tuple(r.values()) for r in rows if _ours(r) and r["Crime type"] == "Anti-social behaviour"
    )
    assert any(n > 1 for n in asb.values()), "identical ASB rows"
    assert any(r["Location"] == "No Location" for r in rows)
    assert any(r["LSOA name"] and not r["LSOA name"].startswith("Charnwood") for r in rows)


def test_district_prefix_comes_from_the_local_authority(partnership):
    partnership.local_authority = "Charnwood Borough Council"
    assert district_prefix(partnership) == "Charnwood"


def test_counts_per_crime_type_equal_the_files_own(partnership, lookup):
    rows = _rows()
    result = count_street_files(partnership, [SAMPLE])
    assert result.rows == len(rows)
    in_file = Counter(r["Crime type"] for r in rows)
    ours = Counter(r["Crime type"] for r in rows if _ours(r))
    no_location = Counter(r["Crime type"] for r in rows if r["Location"] == "No Location")
    for crime_type, count in in_file.items():
        counts = result.by_crime_type[crime_type]
        assert counts["file"] == count
        assert counts["counted"] == ours[crime_type]
        assert counts["no_location"] == no_location[crime_type]
        assert counts["counted"] + counts["outside"] + counts["no_location"] == count
    unmapped_rows = sum(1 for r in rows if r["LSOA code"] == lookup["unmapped"])
    assert result.total("unmapped_lsoa") == unmapped_rows > 0
    assert any(lookup["unmapped"] in label for label in result.unmapped_lsoas)
    assert "Q2 2022/23 has only 1 of its 3 months" in result.warnings[0]


def test_imported_figures_equal_the_files_counts(partnership, categories, beats, lookup):
    rows = [r for r in _rows() if _ours(r)]
    result = count_street_files(partnership, [SAMPLE])
    apply_figures(partnership=partnership, values=result.values)

    def stored(code, beat=None):
        return QuarterlyFigure.objects.get(
            partnership=partnership,
            financial_year=Q2.financial_year,
            quarter=2,
            category=categories[code],
            beat=beat,
        ).count

    by_type = Counter(r["Crime type"] for r in rows)
    assert stored("CYC") == by_type["Bicycle theft"]
    assert stored("ROB") == by_type["Robbery"]
    assert stored("ASB") == by_type["Anti-social behaviour"]  # each repeated row counts
    assert stored("ALL") == len(rows) - by_type["Anti-social behaviour"]
    for beat_code, beat in beats.items():
        lsoas = {code for code, b in lookup["mapped"].items() if b == beat_code}
        expected = sum(
            1
            for r in rows
            if r["LSOA code"] in lsoas and r["Crime type"] != "Anti-social behaviour"
        )
        assert stored("ALL", beat) == expected


def test_import_policeuk_command_reports_and_is_repeatable(partnership, lookup):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_policeuk", str(SAMPLE), "--partnership", "charnwood", stdout=out, stderr=err
    )
    assert "Counting" in err.getvalue()  # the tqdm progress bar
    text = out.getvalue()
    assert "490 rows read" in text and "with no location" in text and "Imported" in text
    assert f"Not in the LSOA lookup: {lookup['unmapped']}" in text
    written = QuarterlyFigure.objects.count()
    assert written > 0
    out = io.StringIO()
    call_command(
        "import_policeuk", str(SAMPLE), "--partnership", "charnwood", "--no-progress", stdout=out
    )
    assert "0 new, 0 changed" in out.getvalue()
    assert QuarterlyFigure.objects.count() == written


def test_upload_in_the_browser_previews_then_imports(
    client_for, officer, partnership, lookup, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    upload = SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes(), content_type="text/csv")
    preview = client.post("/p/charnwood/performance/policeuk/", {"files": [upload]})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Outside the partnership" in page and "missing from the lookup" in page
    assert not QuarterlyFigure.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):  # the import job runs at commit
        response = client.post(
            "/p/charnwood/performance/policeuk/confirm/", {"token": preview.context["token"]}
        )
    assert response.status_code == 302 and response.url.startswith("/jobs/")
    assert QuarterlyFigure.objects.filter(quarter=2).exists()


def test_a_file_that_is_not_street_level_is_refused(client_for, officer, partnership, lookup):
    upload = SimpleUploadedFile("2022-07-street.csv", b"name,count\nx,1\n", content_type="text/csv")
    response = client_for(officer).post("/p/charnwood/performance/policeuk/", {"files": [upload]})
    assert response.status_code == 400
    assert "is not a police.uk street-level file: it lacks the column(s) Month" in (
        response.content.decode()
    )
    assert not QuarterlyFigure.objects.exists()


def test_officer_edits_the_crime_type_mapping(client_for, officer, partnership, categories):
    from performance.models import CrimeTypeMapping, PoliceUkCrimeType

    index = PoliceUkCrimeType.values.index("Bicycle theft")
    robbery = PoliceUkCrimeType.values.index("Robbery")
    response = client_for(officer).post(
        "/p/charnwood/performance/policeuk/",
        {"mapping": "1", f"type_{index}": ["ALL", "CYC"], f"type_{robbery}": ["ROB"]},
    )
    assert response.status_code == 302
    assert set(CrimeTypeMapping.objects.values_list("crime_type", "category__code")) == {
        ("Bicycle theft", "ALL"),
        ("Bicycle theft", "CYC"),
        ("Robbery", "ROB"),
    }
    page = client_for(officer).get("/p/charnwood/performance/policeuk/").content.decode()
    assert '<option value="CYC" selected>' in page
