"""Data & sources: what the store holds, where every number came from, and which region-years exist."""

from __future__ import annotations

import streamlit as st

from hotline_trends.coverage import coverage_matrix
from hotline_trends.pages.common import caveat, loaded, require_store, select_param, sources_table
from hotline_trends.pages.upload import upload_section

LEGEND = (
    "**H / M / L**: best reliability of the values in that region-year (high: official file or two sources "
    "agree; medium: one credible outlet; low: aggregator or inferred year). Lowercase: only part of the year "
    "(months, half-year). Blank: no value — missing, not zero."
)
COLOURS = {"H": "#1b7837", "M": "#7fbf7b", "L": "#d9f0d3", "U": "#e0e0e0"}


def _cell_style(cell: str) -> str:
    colour = COLOURS.get(cell.upper()) if cell else None
    if not colour:
        return ""
    text = "white" if cell.upper() == "H" else "black"
    return f"background-color: {colour}; color: {text}; text-align: center"


def run() -> None:
    st.title("Data & sources")
    st.write(
        "Every dataset in the local store, the sources behind it and which region-years have values. "
        "Add your own data with `hotline-trends ingest FILE`."
    )
    caveat()
    store = require_store()
    if store is None:
        return
    datasets = loaded("datasets")
    sources = loaded("sources")
    if datasets.empty:
        st.info("The store holds no observations yet. Run `hotline-trends build` to load the bundled data.")
        return

    st.subheader("Datasets")
    st.dataframe(datasets, hide_index=True)

    st.subheader("Coverage")
    left, right = st.columns(2)
    with left:
        dataset = select_param("Dataset", sorted(datasets["dataset"].unique()), key="dataset", default="nhth")
    with right:
        metrics = datasets.loc[datasets["dataset"] == dataset, "metric"].tolist()
        metric = select_param("Metric", metrics, key="metric", default="cases")
    rows = loaded("coverage", dataset=dataset, metric=metric)
    matrix = coverage_matrix(rows)
    st.caption(f"{dataset} · {metric}: {len(matrix)} regions × {len(matrix.columns)} years. {LEGEND}")
    st.dataframe(matrix.style.map(_cell_style), height=min(38 + 35 * len(matrix), 700))
    observed = loaded("observations", dataset=dataset, metric=metric)
    sources_table(sorted(observed["source_id"].unique()), sources, label="Sources of this coverage")

    st.subheader("All sources")
    needle = st.text_input("Filter sources", key="source_filter", placeholder="publisher, title or id")
    shown = sources
    if needle:
        mask = (
            sources[["source_id", "publisher", "title"]]
            .apply(lambda col: col.fillna("").str.contains(needle, case=False, regex=False))
            .any(axis=1)
        )
        shown = sources[mask]
    st.dataframe(shown, hide_index=True)
    upload_section()
