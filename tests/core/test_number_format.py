"""The portal's one number format (csp_portal.number_format) and its template filters
({% load numbers %}): thousands separators, a true minus sign, one placeholder."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.template import Context, Template

from csp_portal import number_format as nf

MINUS = "\u2212"


def render(expression: str, **context) -> str:
    return Template("{% load numbers %}" + expression).render(Context(context))


@pytest.mark.parametrize(
    ("value", "expected"),
    [(7812, "7,812"), (1234567, "1,234,567"), (0, "0"), (-5, f"{MINUS}5"),
     (-12345, f"{MINUS}12,345"), (999, "999"), (None, "–"), ("incomplete", "incomplete")],
)  # fmt: skip
def test_count(value, expected):
    assert nf.count(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(50, "+50"), (-1234, f"{MINUS}1,234"), (0, "0"), (None, "–")],
)
def test_signed_difference(value, expected):
    assert nf.signed(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("4.9"), "+4.9%"), (Decimal("-10.6"), f"{MINUS}10.6%"), (Decimal("0.0"), "0.0%"),
     (Decimal("-0.0"), "0.0%"), (Decimal("1250"), "+1,250.0%"), (None, "n/a"),
     ("incomplete", "incomplete")],
)  # fmt: skip
def test_percent_change(value, expected):
    assert nf.percent_change(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("47.03"), "47.03"), (Decimal("1234.5"), "1,234.50"), (Decimal("0"), "0.00"),
     (Decimal("-0.004"), "0.00"), (Decimal("-0.45"), f"{MINUS}0.45"),
     (Fraction(1227, 10000), "0.12"), (None, "–")],
)  # fmt: skip
def test_rate(value, expected):
    assert nf.rate(value) == expected


def test_signed_rate_shows_the_direction():
    assert nf.signed_rate(Decimal("1.2")) == "+1.20"
    assert nf.signed_rate(Decimal("-0.45")) == f"{MINUS}0.45"
    assert nf.signed_rate(Decimal("0")) == "0.00"


def test_no_hyphen_ever_stands_for_minus():
    for text in (nf.count(-3), nf.signed(-3), nf.percent_change(Decimal("-3")), nf.rate(-3)):
        assert "-" not in text and text.startswith(MINUS)


def test_a_boolean_is_not_a_number():
    assert nf.count(True) == "True"


def test_the_filters_say_what_the_functions_say():
    html = render(
        "{{ a|count }} {{ b|signed }} {{ c|percent_change }} {{ d|rate }} {{ e|signed_rate }} "
        "{{ f|count }} {{ g|percent_change }}",
        a=7812, b=-1234, c=Decimal("-10.6"), d=Decimal("47.03"), e=Decimal("-0.45"),
        f=None, g=None,
    )  # fmt: skip
    assert html == f"7,812 {MINUS}1,234 {MINUS}10.6% 47.03 {MINUS}0.45 – n/a"


def test_rate_filter_takes_decimal_places():
    assert render("{{ r|rate:1 }}", r=Decimal("47.03")) == "47.0"
