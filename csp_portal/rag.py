"""Red / Amber / Green ratings against a target, shared by performance and plans.

Green: the target is met. Amber: missed, but within the tolerance (default 5). Red:
missed by more. Grey: there is no target to judge against. For a target written as a
change ("reduce by 3% on last year") the tolerance is in percentage points of change;
for a target written as a value (a count or a rate) it is a percentage of the target.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import models

DEFAULT_TOLERANCE = Decimal("5")


class Rag(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    GREY = "grey", "Grey"


_SEVERITY = {Rag.GREEN: 1, Rag.AMBER: 2, Rag.RED: 3}


def assess_change(
    change_pct: Decimal | None,
    target_change_pct: Decimal | None,
    *,
    lower_is_better: bool = True,
    tolerance: Decimal = DEFAULT_TOLERANCE,
) -> Rag:
    """Judge a % change against a target % change (−3 means "reduce by 3%")."""
    if change_pct is None or target_change_pct is None:
        return Rag.GREY
    shortfall = (
        change_pct - target_change_pct if lower_is_better else target_change_pct - change_pct
    )
    if shortfall <= 0:
        return Rag.GREEN
    return Rag.AMBER if shortfall <= tolerance else Rag.RED


def assess_value(
    actual: Decimal | int | None,
    target: Decimal | int | None,
    *,
    lower_is_better: bool = True,
    tolerance: Decimal = DEFAULT_TOLERANCE,
) -> Rag:
    """Judge a count or rate against a target value; Amber within tolerance % of it."""
    if actual is None or target is None:
        return Rag.GREY
    actual, target = Decimal(actual), Decimal(target)
    shortfall = actual - target if lower_is_better else target - actual
    if shortfall <= 0:
        return Rag.GREEN
    allowed = abs(target) * tolerance / 100
    return Rag.AMBER if shortfall <= allowed else Rag.RED


def worst(ratings: Iterable[Rag | str]) -> Rag:
    """Roll several ratings up to the worst of them; Grey only if nothing was rated."""
    rated = [Rag(r) for r in ratings if Rag(r) != Rag.GREY]
    if not rated:
        return Rag.GREY
    return max(rated, key=_SEVERITY.__getitem__)
