"""Spreadsheet exports that are safe to open: every CSV the portal writes goes through here.

A cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula, so a bid titled `=HYPERLINK(…)` would be a
live link (or worse) in the board's copy of grants.csv. Following OWASP's rule on CSV
injection, such a cell is written with a leading single quote, which the spreadsheet
shows as text. Numbers stay numbers: an int, float or Decimal is written as it is, and so
is a text cell that is a plain number (`-12.50`, `+4.9%`), since a spreadsheet reads that
as a number and nothing else.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

#: What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A plain number, as a spreadsheet reads one: sign, digits, decimals, exponent, percent.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def safe_cell(value: Any) -> Any:
    """`value` as a spreadsheet will show it, never as a formula."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


class CsvWriter:
    """csv.writer with every cell neutralised; the same writerow/writerows."""

    def __init__(self, stream, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class CsvDictWriter(csv.DictWriter):
    """csv.DictWriter with every value neutralised (the header is ours, left as it is)."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({key: safe_cell(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for rowdict in rowdicts:
            self.writerow(rowdict)


def csv_writer(stream, **options: Any) -> CsvWriter:
    """A csv.writer whose cells cannot be formulas: use it for every CSV we write."""
    return CsvWriter(stream, **options)


def csv_response(
    filename: str, rows: Iterable[Iterable[Any]], header: Sequence[str] | None = None
) -> HttpResponse:
    """A CSV download (`attachment`) of `rows`, every cell neutralised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv_writer(response)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return response
