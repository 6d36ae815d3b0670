"""Every series of one place over time: each value drawn across the period it covers, with its source.

A year's count is a bar across that year, a half-year's across those six months (hollow, and named as not
comparable); nothing is interpolated between periods, and conflicting sources are all drawn. A daily series
is drawn as weekly sums with its days on zoom (``weekly``).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from hotline_trends.analysis.breaks import Break
from hotline_trends.analysis.periods import period_kind
from hotline_trends.charts import palette
from hotline_trends.charts.base import Chart, finish, hover_fields, series_name, source_line, statement
from hotline_trends.charts.overlays import add_breaks, add_events
from hotline_trends.charts.police import marked
from hotline_trends.charts.weekly import WEEKLY_LABEL, add_daily_metric, daily_axes, one_per_day
from hotline_trends.police_words import series_caveat
from hotline_trends.vocabulary import dataset_label, metric_label

EXPORT = [
    "dataset",
    "region",
    "period_start",
    "period_end",
    "period_kind",
    "metric",
    "value",
    "source_id",
    "reliability",
    "note",
]
HOVER = {
    "metric": "metric",
    "period": "period",
    "value": "value",
    "reliability": "reliability",
    "source_id": "source",
    "note": "note",
}
PARTIAL = ("half-year", "quarter", "other")


def _segments(part: pd.DataFrame) -> tuple[list[object], list[object]]:
    """x and y of one horizontal segment per row, separated by gaps so no line joins two periods."""
    xs: list[object] = []
    ys: list[object] = []
    for start, end, value in zip(part["period_start"], part["period_end"], part["value"], strict=True):
        xs += [pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1), None]
        ys += [value, value, None]
    return xs, ys


def _add_metric(figure: go.Figure, part: pd.DataFrame, *, name: str, colour: str, hollow: bool) -> None:
    xs, ys = _segments(part)
    figure.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": colour, "width": 3, "dash": "dot" if hollow else "solid"},
            legendgroup=name,
            showlegend=False,
            hoverinfo="skip",
        )
    )
    middle = (
        pd.to_datetime(part["period_start"])
        + (pd.to_datetime(part["period_end"]) - pd.to_datetime(part["period_start"])) / 2
    )
    symbols = [palette.RELIABILITY_SYMBOL.get(r, "x") + ("-open" if hollow else "") for r in part["reliability"]]
    shown = part.assign(
        period=[
            f"{pd.Timestamp(s):%Y-%m-%d} to {pd.Timestamp(e):%Y-%m-%d}"
            for s, e in zip(part["period_start"], part["period_end"], strict=True)
        ]
    )
    custom, template = hover_fields(shown, HOVER)
    figure.add_trace(
        go.Scatter(
            x=middle,
            y=part["value"],
            mode="markers",
            name=name,
            legendgroup=name,
            marker={"color": colour, "size": 9, "symbol": symbols, "line": {"color": colour, "width": 1.5}},
            customdata=custom,
            hovertemplate=template,
        )
    )


def series_chart(
    rows: pd.DataFrame,
    *,
    place: str,
    dataset: str,
    events: pd.DataFrame,
    breaks: Iterable[Break],
    events_where: str = "",
    sources: pd.DataFrame,
    processing: str = "values as published, one mark per source; nothing interpolated between periods",
    slug: str,
) -> Chart:
    """One dataset's series for a place (``rows``: its observations, any period kinds)."""
    breaks = list(breaks)
    frame = rows.assign(period_kind=period_kind(rows["period_start"], rows["period_end"])).sort_values(
        ["metric", "period_start"]
    )
    kinds = set(frame["period_kind"])
    per = {frozenset({"day"}): f"per week ({WEEKLY_LABEL})", frozenset({"month"}): "per month"}.get(
        frozenset(kinds), "per year" if kinds == {"year"} else "per period shown (each bar spans its period)"
    )
    figure = go.Figure()
    weeks = []
    for i, (metric, part) in enumerate(frame.groupby("metric", sort=True)):
        colour = palette.SERIES[i % len(palette.SERIES)]
        called = metric_label(str(metric))  # the legend names the metric; the CSV keeps its code
        daily = part.loc[part["period_kind"] == "day"]
        if not daily.empty:
            said = _legend_name(called, daily["source_id"], sources, wrap=False)  # the weekly traces escape it
            summed = add_daily_metric(figure, one_per_day(daily), name=said, colour=colour)
            weeks.append(summed.assign(dataset=dataset, region=frame["region"].iloc[0], period_kind=WEEKLY_LABEL))
        part = part.loc[part["period_kind"] != "day"]
        full = part.loc[~part["period_kind"].isin(PARTIAL)]
        partial = part.loc[part["period_kind"].isin(PARTIAL)]
        if not full.empty:
            _add_metric(
                figure, full, name=_legend_name(called, full["source_id"], sources), colour=colour, hollow=False
            )
        if not partial.empty:
            _add_metric(
                figure, partial, name=f"{called}: part of a year only, not comparable", colour=colour, hollow=True
            )
    n_events = add_events(figure, events, label=f"events in {events_where or place} (hover for names)")
    drawn = add_breaks(figure, breaks)
    pad = pd.Timedelta(days=60)  # an explicit range: plotly would otherwise widen the axis to fit break labels
    span = [pd.to_datetime(frame["period_start"]).min() - pad, pd.to_datetime(frame["period_end"]).max() + pad]
    # the axis says only "date" (a longer title, centred on a plot narrowed by the legend, ran off its left edge at
    # 1024 px); what a mark spans is in the note
    figure.update_xaxes(title_text="date", type="date", range=span)
    figure.update_yaxes(title_text=f"count {per}", rangemode="tozero")
    title = f"{place}: {dataset_label(dataset)}"
    text = (
        processing
        + "; each mark spans the period it counts; marker shape = reliability (● high, ◆ medium, ▲ low, × unrated)"
    )
    if weeks:
        text += (
            f"; daily series drawn as {WEEKLY_LABEL} (Monday to Sunday; open markers: weeks with fewer than 7 days "
            "of data, e.g. at either end), the days themselves as thin lines on the right axis"
        )
    if n_events:
        text += f"; {n_events} events drawn as bands over their dates"
    if drawn:
        text += "; dashed lines = registered breaks in how the series is measured"
    ids = tuple(sorted(set(frame["source_id"].dropna())))
    finish(
        figure,
        title=title,
        source=source_line(ids, sources),
        processing=text,
        footnote=statement(dataset),
        height=420,
        legend_right=True,
    )
    if weeks:
        top = frame.loc[frame["period_kind"] == "day", "value"].max()
        daily_axes(figure, span=span, top=float(top))
        figure.update_layout(legend={"x": 1.12})  # clear of the daily axis on the right
    data = pd.concat([frame, *weeks], ignore_index=True) if weeks else frame
    chart = Chart(
        figure=figure,
        data=data[[c for c in EXPORT if c in data]].reset_index(drop=True),
        slug=slug,
        title=title,
        sources=ids,
        processing=text,
        method=f"Every published value of {dataset_label(dataset)} for {place}, over time.",
        parameters={
            "place": place,
            "dataset": dataset,
            "breaks marked": ", ".join(b.break_id for b in breaks) or "none",
        },
        caveats=tuple(b.description for b in breaks),
    )
    series = {(dataset, str(m), str(r)) for m, r in zip(frame["metric"], frame["region"], strict=True)}
    return marked(chart, series_caveat(series))


def _legend_name(called: str, source_ids: pd.Series, sources: pd.DataFrame, *, wrap: bool = True) -> str:
    """The metric's name in the legend, and a user's upload named as theirs ('tips: your upload: ...')."""
    name = series_name(called, source_ids, sources)
    if name == called:
        return name
    # the legend sits beside the plot: a long upload description is wrapped, or it squeezes the plot
    return "<br>".join(textwrap.wrap(f"{called}: {name}", width=32)) if wrap else f"{called}: {name}"
