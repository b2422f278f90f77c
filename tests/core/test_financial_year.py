import datetime as dt

import pytest

from csp_portal.financial_year import FinancialYear, Quarter


@pytest.mark.parametrize(
    "text",
    ["2022/23", "2022-23", "2022/2023", "2022–23", "FY2022", "fy 2022", "FY2022/23", " 2022/23 "],
)
def test_financial_year_parses_common_spellings(text):
    assert FinancialYear.parse(text) == FinancialYear(2022)


@pytest.mark.parametrize("text", ["2022/24", "22/23", "twenty", "", "2022/21", "1066/67"])
def test_financial_year_refuses_nonsense(text):
    with pytest.raises(ValueError):
        FinancialYear.parse(text)


def test_century_crossing_year_reads_as_1999_00():
    assert str(FinancialYear.parse("1999/00")) == "1999/00"


def test_31_march_belongs_to_the_year_that_started_the_april_before():
    assert FinancialYear.for_date(dt.date(2023, 3, 31)) == FinancialYear(2022)
    assert Quarter.for_date(dt.date(2023, 3, 31)) == Quarter(FinancialYear(2022), 4)


def test_1_april_starts_a_new_financial_year_and_q1():
    assert FinancialYear.for_date(dt.date(2023, 4, 1)) == FinancialYear(2023)
    assert Quarter.for_date(dt.date(2023, 4, 1)) == Quarter(FinancialYear(2023), 1)


@pytest.mark.parametrize(
    ("day", "number"),
    [
        (dt.date(2022, 6, 30), 1),
        (dt.date(2022, 7, 1), 2),
        (dt.date(2022, 9, 30), 2),
        (dt.date(2022, 10, 1), 3),
        (dt.date(2022, 12, 31), 3),
        (dt.date(2023, 1, 1), 4),
    ],
)
def test_quarter_boundaries(day, number):
    assert Quarter.for_date(day).number == number


def test_year_bounds_and_label():
    year = FinancialYear(2022)
    assert str(year) == "2022/23"
    assert year.start == dt.date(2022, 4, 1)
    assert year.end == dt.date(2023, 3, 31)
    assert year.contains(dt.date(2023, 3, 31)) and not year.contains(dt.date(2023, 4, 1))


def test_q4_falls_in_the_next_calendar_year():
    q4 = Quarter(FinancialYear(2022), 4)
    assert (q4.start, q4.end) == (dt.date(2023, 1, 1), dt.date(2023, 3, 31))
    assert str(q4) == "Q4 2022/23" and q4.months == "Jan–Mar"


def test_quarter_after_q4_is_next_years_q1():
    assert Quarter(FinancialYear(2022), 4).next == Quarter(FinancialYear(2023), 1)
    assert Quarter(FinancialYear(2023), 1).previous == Quarter(FinancialYear(2022), 4)


def test_year_to_date_runs_from_q1_to_the_quarter():
    q2 = Quarter.parse("2022/23", "Q2")
    assert q2.year_to_date == [Quarter(FinancialYear(2022), 1), q2]
    assert q2.same_quarter_last_year == Quarter(FinancialYear(2021), 2)


def test_rolling_year_crosses_the_year_boundary():
    q1 = Quarter.parse("2023/24", 1)
    assert [str(q) for q in q1.rolling_year()] == [
        "Q2 2022/23",
        "Q3 2022/23",
        "Q4 2022/23",
        "Q1 2023/24",
    ]


@pytest.mark.parametrize("bad", ["Q5", "0", "first", ""])
def test_quarter_parse_refuses_bad_numbers(bad):
    with pytest.raises(ValueError):
        Quarter.parse("2022/23", bad)


def test_latest_complete_quarter_on_1_april_is_last_years_q4():
    assert Quarter.latest_complete(dt.date(2023, 4, 1)) == Quarter(FinancialYear(2022), 4)
