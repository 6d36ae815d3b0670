"""Police-agency counts summed to a state or county per month, drawn with how many agencies reported.

Fewer agencies reporting is not a drop, so the number of reporting agencies is drawn on the same chart
(bars, right axis) and travels in the exported data.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from hotline_trends.analysis.breaks import Break
from hotline_trends.charts import palette
from hotline_trends.charts.base import Chart, finish, plain, source_line
from hotline_trends.charts.overlays import add_breaks, add_events
from hotline_trends.charts.police import marked
from hotline_trends.police_words import series_caveat
from hotline_trends.vocabulary import metric_label

RANK = {"high": 3, "medium": 2, "low": 1}
EXPORT = [
    "region",
    "dataset",
    "metric",
    "period_start",
    "period_end",
    "value",
    "agencies_reporting",
    "source_id",
    "reliability",
]


def with_reliability(rolled: pd.DataFrame, agency_rows: pd.DataFrame) -> pd.DataFrame:
    """Add the worst reliability among the agency rows summed into each period (and name sources source_id)."""
    worst = (
        agency_rows.assign(_r=agency_rows["reliability"].map(RANK).fillna(0))
        .groupby(["dataset", "metric", "period_start", "period_end"], as_index=False)["_r"]
        .min()
    )
    worst["reliability"] = worst["_r"].map({3: "high", 2: "medium", 1: "low"}).fillna("unrated")
    merged = rolled.merge(worst.drop(columns="_r"), on=["dataset", "metric", "period_start", "period_end"], how="left")
    return merged.rename(columns={"source_ids": "source_id"})


def rollup_chart(
    rolled: pd.DataFrame,
    *,
    place: str,
    processing: str,
    events: pd.DataFrame,
    breaks: Iterable[Break],
    events_where: str = "",
    sources: pd.DataFrame,
    slug: str,
) -> Chart:
    """Monthly sums per metric (left axis) and agencies reporting (bars, right axis) for one place."""
    frame = rolled.sort_values(["metric", "period_start"])
    figure = go.Figure()
    reporting = frame.drop_duplicates("period_start")[["period_start", "agencies_reporting"]]
    figure.add_trace(
        go.Bar(
            x=pd.to_datetime(reporting["period_start"]) + pd.Timedelta(days=14),
            y=reporting["agencies_reporting"],
            name="agencies reporting (right axis)",
            marker={"color": palette.MISSING},
            yaxis="y2",
            hovertemplate="%{x|%Y-%m}: %{y} agencies reported<extra></extra>",
        )
    )
    for i, (metric, part) in enumerate(frame.groupby("metric", sort=True)):
        # one point per month at mid-month; a month without any reporting agency is a gap, not a zero
        starts = pd.to_datetime(part["period_start"])
        every = pd.date_range(starts.min(), starts.max(), freq="MS")
        values = part.set_index(starts)["value"].reindex(every)
        figure.add_trace(
            go.Scatter(
                x=every + pd.Timedelta(days=14),
                y=values,
                name=plain(metric_label(str(metric))),
                mode="lines+markers",
                line={"color": palette.SERIES[i % len(palette.SERIES)], "width": 2},
                marker={"size": 6},
                connectgaps=False,
                hovertemplate="%{x|%Y-%m}: %{y}<extra>" + plain(metric) + "</extra>",
            )
        )
    n_events = add_events(figure, events, label=f"events in {events_where or place} (hover for names)")
    add_breaks(figure, breaks)
    figure.update_layout(
        yaxis2={
            "title": {"text": "agencies reporting"},
            "overlaying": "y",
            "side": "right",
            "tickformat": ",d",
            "rangemode": "tozero",
            "showgrid": False,
        },
        barmode="overlay",
    )
    pad = pd.Timedelta(days=20)
    span = [pd.to_datetime(frame["period_start"]).min() - pad, pd.to_datetime(frame["period_end"]).max() + pad]
    figure.update_xaxes(title_text="month", type="date", range=span)
    figure.update_layout(
        yaxis={"title": {"text": "offenses, count per month (sum over agencies)"}, "rangemode": "tozero"}
    )
    title = f"{place}: police-agency counts per month, with agencies reporting"
    text = processing + (f"; {n_events} events drawn as bands" if n_events else "")
    ids = tuple(sorted({s for cell in frame["source_id"].dropna() for s in str(cell).split(";")}))
    finish(figure, title=title, source=source_line(ids, sources), processing=text, height=420, legend_right=True)
    figure.update_layout(legend={"x": 1.1})  # clear of the right axis
    chart = Chart(
        figure=figure,
        data=frame[[c for c in EXPORT if c in frame]].reset_index(drop=True),
        slug=slug,
        title=title,
        sources=ids,
        processing=text,
        method=f"Sum of police-agency monthly counts for {place}, with the number of agencies that reported each month.",
        parameters={"place": place},
        caveats=("Only agencies that sent human-trafficking reports count; participation varies by month and year.",),
    )
    series = set(zip(frame["dataset"].astype("str"), frame["metric"].astype("str"), ["ori:"] * len(frame), strict=True))
    return marked(chart, series_caveat(series))  # sums of police-agency counts
