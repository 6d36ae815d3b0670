"""One event's charts: the host series against its expected band, the control comparison, the placebos.

Colours are the reserved ones of :mod:`~hotline_trends.charts.palette`: observed blue, expected grey with a
grey band, controls orange, placebos light grey, so the Event pages read the same everywhere.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hotline_trends.analysis.breaks import BREAKS
from hotline_trends.analysis.results import EventResult
from hotline_trends.analysis.verdict import PERIOD_WORDS
from hotline_trends.charts import palette
from hotline_trends.charts.base import Chart, finish, plain, series_name, source_line, statement
from hotline_trends.charts.overlays import add_breaks
from hotline_trends.charts.police import marked
from hotline_trends.police_words import police_caveat
from hotline_trends.vocabulary import metric_label

DERIVED = "derived here"  # reliability of a value this project computed (a model's expectation, a sum)
AROUND_DAYS = 60  # a daily or weekly series is drawn this many days either side of the window
SHORT = ("day", "week")


def around_window(result: EventResult, series: pd.DataFrame) -> pd.DataFrame:
    """The periods drawn: for a daily or weekly series, the window and ``AROUND_DAYS`` either side of it
    (a pre-event enforcement push shows as what it is); for coarser series, every period."""
    if result.frequency not in SHORT or series.empty:
        return series
    start = pd.Timestamp(result.window["start"]) - pd.Timedelta(days=AROUND_DAYS)
    end = pd.Timestamp(result.window["end"]) + pd.Timedelta(days=AROUND_DAYS)
    keep = (pd.to_datetime(series["period_end"]) >= start) & (pd.to_datetime(series["period_start"]) <= end)
    return series.loc[keep].reset_index(drop=True)


def _middle(frame: pd.DataFrame) -> pd.Series:
    start, end = pd.to_datetime(frame["period_start"]), pd.to_datetime(frame["period_end"])
    return start + (end + pd.Timedelta(days=1) - start) / 2


def _title(result: EventResult, what: str) -> str:
    return f"{result.event.get('name') or result.event_id}: {what}"


def _caveats(result: EventResult) -> tuple[str, ...]:
    return tuple(result.caveats)


def _marked(chart: Chart, result: EventResult) -> Chart:
    return marked(chart, police_caveat(result.dataset, result.metric, str(result.host or "")))


def with_sources(series: pd.DataFrame, rows: pd.DataFrame, *, derived_from: str = "") -> pd.DataFrame:
    """The host series with the ``source_id`` and ``reliability`` of the published value of each period.

    ``rows`` are the host's observations of the series' dataset and metric; a period published by several
    sources lists them all. Periods without a published row (agency sums) are marked as derived here, from
    ``derived_from`` (the result's sources).
    """
    keys = ["period_start", "period_end"]
    published = rows.assign(**{k: pd.to_datetime(rows[k]) for k in keys})
    cited = published.groupby(keys, as_index=False).agg(
        source_id=("source_id", lambda s: "; ".join(sorted(set(map(str, s))))),
        reliability=("reliability", lambda s: "; ".join(sorted(set(map(str, s.dropna()))))),
    )
    out = series.assign(**{k: pd.to_datetime(series[k]) for k in keys}).merge(cited, on=keys, how="left")
    derived = out["source_id"].isna()
    out.loc[derived, "source_id"] = derived_from
    out.loc[derived, "reliability"] = DERIVED
    return out


def expected_chart(result: EventResult, *, rows: pd.DataFrame, sources: pd.DataFrame) -> Chart:
    """Observed counts of the host, the model's expected count with its 95% band, and the event window."""
    data = with_sources(around_window(result, result.series), rows, derived_from="; ".join(result.sources))
    short = result.frequency in SHORT
    x = _middle(data)
    figure = go.Figure()
    usable = data["expected"].notna()
    band_x = pd.concat([x[usable], x[usable][::-1]])
    band_y = pd.concat([data.loc[usable, "upper"], data.loc[usable, "lower"][::-1]])
    figure.add_trace(
        go.Scatter(
            x=band_x,
            y=band_y,
            mode="lines",
            fill="toself",
            fillcolor=palette.EXPECTED_BAND,
            line={"width": 0},
            name="expected, 95% interval",
            hoverinfo="skip",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=x[usable],
            y=data.loc[usable, "expected"],
            mode="lines",
            line={"color": palette.EXPECTED, "dash": "dash", "width": 2},
            name="expected (baseline model)",
            hovertemplate="expected %{y:,.1f}<extra></extra>",
        )
    )
    window = data["in_window"].astype(bool)
    figure.add_trace(
        go.Scatter(
            x=x,
            y=data["observed"],
            mode="lines+markers",
            line={"color": palette.OBSERVED, "width": 1.5 if short else 2},
            marker={
                "size": [10 if w else 4 for w in window] if short else [13 if w else 7 for w in window],
                "color": palette.OBSERVED,
            },
            name=series_name("observed (published)", rows["source_id"], sources),
            customdata=data[["source_id"]].map(plain).to_numpy(),
            hovertemplate="observed %{y:,.0f}<br>source: %{customdata[0]}<extra></extra>",
        )
    )
    start, end = pd.Timestamp(result.window["start"]), pd.Timestamp(result.window["end"])
    figure.add_vrect(
        x0=start,
        x1=end + pd.Timedelta(days=1),
        fillcolor=palette.EVENT_BAND,
        line={"color": palette.EVENT_EDGE, "width": 1},
        layer="below",
        annotation_text=plain(f"event window {start:%Y-%m-%d} to {end:%Y-%m-%d}"),
        annotation_position="top left",
        annotation_font={"size": 12, "color": palette.EVENT_EDGE},
    )
    add_breaks(figure, [b for b in BREAKS if b.break_id in {brk["break_id"] for brk in result.breaks}])
    unit = "per " + PERIOD_WORDS.get(result.frequency or "", "day" if result.frequency == "day" else "period")
    figure.update_yaxes(title_text=f"{metric_label(result.metric)} ({unit})", rangemode="tozero")
    if short:
        figure.update_xaxes(
            title_text=f"day ({AROUND_DAYS} days either side of the window; each value drawn at the middle of "
            "the period it counts)"
        )
    else:
        figure.update_xaxes(title_text="period (each value drawn at the middle of the period it counts)")
    label = f"{result.host}: {metric_label(result.metric)}"
    used = sorted({s for cell in data["source_id"] for s in str(cell).split("; ") if s})
    finish(
        figure,
        title=_title(result, f"{label}, observed vs expected"),
        source=source_line(used, sources),
        processing=result.processing,
        footnote="Big markers: periods the event window touches. Grey band: 95% prediction interval. "
        + (
            f"Shown: {AROUND_DAYS} days before and after the window, so a push before or after it is visible. "
            if short
            else ""
        )
        + statement(result.dataset),
    )
    chart = Chart(
        figure=figure,
        data=data,
        slug=f"event-{result.event_id}-{result.dataset}-{result.metric}-expected",
        title=_title(result, f"{label}, observed vs expected"),
        sources=tuple(used),
        processing=result.processing,
        method=result.model.get("description", "") if result.model else "",
        parameters={"window": f"{result.window['start']} to {result.window['end']}", "verdict": result.verdict},
        caveats=_caveats(result),
    )
    return _marked(chart, result)


def controls_chart(result: EventResult, *, sources: pd.DataFrame) -> Chart | None:
    """Window-over-comparison ratio of the host and of each control region (the DiD's two halves)."""
    if not result.controls or not result.did or not result.controls.get("regions"):
        return None
    if result.did.get("ratio") is None:  # undefined (a comparison total is zero): the page says why
        return None
    controls = pd.DataFrame(result.controls["regions"]).dropna(subset=["ratio"])
    host_ratio, index = result.did["host_ratio"], result.did["control_index"]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=controls["ratio"],
            y=["controls"] * len(controls),
            mode="markers",
            marker={"color": palette.CONTROLS, "size": 6 + 60 * controls["weight"], "opacity": 0.75},
            name="control regions (size = weight)",
            customdata=controls[["label"]].map(plain).to_numpy(),
            hovertemplate="%{customdata[0]}: %{x:.2f}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[index],
            y=["controls"],
            mode="markers",
            marker={"symbol": "line-ns-open", "size": 30, "color": palette.CONTROLS, "line": {"width": 3}},
            name=f"controls, weighted ({index:.2f})",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[host_ratio],
            y=["host " + plain(result.host)],
            mode="markers",
            marker={"color": palette.OBSERVED, "size": 14},
            name=f"host ({host_ratio:.2f})",
        )
    )
    figure.add_vline(x=1, line={"color": "#999999", "dash": "dot"})
    low, high = result.did["interval"]
    figure.update_xaxes(title_text="ratio: window / comparison periods (1 = no change)")
    figure.update_yaxes(title_text="region")
    title = _title(result, "the host against control regions")
    processing = f"{result.did['method']}; {result.did['comparison']}; controls: {result.controls['rule']}"
    finish(
        figure,
        title=title,
        source=source_line(result.sources, sources),
        processing=processing,
        footnote=f"Difference-in-differences (host / controls): {result.did['ratio']:.2f} (95% CI {low:.2f}–{high:.2f}).",
        height=300,
        plot_left=110,
    )
    data = controls.assign(role="control")
    data = pd.concat(
        [
            data,
            pd.DataFrame(
                [{"region": result.host, "label": result.host, "weight": None, "ratio": host_ratio, "role": "host"}]
            ),
        ],
        ignore_index=True,
    ).assign(source_id="; ".join(result.sources), reliability=DERIVED)
    chart = Chart(
        figure=figure, data=data, slug=f"event-{result.event_id}-{result.dataset}-{result.metric}-controls",
        title=title, sources=tuple(result.sources), processing=processing, method="difference-in-differences",
        parameters={"did": round(result.did["ratio"], 4), "interval": f"{low:.3f}–{high:.3f}"},
        caveats=_caveats(result),
    )  # fmt: skip
    return _marked(chart, result)


def placebo_chart(result: EventResult, *, sources: pd.DataFrame) -> Chart | None:
    """Each placebo's surprise (z) as a dot by kind, with the event's own z as a line."""
    placebo = result.placebo or {}
    values = pd.DataFrame(placebo.get("values") or [])
    if values.empty or "z" not in values:
        return None
    values = values.dropna(subset=["z"])
    kinds = {"space": "other regions", "time": "other dates"}
    figure = go.Figure()
    for kind, part in values.groupby("kind", sort=True):
        figure.add_trace(
            go.Scatter(
                x=part["z"],
                y=[kinds.get(str(kind), str(kind))] * len(part),
                mode="markers",
                marker={"color": palette.PLACEBO, "size": 9, "line": {"color": "#808080", "width": 1}},
                name={
                    "space": "placebos: the event's dates in other regions",
                    "time": "placebos: the host at other dates",
                }.get(str(kind), f"placebos: {kind}"),
                customdata=part[["label"]].map(plain).to_numpy(),
                hovertemplate="%{customdata[0]}: z = %{x:.2f}<extra></extra>",
            )
        )
    event_z = placebo["event_z"]
    figure.add_vline(
        x=event_z,
        line={"color": palette.OBSERVED, "width": 3},
        annotation_text=plain(f"this event (z = {event_z:.2f})"),
        annotation_position="top",
        annotation_font={"color": palette.OBSERVED},
    )
    figure.update_xaxes(
        title_text="surprise z, in standard-normal units (higher = more than its own baseline expected)"
    )
    figure.update_yaxes(title_text="placebo")
    rank = f"rank {placebo['rank']} of {placebo['n'] + 1}, empirical p = {placebo['p_value']:.3g}"
    title = _title(result, "the event among placebos")
    finish(
        figure,
        title=title,
        source=source_line(result.sources, sources),
        processing=placebo["statistic"] + f"; {placebo['n']} placebos",
        footnote=f"The event's {rank}." if placebo.get("rank") else "",
        height=300,
        plot_left=110,
    )
    data = values.assign(source_id="; ".join(result.sources), reliability=DERIVED)
    chart = Chart(
        figure=figure, data=data, slug=f"event-{result.event_id}-{result.dataset}-{result.metric}-placebos",
        title=title, sources=tuple(result.sources), processing=placebo["statistic"], method="placebo test",
        parameters={"placebos": placebo["n"], "rank": placebo.get("rank"), "p_value": placebo.get("p_value")},
        caveats=_caveats(result),
    )  # fmt: skip
    return _marked(chart, result)
