"""Data page: a police incident list (one row per incident) → the column mapping as a form → a preview → add.

The same reader and options as ``hotline-trends ingest FILE --format incidents --date-column ...``. The
preview is the reader's own report and a dry run of the very ingest "Add" performs, so what is shown is what
is written; the ingest is all or nothing. User text (headers, categories, messages quoting them) is shown in
tables, code blocks and widget labels' values, never as Markdown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from hotline_trends.errors import UserError
from hotline_trends.ingest import Incoming, ReadOptions, read_tables
from hotline_trends.ingest.duckscan import open_table
from hotline_trends.ingest.incident_layouts import GENERIC, match_layout, pick
from hotline_trends.ingest.incidents import DEFAULT_DATASET, FORMAT
from hotline_trends.pages.common import store as current_store
from hotline_trends.pages.upload import _problems, _report_table
from hotline_trends.store import ingest
from hotline_trends.store.uploads import save_upload

REPORT_KEY = "incidents_report"
HELP = (
    "One row per incident or offense, with a date (or date-time) column and a category column; an incident "
    "id and a district column are used when present. Portal exports (Los Angeles, San Francisco, Chicago, "
    "Seattle, New Orleans) are recognised; for anything else choose the columns. Every day from the first to "
    "the last date (or the range you give) gets a count; a day without a row is 0."
)
FACTS = {
    "layout": "layout",
    "encoding": "encoding",
    "delimiter": "delimiter",
    "header_line": "header line",
    "date_formats": "date formats",
    "range": "range counted",
    "range_from": "range from",
    "days": "days",
    "region": "region",
    "dataset": "dataset",
    "metrics": "metrics written",
    "records": "rows read",
    "rows_outside_range": "rows outside the range (not counted)",
    "repeated_rows_counted_once": "repeated rows of one incident (counted once)",
}


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def facts_table(detected: dict[str, Any]) -> pd.DataFrame:
    """What the reader detected and will write, one fact per row, as text."""
    rows = [{"detected": "columns used", "value": _text(detected.get("columns_used", {}))}]
    rows += [{"detected": label, "value": _text(detected[k])} for k, label in FACTS.items() if k in detected]
    skipped = detected.get("rows_skipped") or {}
    rows.append({"detected": "rows skipped", "value": _text(skipped) if skipped else "none"})
    return pd.DataFrame(rows, columns=["detected", "value"], dtype="str")


def _mapping(path: Path, header: list[str]) -> ReadOptions:
    """The form: columns (pre-set from the header), categories, place, dataset and range."""
    layout = match_layout(header) or GENERIC
    key = path.parent.name[:12]  # per file: a new file starts from its own detected columns

    def column(label: str, candidates: tuple[str, ...], name: str) -> str:
        found = pick(header, candidates)
        return st.selectbox(label, header, index=found if found is not None else 0, key=f"incidents_{name}_{key}")

    st.caption(f"Columns pre-set for: {layout.label}. Change any that are wrong.")
    left, middle, right = st.columns(3)
    with left:
        date_column = column("Date column", layout.dates, "date")
        category_column = column("Category column", layout.categories, "category")
    with middle:
        region = st.text_input(
            "Region", value=layout.region or "", key=f"incidents_region_{key}",
            help="The police agency as ori:<ORI> (e.g. ori:CA03801), or a state code such as CA.",
        )  # fmt: skip
        dataset = st.text_input("Dataset", value=DEFAULT_DATASET, key=f"incidents_dataset_{key}")
    with right:
        start = st.date_input("First day (optional)", value=None, key=f"incidents_from_{key}")
        end = st.date_input("Last day (optional)", value=None, key=f"incidents_to_{key}")
    categories = st.text_input(
        "Categories to keep, as VALUE=metric pairs (blank: every category, named by its value)",
        key=f"incidents_categories_{key}",
        placeholder="Prostitution=prostitution, Human Trafficking (A), Commercial Sex Acts=ht_commercial_sex",
    )
    return ReadOptions(
        date_column=date_column,
        category_column=category_column,
        categories=categories.strip() or None,
        region=region.strip() or None,
        dataset=dataset.strip() or None,
        start=start,
        end=end,
    )


def _preview(tables: list[Incoming]) -> None:
    detected = tables[0].detected
    st.markdown("**What was detected**")
    st.dataframe(facts_table(detected), hide_index=True, key="incidents_detected")
    st.markdown("**Rows per category** (rows in the file; 'counted': after repeated rows of one incident)")
    per = pd.DataFrame(detected.get("rows_per_category") or [], columns=["category", "metric", "rows", "incidents"])
    st.dataframe(per.rename(columns={"incidents": "counted"}), hide_index=True, key="incidents_categories_table")
    left_out = detected.get("categories_not_written") or {}
    if left_out.get("values"):
        st.caption(
            f"Not written (not in the categories to keep): {left_out['rows']:,} rows in {left_out['values']:,} categories."
        )


def _show_last_report() -> None:
    report = st.session_state.get(REPORT_KEY)
    if report:
        st.success(f"Incident counts added to the store as ingest #{report['ingest_id']}.")
        st.dataframe(_report_table(report), hide_index=True, key="incidents_report_table")
        st.caption(f"Take it back with: hotline-trends ingests remove {int(report['ingest_id'])} --yes")


def incident_section() -> None:
    """The incident-list form; call it on the Data page."""
    st.subheader("Add a police incident list")
    st.caption(HELP)
    _show_last_report()
    uploaded = st.file_uploader("Incident list (CSV or TSV)", key="incidents_file")
    if uploaded is None:
        return
    store = current_store()
    path = save_upload(store, uploaded.name, uploaded.getvalue())
    try:
        header = list(open_table(path).header)
    except UserError as problem:
        st.error("This file cannot be read as an incident list; the store is unchanged.")
        st.code(str(problem), language=None)
        return
    options = _mapping(path, header)
    tables: list[Incoming] = []
    error: UserError | None = None
    check = None
    try:
        tables = read_tables(path, fmt=FORMAT, options=options)
        check = ingest(store, tables, dry_run=True)
    except UserError as exc:
        error = exc
    if tables:
        _preview(tables)
    problems = _problems(tables, error)
    st.markdown(f"**Rows skipped and problems: {len(problems)}**")
    if not problems.empty:
        st.dataframe(problems, hide_index=True, key="incidents_problems")
    if error is not None or check is None:
        st.error("These counts cannot be added as they are; the store is unchanged. Fix the choice or the file.")
        st.code(str(error), language=None)
        return
    st.markdown("**If you add them** (the same ingest, run as a check: nothing is written yet)")
    st.dataframe(_report_table(check.to_dict()), hide_index=True, key="incidents_check")
    if not (check.added or check.revised):
        st.info("Every one of these daily counts is already in the store; adding them would change nothing.")
        return
    detected = tables[0].detected
    st.text(  # plain text: the names are the user's
        f"Adds {check.added:,} new and {check.revised:,} revised daily counts to dataset {detected.get('dataset')}, "
        f"region {detected.get('region')}, metrics {_text(detected.get('metrics', []))}."
    )
    if st.button("Add incident counts to the store", type="primary", key="incidents_add"):
        report = ingest(store, tables)
        st.session_state[REPORT_KEY] = report.to_dict()
        st.rerun()
