"""What every figures upload reads cell by cell: a count, strictly ("1,234" but never
"1.000" or "12,34"), and a problem with the row and column it was found at."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    row: int | None  # the spreadsheet's own row number (the header is row 1)
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}, " if self.row is not None else ""
        return f"{where}column “{self.column}”: {self.message}" if self.column else self.message


_COUNT = re.compile(r"^(\d+|\d{1,3}(,\d{3})+)$")


def parse_count(text: str) -> tuple[int | None, str | None]:
    """(count, None) for a whole number of 0 or more, else (None, the problem).

    Strict: digits, with thousands separators only as commas between groups of three
    ("1,234"). "12,34", "1,2,3", "1.000", "12.0" and "1 2" are refused, not guessed at.
    """
    cleaned = str(text).strip()
    if _COUNT.match(cleaned):
        return int(cleaned.replace(",", "")), None
    if cleaned.startswith("-") and _COUNT.match(cleaned[1:]):
        return None, f"“{text}” is negative; counts are 0 or more."
    if cleaned.startswith("="):
        return None, f"“{text}” is a formula; a count must be a typed number."
    if "." in cleaned and re.fullmatch(r"[\d.,]+", cleaned):
        return None, (
            f"“{text}” has a decimal point: a count is a whole number "
            "(write 1000 or 1,000, not 1.000)."
        )
    if "," in cleaned and re.fullmatch(r"[\d,]+", cleaned):
        return None, (
            f"“{text}”: thousands separators come between groups of three digits (1,234)."
        )
    if re.fullmatch(r"[\d\s]+", cleaned) and cleaned:
        return None, f"“{text}” has a space inside; a count is one number."
    return None, f"“{text}” is not a whole number."


def missing_columns(
    found: Iterable[object], columns: Collection[str], wanted: Sequence[str], *, needs: str
) -> RowError | None:
    """The problem of a file lacking some of the `wanted` columns (`columns`: the ones it
    has, as read), saying what it `needs` and what it has; None when none is missing."""
    missing = [c for c in wanted if c not in columns]
    if not missing:
        return None
    return RowError(
        None,
        "",
        f"The file lacks the column(s) {', '.join(missing)}; {needs} "
        f"(found: {', '.join(str(c) for c in found)}).",
    )
