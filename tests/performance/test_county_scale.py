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
    # the home page gathers every app's sections (reminders, meetings, bids, figures): its
    # own budget is in tests/core/test_request_costs.py; each dashboard stays small
    budget = {"home": 32}
    assert all(
        member <= budget.get(page, 25) and analyst <= budget.get(page, 25)
        for page, (member, analyst) in big.items()
    ), big
