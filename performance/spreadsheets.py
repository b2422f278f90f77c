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
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import Partnership
from performance.lookups import Resolver, normalise
from performance.services import CellKey

if TYPE_CHECKING:
    import pandas as pd

LONG_COLUMNS = ["financial_year", "quarter", "beat", "category", "count"]
CATEGORY_HEADERS = {"category", "crime type", "crime category", "crime_type", "offence"}
_WHOLE = re.compile(r"^\d+(\.0+)?$")


class UnreadableFile(ValueError):
    """The upload is not a CSV or XLSX file we can read."""


@dataclass(frozen=True)
class RowError:
    row: int | None  # the spreadsheet's own row number (the header is row 1)
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}, " if self.row is not None else ""
        return f"{where}column “{self.column}”: {self.message}" if self.column else self.message


@dataclass
class ParsedFigures:
    layout: str = ""
    values: dict[CellKey, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def read_table(source: str | Path | BinaryIO, name: str | None = None) -> pd.DataFrame:
    """A DataFrame of strings from a CSV or XLSX file; UnreadableFile otherwise."""
    import pandas as pd  # here, not at start-up (0.5 s)

    name = str(name or getattr(source, "name", source))
    suffix = Path(name).suffix.lower()
    data = Path(source).read_bytes() if isinstance(source, str | Path) else source.read()
    if not data.strip():
        raise UnreadableFile(f"{Path(name).name} is empty.")
    if suffix == ".xlsx":
        try:
            frame = pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl")
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise UnreadableFile(f"{Path(name).name} is not a readable XLSX file.") from error
    elif suffix == ".csv":
        if b"\x00" in data[:4096]:
            raise UnreadableFile(f"{Path(name).name} is not a text CSV file.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
            raise UnreadableFile(f"{Path(name).name} could not be read as CSV: {error}") from error
    else:
        raise UnreadableFile(
            f"{Path(name).name} is not a CSV or XLSX file (ends “{suffix or 'with nothing'}”)."
        )
    frame = frame.fillna("")
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise UnreadableFile(f"{Path(name).name} has a header but no rows.")
    return frame


def parse_count(text: str) -> tuple[int | None, str | None]:
    """(count, None) for a whole number of 0 or more, else (None, the problem)."""
    cleaned = str(text).strip().replace(",", "")
    if cleaned.startswith("-") and _WHOLE.match(cleaned[1:]):
        return None, f"“{text}” is negative; counts are 0 or more."
    if not _WHOLE.match(cleaned):
        return None, f"“{text}” is not a whole number."
    return int(float(cleaned)), None


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
    missing = [c for c in LONG_COLUMNS if c not in columns]
    if missing:
        parsed.errors.append(
            RowError(
                None,
                "",
                "The file lacks the column(s) "
                + ", ".join(missing)
                + f"; the long layout needs {','.join(LONG_COLUMNS)} (found: "
                + ", ".join(frame.columns)
                + ").",
            )
        )
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
        parsed.errors.append(
            RowError(None, "", "Choose the financial year and quarter this sheet is for.")
        )
        return parsed
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
    if parsed.errors:
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
            elif period and category:
                key = (period.financial_year.start_year, period.number, category.pk, beat_id)
                _record(parsed, seen, key, count, row, column)
    return parsed
