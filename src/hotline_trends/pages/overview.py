"""Overview: a U.S. map of one dataset / metric / year, the ranking a story would cite, the national trend
and which state-years have data at all."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hotline_trends.analysis.ranking import rank_sentence
from hotline_trends.charts import Chart
from hotline_trends.charts.base import POLARIS_STATEMENT
from hotline_trends.charts.coverage_chart import coverage_chart
from hotline_trends.charts.overview import map_chart, ranking
from hotline_trends.charts.selection import Selection, left_out, year_values
from hotline_trends.charts.trend import national_chart
from hotline_trends.coverage import cell_sources
from hotline_trends.exports.table import csv_bytes
from hotline_trends.pages.common import (
    cached_per_version,
    loaded,
    page_header,
    radio_param,
    require_store,
    select_param,
)
from hotline_trends.pages.exporting import show_chart, suppression
from hotline_trends.pages.readable import named, page_names, readable, says
from hotline_trends.places import region_names, states_and_dc
from hotline_trends.publishers import with_publishers
from hotline_trends.safe_text import inert
from hotline_trends.vocabulary import dataset_label, metric_label

HELP = (
    "Choose a dataset, a metric and a year. The map and the ranking use one annual value per state (the most "
    "reliable source); states drawn white with a × have no value, which is not the same as zero. Every chart names its "
    "sources and can be downloaded with the data behind it."
)
MEASURES = {"count": "count", "per100k": "per 100,000 residents"}
RANK_COLUMNS = ["rank_label", "name", "value", "rate_per_100k", "reliability", "publisher", "other_values"]
RANK_LABELS = {"rank_label": "rank", "rate_per_100k": "rate per 100,000", "other_values": "other values"}


def _width(options, label) -> int:
    """Pixels for a selectbox to show its longest choice whole (about 8 px a character at the app's font)."""
    longest = max((len(label(o)) for o in options), default=10)
    return min(560, 60 + 8 * longest)


def _states() -> dict[str, str]:
    return states_and_dc(loaded("table", name="regions"))


@cached_per_version
def _years(*, dataset: str, metric: str) -> tuple[list[int], int | None]:
    """Years with an annual value for any state, newest first, and the newest with the most states."""
    rows = loaded("observations", dataset=dataset, metric=metric)
    in_states = rows.loc[rows["region"].isin(list(_states())) & (rows["period_kind"] == "year")]
    counts = in_states.groupby(pd.to_datetime(in_states["period_start"]).dt.year)["region"].nunique()
    if counts.empty:
        return [], None
    best = int(counts[counts == counts.max()].index.max())
    return sorted((int(y) for y in counts.index), reverse=True), best


@cached_per_version
def _values(*, dataset: str, metric: str, year: int) -> pd.DataFrame:
    rows = loaded("observations", dataset=dataset, metric=metric)
    return year_values(rows, loaded("table", name="population"), year=year)


@cached_per_version
def _map(*, selection: Selection) -> Chart:
    values = _values(dataset=selection.dataset, metric=selection.metric, year=selection.year)
    return map_chart(values, selection=selection, states=_states(), sources=loaded("sources"))


@cached_per_version
def _ranking(*, selection: Selection) -> pd.DataFrame:
    values = _values(dataset=selection.dataset, metric=selection.metric, year=selection.year)
    return ranking(values, selection=selection, states=_states())


@cached_per_version
def _notes(*, dataset: str, metric: str, year: int) -> tuple[int, list[str]]:
    """How many part-year values the map leaves out, and the names of places with a value not on it."""
    rows = loaded("observations", dataset=dataset, metric=metric)
    values = _values(dataset=dataset, metric=metric, year=year)
    names = region_names(loaded("table", name="regions"))
    outside = values.loc[~values["region"].isin(list(_states())), "region"]
    return len(left_out(rows, year=year)), [names.get(r, r) for r in outside]


@cached_per_version
def _trend(*, selection: Selection) -> Chart:
    rows = loaded("observations", dataset=selection.dataset, metric=selection.metric)
    population, sources = loaded("table", name="population"), loaded("sources")
    return national_chart(rows, population, selection=selection, states=set(_states()), sources=sources)


@cached_per_version
def _coverage(*, dataset: str, metric: str) -> Chart:
    rows = loaded("observations", dataset=dataset, metric=metric)
    cells = cell_sources(rows, loaded("table", name="agencies"))
    return coverage_chart(
        loaded("coverage", dataset=dataset, metric=metric),
        cells,
        dataset=dataset,
        metric=metric,
        sources=loaded("sources"),
    )


@cached_per_version
def _agencies_with(*, dataset: str, metric: str) -> list[str]:
    """'San Francisco Police Department (CA, day)' for each agency with rows of this dataset and metric."""
    rows = loaded("observations", dataset=dataset, metric=metric)
    rows = rows.loc[rows["region"].astype("str").str.startswith("ori:")]
    agencies = loaded("table", name="agencies")
    names = dict(zip("ori:" + agencies["ori"].astype("str"), agencies["agency_name"].astype("str"), strict=True))
    states = dict(zip("ori:" + agencies["ori"].astype("str"), agencies["state"].astype("str"), strict=True))
    kinds = rows.groupby("region")["period_kind"].agg(lambda k: ", ".join(sorted(set(k.astype("str")))))
    return [f"{names.get(r, r)} ({states.get(r, '?')}, {kinds[r]})" for r in sorted(kinds.index)]


def _named(text: object) -> str:
    """A table cell with its source ids named (a table shows text as it is: no Markdown to make inert)."""
    return named(str(text), page_names())


def _ranking_section(selection: Selection, states: dict[str, str], suppress: bool) -> None:
    st.subheader("Ranking")
    ranked = _ranking(selection=selection)
    if ranked.empty:
        st.info("No state has a value for this selection, so there is nothing to rank.")
        return
    table, words = st.columns([1.4, 1])
    with words:
        place = select_param(
            "Describe one state", list(states), key="region", default="FL", format_func=lambda c: states.get(c, c)
        )
        measure = "per 100,000 residents" if selection.per_100k else "count"
        sentence = rank_sentence(
            ranked,
            region=place,
            names=states,
            what=f"by {metric_label(selection.metric)} in {selection.year} ({measure})",
            among="states and DC with a value",
        )
        st.markdown(f"**{inert(sentence)}**")
        row = ranked.loc[ranked["region"] == place]
        if not row.empty:
            first = row.iloc[0]
            value = f"{first[selection.column]:,.4g}"
            st.caption(
                f"Value: {value} · source: {says(first['source_id'])} · reliability: {inert(first['reliability'])}",
                help=f"source_id: {first['source_id']}",
            )
        st.caption(
            "Ties share the best rank and are marked '='; states without a value are not ranked. Ranks of "
            "hotline counts reflect help-seeking and awareness as much as anything else."
        )
    sources = loaded("sources")
    shown = with_publishers(ranked, sources)
    shown = shown[[c for c in RANK_COLUMNS if c in shown.columns]].rename(columns=RANK_LABELS)
    table.dataframe(
        readable(shown, {"value": "{:,.4g}".format, "rate per 100,000": "{:,.3g}".format, "other values": _named}),
        hide_index=True,
        height=320,
    )
    table.download_button(
        "⬇ Ranking CSV",
        lambda: csv_bytes(with_publishers(ranked.drop(columns=["rank", "tied"]), sources), suppress=suppress),
        file_name=f"ranking-{selection.slug}.csv",
        mime="text/csv",
        key="ranking-csv",
        on_click="ignore",
    )


def run() -> None:
    page_header("Overview", HELP)
    if require_store() is None:
        return
    datasets = loaded("datasets")
    if datasets.empty:
        st.info("The store holds no observations yet. Run `hotline-trends build` to load the bundled data.")
        return
    suppress = suppression()
    sources = loaded("sources")
    states = _states()

    # sized to their longest choice and wrapped onto a second line when narrow: fixed columns cut the names
    controls = st.container(horizontal=True)
    with controls:
        dataset = select_param(
            "Dataset", sorted(datasets["dataset"].unique()), key="dataset", default="nhth", format_func=dataset_label,
            width=_width(datasets["dataset"].unique(), dataset_label),
        )  # fmt: skip
        metrics = datasets.loc[datasets["dataset"] == dataset, "metric"].tolist()
        metric = select_param("Metric", metrics, key="metric", default="cases", format_func=metric_label,
                              width=_width(metrics, metric_label))  # fmt: skip
        years, best = _years(dataset=dataset, metric=metric)
        year = select_param("Year", years, key="year", default=best, width=120)
        measure = radio_param("Show", list(MEASURES), key="measure", format_func=MEASURES.get)
    if year is None:
        agencies = _agencies_with(dataset=dataset, metric=metric)
        if agencies:
            st.info(
                f"{inert(dataset_label(dataset))} · {inert(metric_label(metric))} has no annual value for any state: it holds police-agency "
                f"series ({inert('; '.join(agencies))}). The Region page draws them (level: Police agency)."
            )
            _coverage_section(dataset, metric, sources, suppress)
            return
        st.info(
            f"{inert(dataset_label(dataset))} · {inert(metric_label(metric))} has no annual value for any state. Pick another metric, or add state-year "
            "values with `hotline-trends ingest FILE` (see the Data & sources page)."
        )
        return
    selection = Selection(dataset=dataset, metric=metric, year=int(year), per_100k=measure == "per100k")
    if dataset == "nhth":
        st.caption(f"Polaris asks that reproduced hotline statistics carry this statement: “{POLARIS_STATEMENT}”")

    map_chart_ = _map(selection=selection)
    show_chart(map_chart_, key="map", sources=sources, suppress=suppress)
    scale = map_chart_.parameters.get("colour scale", "")
    if scale.startswith("colour scale capped"):
        st.caption(inert(scale[0].upper() + scale[1:] + "."))
    partial, outside = _notes(dataset=dataset, metric=metric, year=selection.year)
    if partial:
        st.caption(
            f"Left out of the map and ranking: {partial} value(s) for {selection.year} covering only part of "
            "the year (not comparable with annual values); the Region page shows them."
        )
    if outside:
        listed = inert(", ".join(outside))
        st.caption(f"Not on the map or ranked (national figure or territories): {listed}. See the CSV.")

    _ranking_section(selection, states, suppress)
    st.subheader("National trend")
    show_chart(_trend(selection=selection), key="trend", sources=sources, suppress=suppress)

    _coverage_section(dataset, metric, sources, suppress)


def _coverage_section(dataset: str, metric: str, sources: pd.DataFrame, suppress: bool) -> None:
    st.subheader("Coverage")
    st.caption("Which regions and years have any value for this metric, and how reliable the best of them is.")
    show_chart(_coverage(dataset=dataset, metric=metric), key="coverage", sources=sources, suppress=suppress)
