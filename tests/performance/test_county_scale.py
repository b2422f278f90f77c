"""Scale: with nine partnerships × 10 years × 12 beats × 40 categories of figures, the
dashboards, the county view and the home page make exactly as many queries as with one
partnership and one year (the same builders as bench/bench_county.py)."""

from __future__ import annotations

import pytest

from bench.bench_county import force_area, query_counts

pytestmark = pytest.mark.django_db


def test_query_counts_are_the_same_at_one_partnership_and_at_nine():
    small = query_counts(force_area("one", 1, years=1))
    big = query_counts(force_area("nine", 9, years=10))
    assert set(small) == {
        "ytd dashboard", "trend dashboard", "beats dashboard", "family dashboard",
        "rates dashboard", "county view", "home",
    }  # fmt: skip
    assert big == small
    assert all(member <= 25 and analyst <= 25 for member, analyst in big.values()), big
