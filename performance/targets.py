"""Rating a year-to-date figure against the category's target (Red/Amber/Green/Grey).

The RAG rule itself is the core's (csp_portal.rag); this module decides what each kind
of target is compared with:

* "reduce by N% on last year": the YTD % change against −N, Amber within the target's
  tolerance in percentage points;
* a count or a rate per 1,000 for the year: the YTD count (or YTD rate) against the
  target pro-rated by quarters elapsed (a quarter of the year's target after Q1),
  Amber within the tolerance as a % of it;
* "significant reduction" (qualitative): a statistically significant fall of the YTD
  count against last year's (performance.significance: the exact conditional Poisson
  test, two-sided, 95 %): Green for a significant fall, Amber for no significant change,
  Red for a significant rise. (For a category where higher is better, the mirror
  image: Green for a significant rise.) Until 2026-12 this was read as "a fall of at
  least 5 %", which called 45 → 40 robberies (chance) a success.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from csp_portal.financial_year import Quarter
from csp_portal.rag import Rag, assess_change, assess_value
from performance.models import Target, TargetKind
from performance.significance import Significance


def rate_per_1000(count: int | None, population: int | None) -> Decimal | None:
    """count / population × 1000 to two decimals (7,812 of 166,100 is 47.03)."""
    if count is None or not population:
        return None

    return (Decimal(count) * 1000 / Decimal(population)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def assess_target(
    target: Target | None,
    *,
    quarter: Quarter,
    current: int | None,
    change: Decimal | None,
    population: int | None,
    lower_is_better: bool = True,
    significance: Significance | None = None,
) -> Rag:
    """The RAG status of a YTD figure against `target` (Grey with no target or data).

    `significance` is the YTD change's (performance.significance), needed by a
    "significant reduction" target.
    """
    if target is None:
        return Rag.GREY
    if target.kind == TargetKind.SIGNIFICANT_REDUCTION:
        if significance is None:
            return Rag.GREY
        good, bad = (
            (Significance.FALL, Significance.RISE)
            if lower_is_better
            else (Significance.RISE, Significance.FALL)
        )
        if significance is good:
            return Rag.GREEN
        return Rag.RED if significance is bad else Rag.AMBER
    if target.value is None:  # only an unsaved target: the constraints require one
        return Rag.GREY
    if target.kind == TargetKind.REDUCE_PCT:
        return assess_change(
            change, -target.value, lower_is_better=lower_is_better, tolerance=target.tolerance
        )
    share = Decimal(quarter.number) / 4
    if target.kind == TargetKind.COUNT:
        return assess_value(
            current,
            target.value * share,
            lower_is_better=lower_is_better,
            tolerance=target.tolerance,
        )
    actual = rate_per_1000(current, population)
    return assess_value(
        actual, target.value * share, lower_is_better=lower_is_better, tolerance=target.tolerance
    )
