"""The monitor's chart: daily counts against their expected band, one-day bursts, alarms and where
monitoring began, with the data behind it (every day, its band, the running evidence and its flags)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hotline_trends.analysis.monitor import MonitorResult
from hotline_trends.analysis.monitor_words import REFERENCES
from hotline_trends.charts import palette
from hotline_trends.charts.base import Chart, finish, source_line
from hotline_trends.charts.police import marked
from hotline_trends.police_words import police_caveat

DERIVED = "derived here"
ALARM = "#b2182b"  # alarms: a dark red, apart from the reserved observed/expected/controls colours


def _data(result: MonitorResult, source_ids: list[str]) -> pd.DataFrame:
    days = result.days
    source = "; ".join(source_ids)
    data = days.drop(columns=["run_start"]).assign(
        monitored=days["date"] >= result.start,
        source_id=source,
        reliability=DERIVED,
    )
    data["date"] = data["date"].dt.strftime("%Y-%m-%d")
    return data


def monitor_chart(
    result: MonitorResult,
    *,
    sources: pd.DataFrame,
    source_ids: list[str] | None = None,
    source_text: str = "",
    dataset: str = "",
    metric: str = "",
    region: str = "",
) -> Chart:
    """Counts (blue), expected with its 95% band (grey), bursts (open diamonds) and alarms (red triangles).

    ``source_text`` replaces the source line for data that are not in the store (an uploaded file);
    ``dataset``, ``metric`` and ``region`` (a stored series) add what police counts measure when they are police counts.
    """
    ids = list(source_ids if source_ids is not None else result.sources)
    days = result.days
    figure = go.Figure()
    known = days.loc[days["expected"].notna()]
    figure.add_trace(
        go.Scatter(
            x=pd.concat([known["date"], known["date"][::-1]]),
            y=pd.concat([known["upper"], known["lower"][::-1]]),
            fill="toself",
            fillcolor=palette.EXPECTED_BAND,
            line={"width": 0},
            mode="lines",
            name="expected, 95% band",
            hoverinfo="skip",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=known["date"], y=known["expected"], mode="lines", name="expected",
            line={"color": palette.EXPECTED, "dash": "dash", "width": 1.5},
        )
    )  # fmt: skip
    figure.add_trace(
        go.Scatter(
            x=days["date"], y=days["count"], mode="lines+markers", name="count",
            line={"color": palette.OBSERVED, "width": 1.5}, marker={"size": 4, "color": palette.OBSERVED},
            connectgaps=False,
        )
    )  # fmt: skip
    bursts = days.loc[days["burst"]]
    if not bursts.empty:
        figure.add_trace(
            go.Scatter(
                x=bursts["date"], y=bursts["count"], mode="markers", name="one-day burst (not an alarm alone)",
                marker={"symbol": "diamond-open", "size": 13, "color": palette.OBSERVED, "line": {"width": 2}},
            )
        )  # fmt: skip
    alarms = days.loc[days["alarm"]]
    if not alarms.empty:
        figure.add_trace(
            go.Scatter(
                x=alarms["date"], y=alarms["count"], mode="markers", name="alarm",
                marker={"symbol": "triangle-up", "size": 14, "color": ALARM, "line": {"color": "white", "width": 1}},
            )
        )  # fmt: skip
    figure.add_vline(x=result.start, line={"color": palette.DERIVED, "dash": "dot", "width": 1})
    figure.add_annotation(
        x=result.start, y=1, yref="paper", text="monitoring from here", showarrow=False, xanchor="left",
        font={"size": 12, "color": "#555555"},
    )  # fmt: skip
    source = source_text or source_line(ids, sources)
    processing = (
        f"each day's expected count and 95% band from earlier days only; alarms from a negative-binomial CUSUM "
        f"tuned to a lasting {result.settings.rise:+.0%} rise, alarm level {result.threshold:.2f} set on the "
        f"series' past ({result.calibration.achieved:.2f} false alarms a year there)"
    )
    figure.update_yaxes(title_text="count per day", rangemode="tozero")
    figure.update_xaxes(title_text="day")
    title = f"{result.label}: daily counts against their expected band"
    finish(
        figure, title=title, source=source, processing=processing, footnote=result.caveats[0] if result.caveats else ""
    )
    chart = Chart(
        figure=figure,
        data=_data(result, ids),
        slug="monitor-" + "".join(c if c.isalnum() else "-" for c in result.label.lower()).strip("-"),
        title=title,
        sources=tuple(ids),
        processing=processing,
        method="Negative-binomial CUSUM (Höhle & Paul 2008) on a rolling baseline; threshold by block bootstrap.",
        parameters={
            "first day monitored": f"{result.start:%Y-%m-%d}",
            "rise looked for": f"{result.settings.rise:+.0%}",
            "false alarms allowed a year": result.settings.alarms_per_year,
            "alarm level": round(result.threshold, 3),
        },
        caveats=tuple(result.caveats) + REFERENCES,
    )
    return marked(chart, police_caveat(dataset, metric, region))
