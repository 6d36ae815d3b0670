"""Daily series drawn so they read: weekly sums of the daily counts, with the days themselves on zoom.

Four years of days are some 1,500 jagged points; a week's sum smooths the weekday rhythm and shows a burst
(one operation) as what it is. The daily values stay on the chart, thin and on their own axis, and a
range slider and range buttons bring them into view: zoomed to a few weeks, each day can be read.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from hotline_trends.analysis.pick import pick_most_reliable
from hotline_trends.charts.base import plain

WEEKLY_LABEL = "weekly sums of daily counts"
DAILY_AXIS = "y2"
DERIVED = "derived here"
SLIDER = 0.1  # the range slider's height, as a share of the plot's
RANGE_BUTTONS = [
    {"count": 3, "label": "3 months", "step": "month", "stepmode": "backward"},
    {"count": 1, "label": "1 year", "step": "year", "stepmode": "backward"},
    {"step": "all", "label": "all"},
]


def one_per_day(daily: pd.DataFrame) -> pd.DataFrame:
    """One row per metric and day: where several sources give a day, the most reliable (never a sum)."""
    if daily.empty or not daily.duplicated(["metric", "period_start"]).any():
        return daily
    keyed = daily.assign(dataset=daily.get("dataset", ""), region=daily.get("region", ""))
    return pick_most_reliable(keyed)[daily.columns.tolist()]


def weekly_sums(daily: pd.DataFrame) -> pd.DataFrame:
    """Monday-to-Sunday sums of daily ``value`` per ``metric`` (rows: one per metric and day).

    Columns: ``metric``, ``period_start`` (Monday), ``period_end`` (Sunday), ``value`` (the sum),
    ``days_with_value`` (a week at either end of a series, or with days missing, has fewer than 7),
    ``complete``, ``source_id`` (the sources summed) and ``reliability`` ('derived here').

    Example:
        >>> days = pd.DataFrame({"metric": ["m"] * 9, "value": range(1, 10),
        ...                      "period_start": pd.date_range("2025-02-10", periods=9), "source_id": "s"})
        >>> weekly_sums(days)[["period_start", "value", "days_with_value"]].astype(str).values.tolist()
        [['2025-02-10', '28', '7'], ['2025-02-17', '17', '2']]
    """
    columns = ["metric", "period_start", "period_end", "value", "days_with_value", "complete", "source_id"]
    if daily.empty:
        return pd.DataFrame(columns=[*columns, "reliability", "note"])
    day = pd.to_datetime(daily["period_start"])
    frame = daily.assign(week=day - pd.to_timedelta(day.dt.day_of_week, unit="D"))
    grouped = frame.groupby(["metric", "week"], sort=True)
    result = grouped.agg(value=("value", "sum"), days_with_value=("value", "count"))
    result["source_id"] = _sources(frame, result.index)
    result = result.reset_index().rename(columns={"week": "period_start"})
    result["period_end"] = result["period_start"] + pd.Timedelta(days=6)
    result["complete"] = result["days_with_value"] == 7
    note = "sum of " + result["days_with_value"].astype("str") + " daily values (Monday to Sunday)"
    return result[columns].assign(reliability=DERIVED, note=note)


def _sources(frame: pd.DataFrame, index: pd.Index) -> pd.Series:
    """The sources of each (metric, week), '; '-joined in order: a loop over the few sources, not the weeks."""
    pairs = frame.loc[frame["source_id"].notna(), ["metric", "week", "source_id"]].astype({"source_id": "str"})
    if pairs.empty:
        return pd.Series("", index=index, dtype="str")
    present = pd.crosstab([pairs["metric"], pairs["week"]], pairs["source_id"]) > 0
    text = pd.Series("", index=present.index, dtype="str")
    for source in sorted(present.columns):
        joined = text.where(text == "", text + "; ") + source
        text = text.where(~present[source], joined)
    return text.reindex(index, fill_value="")


def add_daily_metric(figure: go.Figure, part: pd.DataFrame, *, name: str, colour: str) -> pd.DataFrame:
    """Draw one daily metric: its weekly sums (left axis) and its days (thin, right axis); returns the weeks."""
    days = part.sort_values("period_start")
    weeks = weekly_sums(days)
    # every week of the span, so a week without any day breaks the line instead of being bridged
    every_week = pd.date_range(weeks["period_start"].min(), weeks["period_start"].max(), freq="7D")
    drawn = weeks.set_index("period_start").reindex(every_week)
    hover = [
        f"week {s:%Y-%m-%d} to {s + pd.Timedelta(days=6):%Y-%m-%d}: {v:,.0f}<br>{n:.0f} of 7 days with a value"
        f"<br>source: {plain(src)}"
        if pd.notna(v) else f"week {s:%Y-%m-%d}: no day with a value"
        for s, v, n, src in zip(drawn.index, drawn["value"], drawn["days_with_value"], drawn["source_id"], strict=True)
    ]  # fmt: skip
    figure.add_trace(
        go.Scatter(
            x=every_week + pd.Timedelta(days=3, hours=12),
            y=drawn["value"],
            connectgaps=False,
            mode="lines+markers",
            line={"color": colour, "width": 2, "shape": "linear"},
            marker={
                "color": colour,
                "size": 5,
                "symbol": ["circle" if c is True else "circle-open" for c in drawn["complete"]],
            },
            name=_legend(f"{plain(name)}: {WEEKLY_LABEL}"),
            legendgroup=name,
            hovertext=hover,
            hoverinfo="text",
        )
    )
    # Days are contiguous in a daily series; a missing day breaks the line instead of being bridged.
    dates = pd.to_datetime(days["period_start"])
    every = pd.date_range(dates.min(), dates.max(), freq="D")
    values = days.set_index(dates)["value"].reindex(every)
    figure.add_trace(
        go.Scatter(
            x=every,
            y=values,
            mode="lines",
            line={"color": colour, "width": 1},
            opacity=0.4,
            yaxis=DAILY_AXIS,
            name=_legend(f"{plain(name)}: days (right axis; zoom in to read them)"),
            legendgroup=name,
            connectgaps=False,
            hovertemplate="%{x|%Y-%m-%d} (%{x|%a}): %{y:,.0f}<extra>" + plain(name) + "</extra>",
        )
    )
    return weeks


def daily_axes(figure: go.Figure, *, span: list[pd.Timestamp], top: float) -> None:
    """The right axis for daily values (0..``top``), and a range slider over ``span`` with zoom buttons.

    Call after ``base.finish``: the slider sits under the x axis, so the axis title and the source note
    move down by its height.
    """
    figure.update_layout(
        yaxis2={
            "title": {"text": "daily count (thin lines)"},
            "overlaying": "y",
            "side": "right",
            "range": [0, max(top, 1) * 1.05],
            "tickmode": "auto",
            "showgrid": False,
            "zeroline": False,
        }
    )
    figure.update_xaxes(
        rangeslider={"visible": True, "thickness": SLIDER, "range": span}, rangeselector={"buttons": RANGE_BUTTONS}
    )
    plot = figure.layout.height - figure.layout.margin.t - figure.layout.margin.b
    extra = int(plot * SLIDER) + 28
    for note in figure.layout.annotations:
        if note.name == "source":
            note.yshift = (note.yshift or 0) - extra
    figure.update_layout(height=figure.layout.height + extra, margin={"b": figure.layout.margin.b + extra})


def _legend(text: str) -> str:
    """A legend entry wrapped (it sits beside the plot: a long name, e.g. an upload's description, squeezes it)."""
    return "<br>".join(textwrap.wrap(text, width=32, break_long_words=False))
