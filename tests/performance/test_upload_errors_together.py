"""Uploads that report everything at once (issue 16, part 5): a wide sheet sent without
its year and quarter is checked all the same, its own problems listed with the missing
period, the form shown again with the officer's choices and the file kept, so choosing
the quarter needs no second upload; and the preview names the quarter it is for."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from performance.models import QuarterlyFigure

pytestmark = pytest.mark.django_db

UPLOAD = "/p/charnwood/performance/upload/"
GOOD = "category,61,62,Total\nAll Crime,420,610,1800\nBurglary,40,,96\n"
BAD = "category,61,62,Total\nAll Crime,420,6l0,1800\nNo Such Crime,1,2,3\n"


def _csv(text: str, name: str = "wide.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_missing_quarter_and_the_files_errors_are_reported_together(
    client_for, officer, categories, beats
):
    response = client_for(officer).post(UPLOAD, {"file": _csv(BAD), "year": "2022"})
    assert response.status_code == 400
    html = response.content.decode()
    problems = [str(e) for e in response.context["file_errors"]]
    assert any("Choose the financial year and quarter" in p for p in problems)
    assert any("6l0" in p for p in problems)  # the bad count, found on the same try
    assert any("No Such Crime" in p for p in problems)
    assert "3 problems with wide.csv" in html
    # The form again: the year chosen is still chosen, the quarter asked for.
    form = response.context["form"]
    assert form["year"].value() == "2022"
    assert form.errors["quarter"] == ["Choose the financial year and the quarter of this sheet."]
    assert "year" not in form.errors
    assert '<option value="2022" selected>' in html
    assert form["token"].value()  # the file is kept
    assert "wide.csv is kept" in html
    assert not QuarterlyFigure.objects.exists()


def test_the_kept_file_is_previewed_once_the_quarter_is_chosen(
    client_for, officer, categories, beats
):
    client = client_for(officer)
    first = client.post(UPLOAD, {"file": _csv(GOOD)})
    assert first.status_code == 400
    assert [str(e) for e in first.context["file_errors"]] == [
        "Choose the financial year and quarter this sheet is for."
    ]
    assert set(first.context["form"].errors) == {"year", "quarter"}
    token = first.context["form"]["token"].value()
    # No file this time: the kept one is read again with the year and quarter.
    preview = client.post(UPLOAD, {"token": token, "year": "2022", "quarter": "2"})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Figures for <strong>Q2 2022/23</strong>" in html
    assert "the financial year and quarter you chose" in html
    assert "<title>Preview of wide.csv: Q2 2022/23" in html
    confirm = client.post(UPLOAD + "confirm/", {"token": preview.context["token"]})
    assert confirm.status_code == 302
    assert QuarterlyFigure.objects.filter(financial_year=2022, quarter=2).count() == 5


def test_a_long_file_preview_names_the_quarters_in_its_columns(
    client_for, officer, categories, beats
):
    text = (
        "financial_year,quarter,beat,category,count\n"
        "2022/23,1,,All Crime,3700\n2022/23,2,,All Crime,3600\n"
    )
    preview = client_for(officer).post(UPLOAD, {"file": _csv(text, "long.csv")})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Figures for <strong>Q1 2022/23, Q2 2022/23</strong>" in html
    assert "from the file's own financial_year and quarter columns" in html


def test_a_new_file_replaces_the_kept_one(client_for, officer, categories, beats):
    client = client_for(officer)
    first = client.post(UPLOAD, {"file": _csv(BAD), "year": "2022", "quarter": "2"})
    assert first.status_code == 400
    token = first.context["form"]["token"].value()
    again = client.post(
        UPLOAD, {"file": _csv(GOOD, "fixed.csv"), "token": token, "year": "2022", "quarter": "2"}
    )
    assert again.status_code == 200 and again.context["filename"] == "fixed.csv"
    # The replaced file is gone: its token no longer previews anything.
    stale = client.post(UPLOAD, {"token": token, "year": "2022", "quarter": "2"})
    assert "That upload has expired" in stale.content.decode()
