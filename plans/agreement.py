"""The Safer Communities Agreement's arithmetic: targets, discrepancies, progress.

The agreement stores only what it states (a baseline and a % change, or a stated value)
and what it printed; every target shown is computed here:

- A % change of a baseline: baseline × (100 + change) / 100, then rounded, halves up
  (ROUND_HALF_UP): a count to a whole number, a rate per 1,000 to two decimals, a
  percentage to one decimal. (Seed 004 truncates counts: 320 − 6 % = 300.8 is printed
  300; the portal says 301 and lists the difference as a rounding difference.)
- A printed target that differs from the computed one is a discrepancy: a *rounding
  difference* when the printed figure is the exact value truncated, otherwise an *error*
  ("519 − 6 % = 587" is 488).
- Sum checks: where the county and every area have a count baseline (or target) for the
  same indicator and year, the areas' figures must add up to the county's.
- Progress: the year-to-date count of the indicator's crime category at a chosen quarter
  (performance.selectors.ytd_by_code), its rate per 1,000, against the area's latest
  target pro rata (quarters elapsed / 4 of the annual target, rounded as above). A figure
  resting on an incomplete quarter shows "incomplete" and is not rated.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.rag import Rag, assess_value
from performance.selectors import ytd_by_code
from plans.agreement_models import (
    HOLDING_SYMBOLS,
    Agreement,
    AgreementArea,
    CountyIndicator,
    DistrictTarget,
    Holding,
    Measure,
    TargetKind,
)

#: The rounding step of each measure.
STEPS: dict[str, Decimal] = {
    Measure.COUNT: Decimal("1"),
    Measure.RATE: Decimal("0.01"),
    Measure.PERCENTAGE: Decimal("0.1"),
}

ROUNDING_RULE = (
    "Targets are computed as baseline × (100 + change) ÷ 100 and rounded halves up: counts "
    "to a whole number, rates per 1,000 to two decimals, percentages to one decimal."
)


def _given(value: Decimal | None, what: str) -> Decimal:
    """A figure the target's kind requires (the model's check constraint holds it)."""
    if value is None:
        raise ValueError(f"The target has no {what}.")
    return Decimal(value)


def exact_target(target: DistrictTarget) -> Decimal:
    if target.kind == TargetKind.STATED:
        return _given(target.stated, "stated target")
    baseline = _given(target.baseline, "baseline")
    return baseline * (100 + _given(target.change_pct, "% change")) / 100


def rounded(value: Decimal, measure: str, rounding: str = ROUND_HALF_UP) -> Decimal:
    return value.quantize(STEPS[measure], rounding=rounding)


def computed_target(target: DistrictTarget) -> Decimal:
    """The target the portal states: computed from baseline and %, or as stated."""
    if target.kind == TargetKind.STATED:
        return _given(target.stated, "stated target")
    return rounded(exact_target(target), target.measure)


def _number(value: Decimal) -> str:
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _pct(value: Decimal) -> str:
    sign = "−" if value < 0 else "+"
    return f"{sign} {_number(abs(value))} %"


@dataclass(frozen=True)
class Discrepancy:
    indicator: CountyIndicator
    where: str
    year: FinancialYear
    kind: str  # "error", "rounding" or "sum"
    text: str


def _area_name(target: DistrictTarget) -> str:
    return target.area.name if target.area is not None else "County"


def target_discrepancy(target: DistrictTarget) -> Discrepancy | None:
    """The printed target against the computed one (None when they agree)."""
    if target.printed is None or target.kind != TargetKind.REDUCTION:
        return None
    computed = computed_target(target)
    printed = Decimal(target.printed)
    if printed == computed:
        return None
    exact = exact_target(target)
    truncated = rounded(exact, target.measure, ROUND_DOWN)
    kind = "rounding" if printed == truncated else "error"
    what = (
        "rounded down (truncated) instead of to the nearest"
        if kind == "rounding"
        else "an arithmetic error"
    )
    text = (
        f"{target.indicator.code}, {_area_name(target)}, {target.financial_year} "
        f"({target.get_measure_display().lower()}): the agreement prints "
        f"{_number(_given(target.baseline, 'baseline'))} "
        f"{_pct(_given(target.change_pct, '% change'))} = "
        f"{_number(printed)}; it is {_number(computed)} ({_number(exact.normalize())} "
        f"exactly): {what}."
    )
    return Discrepancy(target.indicator, _area_name(target), target.financial_year, kind, text)


def sum_discrepancies(targets: list[DistrictTarget]) -> list[Discrepancy]:
    """Areas' count baselines and targets that do not add up to the county's."""
    found = []
    groups: dict[tuple, list[DistrictTarget]] = defaultdict(list)
    for target in targets:
        if target.measure == Measure.COUNT:
            groups[(target.indicator_id, int(target.financial_year))].append(target)
    for group in groups.values():
        county = [t for t in group if not t.area_id]
        areas = [t for t in group if t.area_id]
        if not county or not areas:
            continue
        whole = county[0]
        for label, value_of in (
            ("baselines", lambda t: t.baseline),
            ("targets", lambda t: computed_target(t) if t.kind == TargetKind.STATED else None),
        ):
            values = [value_of(t) for t in areas]
            own = value_of(whole) if label == "baselines" else whole.printed
            if own is None and label == "targets" and whole.kind == TargetKind.STATED:
                own = whole.stated
            given = [Decimal(v) for v in values if v is not None]
            if own is None or len(given) < len(values):
                continue
            total = sum(given, Decimal(0))
            if total != Decimal(own):
                found.append(
                    Discrepancy(
                        whole.indicator,
                        "County",
                        whole.financial_year,
                        "sum",
                        f"{whole.indicator.code}, {whole.financial_year}: the districts' "
                        f"{label} add up to {_number(total)}, the county's is "
                        f"{_number(Decimal(own))}.",
                    )
                )
    return found


def discrepancies(agreement: Agreement) -> list[Discrepancy]:
    targets = list(
        DistrictTarget.objects.filter(indicator__agreement=agreement).select_related(
            "indicator", "area"
        )
    )
    found = [d for t in targets if (d := target_discrepancy(t))]
    return found + sum_discrepancies(targets)


# --- the page's tables ----------------------------------------------------------------


@dataclass
class MatrixRow:
    priority: object
    cells: list[tuple[str, str]]  # (symbol, label) per area; ("", "") for none


def matrix(agreement: Agreement, areas: list[AgreementArea]) -> list[MatrixRow]:
    rows = []
    priorities = agreement.priorities.prefetch_related("holdings")
    for priority in priorities:
        held = {h.area_id: h.holding for h in priority.holdings.all()}
        cells = [
            (HOLDING_SYMBOLS[held[a.pk]], Holding(held[a.pk]).label) if a.pk in held else ("", "")
            for a in areas
        ]
        rows.append(MatrixRow(priority, cells))
    return rows


LEGEND = [(HOLDING_SYMBOLS[h], h.label) for h in Holding]


@dataclass
class TargetRow:
    target: DistrictTarget
    computed: Decimal
    discrepancy: Discrepancy | None

    @property
    def change(self) -> str:
        """The target's % change as printed beside it ("− 6 %"), or ""."""
        if self.target.kind != TargetKind.REDUCTION:
            return ""
        return _pct(_given(self.target.change_pct, "% change"))


@dataclass
class IndicatorTable:
    indicator: CountyIndicator
    columns: list[tuple[FinancialYear, str]]  # (year, measure label)
    rows: list[tuple[str, list[str], list[TargetRow | None]]] = field(default_factory=list)


def indicator_tables(agreement: Agreement, areas: list[AgreementArea]) -> list[IndicatorTable]:
    """Per indicator, one row per area (the county first), one column per year × measure."""
    tables = []
    targets = DistrictTarget.objects.filter(indicator__agreement=agreement).select_related(
        "indicator", "area"
    )
    by_indicator: dict[int, list[DistrictTarget]] = defaultdict(list)
    for target in targets:
        by_indicator[target.indicator_id].append(target)
    order = {m: i for i, m in enumerate(Measure.values)}
    for indicator in agreement.indicators.all():
        own = by_indicator[indicator.pk]
        keys = sorted({(int(t.financial_year), t.measure) for t in own},
                      key=lambda k: (k[0], order[k[1]]))  # fmt: skip
        table = IndicatorTable(indicator, [(FinancialYear(y), Measure(m).label) for y, m in keys])
        for name, area_pk in [("County", None)] + [(a.name, a.pk) for a in areas]:
            cells = {
                (int(t.financial_year), t.measure): TargetRow(
                    t, computed_target(t), target_discrepancy(t)
                )
                for t in own
                if t.area_id == area_pk
            }
            if cells:
                baselines: list[str] = []
                for key in keys:
                    t = cells[key].target if key in cells else None
                    if t is not None and t.baseline is not None:
                        text = _number(Decimal(t.baseline)) + (
                            f" ({t.baseline_label})" if t.baseline_label else ""
                        )
                        if text not in baselines:
                            baselines.append(text)
                table.rows.append((name, baselines, [cells.get(k) for k in keys]))
        tables.append(table)
    return tables


@dataclass
class Progress:
    area: AgreementArea
    indicator: CountyIndicator
    target: DistrictTarget | None
    annual: Decimal | None
    pro_rata: Decimal | None
    actual: Decimal | None
    count: int | None
    rate: Decimal | None
    complete: bool
    rag: Rag
    notes: list[str]
    available: bool = True  # False: no linked partnership, or one covering several districts

    @property
    def state(self) -> str:
        """One of "rated", "incomplete" (resting on an incomplete quarter, or no target or rate
        to judge by) or "unavailable"."""
        if not self.available:
            return "unavailable"
        return "rated" if self.complete and self.rag != Rag.GREY else "incomplete"


def _latest_targets(indicator: CountyIndicator) -> dict[int, DistrictTarget]:
    """Each area's target of the latest year, the rate preferred (the agreement's rule:
    'the targets will be the rates'), else the count."""
    chosen: dict[int, DistrictTarget] = {}
    order: dict[str, int] = {Measure.RATE: 0, Measure.COUNT: 1}
    for area_id, target in sorted(
        ((t.area_id, t) for t in indicator.targets.all() if t.area_id and t.measure in order),
        key=lambda pair: (int(pair[1].financial_year), -order[pair[1].measure]),
    ):
        chosen[area_id] = target
    return chosen


def progress(
    indicator: CountyIndicator, areas: list[AgreementArea], quarter: Quarter
) -> list[Progress]:
    """Each area's year to date at `quarter` against its latest target, pro rata."""
    if not indicator.category_code:
        return []
    shared: dict[int, list[str]] = defaultdict(list)
    for area in areas:
        if area.partnership_id:
            shared[area.partnership_id].append(area.name)
    linked = [a.partnership for a in areas if a.partnership_id]
    figures = ytd_by_code(linked, indicator.category_code, quarter) if linked else {}
    targets = _latest_targets(indicator)
    rows = []
    for area in areas:
        target = targets.get(area.pk)
        annual = computed_target(target) if target else None
        if not area.partnership_id:
            note = "No partnership of the portal is linked."
            rows.append(Progress(area, indicator, target, annual, None, None, None, None,
                                 False, Rag.GREY, [note], available=False))  # fmt: skip
            continue
        if len(shared[area.partnership_id]) > 1:
            names = " and ".join(shared[area.partnership_id])
            note = f"{area.partnership} covers {names}: its figures are not this district's."
            rows.append(Progress(area, indicator, target, annual, None, None, None, None,
                                 False, Rag.GREY, [note], available=False))  # fmt: skip
            continue
        figure = figures[area.partnership_id]
        pro_rata = (
            rounded(annual * quarter.number / 4, target.measure)
            if annual is not None and target is not None
            else None
        )
        actual: Decimal | None = None
        if target is not None:
            actual = figure.rate if target.measure == Measure.RATE else figure.count
        notes = list(figure.notes)
        if target is not None and target.measure == Measure.RATE and figure.population is None:
            notes.append("No population is stored, so no rate.")
        rag = (
            assess_value(actual, pro_rata, lower_is_better=indicator.lower_is_better)
            if figure.complete and actual is not None
            else Rag.GREY
        )
        rows.append(
            Progress(area, indicator, target, annual, pro_rata, actual, figure.count,
                     figure.rate, figure.complete, rag, notes)
        )  # fmt: skip
    return rows
