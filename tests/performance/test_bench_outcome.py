"""`make bench` fails only on a query-count regression; timings are reported."""

from bench.figures import Figure
from bench.run import outcome, verdict

SLOW = Figure("YTD dashboard, cold", "140.0 ms", "≤ 100 ms", False)
COUNTS = Figure("YTD dashboard queries, cold, 10 years vs 1 year", "9 vs 9", "equal", True, True)
REGRESSED = Figure("YTD dashboard queries, cold, 10 years vs 1 year", "12 vs 9", "equal", False,
                   gates=True)  # fmt: skip


def test_a_slow_timing_is_reported_but_does_not_fail_the_run():
    status, summary = outcome([SLOW, COUNTS])
    assert status == 0 and verdict(SLOW) == "slow"
    assert "0 query-count regression(s)" in summary and "1 figure(s) over" in summary


def test_a_query_count_regression_fails_the_run():
    status, _ = outcome([SLOW, COUNTS, REGRESSED])
    assert status == 1 and verdict(REGRESSED) == "NO" and verdict(COUNTS) == "yes"
