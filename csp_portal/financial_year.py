"""The UK public-sector financial year (1 April - 31 March) and its quarters.

A financial year is written "2022/23" and runs from 1 April 2022 to 31 March 2023.
Q1 is April-June, Q2 July-September, Q3 October-December and Q4 January-March, so Q4
of 2022/23 falls in calendar 2023. Every year-to-date comparison in the portal is built
from these two types; nothing else does date arithmetic on financial years.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering

QUARTER_MONTHS = {1: "Apr–Jun", 2: "Jul–Sep", 3: "Oct–Dec", 4: "Jan–Mar"}

_YEAR_PAIR = re.compile(r"^(?:FY\s*)?(\d{4})\s*[/\-–—]\s*(\d{2}|\d{4})$", re.IGNORECASE)
_FY_SINGLE = re.compile(r"^FY\s*(\d{4})$", re.IGNORECASE)
_QUARTER = re.compile(r"^Q\s*([1-4])$", re.IGNORECASE)


@total_ordering
@dataclass(frozen=True)
class FinancialYear:
    """A financial year, identified by the calendar year in which it starts."""

    start_year: int

    def __post_init__(self) -> None:
        if not 1900 <= int(self.start_year) <= 2200:
            raise ValueError(f"{self.start_year} is not a plausible financial year.")

    @classmethod
    def parse(cls, text: str | int | FinancialYear) -> FinancialYear:
        """Read "2022/23", "2022-23", "2022/2023", "FY2022" (= 2022/23) or 2022."""
        if isinstance(text, FinancialYear):
            return text
        if isinstance(text, int):
            return cls(text)
        cleaned = str(text).strip()
        if match := _YEAR_PAIR.match(cleaned):
            start, end = int(match.group(1)), match.group(2)
            expected_end = start + 1
            end_year = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
            if len(end) == 2 and end_year < start:
                end_year += 100  # 1999/00
            if end_year != expected_end:
                raise ValueError(
                    f"'{text}' is not a financial year: {start} must be followed by "
                    f"{expected_end % 100:02d}."
                )
            return cls(start)
        if match := _FY_SINGLE.match(cleaned):
            return cls(int(match.group(1)))
        if cleaned.isdigit() and len(cleaned) == 4:
            return cls(int(cleaned))
        raise ValueError(f"'{text}' is not a financial year; write it as 2022/23.")

    @classmethod
    def for_date(cls, day: dt.date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def current(cls) -> FinancialYear:
        return cls.for_date(dt.date.today())

    @property
    def start(self) -> dt.date:
        return dt.date(self.start_year, 4, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.start_year + 1, 3, 31)

    @property
    def previous(self) -> FinancialYear:
        return FinancialYear(self.start_year - 1)

    @property
    def next(self) -> FinancialYear:
        return FinancialYear(self.start_year + 1)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def quarter(self, number: int) -> Quarter:
        return Quarter(self, number)

    @property
    def quarters(self) -> list[Quarter]:
        return [Quarter(self, number) for number in (1, 2, 3, 4)]

    def __str__(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    def __int__(self) -> int:
        return self.start_year

    def __lt__(self, other: object) -> bool:
        # Comparable with a plain start year too, so Django's range validators work.
        if isinstance(other, int):
            return self.start_year < other
        if not isinstance(other, FinancialYear):
            return NotImplemented
        return self.start_year < other.start_year


@total_ordering
@dataclass(frozen=True)
class Quarter:
    """One quarter of a financial year: Q1 (Apr-Jun) to Q4 (Jan-Mar)."""

    financial_year: FinancialYear
    number: int

    def __post_init__(self) -> None:
        if self.number not in (1, 2, 3, 4):
            raise ValueError(f"Quarter must be 1, 2, 3 or 4, not {self.number}.")

    @classmethod
    def parse(cls, year: str | int | FinancialYear, quarter: str | int) -> Quarter:
        """Build from a financial year and "Q2", "2" or 2."""
        number_text = str(quarter).strip()
        if match := _QUARTER.match(number_text):
            number_text = match.group(1)
        if number_text not in {"1", "2", "3", "4"}:
            raise ValueError(f"'{quarter}' is not a quarter; use 1, 2, 3 or 4 (or Q1-Q4).")
        return cls(FinancialYear.parse(year), int(number_text))

    @classmethod
    def for_date(cls, day: dt.date) -> Quarter:
        year = FinancialYear.for_date(day)
        number = ((day.month - 4) % 12) // 3 + 1
        return cls(year, number)

    @classmethod
    def latest_complete(cls, today: dt.date | None = None) -> Quarter:
        """The last quarter that has fully ended by `today`."""
        return cls.for_date(today or dt.date.today()).previous

    @property
    def start(self) -> dt.date:
        month = 4 + (self.number - 1) * 3
        year = self.financial_year.start_year
        return dt.date(year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        return self.next.start - dt.timedelta(days=1)

    @property
    def index(self) -> int:
        """A running number: consecutive quarters differ by one."""
        return self.financial_year.start_year * 4 + self.number - 1

    @classmethod
    def from_index(cls, index: int) -> Quarter:
        return cls(FinancialYear(index // 4), index % 4 + 1)

    @property
    def previous(self) -> Quarter:
        return Quarter.from_index(self.index - 1)

    @property
    def next(self) -> Quarter:
        return Quarter.from_index(self.index + 1)

    @property
    def same_quarter_last_year(self) -> Quarter:
        return Quarter(self.financial_year.previous, self.number)

    @property
    def year_to_date(self) -> list[Quarter]:
        """Q1 up to and including this quarter: 1 April to the end of this quarter."""
        return [Quarter(self.financial_year, n) for n in range(1, self.number + 1)]

    def rolling_year(self) -> list[Quarter]:
        """The four quarters ending with this one (rolling 12 months)."""
        return [Quarter.from_index(self.index - offset) for offset in (3, 2, 1, 0)]

    @property
    def months(self) -> str:
        return QUARTER_MONTHS[self.number]

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return f"Q{self.number} {self.financial_year}"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Quarter):
            return NotImplemented
        return self.index < other.index


#: The quarters of a financial year as a model field's choices: every app's quarter
#: column (figures, plan progress, measure values) stores 1–4 with these labels.
QUARTER_CHOICES = [
    (1, "Q1 (Apr–Jun)"),
    (2, "Q2 (Jul–Sep)"),
    (3, "Q3 (Oct–Dec)"),
    (4, "Q4 (Jan–Mar)"),
]
