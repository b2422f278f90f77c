"""Working days in England and Wales: Monday to Friday, less the bank holidays.

Reminders count in working days ("a bid waiting five working days", "papers ten working
days before the meeting"). The bank holidays are a table shipped with the project, not a
dependency: 2021-2027 as gov.uk publishes them (https://www.gov.uk/bank-holidays, the
"england-and-wales" division of https://www.gov.uk/bank-holidays.json), including the
one-off days (the Platinum Jubilee, the State Funeral, the Coronation); 2028-2030 by the
standing rules (the Banking and Financial Dealings Act 1971 and the royal proclamations:
New Year, Good Friday, Easter Monday, the first and last Mondays of May, the last Monday
of August, Christmas and Boxing Day, with substitute days after a weekend), until gov.uk
announces them. Outside 2021-2030 only weekends are skipped; the deployment check
`csp_portal.W020` says when the table needs its next years.
"""

from __future__ import annotations

import datetime as dt

#: (date, name) of every bank holiday in England and Wales, 2021-2030.
_TABLE = """
2021-01-01 New Year’s Day
2021-04-02 Good Friday
2021-04-05 Easter Monday
2021-05-03 Early May bank holiday
2021-05-31 Spring bank holiday
2021-08-30 Summer bank holiday
2021-12-27 Christmas Day (substitute day)
2021-12-28 Boxing Day (substitute day)
2022-01-03 New Year’s Day (substitute day)
2022-04-15 Good Friday
2022-04-18 Easter Monday
2022-05-02 Early May bank holiday
2022-06-02 Spring bank holiday
2022-06-03 Platinum Jubilee bank holiday
2022-08-29 Summer bank holiday
2022-09-19 Bank Holiday for the State Funeral of Queen Elizabeth II
2022-12-26 Boxing Day
2022-12-27 Christmas Day (substitute day)
2023-01-02 New Year’s Day (substitute day)
2023-04-07 Good Friday
2023-04-10 Easter Monday
2023-05-01 Early May bank holiday
2023-05-08 Bank holiday for the coronation of King Charles III
2023-05-29 Spring bank holiday
2023-08-28 Summer bank holiday
2023-12-25 Christmas Day
2023-12-26 Boxing Day
2024-01-01 New Year’s Day
2024-03-29 Good Friday
2024-04-01 Easter Monday
2024-05-06 Early May bank holiday
2024-05-27 Spring bank holiday
2024-08-26 Summer bank holiday
2024-12-25 Christmas Day
2024-12-26 Boxing Day
2025-01-01 New Year’s Day
2025-04-18 Good Friday
2025-04-21 Easter Monday
2025-05-05 Early May bank holiday
2025-05-26 Spring bank holiday
2025-08-25 Summer bank holiday
2025-12-25 Christmas Day
2025-12-26 Boxing Day
2026-01-01 New Year’s Day
2026-04-03 Good Friday
2026-04-06 Easter Monday
2026-05-04 Early May bank holiday
2026-05-25 Spring bank holiday
2026-08-31 Summer bank holiday
2026-12-25 Christmas Day
2026-12-28 Boxing Day (substitute day)
2027-01-01 New Year’s Day
2027-03-26 Good Friday
2027-03-29 Easter Monday
2027-05-03 Early May bank holiday
2027-05-31 Spring bank holiday
2027-08-30 Summer bank holiday
2027-12-27 Christmas Day (substitute day)
2027-12-28 Boxing Day (substitute day)
2028-01-03 New Year’s Day (substitute day)
2028-04-14 Good Friday
2028-04-17 Easter Monday
2028-05-01 Early May bank holiday
2028-05-29 Spring bank holiday
2028-08-28 Summer bank holiday
2028-12-25 Christmas Day
2028-12-26 Boxing Day
2029-01-01 New Year’s Day
2029-03-30 Good Friday
2029-04-02 Easter Monday
2029-05-07 Early May bank holiday
2029-05-28 Spring bank holiday
2029-08-27 Summer bank holiday
2029-12-25 Christmas Day
2029-12-26 Boxing Day
2030-01-01 New Year’s Day
2030-04-19 Good Friday
2030-04-22 Easter Monday
2030-05-06 Early May bank holiday
2030-05-27 Spring bank holiday
2030-08-26 Summer bank holiday
2030-12-25 Christmas Day
2030-12-26 Boxing Day
"""

BANK_HOLIDAYS: dict[dt.date, str] = {
    dt.date.fromisoformat(line[:10]): line[11:] for line in _TABLE.strip().splitlines()
}
FIRST_YEAR, LAST_YEAR = min(BANK_HOLIDAYS).year, max(BANK_HOLIDAYS).year


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in BANK_HOLIDAYS


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The `count`th working day after `day` (before it, for a negative count); `day`
    itself is not counted. add_working_days(Friday, 1) is the next Monday."""
    step = dt.timedelta(days=1 if count >= 0 else -1)
    left = abs(count)
    while left:
        day += step
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days come after `start`, up to and including `end` (0 when
    `end` is not after `start`)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day)
    return count
