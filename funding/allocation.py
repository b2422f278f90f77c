"""The county's funding formula (seed 004, Appendix 3): a pot shared among partnerships.

The county sets three amounts: an even share (split equally), a population share (in
proportion to each partnership's population) and a crime share (in proportion to its
recorded crime). Inputs come from the stored populations and figures for a chosen period
(`inputs_from_figures`) or from a CSV `partnership,population,crime` (`parse_inputs_csv`).

Rounding (the largest-remainder method, per component): each partnership's exact share
of a component is rounded down to a whole pound; the pounds left over (fewer than the
number of partnerships) go one each to the partnerships with the largest fractional
parts, ties broken by name (A before Z). So every allocation is within £1 of its exact
share and each component's allocations add up to its amount exactly; the totals add up
to the pot. Amounts must be whole pounds. Money is Decimal; the arithmetic is exact
(fractions), never floating point.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership

COMPONENTS = ("even", "population", "crime")
HEADER = ["partnership", "population", "crime"]
OUTPUT_HEADER = ["partnership", "even", "population", "crime", "total"]
PENNY = Decimal("0.01")


@dataclass(frozen=True)
class Input:
    name: str
    population: int
    crime: int
    partnership: Partnership | None = None


@dataclass(frozen=True)
class Share:
    name: str
    even: Decimal
    population: Decimal
    crime: Decimal
    partnership: Partnership | None = None

    @property
    def total(self) -> Decimal:
        return self.even + self.population + self.crime


@dataclass
class Allocation:
    amounts: dict[str, Decimal]
    inputs: list[Input]
    shares: list[Share] = field(default_factory=list)

    @property
    def pot(self) -> Decimal:
        return sum(self.amounts.values(), Decimal("0"))

    def total_of(self, component: str) -> Decimal:
        return sum((getattr(s, component) for s in self.shares), Decimal("0"))

    @property
    def totals(self) -> dict[str, Decimal]:
        found = {c: self.total_of(c) for c in COMPONENTS}
        found["total"] = sum(found.values(), Decimal("0"))
        return found

    def rows(self) -> list[list]:
        """partnership, even, population, crime, total: for the CSV and the command."""
        return [[s.name, s.even, s.population, s.crime, s.total] for s in self.shares]


def exact_shares(amount: Decimal, weights: list[int]) -> list[Fraction]:
    whole = sum(weights)
    if whole <= 0:
        raise ValidationError("The weights add up to nothing: there is nothing to share by.")
    return [Fraction(amount) * w / whole for w in weights]


def largest_remainder(amount: Decimal, weights: list[int], names: list[str]) -> list[Decimal]:
    """Whole-pound shares of `amount` in proportion to `weights` adding up to `amount`.

    Floors first; the pounds left go to the largest fractional parts, ties by name.
    """
    if amount != amount.to_integral_value():
        raise ValidationError(f"£{amount} is not a whole number of pounds.")
    if amount == 0:
        return [Decimal("0")] * len(weights)
    exact = exact_shares(amount, weights)
    floors = [int(x) for x in exact]  # shares are not negative: int() is the floor
    left = int(amount) - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), names[i]))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(x) for x in floors]


def pence(value: Fraction) -> Decimal:
    """An exact share to the penny (halves up), as seed 004 prints them."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        PENNY, rounding=ROUND_HALF_UP
    )


def check_amounts(amounts: dict[str, Decimal]) -> dict[str, Decimal]:
    errors = {}
    for component in COMPONENTS:
        value = amounts.get(component)
        if value is None:
            errors[component] = "Give an amount (0 for none)."
        elif value < 0:
            errors[component] = "An amount cannot be negative."
        elif value != value.to_integral_value():
            errors[component] = "Give a whole number of pounds."
    if errors:
        raise ValidationError(errors)
    return {c: Decimal(amounts[c]).quantize(Decimal("1")) for c in COMPONENTS}


def allocate(amounts: dict[str, Decimal], inputs: list[Input]) -> Allocation:
    """The formula: three components, each shared by the largest-remainder method."""
    amounts = check_amounts(amounts)
    if not inputs:
        raise ValidationError("There are no partnerships to share the pot among.")
    names = [i.name for i in inputs]
    if amounts["population"] and not sum(i.population for i in inputs):
        raise ValidationError({"population": "The populations add up to nothing."})
    if amounts["crime"] and not sum(i.crime for i in inputs):
        raise ValidationError({"crime": "The crime counts add up to nothing."})
    even = largest_remainder(amounts["even"], [1] * len(inputs), names)
    population = largest_remainder(amounts["population"], [i.population for i in inputs], names)
    crime = largest_remainder(amounts["crime"], [i.crime for i in inputs], names)
    allocation = Allocation(amounts, inputs)
    allocation.shares = [
        Share(i.name, e, p, c, i.partnership)
        for i, e, p, c in zip(inputs, even, population, crime, strict=True)
    ]
    return allocation


# --- inputs ---------------------------------------------------------------------------


def _whole(value: str, *, minimum: int) -> int:
    cleaned = value.replace(",", "").strip()
    if not cleaned.lstrip("-").isdigit():
        raise ValueError(f"'{value}' is not a whole number")
    number = int(cleaned)
    if number < minimum:
        raise ValueError(f"{number} is below {minimum}")
    return number


def parse_inputs_csv(
    text: str, partnerships: list[Partnership] | None = None, *, require_known: bool = False
) -> list[Input]:
    """Rows `partnership,population,crime` (a header first). Every problem is named by
    row, field and what is wrong, all at once; nothing is returned unless all rows are
    good. A row naming one of `partnerships` (by name or slug) is linked to it; with
    `require_known`, every row must."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = list(reader)
    if not rows:
        raise ValidationError(
            "The file is empty: it needs the header partnership,population,crime."
        )
    header = [cell.strip().lower() for cell in rows[0]]
    if header != HEADER:
        raise ValidationError(
            f"Row 1: the header must be partnership,population,crime, not {','.join(rows[0])}."
        )
    known = {}
    for p in partnerships or []:
        known[p.name.lower()] = p
        known[p.slug.lower()] = p
    errors: list[str] = []
    found: list[Input] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            errors.append(f"Row {number}: expected 3 fields, found {len(row)}.")
            continue
        name, population, crime = (cell.strip() for cell in row)
        problems = []
        if not name:
            problems.append(f"Row {number}, partnership: empty.")
        elif name.lower() in seen:
            problems.append(
                f"Row {number}, partnership: {name} is also on row {seen[name.lower()]}."
            )
        partnership = known.get(name.lower())
        if name and require_known and partnership is None:
            problems.append(
                f"Row {number}, partnership: {name} is not a partnership of the county."
            )
        values = {}
        for label, value, minimum in (("population", population, 1), ("crime", crime, 0)):
            try:
                values[label] = _whole(value, minimum=minimum)
            except ValueError as error:
                problems.append(f"Row {number}, {label}: {error}.")
        if problems:
            errors.extend(problems)
            continue
        seen[name.lower()] = number
        found.append(Input(name, values["population"], values["crime"], partnership))
    if errors:
        raise ValidationError(errors)
    if not found:
        raise ValidationError("The file has a header but no rows.")
    return found


def inputs_csv(inputs: list[Input]) -> str:
    """The inputs as the CSV `parse_inputs_csv` reads (carried by the confirm form)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for item in inputs:
        writer.writerow([item.name, item.population, item.crime])
    return out.getvalue()


def inputs_from_figures(
    partnerships: list[Partnership], quarter: Quarter, code: str = "ALL"
) -> list[Input]:
    """Each partnership's population (that year's, or the latest before) and its crime:
    the year-to-date count of category `code` at `quarter` (Q4: the whole year). A missing
    population, category or incomplete figure refuses the lot, naming each."""
    from performance.selectors import ytd_by_code

    figures = ytd_by_code(partnerships, code, quarter)
    errors = []
    found = []
    for partnership in partnerships:
        figure = figures[partnership.pk]
        if figure.population is None:
            errors.append(f"{partnership}: no population stored for {quarter.financial_year}.")
        if not figure.has_category:
            errors.append(f"{partnership}: no crime category with the code {code}.")
        elif not figure.complete or figure.count is None:
            why = "; ".join(figure.notes) or "no figures stored"
            errors.append(f"{partnership}: figures to {quarter} are incomplete ({why}).")
        if not errors:
            found.append(Input(partnership.name, figure.population, figure.count, partnership))
    if errors:
        raise ValidationError(errors)
    return found
