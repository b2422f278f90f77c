"""Every importer refuses bad input with a clear message and writes nothing.

One table per importer (police.uk street files, figure sheets in the long and wide
layouts, Home Office tables), each row a kind of bad file: a zip bomb, a file over the
size, row or column limits, the wrong encoding, formula cells, binary garbage, an empty
file, a header with no rows, the wrong layout, malformed values. Each goes through the
management command an officer or a cron job would run, end to end.
"""

from __future__ import annotations

import functools
import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings

from performance.homeoffice import load_standard_mapping
from performance.models import (
    ImportedMonth,
    MonthlyFigure,
    PeerFigure,
    QuarterlyFigure,
)
from tests.performance.factories import map_lsoas, map_policeuk

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
STREET = (DATA / "2022-07-leicestershire-street-sample.csv").read_text(encoding="utf-8")
STREET_HEADER = STREET.split("\n", 1)[0]
STREET_ROW = STREET.split("\n")[1]
HOME_OFFICE = (DATA / "homeoffice/recorded-crime-by-csp-sample.csv").read_text(encoding="utf-8")
HO_HEADER = HOME_OFFICE.split("\n", 1)[0]
LONG = "financial_year,quarter,beat,category,count\n2022/23,1,,All Crime,3700\n"


@dataclass(frozen=True)
class Bad:
    kind: str
    name: str
    content: Callable[[], bytes]
    message: str
    settings: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.kind


@functools.cache
def zip_bomb() -> bytes:
    """A 60 KB XLSX whose sheet inflates to 80 MB (the 1.4 MB → 350 MB upload, smaller)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row>" + b"0" * (80 * 2**20) + b"</row>")
    return buffer.getvalue()


def workbook(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def garbage() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 40


def utf16(text: str) -> Callable[[], bytes]:
    return lambda: text.encode("utf-16")


def text(value: str) -> Callable[[], bytes]:
    return lambda: value.encode("utf-8")


def many_rows(header: str, row: str, n: int = 60) -> Callable[[], bytes]:
    return lambda: (header + "\n" + "\n".join([row] * n) + "\n").encode("utf-8")


def wide_header(columns: int = 300) -> Callable[[], bytes]:
    return lambda: (",".join(f"c{i}" for i in range(columns)) + "\n" + "1," * 299 + "1\n").encode()


def huge(prefix: str) -> Callable[[], bytes]:
    return lambda: (prefix + "\n" + "x" * 20_000 + "\n").encode("utf-8")


SMALL_FILES = {"UPLOAD_MAX_FILE_BYTES": 10_240}
FEW_ROWS = {"UPLOAD_MAX_ROWS": 50}


def _street(month: str = "2022-07", crime_type: str | None = None) -> str:
    cells = STREET_ROW.split(",")
    cells[1] = month
    if crime_type is not None:
        cells[9] = crime_type
    return STREET_HEADER + "\n" + ",".join(cells) + "\n"


POLICEUK = [
    Bad("zip bomb named .csv", "2022-07-street.csv", zip_bomb, "is a ZIP or XLSX file, not a CSV"),
    Bad("huge file", "2022-07-street.csv", huge(STREET_HEADER), "the limit is 10 KB", SMALL_FILES),
    Bad("too many rows", "2022-07-street.csv", many_rows(STREET_HEADER, STREET_ROW),
        "has 60 rows; the limit is 50", FEW_ROWS),
    Bad("too many columns", "2022-07-street.csv", wide_header(), "300 columns in its header"),
    Bad("UTF-16", "2022-07-street.csv", utf16(STREET), "is in UTF-16"),
    Bad("Latin-1 bytes", "2022-07-street.csv",
        lambda: _street().replace("On or near", "On or n\xe9ar").encode("latin-1"),
        "could not be read as a UTF-8 CSV file"),
    Bad("formula cell", "2022-07-street.csv", text(_street(crime_type='=HYPERLINK("x")')),
        "column “Crime type”: “=HYPERLINK"),
    Bad("binary garbage", "2022-07-street.csv", garbage, "is not a text CSV file"),
    Bad("empty file", "2022-07-street.csv", text(""), "2022-07-street.csv is empty"),
    Bad("header only", "2022-07-street.csv", text(STREET_HEADER + "\n"),
        "has a header but no rows"),
    Bad("not a street-level file", "2022-07-street.csv", text(LONG),
        "is not a police.uk street-level file: it lacks the column(s) Month"),
    Bad("month out of range", "2022-07-street.csv", text(_street(month="2022-13")),
        "row 2, column “Month”: “2022-13”"),
    Bad("unknown crime type", "2022-07-street.csv", text(_street(crime_type="Fraud")),
        "“Fraud” is not one of police.uk's 14 crime types"),
]  # fmt: skip

SHEETS = [
    Bad("zip bomb", "figures.xlsx", zip_bomb, "would expand to 80 MB when opened"),
    Bad("huge file", "figures.csv", huge("financial_year,quarter,beat,category,count"),
        "the limit is 10 KB", SMALL_FILES),
    Bad("too many rows", "figures.csv",
        many_rows("financial_year,quarter,beat,category,count", "2022/23,1,,All Crime,1"),
        "has 60 rows; the limit is 50", FEW_ROWS),
    Bad("too many XLSX rows", "figures.xlsx",
        lambda: workbook([["category", "Total"]] + [["All Crime", 1]] * 60),
        "has more than 50 rows", FEW_ROWS),
    Bad("too many columns", "figures.csv", wide_header(), "300 columns in its header"),
    Bad("UTF-16", "figures.csv", utf16(LONG), "is in UTF-16"),
    Bad("formula cell", "figures.xlsx",
        lambda: workbook([["category", "61", "Total"], ["All Crime", 3, "=B2*2"]]),
        "row 2, column C of “Sheet” is a formula (=B2*2)"),
    Bad("formula typed in a CSV", "figures.csv", text(LONG.replace("3700", "=3700+1")),
        "Row 2, column “count”: “=3700+1” is a formula"),
    Bad("binary garbage", "figures.csv", garbage, "is not a text CSV file"),
    Bad("garbage named .xlsx", "figures.xlsx", garbage, "is not a readable XLSX file"),
    Bad("empty file", "figures.csv", text(""), "is empty"),
    Bad("header only", "figures.csv", text("financial_year,quarter,beat,category,count\n"),
        "has a header but no rows"),
    Bad("wrong layout", "figures.csv", text("name,value\nx,1\n"),
        "The first column must be the category"),
    Bad("not CSV or XLSX", "figures.ods", text(LONG), "is not a CSV or XLSX file"),
    Bad("malformed count", "figures.csv", text(LONG.replace("3700", '"37,00"')),
        "thousands separators come between groups of three"),
]  # fmt: skip

HO_ROW = HOME_OFFICE.split("\n")[1]


def _home_office(count: str = "12", quarter: str = "1") -> str:
    cells = HO_ROW.split(",")
    cells[1], cells[-1] = quarter, count
    return HO_HEADER + "\n" + ",".join(cells) + "\n"


HOME_OFFICE_TABLES = [
    Bad("zip bomb", "prc-csp.xlsx", zip_bomb, "would expand to 80 MB when opened"),
    Bad("huge file", "prc-csp.csv", huge(HO_HEADER), "the limit is 10 KB", SMALL_FILES),
    Bad("too many rows", "prc-csp.csv", many_rows(HO_HEADER, HO_ROW),
        "has 60 rows; the limit is 50", FEW_ROWS),
    Bad("too many columns", "prc-csp.csv", wide_header(), "300 columns in its header"),
    Bad("UTF-16", "prc-csp.csv", utf16(_home_office()), "is in UTF-16"),
    Bad("formula cell", "prc-csp.xlsx",
        lambda: workbook([HO_HEADER.split(","), [*HO_ROW.split(",")[:-1], "=2+2"]]),
        "is a formula (=2+2)"),
    Bad("formula typed in a CSV", "prc-csp.csv", text(_home_office(count="=2+2")),
        "column “Number of Offences”: “=2+2” is a formula"),
    Bad("binary garbage", "prc-csp.csv", garbage, "is not a text CSV file"),
    Bad("empty file", "prc-csp.csv", text(""), "is empty"),
    Bad("header only", "prc-csp.csv", text(HO_HEADER + "\n"), "has a header but no rows"),
    Bad("malformed count", "prc-csp.csv", text(_home_office(count='"1.000"')),
        "has a decimal point"),
    Bad("quarter out of range", "prc-csp.csv", text(_home_office(quarter="5")),
        "Row 2, column “Financial Quarter”"),
]  # fmt: skip


@pytest.fixture
def ready(partnership, categories, beats):
    """A partnership every importer could write to: mappings, a lookup, one figure."""
    map_policeuk(partnership, categories)
    map_lsoas(partnership, beats, {"E01025692": "62"})
    load_standard_mapping(partnership=partnership)
    from performance.services import apply_figures

    apply_figures(partnership=partnership, values={(2021, 1, categories["ALL"].pk, None): 10})
    return partnership


def _written() -> tuple[int, ...]:
    return (
        QuarterlyFigure.objects.count(),
        MonthlyFigure.objects.count(),
        ImportedMonth.objects.count(),
        PeerFigure.objects.count(),
    )


def _refused(command: list[str], bad: Bad, tmp_path: Path) -> str:
    path = tmp_path / bad.name
    path.write_bytes(bad.content())
    before = _written()
    err = io.StringIO()
    with override_settings(**bad.settings), pytest.raises(CommandError) as refused:
        call_command(*command[:1], str(path), *command[1:], stdout=io.StringIO(), stderr=err)
    assert _written() == before, "nothing written"
    return f"{refused.value} {err.getvalue()}"


def test_each_table_has_at_least_ten_kinds():
    for table in (POLICEUK, SHEETS, HOME_OFFICE_TABLES):
        assert len({bad.kind for bad in table}) >= 10


def test_the_zip_bomb_is_small_on_disk():
    assert len(zip_bomb()) < 200_000  # 80 MB once inflated


@pytest.mark.parametrize("bad", POLICEUK, ids=str)
def test_a_bad_street_file_is_refused(ready, bad, tmp_path):
    message = _refused(["import_policeuk", "--partnership", "charnwood", "--no-progress"], bad,
                       tmp_path)  # fmt: skip
    assert bad.message in message and "Nothing was imported" in message


@pytest.mark.parametrize("bad", SHEETS, ids=str)
def test_a_bad_figures_sheet_is_refused(ready, bad, tmp_path):
    command = [
        "import_figures",
        "--partnership",
        "charnwood",
        "--year",
        "2022/23",
        "--quarter",
        "1",
    ]
    assert bad.message in _refused(command, bad, tmp_path)


@pytest.mark.parametrize("bad", HOME_OFFICE_TABLES, ids=str)
def test_a_bad_home_office_table_is_refused(ready, bad, tmp_path):
    assert bad.message in _refused(["import_figures", "--partnership", "charnwood"], bad, tmp_path)


@pytest.mark.parametrize(
    "page, field, bad",
    [
        ("upload/", "file", SHEETS[0]),
        ("upload/", "file", SHEETS[6]),
        ("policeuk/", "files", POLICEUK[4]),
        ("homeoffice/", "file", HOME_OFFICE_TABLES[0]),
        ("homeoffice/", "file", HOME_OFFICE_TABLES[7]),
    ],
    ids=lambda v: str(v) if isinstance(v, Bad) else None,
)
def test_uploads_in_the_browser_are_refused_the_same_way(
    client_for, officer, ready, page, field, bad
):
    before = _written()
    upload = SimpleUploadedFile(bad.name, bad.content(), content_type="application/octet-stream")
    data = {field: [upload] if field == "files" else upload, "year": "2022", "quarter": "1"}
    response = client_for(officer).post(f"/p/charnwood/performance/{page}", data)
    assert response.status_code == 400
    assert bad.message in response.content.decode()
    assert _written() == before


@override_settings(MAX_UPLOAD_BYTES=10_000)
def test_an_upload_over_the_size_limit_is_refused_before_reading(client_for, officer, ready):
    upload = SimpleUploadedFile("figures.csv", os.urandom(20_000), content_type="text/csv")
    response = client_for(officer).post("/p/charnwood/performance/upload/", {"file": upload})
    assert response.status_code == 400
    assert "larger than the upload limit" in response.content.decode()
