"""Fixtures of the performance tests: Charnwood's categories and beats."""

import pytest

from tests.performance.factories import make_beats, make_categories


@pytest.fixture
def categories(partnership):
    return make_categories(partnership)


@pytest.fixture
def beats(partnership):
    return make_beats(partnership)
