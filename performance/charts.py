"""Plotly figure specifications (plain dicts) for the dashboards' charts.

The page passes each dict to the browser with `json_script`; static/performance/charts.js
draws it with our own copy of plotly.js. Every chart sits beside a table of its data.

Axes say plain numbers ("9,991", never "9.991k": `tickformat` with separators), and the
labels we write ourselves come from csp_portal.number_format, so a chart and its table
print a number the same way. Anti-social behaviour is incidents, not crimes: it has a
chart (and an axis) of its own, never a bar beside All Crime on the crimes axis.
"""

from __future__ import annotations

from performance.family_table import FamilyQuarter
from performance.trend import TrendPoint
from performance.ytd import YtdRow

FONT = {"family": "system-ui, sans-serif", "size": 13}
FALL, RISE, NEUTRAL, PREVIOUS = "#1d6f42", "#b3261e", "#1d3d5c", "#8a8d91"
#: Whole numbers with thousands separators, as the tables print them.
COUNT_FORMAT = ",d"
#: Height given to each bar of a horizontal bar chart, so small categories stay legible.
BAR_ROW = 30


def _layout(title: str, **extra) -> dict:
    layout = {
        # Pinned to the top of the figure: a title wrapped onto two lines on a phone
        # (static/performance/charts.js) grows downwards into the margin made for it,
        # never over the legend below it.
        "title": {"text": title, "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
        "font": FONT,
        "separators": ".,",
        "margin": {"l": 60, "r": 20, "t": 90, "b": 60},
        # Above the plot, under the title: never over rotated axis labels.
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        **extra,
    }
    for axis in ("xaxis", "yaxis", *(["yaxis2"] if "yaxis2" in extra else [])):
        layout.setdefault(axis, {})["automargin"] = True
    return layout


def _counts_axis(title: str, **extra) -> dict:
    return {"title": {"text": title}, "tickformat": COUNT_FORMAT, "rangemode": "tozero", **extra}


def ytd_change_chart(rows: list[YtdRow], quarter) -> dict:
    """% change on last year of each crime category (ASB left out: it has its own
    chart), one horizontal bar each, so a category of 30 crimes reads as well as All
    Crime. Incomplete rows and rows with nothing last year have no bar."""
    changes = [(r, c) for r in rows if not r.category.is_asb and (c := r.change_pct) is not None]
    changes.reverse()
    rated = [r for r, _ in changes]
    better = [(c < 0) == r.category.lower_is_better and c != 0 for r, c in changes]
    values = [float(c) for _, c in changes]
    low, high = min([0.0, *values]), max([0.0, *values])
    pad = max((high - low) * 0.1, 1.0)
    return {
        "data": [
            {"type": "bar", "orientation": "h", "name": "% change on last year",
             "y": [r.category.name for r in rated], "x": values,
             "text": [r.change_display for r in rated], "textposition": "none",
             "textfont": {"size": 13},
             "marker": {"color": [FALL if b else RISE for b in better]},
             "hovertemplate": "%{y}: %{text}<extra></extra>"},
        ],
        "layout": _layout(
            f"Crime: % change, year to date to {quarter}, on last year",
            height=max(260, BAR_ROW * len(rated) + 140),
            margin={"l": 20, "r": 60, "t": 60, "b": 50},
            showlegend=False,
            xaxis={"title": {"text": "% change on last year"}, "ticksuffix": "%",
                   "tickformat": ",.0f", "zeroline": True, "zerolinecolor": "#333",
                   "range": [low - pad, high + pad], "nticks": 6},
            # Each category's % change is printed in its label, never over a bar or
            # another label, however narrow the screen.
            yaxis={"automargin": True, "tickmode": "array",
                   "tickvals": [r.category.name for r in rated],
                   "ticktext": [f"{r.category.name}  {r.change_display}" for r in rated]},
        ),
    }  # fmt: skip


def asb_chart(rows: list[YtdRow], quarter) -> dict | None:
    """Anti-social behaviour incidents, year to date this year and last, on an axis of
    their own; None when the partnership records no ASB."""
    rows = [r for r in rows if r.category.is_asb and (r.previous, r.current) != (None, None)]
    if not rows:
        return None
    names = [r.category.name for r in rows]
    return {
        "data": [
            {"type": "bar", "name": "Previous YTD", "x": names, "y": [r.previous for r in rows],
             "marker": {"color": PREVIOUS}},
            {"type": "bar", "name": "Current YTD", "x": names, "y": [r.current for r in rows],
             "marker": {"color": NEUTRAL}, "text": [r.change_display for r in rows],
             "textposition": "outside", "cliponaxis": False},
        ],
        "layout": _layout(f"Anti-social behaviour, year to date to {quarter}",
                          barmode="group", height=320,
                          yaxis=_counts_axis("Incidents (not crimes)")),
    }  # fmt: skip


def ytd_charts(rows: list[YtdRow], quarter) -> dict:
    """The YTD page's charts: crime's % change, and ASB apart (or None)."""
    return {"change": ytd_change_chart(rows, quarter), "asb": asb_chart(rows, quarter)}


def trend_chart(points: list[TrendPoint], category) -> dict:
    labels = [str(p.quarter) for p in points]
    noun = "Incidents" if category.is_asb else "Crimes"
    return {
        "data": [
            {"type": "scatter", "mode": "lines+markers", "name": "Quarter", "x": labels,
             "y": [p.count for p in points], "line": {"color": NEUTRAL}},
            {"type": "scatter", "mode": "lines", "name": "Same quarter last year", "x": labels,
             "y": [p.same_quarter_last_year for p in points],
             "line": {"color": PREVIOUS, "dash": "dash"}},
            {"type": "scatter", "mode": "lines", "name": "Rolling 12 months (right axis)",
             "x": labels, "y": [p.rolling_12_months for p in points], "yaxis": "y2",
             "line": {"color": RISE, "dash": "dot"}},
        ],
        "layout": _layout(
            f"{category.name} by quarter",
            margin={"l": 60, "r": 60, "t": 90, "b": 60},
            xaxis={"tickangle": -45},
            yaxis=_counts_axis(f"{noun} in the quarter"),
            yaxis2=_counts_axis("Rolling 12 months", overlaying="y", side="right",
                                automargin=True, showgrid=False),
        ),
    }  # fmt: skip


def increases_chart(increases) -> dict:
    labels = [f"{i.category.name}, beat {i.beat.code}" for i in increases][::-1]
    return {
        "data": [
            {"type": "bar", "orientation": "h", "x": [i.increase for i in increases][::-1],
             "y": labels, "marker": {"color": RISE}, "name": "Increase"},
        ],
        "layout": _layout("Top 10 increases by beat and category (YTD)",
                          height=max(260, BAR_ROW * len(labels) + 120),
                          margin={"l": 20, "r": 20, "t": 50, "b": 40},
                          xaxis=_counts_axis("More crimes than last year")),
    }  # fmt: skip


def family_chart(history: list[FamilyQuarter], category, group_size: int = 15) -> dict:
    """Our rank by quarter on an axis of every position 1 to the group's size (15),
    the best (1, the lowest rate) at the top."""
    points = [(str(q.quarter), q.own.rank) for q in history if q.own]
    bottom = max([group_size, *(p[1] for p in points)])
    return {
        "data": [
            {"type": "scatter", "mode": "lines+markers", "name": "Rank (1 = lowest rate)",
             "x": [p[0] for p in points], "y": [p[1] for p in points],
             "line": {"color": NEUTRAL}},
        ],
        "layout": _layout(f"Position in the family group over time: {category.name}",
                          xaxis={"tickangle": -45},
                          yaxis={"title": {"text": "Rank (1 = best)"}, "autorange": False,
                                 "range": [bottom + 0.5, 0.5], "tickmode": "array",
                                 "tickvals": list(range(1, bottom + 1)), "fixedrange": True}),
    }  # fmt: skip


def rates_chart(rows, quarter) -> dict:
    rows = [
        r for r in rows
        if not r.category.is_asb and (r.current_rate is not None or r.previous_rate is not None)
    ]  # fmt: skip
    names = [r.category.name for r in rows][::-1]
    as_float = lambda v: None if v is None else float(v)  # noqa: E731
    return {
        "data": [
            {"type": "bar", "orientation": "h", "name": "Previous YTD", "y": names,
             "x": [as_float(r.previous_rate) for r in rows][::-1],
             "marker": {"color": PREVIOUS}},
            {"type": "bar", "orientation": "h", "name": "Current YTD", "y": names,
             "x": [as_float(r.current_rate) for r in rows][::-1],
             "marker": {"color": NEUTRAL}},
        ],
        "layout": _layout(f"Crimes per 1,000 residents, year to date to {quarter}",
                          barmode="group", height=max(280, 2 * BAR_ROW * len(rows) + 120),
                          margin={"l": 20, "r": 20, "t": 90, "b": 60},
                          xaxis={"title": {"text": "Per 1,000 population"},
                                 "tickformat": ",.1f", "rangemode": "tozero"}),
    }  # fmt: skip
