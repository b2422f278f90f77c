"""Home Office "recorded crime by CSP" tables: the partnership's own totals and its
family-group peers' figures, through the offence mapping officers edit.

The sample (tests/performance/data/homeoffice/, constructed in the published layout; see
its README) has 2022/23 Q1–Q2 for Charnwood, Rugby (a peer here) and Melton (outside
the group). Expected counts are computed here from the file with the csv module.
"""

import csv
import io
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from performance.family import family_group_for
from performance.homeoffice import load_standard_mapping
from performance.models import FamilyGroupMember, OffenceMapping, PeerFigure, QuarterlyFigure

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data/homeoffice/recorded-crime-by-csp-sample.csv"
PAGE = "/p/charnwood/performance/homeoffice/"


def _rows() -> list[dict]:
    with SAMPLE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _expected(csp: str, keep) -> dict[int, int]:
    totals: dict[int, int] = defaultdict(int)
    for row in _rows():
        if row["CSP Name"] == csp and keep(row):
            totals[int(row["Financial Quarter"])] += int(row["Number of Offences"])
    return dict(totals)


@pytest.fixture
def group(partnership, categories, beats):
    load_standard_mapping(partnership=partnership)
    family = family_group_for(partnership)
    FamilyGroupMember.objects.create(
        family_group=family, csp_name="Leicestershire – Charnwood", is_self=True
    )
    rugby = FamilyGroupMember.objects.create(
        family_group=family, csp_name="Warwickshire – Rugby", ons_code="E22000203"
    )
    PeerFigure.objects.create(
        member=rugby,
        financial_year=2021,
        quarter=4,
        category=categories["ALL"],
        count=2000,
        population=110_000,
    )
    return {"rugby": rugby}


def _own(partnership, code: str) -> dict[int, int]:
    return dict(
        QuarterlyFigure.objects.filter(
            partnership=partnership, category__code=code, beat=None, financial_year=2022
        ).values_list("quarter", "count")
    )


def test_the_standard_mapping_covers_the_demo_categories(partnership, categories):
    added = load_standard_mapping(partnership=partnership)
    mapped = set(OffenceMapping.objects.values_list("category__code", flat=True))
    assert mapped == set(categories) - {"ASB"}  # the Home Office does not count ASB
    assert added == OffenceMapping.objects.count()
    assert load_standard_mapping(partnership=partnership) == 0  # idempotent


def test_import_figures_recognises_the_layout_and_imports_own_and_peer_figures(partnership, group):
    out = io.StringIO()
    call_command("import_figures", str(SAMPLE), "--partnership", "charnwood", stdout=out)
    assert "Home Office layout" in out.getvalue()
    assert _own(partnership, "ALL") == _expected("Charnwood", lambda r: True)
    assert _own(partnership, "VWI") == _expected(
        "Charnwood", lambda r: r["Offence Subgroup"] == "Violence with injury"
    )
    assert _own(partnership, "BUR-RES") == _expected(
        "Charnwood", lambda r: r["Offence Subgroup"] == "Residential burglary"
    )
    assert _own(partnership, "BUR-BUS") == _expected(
        "Charnwood", lambda r: r["Offence Subgroup"] == "Non-residential burglary"
    )
    assert _own(partnership, "TOV") == _expected("Charnwood", lambda r: r["Offence Code"] == "48")
    assert _own(partnership, "ASB") == {}  # not in the Home Office's tables: untouched
    rugby = {
        (f.quarter, f.category.code): (f.count, f.population)
        for f in PeerFigure.objects.filter(member=group["rugby"], financial_year=2022)
    }
    expected = _expected("Rugby", lambda r: r["Offence Group"] == "Robbery")
    assert rugby[(1, "ROB")] == (expected[1], 110_000)  # population: the nearest year's
    assert rugby[(2, "ROB")] == (expected[2], 110_000)
    assert not FamilyGroupMember.objects.filter(csp_name__icontains="Melton").exists()


def test_upload_previews_then_imports_on_confirm(
    client_for, officer, partnership, group, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    upload = SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes(), content_type="text/csv")
    preview = client.post(PAGE, {"file": upload})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "48 for Warwickshire – Rugby" in page and "48 for CSPs outside the family group" in page
    assert not QuarterlyFigure.objects.exists() and PeerFigure.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):  # the import job runs at commit
        confirm = client.post(PAGE + "confirm/", {"token": preview.context["token"]})
    assert confirm.status_code == 302
    assert _own(partnership, "ALL") == _expected("Charnwood", lambda r: True)
    assert PeerFigure.objects.filter(financial_year=2022).count() == 2 * 11


def test_an_officer_edits_the_offence_mapping(client_for, officer, partnership, group, categories):
    client = client_for(officer)
    existing = list(OffenceMapping.objects.filter(partnership=partnership))
    data = {
        "mapping-TOTAL_FORMS": str(len(existing) + 1),
        "mapping-INITIAL_FORMS": str(len(existing)),
    }
    for index, row in enumerate(existing):
        data |= {
            f"mapping-{index}-id": row.pk,
            f"mapping-{index}-match_on": row.match_on,
            f"mapping-{index}-value": row.value,
            f"mapping-{index}-category": row.category_id,
        }
    new = len(existing)
    data |= {
        f"mapping-{new}-match_on": "code",
        f"mapping-{new}-value": "8Q",  # harassment, counted as violence with injury here
        f"mapping-{new}-category": categories["VWI"].pk,
    }
    assert client.post(PAGE, data).status_code == 302
    call_command("import_figures", str(SAMPLE), "--partnership", "charnwood", stdout=io.StringIO())
    assert _own(partnership, "VWI") == _expected(
        "Charnwood",
        lambda r: r["Offence Subgroup"] == "Violence with injury" or r["Offence Code"] == "8Q",
    )


def test_a_peer_with_no_known_population_is_refused_naming_it(partnership, group, tmp_path):
    PeerFigure.objects.all().delete()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_figures", str(SAMPLE), "--partnership", "charnwood", stderr=io.StringIO()
        )
    assert not QuarterlyFigure.objects.exists() and not PeerFigure.objects.exists()


def test_csps_are_matched_by_ons_code(partnership, group, tmp_path):
    rows = _rows()
    path = tmp_path / "with-codes.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*rows[0], "CSP Code"])
        writer.writeheader()
        for row in rows:
            code = {"Charnwood": "E22000165", "Rugby": "E22000203"}.get(row["CSP Name"], "")
            name = {"Charnwood": "Charnwood CSP area", "Rugby": "Rugby District"}.get(
                row["CSP Name"], row["CSP Name"]
            )
            writer.writerow({**row, "CSP Name": name, "CSP Code": code})
    call_command("import_figures", str(path), "--partnership", "charnwood", stdout=io.StringIO())
    assert _own(partnership, "ALL") == _expected("Charnwood", lambda r: True)
    assert PeerFigure.objects.filter(member=group["rugby"], financial_year=2022).exists()


def test_a_home_office_import_whose_figures_changed_after_the_preview_writes_nothing(
    client_for, officer, partnership, group, categories, django_capture_on_commit_callbacks
):
    from csp_portal.models import BackgroundJob
    from performance.services import apply_figures

    client = client_for(officer)
    upload = SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes(), content_type="text/csv")
    preview = client.post(PAGE, {"file": upload})
    assert preview.status_code == 200
    # Another officer saves a Charnwood figure of the table's quarters meanwhile.
    apply_figures(partnership=partnership, values={(2022, 1, categories["ALL"].pk, None): 1})
    with django_capture_on_commit_callbacks(execute=True):
        confirm = client.post(PAGE + "confirm/", {"token": preview.context["token"]})
    assert confirm.status_code == 302 and confirm.url.startswith("/jobs/")
    job = BackgroundJob.objects.get(pk=confirm.url.split("/")[2])
    assert job.status == BackgroundJob.Status.FAILED and job.kind == "performance.homeoffice"
    assert "changed after the preview" in job.error and "Nothing was imported" in job.error
    assert "changed after the preview" in client.get(confirm.url).content.decode()
    assert list(QuarterlyFigure.objects.values_list("count", flat=True)) == [1]
    assert PeerFigure.objects.count() == 1  # the peers' figures untouched too
