"""Region: every series of one state, county or police agency over time, with events and breaks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hotline_trends.analysis.breaks import BREAKS, Break, breaks_for
from hotline_trends.analysis.rollup import rollup
from hotline_trends.charts import Chart
from hotline_trends.charts.region import series_chart
from hotline_trends.charts.rollup_chart import rollup_chart, with_reliability
from hotline_trends.pages.common import (
    cached_per_version,
    loaded,
    multiselect_param,
    page_header,
    radio_param,
    require_store,
    select_param,
)
from hotline_trends.pages.exporting import show_chart, suppression
from hotline_trends.places import agencies_in, counties, region_names
from hotline_trends.safe_text import inert
from hotline_trends.vocabulary import UPLOAD_MARK, metric_label

HELP = (
    "Pick a state, a county or a police agency to see every series the store holds for it, each value drawn "
    "across the period it counts, with events in the same state as bands and registered breaks as dashed "
    "lines. Counties and agencies have police data only: the hotline publishes state figures."
)
LEVELS = {"state": "State", "county": "County", "agency": "Police agency"}
AGENCY_REGIONS = "SELECT DISTINCT region FROM observations WHERE region LIKE 'ori:%'"
MAIN_METRICS = ("calls", "signals", "contacts", "cases", "victims", "actual_total", "cleared_total", "offenses_total")


def _within(events: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Events that overlap the span of ``rows`` (drawing later ones would only stretch the time axis)."""
    if rows.empty:
        return events.iloc[0:0]
    start, end = pd.to_datetime(rows["period_start"]).min(), pd.to_datetime(rows["period_end"]).max()
    return events.loc[(pd.to_datetime(events["end_date"]) >= start) & (pd.to_datetime(events["start_date"]) <= end)]


def _breaks(rows: pd.DataFrame) -> list[Break]:
    found: dict[str, Break] = {}
    for (dataset, metric), part in rows.groupby(["dataset", "metric"]):
        for brk in breaks_for(
            dataset=str(dataset), metric=str(metric), start=part["period_start"].min(), end=part["period_end"].max()
        ):
            found[brk.break_id] = brk
    return list(found.values())


def _events(*, state: str, categories: tuple[str, ...]) -> pd.DataFrame:
    events = loaded("events")
    return events.loc[(events["state"] == state) & events["category"].isin(list(categories))]


def _agency_rows() -> pd.DataFrame:
    police = loaded("observations", dataset="fbi_ucr_ht")
    return police.loc[police["region"].astype("str").str.startswith("ori:")]


@cached_per_version
def _options(*, level: str, state: str) -> dict[str, str]:
    """Counties or agencies of ``state`` that have police data (an agency: in any dataset, a county: FBI)."""
    agencies = loaded("table", name="agencies")
    # A city's own police series (daily incident counts) has no FBI months, yet its agency has data to show.
    rows = _agency_rows() if level == "county" else loaded("query", sql=AGENCY_REGIONS)
    with_data = agencies.loc[("ori:" + agencies["ori"].astype("str")).isin(set(rows["region"]))]
    return counties(with_data, state=state) if level == "county" else agencies_in(with_data, state=state)


@cached_per_version
def _metrics(*, code: str) -> list[str]:
    return sorted(loaded("observations", region=code)["metric"].unique())


def _uploaded_metrics(*, code: str) -> set[str]:
    """Metrics of the place that the user added through the Data page's form: shown without being picked."""
    sources = loaded("sources")
    yours = set(sources.loc[sources["retrieved_via"] == UPLOAD_MARK, "source_id"])
    own = loaded("observations", region=code)
    return set(own.loc[own["source_id"].isin(yours), "metric"])


@cached_per_version
def _series(*, code: str, label: str, state: str, metrics: tuple[str, ...], categories: tuple[str, ...]) -> list[Chart]:
    """One chart per dataset of the place's own rows (state or agency)."""
    own = loaded("observations", region=code)
    own = own.loc[own["metric"].isin(list(metrics))]
    events, sources = _events(state=state, categories=categories), loaded("sources")
    return [
        series_chart(
            rows,
            place=label,
            dataset=str(dataset),
            events=_within(events, rows),
            breaks=_breaks(rows),
            sources=sources,
            slug=f"region-{code.replace(':', '-')}-{dataset}",
            events_where=state,
        )
        for dataset, rows in own.groupby("dataset", sort=True)
    ]


@cached_per_version
def _rollup(*, level: str, code: str, label: str, state: str, categories: tuple[str, ...]) -> Chart | None:
    """Police-agency rows of a state or county summed per month, or None when there are none."""
    agencies = loaded("table", name="agencies")
    in_place = agencies_in(agencies, state=state, county=code if level == "county" else None)
    rows = _agency_rows()
    rows = rows.loc[rows["region"].isin(list(in_place))]
    if rows.empty:
        return None
    rolled = rollup(rows, agencies, level=level)
    kept = with_reliability(rolled.loc[rolled["region"] == code], rows)
    return rollup_chart(
        kept,
        place=label,
        processing=rolled.attrs["processing"],
        events=_within(_events(state=state, categories=categories), kept),
        breaks=[],
        sources=loaded("sources"),
        slug=f"region-{code.replace(':', '-')}-agencies",
        events_where=state,
    )


def _place(regions: pd.DataFrame) -> tuple[str, str, str, str]:
    """Widgets choosing the place; returns (level, state, place code, place label)."""
    names = region_names(regions)
    states = {code: name for code, name in names.items() if code != "US"}
    cols = st.columns([1.3, 1.2, 2.2])
    with cols[0]:
        level = radio_param("Level", list(LEVELS), key="level", format_func=LEVELS.get)
    with cols[1]:
        state = select_param("State", list(states), key="state", default="TX", format_func=lambda c: states.get(c, c))
    if level == "state":
        return level, state, state, states.get(state, state)
    options = _options(level=level, state=state)
    with cols[2]:
        label = "County" if level == "county" else "Police agency"
        code = select_param(label, list(options), key=level, format_func=lambda c: options.get(c, c))
    return level, state, code or "", options.get(code, "") if code else ""


def run() -> None:
    page_header("Region", HELP)
    if require_store() is None:
        return
    suppress = suppression()
    sources = loaded("sources")
    level, state, code, label = _place(loaded("table", name="regions"))
    if not code:
        st.info(f"No {LEVELS[level].lower()} in {inert(state)} has police data. Choose another state or level.")
        return
    categories = sorted(loaded("events")["category"].dropna().unique())
    chosen = tuple(multiselect_param("Events drawn (in the same state)", categories, key="events", default=categories))

    charts: list[Chart] = []
    if level in ("state", "agency"):
        metrics = _metrics(code=code)
        default = [m for m in metrics if m in MAIN_METRICS or m in _uploaded_metrics(code=code)] or metrics
        picked = tuple(multiselect_param("Metrics", metrics, key="metrics", default=default, format_func=metric_label))
        charts += _series(code=code, label=label, state=state, metrics=picked, categories=chosen)
    if level in ("state", "county"):
        rolled = _rollup(level=level, code=code, label=label, state=state, categories=chosen)
        charts += [rolled] if rolled is not None else []
    if not charts:
        st.info(
            f"The store has no values for {inert(label)} (or none of the chosen metrics). Add them with "
            "`hotline-trends ingest FILE` (a tidy CSV with region, period and value; see the Data & sources page)."
        )
        return
    for i, chart in enumerate(charts):
        show_chart(chart, key=f"region-{i}", sources=sources, suppress=suppress)

    st.subheader("Events in this state")
    events = _events(state=state, categories=chosen)
    if events.empty:
        st.caption("No events of the chosen kinds in this state in the events table.")
    else:
        st.dataframe(
            events[["name", "category", "start_date", "end_date", "city", "venue", "attendance", "source_id"]],
            hide_index=True,
            column_config={
                "start_date": st.column_config.DateColumn("start", format="YYYY-MM-DD"),
                "end_date": st.column_config.DateColumn("end (inclusive)", format="YYYY-MM-DD"),
            },
        )
    found = {b for chart in charts for b in str(chart.parameters.get("breaks marked", "")).split(", ")} - {"", "none"}
    if found:
        st.subheader("Breaks in these series")
        st.dataframe(pd.DataFrame([b.to_dict() for b in BREAKS if b.break_id in found]), hide_index=True)
