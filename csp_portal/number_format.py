"""One way of writing numbers on every page, PDF and text the portal shows people.

Thousands separators ("7,812"), a true minus sign (U+2212, "−12") for negative counts,
differences and % changes, a plus sign where a difference or a change is a rise, and
one placeholder for a missing figure. The template filters in
`csp_portal/templatetags/numbers.py` ({% load numbers %}) call these functions, so a
page, a pack's PDF and a message say the same thing. CSV downloads are data, not text:
they keep plain machine-readable numbers ("-10.6") and do not use this module.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TypeGuard

MINUS = "\u2212"
#: What a missing figure is shown as (an en dash, as the seed papers print it).
MISSING = "–"
#: What a % change with nothing to compare against is shown as.
NOT_APPLICABLE = "n/a"

Number = int | float | Decimal | Fraction


def _is_number(value: object) -> TypeGuard[Number]:
    return isinstance(value, int | float | Decimal | Fraction) and not isinstance(value, bool)


def _grouped(value: Number, places: int | None) -> str:
    """|value| with thousands separators, to `places` decimals (None: as it is)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    if places is None:
        if isinstance(value, int):
            return f"{abs(value):,}"
        value = Decimal(str(value))
        return f"{abs(value):,f}"
    quantum = Decimal(1).scaleb(-places)
    rounded = abs(Decimal(str(value)) if isinstance(value, float) else Decimal(value))
    return f"{rounded.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"


def _sign(value: Number, text: str, *, plus: bool) -> str:
    # A value that rounds to zero carries no sign: "0.0%", never "−0.0%".
    if not text.strip("0.,"):
        return text
    if value < 0:
        return MINUS + text
    return f"+{text}" if plus and value > 0 else text


def count(value: object, missing: str = MISSING) -> str:
    """7,812; −5 for a negative number; `missing` for None. Text (e.g. "incomplete")
    is returned as it is."""
    if value is None or value == "":
        return missing
    if not _is_number(value):
        return str(value)
    return _sign(value, _grouped(value, None), plus=False)


def signed(value: object, missing: str = MISSING) -> str:
    """A difference: +123, −1,234, 0; `missing` for None."""
    if value is None or value == "":
        return missing
    if not _is_number(value):
        return str(value)
    return _sign(value, _grouped(value, None), plus=True)


def percent_change(value: object, missing: str = NOT_APPLICABLE) -> str:
    """+4.9%, −10.6%, 0.0%, +1,250.0%, to one decimal; "n/a" for None (nothing last
    year to compare against). Text (e.g. "incomplete") is returned as it is."""
    if value is None or value == "":
        return missing
    if not _is_number(value):
        return str(value)
    return _sign(value, _grouped(value, 1), plus=True) + "%"


def rate(value: object, places: int = 2, missing: str = MISSING) -> str:
    """A rate such as crimes per 1,000: 47.03, 1,234.50, −0.45 (a distance); `missing`
    for None."""
    if value is None or value == "":
        return missing
    if not _is_number(value):
        return str(value)
    return _sign(value, _grouped(value, places), plus=False)


def signed_rate(value: object, places: int = 2, missing: str = MISSING) -> str:
    """A difference of rates: +1.20, −0.45, 0.00."""
    if value is None or value == "":
        return missing
    if not _is_number(value):
        return str(value)
    return _sign(value, _grouped(value, places), plus=True)
