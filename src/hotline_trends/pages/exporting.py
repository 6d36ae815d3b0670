"""Show a chart with its exports: CSV (the data behind it), PNG and a bundle zip with methods.md.

All bytes are made only when a button is clicked (a deferred download): a rerun pays nothing for exports,
and rendering a PNG starts chromium.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from hotline_trends.charts import Chart
from hotline_trends.charts.base import with_citation
from hotline_trends.exports.bundle import bundle_zip, citation, data_version, methods_md, sha256
from hotline_trends.exports.png import PngUnavailable, chromium, render_png
from hotline_trends.exports.table import csv_bytes
from hotline_trends.pages.common import cached_per_version, loaded, plotly_config, sources_table, toggle_param
from hotline_trends.publishers import with_publishers

SUPPRESS_HELP = (
    "Exports show counts of 1 or 2 as '<3' and leave out the rates computed from them, as the hotline does "
    "for its own small cells. The charts on screen are unchanged."
)


def suppression() -> bool:
    """The sidebar switch for small-count suppression in exports (kept in the URL as ``?suppress=1``)."""
    with st.sidebar:
        return toggle_param("Exports: show counts 1–2 as <3", key="suppress", help=SUPPRESS_HELP)


def png_problem() -> str:
    """Why PNG export cannot run here, or '' when it can."""
    try:
        chromium()
    except PngUnavailable as problem:
        return str(problem)
    return ""


def export_csv(chart: Chart, *, sources: pd.DataFrame, suppress: bool) -> bytes:
    """The data behind a chart, with each row's publisher and location beside its source_id."""
    return csv_bytes(with_publishers(chart.data, sources), suppress=suppress)


def export_png(chart: Chart, *, version: str) -> bytes:
    """The chart as a PNG with its citation line under the source note."""
    return render_png(with_citation(chart.figure, citation(chart, version=version, today=date.today())))


def _bundle(chart: Chart, *, sources: pd.DataFrame, version: str, suppress: bool) -> bytes:
    csv = export_csv(chart, sources=sources, suppress=suppress)
    problem = png_problem()
    png = None if problem else export_png(chart, version=version)
    text = methods_md(
        chart, sources=sources, version=version, csv_sha256=sha256(csv), suppressed=suppress, today=date.today()
    )
    if problem:
        text += f"\nPNG not included: {problem}\n"
    return bundle_zip(slug=chart.slug, csv=csv, png=png, methods=text)


@cached_per_version
def current_data_version() -> str:
    """sha256 of the store's ingest log (see ``exports.bundle.data_version``)."""
    return data_version(loaded("ingests"))


def export_row(chart: Chart, *, key: str, sources: pd.DataFrame, suppress: bool) -> None:
    """Three download buttons under a chart; their bytes are made only when one is clicked."""
    version = current_data_version()
    problem = png_problem()
    # a row that sizes each button to its label and wraps when narrow: fixed columns cut labels at 1024 px
    row = st.container(horizontal=True)
    row.download_button(
        "⬇ CSV",
        lambda: export_csv(chart, sources=sources, suppress=suppress),
        file_name=f"{chart.slug}.csv",
        mime="text/csv",
        key=f"{key}-csv",
        on_click="ignore",
        help="The data behind this chart, with source_id, publisher, location and reliability for every row.",
    )
    row.download_button(
        "⬇ PNG",
        lambda: export_png(chart, version=version),
        file_name=f"{chart.slug}.png",
        mime="image/png",
        key=f"{key}-png",
        on_click="ignore",
        disabled=bool(problem),
        help=problem or "The chart as an image, with its source line and a citation line.",
    )
    row.download_button(
        "⬇ Bundle (zip)",
        lambda: _bundle(chart, sources=sources, version=version, suppress=suppress),
        file_name=f"{chart.slug}.zip",
        mime="application/zip",
        key=f"{key}-zip",
        on_click="ignore",
        help="CSV + PNG + methods.md (method, parameters, caveats, sources, citation line, data version).",
    )


def show_chart(chart: Chart, *, key: str, sources: pd.DataFrame, suppress: bool) -> None:
    """The figure, its export buttons, the data behind it and its sources (as tables, never Markdown)."""
    st.plotly_chart(chart.figure, config=plotly_config(geo=chart.geo), theme=None, key=f"{key}-figure")
    if chart.notice:  # e.g. what police counts measure: said next to the chart, not only in its footnote
        st.warning(chart.notice, icon=":material/local_police:")
    export_row(chart, key=key, sources=sources, suppress=suppress)
    # drawn only while open: a table per chart on every rerun costs the browser more than the chart itself
    data = st.expander("Data behind this chart", key=f"{key}-data", on_change="rerun")
    if data.open:
        data.dataframe(chart.data, hide_index=True)
    sources_table(chart.sources, sources, label="Sources of this chart", expanded=False)
