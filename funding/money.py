"""Money as the partnership prints it: pounds and pence, £1,234.56, exact Decimals."""

from __future__ import annotations

from decimal import Decimal


def money(value: Decimal | int | None) -> str:
    """£1,234.56 (and −£12.00 for a negative amount); empty for None."""
    if value is None:
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"))
    sign = "−" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"
