from decimal import Decimal as D

import pytest

from csp_portal.rag import Rag, assess_change, assess_value, worst


@pytest.mark.parametrize(
    ("change", "rag"),
    [(D("-3.0"), Rag.GREEN), (D("-10"), Rag.GREEN), (D("2.0"), Rag.AMBER), (D("2.1"), Rag.RED)],
)
def test_reduce_by_3_percent_target(change, rag):
    assert assess_change(change, D("-3")) == rag


def test_higher_is_better_change_target():
    assert assess_change(D("12"), D("10"), lower_is_better=False) == Rag.GREEN
    assert assess_change(D("6"), D("10"), lower_is_better=False) == Rag.AMBER
    assert assess_change(D("4.9"), D("10"), lower_is_better=False) == Rag.RED


def test_no_target_or_no_figure_is_grey():
    assert assess_change(None, D("-3")) == Rag.GREY
    assert assess_value(10, None) == Rag.GREY


def test_value_target_tolerance_is_a_percentage_of_the_target():
    assert assess_value(100, 100) == Rag.GREEN
    assert assess_value(105, 100) == Rag.AMBER
    assert assess_value(106, 100) == Rag.RED
    assert assess_value(D("47.03"), D("48")) == Rag.GREEN


def test_roll_up_takes_the_worst_and_ignores_grey():
    assert worst([Rag.GREEN, Rag.GREY, Rag.AMBER]) == Rag.AMBER
    assert worst(["green", "red"]) == Rag.RED
    assert worst([Rag.GREY]) == Rag.GREY
    assert worst([]) == Rag.GREY
