"""Plotly figure specifications (plain dicts) for the dashboards' charts.

The page passes each dict to the browser with `json_script`; static/performance/charts.js
draws it with our own copy of plotly.js. Every chart sits beside a table of its data.
"""

from __future__ import annotations

from performance.dashboards import FamilyQuarter, TrendPoint, YtdRow

FONT = {"family": "system-ui, sans-serif", "size": 13}
FALL, RISE, NEUTRAL, PREVIOUS = "#1d6f42", "#b3261e", "#1d3d5c", "#8a8d91"


def _layout(title: str, **extra) -> dict:
    layout = {
        "title": {"text": title},
        "font": FONT,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 80},
        "legend": {"orientation": "h", "y": 1.1},
        **extra,
    }
    for axis in ("xaxis", "yaxis"):
        layout.setdefault(axis, {})["automargin"] = True
    return layout


def ytd_chart(rows: list[YtdRow], quarter) -> dict:
    rows = [r for r in rows if r.previous is not None or r.current is not None]
    names = [r.category.name for r in rows]
    return {
        "data": [
            {"type": "bar", "name": "Previous YTD", "x": names, "y": [r.previous for r in rows],
             "marker": {"color": PREVIOUS}},
            {"type": "bar", "name": "Current YTD", "x": names, "y": [r.current for r in rows],
             "marker": {"color": NEUTRAL},
             "text": [r.change_display for r in rows], "textposition": "outside"},
        ],
        "layout": _layout(f"Year to date, {quarter}, against the same point last year",
                          barmode="group", yaxis={"title": {"text": "Crimes"}}),
    }  # fmt: skip


def trend_chart(points: list[TrendPoint], category) -> dict:
    labels = [str(p.quarter) for p in points]
    return {
        "data": [
            {"type": "scatter", "mode": "lines+markers", "name": "Quarter", "x": labels,
             "y": [p.count for p in points], "line": {"color": NEUTRAL}},
            {"type": "scatter", "mode": "lines", "name": "Same quarter last year", "x": labels,
             "y": [p.same_quarter_last_year for p in points],
             "line": {"color": PREVIOUS, "dash": "dash"}},
            {"type": "scatter", "mode": "lines", "name": "Rolling 12 months", "x": labels,
             "y": [p.rolling_12_months for p in points], "yaxis": "y2",
             "line": {"color": RISE, "dash": "dot"}},
        ],
        "layout": _layout(
            f"{category.name} by quarter",
            yaxis={"title": {"text": "Crimes in the quarter"}},
            yaxis2={"title": {"text": "Rolling 12 months"}, "overlaying": "y", "side": "right"},
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
                          margin={"l": 260, "r": 20, "t": 50, "b": 40},
                          xaxis={"title": {"text": "More crimes than last year"}}),
    }  # fmt: skip


def family_chart(history: list[FamilyQuarter], category) -> dict:
    points = [(str(q.quarter), q.own.rank) for q in history if q.own]
    return {
        "data": [
            {"type": "scatter", "mode": "lines+markers", "name": "Rank (1 = lowest rate)",
             "x": [p[0] for p in points], "y": [p[1] for p in points],
             "line": {"color": NEUTRAL}},
        ],
        "layout": _layout(f"Position in the family group over time: {category.name}",
                          yaxis={"title": {"text": "Rank"}, "autorange": "reversed",
                                 "range": [15.5, 0.5], "dtick": 1}),
    }  # fmt: skip


def rates_chart(rows, quarter) -> dict:
    rows = [r for r in rows if r.current_rate is not None or r.previous_rate is not None]
    names = [r.category.name for r in rows]
    as_float = lambda v: None if v is None else float(v)  # noqa: E731
    return {
        "data": [
            {"type": "bar", "name": "Previous YTD", "x": names,
             "y": [as_float(r.previous_rate) for r in rows], "marker": {"color": PREVIOUS}},
            {"type": "bar", "name": "Current YTD", "x": names,
             "y": [as_float(r.current_rate) for r in rows], "marker": {"color": NEUTRAL}},
        ],
        "layout": _layout(f"Crimes per 1,000 residents, year to date to {quarter}",
                          barmode="group", yaxis={"title": {"text": "Per 1,000 population"}}),
    }  # fmt: skip
