"""A pooled event-type study: the relative-time profile and each event's ratio beside the pooled one."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hotline_trends.analysis.results import StudyResult
from hotline_trends.charts import palette
from hotline_trends.charts.base import Chart, finish, plain, source_line, statement
from hotline_trends.charts.event import DERIVED
from hotline_trends.charts.police import marked
from hotline_trends.police_words import police_caveat
from hotline_trends.vocabulary import metric_label

PERIOD_NAMES = {"year": "years", "month": "months", "quarter": "quarters", "week": "weeks", "day": "days"}


def study_table(study: StudyResult) -> pd.DataFrame:
    """One row per event (``EventResult.summary``), with the sources of its result."""
    rows = [dict(e.summary(), source_id="; ".join(e.sources)) for e in study.events]
    return pd.DataFrame(rows).assign(reliability=DERIVED)


def _frequency(study: StudyResult) -> str:
    kinds = {e.frequency for e in study.events if e.frequency and e.observed is not None}
    return PERIOD_NAMES.get(kinds.pop(), "periods") if len(kinds) == 1 else "periods"


def profile_chart(study: StudyResult, *, sources: pd.DataFrame) -> Chart | None:
    """Pooled observed/expected at t−k … t+k around the events, with 95% intervals."""
    rows = pd.DataFrame([p for p in study.profile if p.get("n_events")])
    if rows.empty:
        return None
    low = rows["ratio_interval"].map(lambda v: v[0])
    high = rows["ratio_interval"].map(lambda v: v[1])
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=rows["offset"],
            y=rows["ratio"],
            mode="markers+lines",
            line={"color": palette.OBSERVED},
            marker={"size": 10, "color": palette.OBSERVED},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": high - rows["ratio"],
                "arrayminus": rows["ratio"] - low,
            },
            name="pooled observed / expected, 95% interval",
            customdata=rows[["n_events"]].to_numpy(),
            hovertemplate="t%{x:+d}: %{y:.2f} (%{customdata[0]} events)<extra></extra>",
        )
    )
    figure.add_hline(y=1, line={"color": palette.EXPECTED, "dash": "dash"}, annotation_text="expected (1.0)")
    figure.update_xaxes(title_text=f"{_frequency(study)} relative to the event (0 = the event's)", dtick=1)
    figure.update_yaxes(title_text="ratio: observed / expected (pooled)")
    title = f"{study.label}: pooled relative-time profile ({metric_label(study.metric)})"
    processing = (
        "each offset pools the events with a value there: total observed / total expected from each event's own "
        "baseline, 95% interval from the sum of their predictive distributions"
    )
    finish(
        figure, title=title, source=source_line(study.sources, sources), processing=processing,
        footnote=statement(study.dataset),
    )  # fmt: skip
    data = rows.assign(ratio_low=low, ratio_high=high, source_id="; ".join(study.sources), reliability=DERIVED).drop(
        columns=["ratio_interval"]
    )
    chart = Chart(
        figure=figure, data=data, slug=f"study-{study.event_type}-{study.dataset}-{study.metric}-profile",
        title=title, sources=tuple(study.sources), processing=processing, method="pooled relative-time profile",
        parameters={"events tested": study.pooled.get("n_events")}, caveats=tuple(study.caveats),
    )  # fmt: skip
    return marked(chart, police_caveat(study.dataset, study.metric))


def events_chart(study: StudyResult, *, sources: pd.DataFrame) -> Chart | None:
    """Each tested event's observed/expected with its interval, and the pooled ratio underneath."""
    table = study_table(study).dropna(subset=["ratio"])
    if table.empty:
        return None
    labels = [f"{plain(n)} ({h})" for n, h in zip(table["name"], table["host"], strict=True)]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=table["ratio"],
            y=labels,
            mode="markers",
            marker={"size": 9, "color": palette.OBSERVED},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": table["ratio_high"] - table["ratio"],
                "arrayminus": table["ratio"] - table["ratio_low"],
            },
            name="each event, 95% interval",
            customdata=table[["verdict", "q_value"]].to_numpy(),
            hovertemplate="%{x:.2f}: %{customdata[0]} (q = %{customdata[1]:.3g})<extra></extra>",
        )
    )
    pooled = study.pooled
    if pooled.get("ratio") is not None:
        low, high = pooled["ratio_interval"]
        figure.add_trace(
            go.Scatter(
                x=[pooled["ratio"]],
                y=["pooled"],
                mode="markers",
                marker={"symbol": "diamond", "size": 14, "color": palette.EXPECTED},
                error_x={"type": "data", "symmetric": False, "array": [high - pooled["ratio"]], "arrayminus": [pooled["ratio"] - low]},
                name="pooled, 95% interval",
            )
        )  # fmt: skip
    figure.add_vline(x=1, line={"color": palette.EXPECTED, "dash": "dash"})
    figure.update_xaxes(title_text="ratio: observed / expected in the periods the event touches (1 = as expected)")
    figure.update_yaxes(title_text="event (host state)")
    figure.update_yaxes(autorange="reversed")
    title = f"{study.label}: each event and the pooled ratio ({metric_label(study.metric)})"
    finish(
        figure, title=title, source=source_line(study.sources, sources), processing=study.processing,
        footnote=statement(study.dataset), height=max(300, 60 + 32 * (len(table) + 1)),
        plot_left=240,  # room for the events' names
    )  # fmt: skip
    chart = Chart(
        figure=figure, data=study_table(study), slug=f"study-{study.event_type}-{study.dataset}-{study.metric}-events",
        title=title, sources=tuple(study.sources), processing=study.processing, method="pooled event study",
        parameters={"events": len(study.events), "tested": pooled.get("n_events")}, caveats=tuple(study.caveats),
    )  # fmt: skip
    return marked(chart, police_caveat(study.dataset, study.metric))


def ranking_chart(study: StudyResult, *, sources: pd.DataFrame) -> Chart | None:
    """The tested events ranked by observed / expected, as bars a story can show (verdict and q on each)."""
    table = study_table(study).dropna(subset=["ratio"]).sort_values("ratio", ascending=False, kind="stable")
    if table.empty:
        return None
    table = table.assign(rank=range(1, len(table) + 1))
    labels = [f"{r}. {plain(n)} ({h})" for r, n, h in zip(table["rank"], table["name"], table["host"], strict=True)]
    q = table["q_value"].map(lambda v: "–" if pd.isna(v) else f"{v:.2g}")
    figure = go.Figure(
        go.Bar(
            x=table["ratio"],
            y=labels,
            orientation="h",
            marker={
                "color": [palette.OBSERVED if v in ("spike", "drop") else palette.EXPECTED for v in table["verdict"]]
            },
            text=[
                f"{r:.2f} · {plain(v)} · q {qq}" for r, v, qq in zip(table["ratio"], table["verdict"], q, strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: observed / expected %{x:.2f}<extra></extra>",
            name="observed / expected",
        )
    )
    # under the bars, so it never crosses a bar's label; its words sit above the first bar
    figure.add_vline(x=1, line={"color": "#262730", "dash": "dash"}, layer="below")
    figure.update_xaxes(title_text="observed / expected in the periods the event touches (1 = as expected)")
    figure.update_yaxes(autorange="reversed", title_text="")
    title = f"{study.label}: events ranked by observed / expected ({metric_label(study.metric)})"
    processing = (
        "each tested event's observed count over the count its host's own history predicts, highest first; the "
        "label gives the event's verdict and its Benjamini–Hochberg q-value; a high rank alone is not a spike"
    )
    finish(
        figure, title=title, source=source_line(study.sources, sources), processing=processing,
        footnote=statement(study.dataset), height=max(300, 60 + 30 * len(table)), plot_left=260,
    )  # fmt: skip
    figure.update_layout(margin={"l": 260, "r": 170}, showlegend=False)
    data = table[["rank", "event_id", "name", "start", "host", "ratio", "ratio_low", "ratio_high", "p_value",
                  "q_value", "verdict", "source_id", "reliability"]]  # fmt: skip
    chart = Chart(
        figure=figure, data=data, slug=f"study-{study.event_type}-{study.dataset}-{study.metric}-ranking",
        title=title, sources=tuple(study.sources), processing=processing, method="events ranked by observed / expected",
        parameters={"events ranked": len(table)}, caveats=tuple(study.caveats),
    )  # fmt: skip
    return marked(chart, police_caveat(study.dataset, study.metric))
