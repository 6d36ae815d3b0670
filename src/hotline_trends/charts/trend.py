"""The national trend: the published national figure beside the sum of the states that have a value."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from hotline_trends.analysis.breaks import breaks_for
from hotline_trends.analysis.national import national_series
from hotline_trends.analysis.pick import annual, pick_most_reliable
from hotline_trends.analysis.rates import describe_rates, latest_vintage
from hotline_trends.charts import palette
from hotline_trends.charts.base import Chart, finish, plain, source_line, statement, wrapped
from hotline_trends.charts.police import marked
from hotline_trends.charts.selection import Selection
from hotline_trends.police_words import police_caveat
from hotline_trends.vocabulary import metric_label

WORST = {"high": 3, "medium": 2, "low": 1}


def _long(series: pd.DataFrame, picked: pd.DataFrame, states: Collection[str]) -> pd.DataFrame:
    """One row per year and line, with source ids and reliability (the worst of the rows summed)."""
    in_states = picked.loc[picked["region"].isin(list(states))].assign(
        year=pd.to_datetime(picked["period_start"]).dt.year
    )
    by_year = in_states.groupby("year").agg(
        source_id=("source_id", lambda s: ";".join(sorted(set(s)))),
        reliability=("reliability", lambda r: min(r, key=lambda x: WORST.get(x, 0))),
    )
    published = series.dropna(subset=["published"]).assign(
        line="published national figure",
        value=lambda f: f["published"],
        rate_per_100k=lambda f: f["published_rate"],
        source_id=lambda f: f["published_source_id"],
        reliability=lambda f: f["published_reliability"],
        states_reporting=pd.NA,
    )
    summed = series.loc[series["states_reporting"] > 0].assign(
        line="sum over states with a value",
        value=lambda f: f["states_sum"],
        rate_per_100k=lambda f: f["states_rate"],
        source_id=lambda f: f["year"].map(by_year["source_id"]),
        reliability=lambda f: f["year"].map(by_year["reliability"]),
    )
    keep = [
        "year",
        "line",
        "value",
        "rate_per_100k",
        "states_reporting",
        "population_vintage",
        "source_id",
        "reliability",
    ]
    return pd.concat([published[keep], summed[keep]], ignore_index=True)


def national_chart(
    rows: pd.DataFrame,
    population: pd.DataFrame,
    *,
    selection: Selection,
    states: Collection[str],
    sources: pd.DataFrame,
) -> Chart:
    """Every year of one dataset and metric (``selection.year`` is highlighted, not filtered)."""
    plain_rows = rows.loc[~rows["region"].astype("str").str.startswith("ori:")]
    picked = pick_most_reliable(annual(plain_rows))
    series = national_series(picked, population, states=states)
    data = _long(series, picked, states)
    column = selection.column
    figure = go.Figure()
    styles = {
        "published national figure": {"color": palette.OBSERVED, "dash": "solid", "symbol": "circle"},
        "sum over states with a value": {"color": palette.DERIVED, "dash": "dot", "symbol": "square-open"},
    }
    for line, style in styles.items():
        part = data.loc[data["line"] == line]
        if part.empty:
            continue
        # a missing year breaks the line instead of being bridged (2022 has no hotline figure at all)
        part = part.set_index("year").reindex(range(int(data["year"].min()), int(data["year"].max()) + 1))
        part = part.rename_axis("year").reset_index()
        summed = line.startswith("sum")
        figure.add_trace(
            go.Scatter(
                x=part["year"],
                y=part[column],
                name=line,
                mode="lines+markers+text" if summed else "lines+markers",
                text=[f"n={n}" if pd.notna(n) else "" for n in part["states_reporting"]] if summed else None,
                textposition="bottom center",
                textfont={"size": 12, "color": style["color"]},
                line={"color": style["color"], "dash": style["dash"], "width": 2},
                marker={"symbol": style["symbol"], "size": 8, "color": style["color"]},
                customdata=part[["states_reporting", "reliability"]].astype("str").map(plain).values,
                hovertemplate="%{x}: %{y:,.4~f}<br>states summed: %{customdata[0]}<br>reliability: %{customdata[1]}<extra>"
                + plain(line)
                + "</extra>",
            )
        )
    figure.add_vline(x=selection.year, line={"color": "#999999", "width": 1, "dash": "dot"})
    first, last = (int(data["year"].min()), int(data["year"].max())) if not data.empty else (selection.year,) * 2
    for brk in breaks_for(
        dataset=selection.dataset,
        metric=selection.metric,
        start=date(first, 1, 1),
        end=date(last, 12, 31),
        rates=selection.per_100k,
    ):
        figure.add_vline(x=brk.on.year - 0.5, line={"color": palette.BREAK, "width": 1.5, "dash": "dash"})
        figure.add_annotation(
            x=brk.on.year - 0.5,
            y=1,
            yref="paper",
            text=wrapped(brk.title, width=30),
            showarrow=False,
            # read towards the middle of the chart, so a break near the right edge never runs off the figure
            xanchor="right" if brk.on.year - 0.5 > (first + last) / 2 else "left",
            yanchor="top",
            font={"size": 12, "color": palette.BREAK},
        )
    # an explicit range: plotly would otherwise widen the axis to fit the break labels
    figure.update_xaxes(title_text="year", dtick=1, tickformat="d", range=[first - 0.5, last + 0.5])
    figure.update_yaxes(title_text=selection.unit, rangemode="tozero")
    title = f"National trend: {metric_label(selection.metric)}"
    text = (
        "annual figures only; published national figure as released (most reliable source per year); the sum "
        "covers only the states with a value that year (n = how many), so it is not a national total"
    )
    if selection.per_100k:
        years = pd.to_datetime(series["year"].astype("str") + "-01-01")
        text += "; " + describe_rates(
            pd.DataFrame({"population_vintage": series["population_vintage"], "period_start": years})
        )
    ids = {s for cell in data["source_id"].dropna() for s in cell.split(";")}
    if selection.per_100k:
        used = latest_vintage(population)
        ids |= set(used.loc[used["year"].isin(data["year"]), "source_id"].dropna())
    ids = tuple(sorted(ids))
    finish(
        figure,
        title=title,
        source=source_line(ids, sources),
        processing=text,
        footnote=statement(selection.dataset),
        height=400,
    )
    chart = Chart(
        figure=figure,
        data=data,
        slug=f"national-{selection.dataset}-{selection.metric}-{'per100k' if selection.per_100k else 'count'}",
        title=title,
        sources=ids,
        processing=text,
        method="National trend: published national figures and the sum over the states with a value, per year.",
        parameters={k: v for k, v in selection.parameters().items() if k != "year"},
        caveats=selection.caveats(),
    )
    return marked(chart, police_caveat(selection.dataset, selection.metric))
