"""Data & sources: what the store holds, where every number came from, which region-years exist, and the
log of every ingest."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hotline_trends.charts import palette
from hotline_trends.coverage import coverage_matrix
from hotline_trends.pages.add_event import add_event_section
from hotline_trends.pages.common import loaded, page_header, require_store, select_param, sources_table, text_param
from hotline_trends.pages.upload import upload_section
from hotline_trends.pages.upload_incidents import incident_section
from hotline_trends.pages.upload_simple import simple_upload_section
from hotline_trends.safe_text import inert

HELP = (
    "Every dataset in the local store, the sources behind it, which region-years have values and every "
    "ingest that changed the store. Add your own data with `hotline-trends ingest FILE`."
)
LEGEND = (
    "**H / M / L**: best reliability of the values in that region-year (high: official file or two sources "
    "agree; medium: one credible outlet; low: aggregator or inferred year; U: unrated user data). Lowercase: "
    "only part of the year (months, half-year). Blank: no value — missing, not zero."
)
COLOURS = {letter: palette.RELIABILITY[name] for letter, name in zip("HMLU", palette.RELIABILITY, strict=True)}
SOURCE_FIELDS = ["source_id", "publisher", "title", "location", "retrieved_via", "terms", "caveat", "sha256"]
LOG_FIELDS = [
    "ingest_id",
    "status",
    "table_name",
    "file_name",
    "reader",
    "rows_read",
    "added",
    "revised",
    "unchanged",
    "rejected",
    "skipped",
    "finished_at",
    "removed_at",
    "sha256",
]


def _cell_style(cell: str) -> str:
    colour = COLOURS.get(cell.upper()) if cell else None
    if not colour:
        return ""
    text = "white" if cell.upper() == "H" else "black"
    return f"background-color: {colour}; color: {text}; text-align: center"


def _datasets_section(datasets: pd.DataFrame) -> None:
    st.subheader("Datasets")
    # folded: an open table puts dozens of tab stops between the top of the page and the coverage choices
    with st.expander(f"{datasets['dataset'].nunique()} datasets, {len(datasets)} dataset and metric pairs"):
        st.dataframe(datasets, hide_index=True)


def _coverage_section(datasets: pd.DataFrame, sources: pd.DataFrame) -> None:
    st.subheader("Coverage per dataset")
    left, right = st.columns(2)
    with left:
        dataset = select_param("Dataset", sorted(datasets["dataset"].unique()), key="dataset", default="nhth")
    with right:
        metrics = datasets.loc[datasets["dataset"] == dataset, "metric"].tolist()
        metric = select_param("Metric", metrics, key="metric", default="cases")
    rows = loaded("coverage", dataset=dataset, metric=metric)
    matrix = coverage_matrix(rows)
    st.caption(f"{inert(dataset)} · {inert(metric)}: {len(matrix)} regions × {len(matrix.columns)} years. {LEGEND}")
    st.dataframe(matrix.style.map(_cell_style), height=min(38 + 35 * len(matrix), 700))
    observed = loaded("observations", dataset=dataset, metric=metric)
    sources_table(sorted(observed["source_id"].unique()), sources, label="Sources of this coverage")


def _sources_section(sources: pd.DataFrame) -> None:
    st.subheader("All sources")
    st.caption(
        "Publisher, title, where it came from (URL or repository path at a commit), how it was retrieved, its "
        "terms and its caveat; `observations` and `events` count the current rows citing it."
    )
    needle = text_param("Filter sources", key="sources", placeholder="publisher, title or id")
    shown = sources
    if needle:
        mask = (
            sources[["source_id", "publisher", "title"]]
            .apply(lambda col: col.fillna("").str.contains(needle, case=False, regex=False))
            .any(axis=1)
        )
        shown = sources[mask]
    columns = [c for c in [*SOURCE_FIELDS, "user_provided", "observations", "events"] if c in shown.columns]
    st.dataframe(shown[columns], hide_index=True)


def _ingest_log_section() -> None:
    st.subheader("Ingest log")
    log = loaded("ingests")
    if log.empty:
        st.info("No ingest yet. Run `hotline-trends build` to load the bundled data.")
        return
    st.caption(
        "Every file that changed the store, newest first. A removed ingest stays listed with `removed_at`; "
        "undo one with `hotline-trends ingests remove N --yes`."
    )
    st.dataframe(log[[c for c in LOG_FIELDS if c in log.columns]], hide_index=True)


def run() -> None:
    page_header("Data & sources", HELP)
    if require_store() is None:
        return
    datasets = loaded("datasets")
    sources = loaded("sources")
    if datasets.empty:
        st.info("The store holds no observations yet. Run `hotline-trends build` to load the bundled data.")
    else:
        _datasets_section(datasets)
        _coverage_section(datasets, sources)
    _sources_section(sources)
    _ingest_log_section()
    simple_upload_section()
    upload_section()
    incident_section()
    add_event_section()
