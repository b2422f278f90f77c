"""The change on last year that every table shows (the YTD table, the trend, the beats,
the county view, the measures of a plan): the difference, the % change and how they are
printed, with none of them when the figures behind are incomplete.

One computation for all of them: a row mixes in `YearOnYear` (and `ShowsSignificance`
when it has a significance) and gives `previous`, `current` and `complete`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Protocol

from csp_portal.number_format import percent_change
from performance.significance import Significance

#: What a computed view shows in place of a % change or a RAG resting on an incomplete
#: or missing quarter.
INCOMPLETE = "incomplete"


def change_pct(previous: Decimal | int | None, current: Decimal | int | None) -> Decimal | None:
    """(current - previous) / previous x 100, rounded half away from zero to 0.1.

    None when there is nothing to compare against (previous missing or zero): pages
    print that as "n/a".
    """
    if previous is None or previous == 0 or current is None:
        return None
    raw = (Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)
    # ROUND_HALF_UP on a Decimal rounds away from zero for negatives too.
    return raw.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def two_decimals(value: Fraction) -> Decimal:
    """An exact rate as shown: two decimals, halves away from zero."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class _Compared(Protocol):
    @property
    def previous(self) -> int | None: ...

    @property
    def current(self) -> int | None: ...

    @property
    def complete(self) -> bool: ...


class _Significant(Protocol):
    @property
    def complete(self) -> bool: ...

    @property
    def significance(self) -> Significance | None: ...


class YearOnYear:
    """`previous` → `current`: the difference and the % change (None when incomplete),
    and the change as printed ("+4.9%", "n/a", or "incomplete")."""

    @property
    def difference(self: _Compared) -> int | None:
        if not self.complete or self.previous is None or self.current is None:
            return None
        return self.current - self.previous

    @property
    def change_pct(self: _Compared) -> Decimal | None:
        return change_pct(self.previous, self.current) if self.complete else None

    @property
    def change_display(self: _Compared) -> str:
        if not self.complete:
            return INCOMPLETE
        return percent_change(change_pct(self.previous, self.current))


class ShowsSignificance:
    """The significance as printed: its label, "–" without one, or "incomplete"."""

    @property
    def significance_display(self: _Significant) -> str:
        if not self.complete:
            return INCOMPLETE
        found = self.significance
        return found.label if found else "–"
