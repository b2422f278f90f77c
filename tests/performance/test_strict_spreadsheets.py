"""Spreadsheets are read strictly and explicitly: counts in one form only, the sheet
chosen when a workbook has several, hidden sheets read only when named, and warnings
(not refusals) where beats miss the total or sub-categories exceed their parent."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from performance.models import QuarterlyFigure

pytestmark = pytest.mark.django_db

UPLOAD = "/p/charnwood/performance/upload/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv(text: str, name: str = "figures.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _workbook(sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _wide(robbery: int) -> list[list]:
    return [["category", "61", "Total"], ["Robbery", 3, robbery]]


def _robbery(partnership, quarter: int, beat=None) -> int | None:
    figure = QuarterlyFigure.objects.filter(
        partnership=partnership, quarter=quarter, category__code="ROB", beat__code=beat
    ) if beat else QuarterlyFigure.objects.filter(
        partnership=partnership, quarter=quarter, category__code="ROB", beat=None
    )  # fmt: skip
    return figure.first().count if figure.exists() else None


@pytest.mark.parametrize(
    "text, problem",
    [
        ("12,34", "thousands separators come between groups of three"),
        ("1,2,3", "thousands separators come between groups of three"),
        ("1.000", "has a decimal point"),
        ("12.0", "has a decimal point"),
        ("1 2", "has a space inside"),
        ("-4", "is negative"),
        ("=2+2", "is a formula"),
        ("twelve", "is not a whole number"),
    ],
)
def test_each_malformed_count_is_refused_naming_row_and_column_nothing_written(
    client_for, officer, partnership, categories, beats, text, problem
):
    sheet = (
        "financial_year,quarter,beat,category,count\n"
        "2022/23,1,,All Crime,3700\n"
        f'2022/23,1,,Robbery,"{text}"\n'
    )
    response = client_for(officer).post(UPLOAD, {"file": _csv(sheet)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Row 3, column “count”" in page and problem in page
    assert not QuarterlyFigure.objects.exists()


def test_a_count_with_thousands_in_groups_of_three_is_read(
    client_for, officer, partnership, categories, beats
):
    sheet = 'financial_year,quarter,beat,category,count\n2022/23,1,,All Crime,"1,234"\n'
    client = client_for(officer)
    preview = client.post(UPLOAD, {"file": _csv(sheet)})
    assert preview.status_code == 200
    client.post(UPLOAD + "confirm/", {"token": preview.context["token"]})
    assert QuarterlyFigure.objects.get(beat=None).count == 1234


def test_the_command_refuses_a_malformed_count_and_writes_nothing(
    tmp_path, partnership, categories, beats
):
    path = tmp_path / "figures.csv"
    path.write_text('category,Total\nRobbery,"12,34"\n', encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_figures", str(path), "--partnership", "charnwood", "--year", "2022/23",
            "--quarter", "1", stderr=err,
        )  # fmt: skip
    assert "Row 2, column “Total”" in err.getvalue()
    assert not QuarterlyFigure.objects.exists()


def test_a_two_sheet_workbook_asks_which_sheet_then_reads_it(
    client_for, officer, partnership, categories, beats
):
    book = _workbook({"Q1": _wide(40), "Q2": _wide(45)})
    client = client_for(officer)
    asked = client.post(
        UPLOAD,
        {"file": SimpleUploadedFile("quarters.xlsx", book, XLSX), "year": "2022", "quarter": "2"},
    )
    assert asked.status_code == 400
    page = asked.content.decode()
    assert "2 sheets holding data (“Q1”, “Q2”): choose which sheet to read" in page
    assert '<option value="Q2">Q2</option>' in page
    assert not QuarterlyFigure.objects.exists()
    token = asked.context["form"].initial["token"]
    preview = client.post(
        UPLOAD,
        {"token": token, "sheet": "Q2", "sheets": ["Q1", "Q2"], "year": "2022", "quarter": "2"},
    )
    assert preview.status_code == 200
    assert "Read from the sheet “Q2”" in preview.content.decode()
    client.post(UPLOAD + "confirm/", {"token": preview.context["token"]})
    assert _robbery(partnership, 2) == 45  # the Q2 tab, not the first one


def test_the_command_needs_sheet_for_a_two_sheet_workbook(tmp_path, partnership, categories, beats):
    path = tmp_path / "quarters.xlsx"
    path.write_bytes(_workbook({"Q1": _wide(40), "Q2": _wide(45)}))
    args = ["import_figures", str(path), "--partnership", "charnwood"]
    args += ["--year", "2022/23", "--quarter", "2"]
    with pytest.raises(CommandError, match="choose which sheet"):
        call_command(*args)
    assert not QuarterlyFigure.objects.exists()
    call_command(*args, "--sheet", "Q2", stdout=io.StringIO())
    assert _robbery(partnership, 2) == 45


def test_a_hidden_sheet_is_never_read_unless_named(tmp_path, partnership, categories, beats):
    path = tmp_path / "with-hidden.xlsx"
    path.write_bytes(_workbook({"Old": _wide(99), "Current": _wide(45)}, hidden=("Old",)))
    args = ["import_figures", str(path), "--partnership", "charnwood"]
    args += ["--year", "2022/23", "--quarter", "2"]
    call_command(*args, stdout=io.StringIO())  # one visible sheet: no question
    assert _robbery(partnership, 2) == 45
    call_command(*args, "--sheet", "Old", stdout=io.StringIO())  # named: read
    assert _robbery(partnership, 2) == 99


def test_a_workbook_with_data_only_in_a_hidden_sheet_is_refused(
    client_for, officer, partnership, categories, beats
):
    book = _workbook({"Cover": [], "Data": _wide(45)}, hidden=("Data",))
    response = client_for(officer).post(
        UPLOAD,
        {"file": SimpleUploadedFile("hidden.xlsx", book, XLSX), "year": "2022", "quarter": "2"},
    )
    assert response.status_code == 400
    assert "no visible sheet holding data (hidden sheets are read only when named: Data)" in (
        response.content.decode()
    )
    assert not QuarterlyFigure.objects.exists()


def test_preview_warns_where_beats_miss_the_total_and_subcategories_exceed_parent(
    client_for, officer, partnership, categories, beats
):
    sheet = (
        "category,61,62,64,65,Total\n"
        "All Crime,100,100,100,100,450\n"
        "Burglary,5,5,5,5,20\n"
        "Burglary – Residential,4,4,4,4,16\n"
        "Burglary – Business,2,1,1,1,5\n"
    )
    client = client_for(officer)
    preview = client.post(UPLOAD, {"file": _csv(sheet), "year": "2022", "quarter": "1"})
    assert preview.status_code == 200  # warnings do not refuse
    page = preview.content.decode()
    assert "All Crime: the beats add up to 400 but the partnership total is 450" in page
    assert (
        "Burglary, partnership total: Burglary – Residential + Burglary – Business add up "
        "to 21, more than Burglary (20)"
    ) in page
    assert "Burglary, beat 61: Burglary – Residential + Burglary – Business add up to 6" in page
    assert client.post(UPLOAD + "confirm/", {"token": preview.context["token"]}).status_code == 302
    assert QuarterlyFigure.objects.count() == 20


def test_the_grid_warns_where_subcategories_exceed_their_parent(
    client_for, officer, partnership, categories, beats
):
    from performance.services import apply_figures

    apply_figures(
        partnership=partnership,
        values={
            (2022, 1, categories["BUR"].pk, None): 20,
            (2022, 1, categories["BUR-RES"].pk, None): 16,
            (2022, 1, categories["BUR-BUS"].pk, None): 5,
        },
    )
    page = client_for(officer).get("/p/charnwood/performance/enter/2022/q1/").content.decode()
    assert "Burglary, partnership total: Burglary – Residential + Burglary – Business add up" in (
        page
    )
