"""The overview's map and ranking, built from one annual value per region (``charts.selection``)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from hotline_trends.analysis.ranking import rank_regions
from hotline_trends.charts.base import Chart, finish, source_line, statement
from hotline_trends.charts.maps import MAP_HEIGHT, state_map
from hotline_trends.charts.police import marked
from hotline_trends.charts.selection import Selection, processing
from hotline_trends.police_words import police_caveat
from hotline_trends.vocabulary import dataset_label, metric_label

NO_VALUE_WORDS = "white with a dark outline and × = no value (missing, not zero)"

EXPORT_COLUMNS = [
    "region",
    "name",
    "year",
    "dataset",
    "metric",
    "value",
    "rate_per_100k",
    "population",
    "population_vintage",
    "population_source_id",
    "source_id",
    "reliability",
    "candidates",
    "other_values",
    "note",
]


def export_frame(values: pd.DataFrame, *, names: Mapping[str, str], selection: Selection) -> pd.DataFrame:
    """The per-region rows behind the map and ranking, with names, year, sources and reliability."""
    frame = values.assign(name=values["region"].map(names).fillna(values["region"]), year=selection.year)
    if not selection.per_100k:
        frame = frame.drop(columns=["rate_per_100k", "population", "population_vintage", "population_source_id"])
    return frame[[c for c in EXPORT_COLUMNS if c in frame.columns]].reset_index(drop=True)


def sources_of(values: pd.DataFrame, *, per_100k: bool) -> tuple[str, ...]:
    ids = set(values["source_id"].dropna())
    if per_100k and "population_source_id" in values:
        ids |= set(values["population_source_id"].dropna())
    return tuple(sorted(ids))


def map_chart(values: pd.DataFrame, *, selection: Selection, states: Mapping[str, str], sources: pd.DataFrame) -> Chart:
    """The U.S. map for one selection; ``states`` maps the 50 states and DC to their names."""
    hover = {"value": "value", "reliability": "reliability", "source_id": "source"}
    if selection.per_100k:
        hover = {"rate_label": "per 100,000", **hover, "population_vintage": "population"}
    shown = values.assign(rate_label=values["rate_per_100k"].round(2)) if "rate_per_100k" in values else values
    figure, scale = state_map(shown, states=states, column=selection.column, colorbar_title=selection.unit, hover=hover)
    with_value = int(shown.loc[shown["region"].isin(list(states)), selection.column].notna().sum())
    title = f"{metric_label(selection.metric).capitalize()}, {selection.year}: {with_value} of {len(states)} states and DC have a value"
    ids = sources_of(values, per_100k=selection.per_100k)
    text = "; ".join(
        part for part in (processing(values, selection), scale.sentence(unit=selection.unit), NO_VALUE_WORDS) if part
    )
    finish(
        figure,
        title=title,
        source=source_line(ids, sources),
        processing=text,
        footnote=statement(selection.dataset),
        height=MAP_HEIGHT,
    )
    chart = Chart(
        figure=figure,
        data=export_frame(values, names=states, selection=selection),
        slug=f"map-{selection.slug}",
        title=title,
        sources=ids,
        processing=text,
        method=(
            f"U.S. choropleth of {dataset_label(selection.dataset)}: {metric_label(selection.metric)}, one value "
            "per state for one calendar year."
        ),
        parameters={
            **selection.parameters(),
            "colour scale": scale.sentence(unit=selection.unit) or "0 to the highest value",
        },
        caveats=selection.caveats(),
        geo=True,
    )
    return marked(chart, police_caveat(selection.dataset, selection.metric))


def ranking(values: pd.DataFrame, *, selection: Selection, states: Mapping[str, str]) -> pd.DataFrame:
    """Rank the 50 states and DC with a value; territories and the national row are not ranked.

    Returns the ranked rows with ``rank``, ``tied``, ``rank_label`` and the export columns.
    """
    in_states = values.loc[values["region"].isin(list(states))]
    ranked = rank_regions(in_states, column=selection.column)
    frame = export_frame(ranked, names=states, selection=selection)
    return pd.concat([ranked[["rank_label", "rank", "tied"]], frame], axis=1)
