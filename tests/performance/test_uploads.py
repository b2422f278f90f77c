"""Spreadsheet uploads: long and wide layouts, CSV and XLSX, preview then confirm,
all or nothing, and clear messages for bad files. Also `import_figures`."""

import io

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from csp_portal.financial_year import Quarter
from performance import services
from performance.models import QuarterlyFigure
from tests.performance.factories import fill_totals

pytestmark = pytest.mark.django_db

UPLOAD = "/p/charnwood/performance/upload/"
LONG = (
    "financial_year,quarter,beat,category,count\n"
    "2022/23,1,,All Crime,3700\n"
    "2022/23,1,62,All Crime,750\n"
    "2022/23,Q1,Beat 65,burglary - business,20\n"
    "2022/23,1,Loughborough  West,BURGLARY—BUSINESS,7\n"
    "2022-23,1,,BUR-BUS,60\n"
)


def _csv(text: str, name: str = "figures.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _stored(partnership):
    return {
        (str(f.period), f.category.code, f.beat.code if f.beat else None): f.count
        for f in QuarterlyFigure.objects.filter(partnership=partnership).select_related(
            "category", "beat"
        )
    }


def test_long_csv_previews_then_imports_on_confirm(
    client_for, officer, partnership, categories, beats
):
    client = client_for(officer)
    preview = client.post(UPLOAD, {"file": _csv(LONG)})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "5 new figures" in page and "Confirm and import" in page
    assert not QuarterlyFigure.objects.exists()  # nothing before confirming
    token = preview.context["token"]
    assert client.post(UPLOAD + "confirm/", {"token": token}).status_code == 302
    assert _stored(partnership) == {
        ("Q1 2022/23", "ALL", None): 3700,
        ("Q1 2022/23", "ALL", "62"): 750,
        ("Q1 2022/23", "BUR-BUS", "65"): 20,
        ("Q1 2022/23", "BUR-BUS", "64"): 7,
        ("Q1 2022/23", "BUR-BUS", None): 60,
    }
    # The same token cannot import twice.
    again = client.post(UPLOAD + "confirm/", {"token": token}, follow=True)
    assert "expired or was already imported" in again.content.decode()


def test_preview_shows_changes_against_stored_figures(
    client_for, officer, partnership, categories, beats
):
    services.save_grid(
        partnership=partnership,
        quarter=Quarter.parse("2022/23", 1),
        cells={(categories["ALL"].pk, None): 3600},
    )
    preview = client_for(officer).post(UPLOAD, {"file": _csv(LONG)})
    assert preview.context["changes"].changed == {
        (2022, 1, categories["ALL"].pk, None): (3600, 3700)
    }
    assert "Figures that will change" in preview.content.decode()


def test_wide_xlsx_with_year_and_quarter_chosen(
    client_for, officer, partnership, categories, beats
):
    frame = pd.DataFrame(
        {
            "Category": ["All Crime", "Robbery"],
            "61": [600, 5],
            "Loughborough Town Centre & University": [750, 9],
            "Total": [3700, 20],
        }
    )
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    upload = SimpleUploadedFile("police.xlsx", buffer.getvalue())
    client = client_for(officer)
    preview = client.post(UPLOAD, {"file": upload, "year": "2022", "quarter": "2"})
    assert preview.status_code == 200, preview.content.decode()[:2000]
    client.post(UPLOAD + "confirm/", {"token": preview.context["token"]})
    assert _stored(partnership) == {
        ("Q2 2022/23", "ALL", "61"): 600,
        ("Q2 2022/23", "ALL", "62"): 750,
        ("Q2 2022/23", "ALL", None): 3700,
        ("Q2 2022/23", "ROB", "61"): 5,
        ("Q2 2022/23", "ROB", "62"): 9,
        ("Q2 2022/23", "ROB", None): 20,
    }


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("figures.csv", "year,qtr,beat,category,count\n2022/23,1,,All Crime,5\n",
         "lacks the column(s) financial_year, quarter"),
        ("figures.csv", "financial_year,quarter,beat,category,count\n2022/23,1,,All Crime,lots\n",
         "Row 2, column “count”: “lots” is not a whole number."),
        ("figures.csv", "financial_year,quarter,beat,category,count\n2022/23,1,,All Crime,-4\n",
         "Row 2, column “count”: “-4” is negative"),
        ("figures.csv", "financial_year,quarter,beat,category,count\n2022/23,1,99,All Crime,4\n",
         "Row 2, column “beat”: “99” is not one of our beats."),
        ("figures.csv", "financial_year,quarter,beat,category,count\n2022/23,1,,Arson,4\n",
         "Row 2, column “category”: “Arson” is not one of our categories."),
        ("figures.csv", "financial_year,quarter,beat,category,count\n2022/23,7,,All Crime,4\n",
         "Row 2, column “quarter”"),
        ("figures.csv", "financial_year,quarter,beat,category,count\n2022/24,1,,All Crime,4\n",
         "Row 2, column “financial_year”"),
        ("figures.csv", "", "The submitted file is empty."),
        ("figures.csv", "\n\n", "figures.csv is empty."),
        ("figures.csv", "financial_year,quarter,beat,category,count\n", "has a header but no rows"),
        ("figures.pdf", "%PDF-1.4 not a sheet", "is not a CSV or XLSX file"),
        ("figures.xlsx", "this is not a zip file", "is not a readable XLSX file"),
        ("figures.csv", "Category,61,Total\nAll Crime,4,x\n", "“x” is not a whole number"),
        ("figures.csv", "Category,61,Nowhere\nAll Crime,4,5\n",
         "“Nowhere” is not one of our beats or “Total”"),
        ("figures.csv", "financial_year,quarter,beat,category,count\n"
         "2022/23,1,,All Crime,4\n2022/23,1,,all crime,5\n",
         "repeats the figure already given in row 2"),
    ],
)  # fmt: skip
def test_bad_uploads_are_refused_with_a_clear_message_and_change_nothing(
    client_for, officer, partnership, categories, beats, name, content, message
):
    services.save_grid(
        partnership=partnership,
        quarter=Quarter.parse("2022/23", 1),
        cells={(categories["ALL"].pk, None): 3600},
    )
    response = client_for(officer).post(
        UPLOAD, {"file": SimpleUploadedFile(name, content.encode()), "year": "2022", "quarter": "1"}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _stored(partnership) == {("Q1 2022/23", "ALL", None): 3600}


def test_import_figures_command_and_dry_run(tmp_path, partnership, categories, beats):
    path = tmp_path / "figures.csv"
    path.write_text(LONG, encoding="utf-8")
    out = io.StringIO()
    call_command("import_figures", str(path), "--partnership", "charnwood", "--dry-run", stdout=out)
    assert "Dry run, nothing written" in out.getvalue() and "5 new" in out.getvalue()
    assert not QuarterlyFigure.objects.exists()
    call_command("import_figures", str(path), "--partnership", "charnwood", stdout=out)
    assert QuarterlyFigure.objects.count() == 5


def test_import_figures_command_refuses_bad_files(tmp_path, partnership, categories, beats):
    path = tmp_path / "figures.csv"
    path.write_text(LONG + "2022/23,1,,Arson,4\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_figures", str(path), "--partnership", "charnwood", stderr=io.StringIO()
        )
    assert not QuarterlyFigure.objects.exists()


def test_upload_into_a_published_quarter_needs_a_reason(
    client_for, officer, partnership, categories, beats
):
    quarter = Quarter.parse("2022/23", 1)
    services.save_grid(
        partnership=partnership, quarter=quarter, cells={(categories["ALL"].pk, None): 3600}
    )
    fill_totals(partnership, [quarter])  # a quarter is published only when complete
    services.publish_quarter(partnership=partnership, quarter=quarter)
    client = client_for(officer)
    preview = client.post(UPLOAD, {"file": _csv(LONG)})
    assert "Reason for correcting Q1 2022/23 (published)" in preview.content.decode()
    token = preview.context["token"]
    refused = client.post(UPLOAD + "confirm/", {"token": token}, follow=True)
    assert "say why you are correcting it" in refused.content.decode()
    assert _stored(partnership)[("Q1 2022/23", "ALL", None)] == 3600
    client.post(UPLOAD + "confirm/", {"token": token, "reason": "Police revised Q1"})
    assert _stored(partnership)[("Q1 2022/23", "ALL", None)] == 3700
    record = QuarterlyFigure.history.filter(history_type="~", category=categories["ALL"]).get()
    assert record.history_change_reason == "Police revised Q1"
