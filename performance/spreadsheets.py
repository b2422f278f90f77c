"""Reading figures from uploaded spreadsheets (CSV or XLSX, through pandas).

Two layouts are accepted:

* long: one row per figure, columns `financial_year,quarter,beat,category,count`
  (beat blank = the partnership's total);
* wide, as officers get it from the police: one row per category, one column per beat
  (headed by code or name) and a "Total" column for the partnership; the financial year
  and quarter come from `financial_year`/`quarter` columns or are chosen on upload.

Reading never writes: it returns the figures it found and every problem by row and
column, and the caller shows a preview before `services.apply_figures` writes them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import Partnership
from csp_portal.upload_checks import (
    Source,
    UploadRefused,
    check_xlsx,
    decode_text,
    limits,
    read_bytes,
)
from performance.cells import RowError, missing_columns, parse_count
from performance.lookups import Resolver, normalise
from performance.services import CellKey

if TYPE_CHECKING:
    import pandas as pd


LONG_COLUMNS = ["financial_year", "quarter", "beat", "category", "count"]
CATEGORY_HEADERS = {"category", "crime type", "crime category", "crime_type", "offence"}


class UnreadableFile(ValueError):
    """The upload is not a CSV or XLSX file we can read."""


@dataclass
class ParsedFigures:
    layout: str = ""
    values: dict[CellKey, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    #: A wide sheet without period columns read with no year and quarter chosen: its
    #: other problems are still all listed, and the upload form asks for the period.
    needs_period: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class SheetChoiceNeeded(UnreadableFile):
    """A workbook with several sheets holding data: the officer says which to read."""

    def __init__(self, message: str, sheets: list[str]) -> None:
        super().__init__(message)
        self.sheets = sheets


def read_table(
    source: Source,
    name: str | None = None,
    *,
    sheet: str | None = None,
    fallback_cp1252: bool = True,
) -> pd.DataFrame:
    """A DataFrame of strings from a CSV or XLSX file; UnreadableFile otherwise.

    The file is bounded first (csp_portal.upload_checks). A workbook is read from the
    one visible sheet holding data, or from `sheet` (which may be hidden) when named;
    several visible sheets with data raise SheetChoiceNeeded. Formula cells are refused:
    a figure must be a value, not a formula whose result the file may not hold.
    """
    import pandas as pd  # here, not at start-up

    name = Path(str(name or getattr(source, "name", None) or source)).name
    suffix = Path(name).suffix.lower()
    try:
        data = read_bytes(source, name)
        if not data.strip():
            raise UnreadableFile(f"{name} is empty.")
        if suffix == ".xlsx":
            check_xlsx(data, name)
            frame = _read_xlsx(data, name, sheet)
        elif suffix == ".csv":
            text = decode_text(data, name, fallback_cp1252=fallback_cp1252)
            try:
                frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
            except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
                raise UnreadableFile(f"{name} could not be read as CSV: {error}") from error
        else:
            raise UnreadableFile(
                f"{name} is not a CSV or XLSX file (ends “{suffix or 'with nothing'}”)."
            )
    except UploadRefused as error:
        raise UnreadableFile(str(error)) from error
    frame = frame.fillna("")
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise UnreadableFile(f"{name} has a header but no rows.")
    return frame


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _has_data(worksheet) -> bool:
    for row in worksheet.iter_rows(values_only=True):
        if any(v not in (None, "") for v in row):
            return True
    return False


def _choose_sheet(workbook, name: str, sheet: str | None):
    sheets = workbook.worksheets
    if sheet:
        for worksheet in sheets:
            if worksheet.title.strip().lower() == sheet.strip().lower():
                return worksheet
        raise UnreadableFile(
            f"{name} has no sheet “{sheet}”; its sheets are "
            + ", ".join(f"“{w.title}”" for w in sheets)
            + "."
        )
    visible = [w for w in sheets if w.sheet_state == "visible"]
    with_data = [w for w in visible if _has_data(w)]
    if len(with_data) == 1:
        return with_data[0]
    hidden = [w.title for w in sheets if w.sheet_state != "visible"]
    if not with_data:
        note = f" (hidden sheets are read only when named: {', '.join(hidden)})" if hidden else ""
        raise UnreadableFile(f"{name} has no visible sheet holding data{note}.")
    titles = [w.title for w in with_data]
    raise SheetChoiceNeeded(
        f"{name} has {len(titles)} sheets holding data ("
        + ", ".join(f"“{t}”" for t in titles)
        + "): choose which sheet to read.",
        titles,
    )


def _read_xlsx(data: bytes, name: str, sheet: str | None) -> pd.DataFrame:
    import openpyxl  # here, not at start-up (it imports numpy)
    import pandas as pd  # here, not at start-up
    from openpyxl.utils import get_column_letter

    bounds = limits()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(f"{name} is not a readable XLSX file.") from error
    try:
        worksheet = _choose_sheet(workbook, name, sheet)
        rows: list[list[str]] = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number > bounds.rows + 1:
                raise UnreadableFile(
                    f"{name}: the sheet “{worksheet.title}” has more than {bounds.rows:,} rows; "
                    "split it into smaller files."
                )
            cells = list(values)
            while cells and cells[-1] in (None, ""):
                cells.pop()
            if len(cells) > bounds.columns:
                raise UnreadableFile(
                    f"{name}: row {number} of “{worksheet.title}” has {len(cells):,} columns; "
                    f"the limit is {bounds.columns:,}."
                )
            for column, value in enumerate(cells, start=1):
                if isinstance(value, str) and value.startswith("="):
                    raise UnreadableFile(
                        f"{name}: row {number}, column {get_column_letter(column)} of "
                        f"“{worksheet.title}” is a formula ({value[:40]}); paste the values "
                        "(Paste Special → Values) and upload it again."
                    )
            rows.append([_cell_text(v) for v in cells])
    finally:
        workbook.close()
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise UnreadableFile(f"{name} is empty.")
    width = max(len(r) for r in rows)
    header = [*rows[0], *[""] * (width - len(rows[0]))]
    body = [[*r, *[""] * (width - len(r))] for r in rows[1:]]
    header = [h if h else f"column {i + 1}" for i, h in enumerate(header)]
    return pd.DataFrame(body, columns=header, dtype=str)


def _key(column: str) -> str:
    return normalise(column).replace(" ", "_")


def parse_figures(
    partnership: Partnership, frame: pd.DataFrame, quarter: Quarter | None = None
) -> ParsedFigures:
    """Figures and problems from a long or a wide sheet (chosen by its columns)."""
    columns = {_key(c): c for c in frame.columns}
    if "count" in columns:
        return _parse_long(partnership, frame, columns)
    return _parse_wide(partnership, frame, quarter)


def _record(parsed: ParsedFigures, seen: dict, key: CellKey, count: int, row: int, col: str):
    if key in seen:
        parsed.errors.append(
            RowError(row, col, f"repeats the figure already given in row {seen[key]}.")
        )
    else:
        seen[key] = row
        parsed.values[key] = count


def _period(parsed, row_number, year_text, quarter_text) -> Quarter | None:
    try:
        year = FinancialYear.parse(year_text)
    except ValueError as error:
        parsed.errors.append(RowError(row_number, "financial_year", str(error)))
        return None
    try:
        return Quarter.parse(year, quarter_text)
    except ValueError as error:
        parsed.errors.append(RowError(row_number, "quarter", str(error)))
        return None


def _parse_long(partnership: Partnership, frame: pd.DataFrame, columns: dict) -> ParsedFigures:
    parsed = ParsedFigures(layout="long", rows=len(frame))
    needs = f"the long layout needs {','.join(LONG_COLUMNS)}"
    if lacking := missing_columns(frame.columns, columns, LONG_COLUMNS, needs=needs):
        parsed.errors.append(lacking)
        return parsed
    resolver = Resolver(partnership)
    seen: dict[CellKey, int] = {}
    records = frame.rename(columns={v: k for k, v in columns.items()}).to_dict("records")
    for index, record in enumerate(records):
        row = index + 2
        period = _period(parsed, row, record["financial_year"], record["quarter"])
        category = resolver.category(record["category"])
        if category is None:
            parsed.errors.append(
                RowError(row, "category", f"“{record['category']}” is not one of our categories.")
            )
        beat_text = str(record["beat"]).strip()
        beat = None
        if beat_text and not resolver.is_total(beat_text):
            beat = resolver.beat(beat_text)
            if beat is None:
                parsed.errors.append(
                    RowError(row, "beat", f"“{beat_text}” is not one of our beats.")
                )
        count, problem = parse_count(record["count"])
        if problem:
            parsed.errors.append(RowError(row, "count", problem))
        if (
            period
            and category
            and count is not None
            and (beat or not beat_text or resolver.is_total(beat_text))
        ):
            key = (
                period.financial_year.start_year,
                period.number,
                category.pk,
                beat.pk if beat else None,
            )
            _record(parsed, seen, key, count, row, "count")
    return parsed


def _parse_wide(
    partnership: Partnership, frame: pd.DataFrame, quarter: Quarter | None
) -> ParsedFigures:
    parsed = ParsedFigures(layout="wide", rows=len(frame))
    resolver = Resolver(partnership)
    first = frame.columns[0]
    if normalise(first) not in CATEGORY_HEADERS:
        parsed.errors.append(
            RowError(
                None,
                first,
                "The first column must be the category (headed “category”), then one column "
                "per beat and a “Total” column; or use the long layout "
                + ",".join(LONG_COLUMNS)
                + ".",
            )
        )
        return parsed
    period_columns = {c for c in frame.columns if _key(c) in {"financial_year", "quarter"}}
    if len(period_columns) == 1:
        parsed.errors.append(
            RowError(None, "", "Give both financial_year and quarter columns, or neither.")
        )
        return parsed
    if not period_columns and quarter is None:
        # Reported with everything else wrong in the sheet, not alone: the rest is checked.
        parsed.needs_period = True
        parsed.errors.append(
            RowError(None, "", "Choose the financial year and quarter this sheet is for.")
        )
    targets: dict[str, int | None] = {}
    for column in frame.columns[1:]:
        if column in period_columns:
            continue
        if resolver.is_total(column):
            targets[column] = None
        elif (beat := resolver.beat(column)) is not None:
            targets[column] = beat.pk
        else:
            parsed.errors.append(
                RowError(1, column, f"“{column}” is not one of our beats or “Total”.")
            )
    if parsed.errors and not parsed.needs_period:
        return parsed
    by_key = {_key(c): c for c in period_columns}
    seen: dict[CellKey, int] = {}
    for index, record in enumerate(frame.to_dict("records")):
        row = index + 2
        period = quarter
        if period_columns:
            period = _period(
                parsed, row, record[by_key["financial_year"]], record[by_key["quarter"]]
            )
        category = resolver.category(record[first])
        if category is None:
            parsed.errors.append(
                RowError(row, first, f"“{record[first]}” is not one of our categories.")
            )
        for column, beat_id in targets.items():
            text = str(record[column]).strip()
            if not text:
                continue
            count, problem = parse_count(text)
            if problem:
                parsed.errors.append(RowError(row, column, problem))
            elif count is not None and period and category:
                key = (period.financial_year.start_year, period.number, category.pk, beat_id)
                _record(parsed, seen, key, count, row, column)
    return parsed
