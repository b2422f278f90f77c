"""The funding formula (funding.allocation): seed 004's 2010/11 allocation reproduced,
the largest-remainder rounding, and bad CSV input named by row and field."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from funding.allocation import (
    Input,
    allocate,
    exact_shares,
    inputs_csv,
    largest_remainder,
    parse_inputs_csv,
    pence,
)

SEED_CSV = Path(__file__).parent / "data" / "allocation_2010-11.csv"
SEED_AMOUNTS = {"even": Decimal(175000), "population": Decimal(94125), "crime": Decimal(156875)}

#: Seed 004, Appendix 3: each CSP's share by population and by crime as printed (to the
#: penny) and its total "rounded to nearest £".
SEED_POPULATION_PENCE = [
    "13711.12",
    "24072.28",
    "12050.96",
    "15386.10",
    "7248.37",
    "13281.26",
    "8374.90",
]
SEED_CRIME_PENCE = [
    "20840.41",
    "47278.77",
    "14566.84",
    "24822.60",
    "11453.29",
    "25862.84",
    "12050.26",
]
SEED_TOTALS = [59551, 96351, 51618, 65209, 43702, 64144, 45425]


def seed_inputs() -> list[Input]:
    return parse_inputs_csv(SEED_CSV.read_text(encoding="utf-8"))


def test_the_exact_shares_are_the_seeds_pence():
    inputs = seed_inputs()
    by_population = exact_shares(SEED_AMOUNTS["population"], [i.population for i in inputs])
    by_crime = exact_shares(SEED_AMOUNTS["crime"], [i.crime for i in inputs])
    assert [str(pence(x)) for x in by_population] == SEED_POPULATION_PENCE
    assert [str(pence(x)) for x in by_crime] == SEED_CRIME_PENCE


def test_the_2010_11_allocation_reproduces_the_seeds_totals():
    result = allocate(SEED_AMOUNTS, seed_inputs())
    assert [int(s.total) for s in result.shares] == SEED_TOTALS
    assert [[int(v) for v in row[1:4]] for row in result.rows()] == [
        [25000, 13711, 20840],
        [25000, 24072, 47279],
        [25000, 12051, 14567],
        [25000, 15386, 24823],
        [25000, 7249, 11453],
        [25000, 13281, 25863],
        [25000, 8375, 12050],
    ]
    assert result.totals == {
        "even": Decimal(175000), "population": Decimal(94125), "crime": Decimal(156875),
        "total": Decimal(426000),
    }  # fmt: skip


def test_left_over_pounds_go_to_the_largest_fractions():
    # 10 by 1:1:1:2 is 2, 2, 2 and 4 exactly; by 3:3:4 it is 3.0, 3.0, 4.0; by 1:2:4 it
    # is 1.43, 2.86, 5.71: floors 1, 2, 5 leave 2 pounds, for .86 and .71.
    assert largest_remainder(Decimal(10), [1, 2, 4], ["a", "b", "c"]) == [1, 3, 6]


def test_ties_go_by_name():
    shares = largest_remainder(Decimal(100), [1, 1, 1], ["Charlie", "Alpha", "Bravo"])
    assert shares == [33, 34, 33]  # Alpha first


def test_every_component_adds_up_to_its_amount_and_each_share_is_within_a_pound():
    rng = random.Random(15)
    for _ in range(200):
        weights = [rng.randrange(0, 200_000) for _ in range(rng.randrange(1, 10))]
        if not sum(weights):
            continue
        amount = Decimal(rng.randrange(0, 1_000_000))
        names = [f"p{i}" for i in range(len(weights))]
        shares = largest_remainder(amount, weights, names)
        assert sum(shares) == amount
        for share, exact in zip(shares, exact_shares(amount, weights), strict=True):
            assert abs(Fraction(share) - exact) < 1


def test_amounts_must_be_whole_pounds_and_not_negative():
    with pytest.raises(ValidationError) as caught:
        allocate({"even": Decimal("10.50"), "population": Decimal(-1), "crime": Decimal(0)},
                 seed_inputs())  # fmt: skip
    assert caught.value.message_dict == {
        "even": ["Give a whole number of pounds."],
        "population": ["An amount cannot be negative."],
    }


def test_bad_rows_are_named_by_row_field_and_problem_all_at_once():
    text = (
        "partnership,population,crime\nBlaby,92500,5830\n,100,1\nMelton,lots,3\n"
        "Blaby,1,-2\nRutland,5\n"
    )
    with pytest.raises(ValidationError) as caught:
        parse_inputs_csv(text)
    assert caught.value.messages == [
        "Row 3, partnership: empty.",
        "Row 4, population: 'lots' is not a whole number.",
        "Row 5, partnership: Blaby is also on row 2.",
        "Row 5, crime: -2 is below 0.",
        "Row 6: expected 3 fields, found 2.",
    ]


def test_a_wrong_header_is_refused():
    with pytest.raises(ValidationError, match="Row 1: the header must be"):
        parse_inputs_csv("name,people,crimes\nBlaby,1,1\n")


def test_a_population_of_zero_is_refused():
    with pytest.raises(ValidationError, match="Row 2, population: 0 is below 1"):
        parse_inputs_csv("partnership,population,crime\nBlaby,0,1\n")


def test_the_inputs_survive_the_round_trip_of_the_confirm_form():
    inputs = seed_inputs()
    assert parse_inputs_csv(inputs_csv(inputs)) == inputs
