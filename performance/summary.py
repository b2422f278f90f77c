"""The compact performance summary the meetings app puts into an agenda pack.

Static HTML only: the YTD table and a bar chart of % change drawn as inline SVG, with
no JavaScript and no external URLs, so WeasyPrint prints it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership
from performance.ytd import YtdRow, ytd_table

BAR_AREA = 300  # px either side of zero is BAR_AREA / 2
ROW_HEIGHT = 22
LABEL_WIDTH = 210


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: int
    x: float
    width: float
    negative: bool


def parse_quarter(text: str) -> Quarter:
    """ "Q2 2022/23" (or "2022/23 Q2") as a Quarter."""
    parts = str(text).replace(",", " ").split()
    quarter = [p for p in parts if p.upper().startswith("Q")]
    year = [p for p in parts if not p.upper().startswith("Q")]
    if len(quarter) != 1 or len(year) != 1:
        raise ValueError(f"'{text}' is not a quarter; write it as Q2 2022/23.")
    return Quarter.parse(year[0], quarter[0])


def change_bars(rows: list[YtdRow]) -> tuple[list[Bar], int, int]:
    """Horizontal bars of % change around a zero line, scaled to the largest change."""
    rated = [(r, c) for r in rows if (c := r.change_pct) is not None]
    largest = max([abs(c) for _, c in rated] + [Decimal(1)])
    half = BAR_AREA / 2
    zero = LABEL_WIDTH + half
    bars = []
    for index, (row, change) in enumerate(rated):
        width = float(abs(change) / largest) * (half - 40)
        negative = change < 0
        bars.append(
            Bar(
                label=row.category.name,
                value_text=row.change_display,
                y=index * ROW_HEIGHT + 8,
                x=zero - width if negative else zero,
                width=max(width, 1),
                negative=negative,
            )
        )
    height = len(bars) * ROW_HEIGHT + 16
    return bars, height, int(zero)


def performance_summary_html(partnership: Partnership, quarter: Quarter) -> str:
    table = ytd_table(partnership, quarter)
    bars, height, zero = change_bars(table.rows)
    return render_to_string(
        "performance/summary.html",
        {
            "partnership": partnership,
            "table": table,
            "bars": bars,
            "svg_height": height,
            "svg_width": LABEL_WIDTH + BAR_AREA + 10,
            "zero": zero,
            "label_x": LABEL_WIDTH - 8,
        },
    )


def render_pack_block(partnership: Partnership, params: dict) -> str:
    """PackBlock renderer: params {"quarter": "Q2 2022/23"}."""
    return performance_summary_html(partnership, parse_quarter(params.get("quarter", "")))


def quarter_choices(partnership: Partnership) -> list[tuple[str, str]]:
    """The quarters the partnership has figures for, newest first: the performance
    summary's list (PackBlock parameter "quarter")."""
    from performance.models import QuarterlyFigure

    stored = (
        QuarterlyFigure.objects.filter(partnership=partnership, beat__isnull=True)
        .values_list("financial_year", "quarter")
        .distinct()
    )
    quarters = sorted({Quarter.parse(year, number) for year, number in stored}, reverse=True)
    return [(str(q), str(q)) for q in quarters]


def validate_pack_block(partnership: Partnership, params: dict) -> None:
    """Refuse a summary that would print rows of "–": the quarter (and the quarters
    before it in its year, which the year-to-date sums) must have complete figures."""
    from performance.completeness import completeness

    quarter = parse_quarter(params.get("quarter", ""))
    quarters = quarter.year_to_date
    status = completeness(partnership, quarters)
    if not status.quarter(quarter).has_figures:
        raise ValueError(f"{quarter} has no figures for {partnership}: choose another quarter.")
    for each in quarters:
        if not status.quarter(each).complete:
            raise ValueError(status.quarter(each).refusal())
