"""Context drawn over a time axis: events as bands (with their names on hover) and registered breaks."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from hotline_trends.analysis.breaks import Break
from hotline_trends.charts import palette
from hotline_trends.charts.base import plain

EVENT_AXIS = "y9"  # a hidden 0..1 axis over the plot, so event markers sit at the top whatever the data


def add_events(figure: go.Figure, events: pd.DataFrame, *, label: str) -> int:
    """Draw each event as a band over its dates (inclusive) with a hover marker on top; returns how many.

    Event names, places and venues come from files and are escaped (plotly renders some HTML).
    """
    if events.empty:
        return 0
    for event in events.itertuples(index=False):
        figure.add_vrect(
            x0=pd.Timestamp(event.start_date),
            x1=pd.Timestamp(event.end_date) + pd.Timedelta(days=1),
            fillcolor=palette.EVENT_BAND,
            line={"color": palette.EVENT_EDGE, "width": 1},
            layer="below",
        )
    hover = [
        f"{plain(e.name)}<br>{pd.Timestamp(e.start_date):%Y-%m-%d} to {pd.Timestamp(e.end_date):%Y-%m-%d}"
        f"<br>{plain(e.city)}, {plain(e.state)} · {plain(e.category)}<br>source: {plain(e.source_id)}"
        for e in events.itertuples(index=False)
    ]
    figure.add_trace(
        go.Scatter(
            x=pd.to_datetime(events["start_date"]),
            y=[0.97] * len(events),
            yaxis=EVENT_AXIS,
            mode="markers",
            marker={"symbol": "triangle-down", "size": 9, "color": palette.EVENT_EDGE},
            name=plain(label),
            hovertext=hover,
            hoverinfo="text",
        )
    )
    figure.update_layout(yaxis9={"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True})
    return len(events)


def add_breaks(figure: go.Figure, breaks: Iterable[Break]) -> list[str]:
    """Mark each registered break with a dashed line and its title; returns the break ids drawn."""
    drawn = []
    for brk in breaks:
        when = pd.Timestamp(brk.on)
        figure.add_vline(x=when, line={"color": palette.BREAK, "width": 1.5, "dash": "dash"})
        figure.add_annotation(
            x=when,
            y=1,
            yref="paper",
            text=plain(brk.title),
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            font={"size": 12, "color": palette.BREAK},
        )
        drawn.append(brk.break_id)
    return drawn
