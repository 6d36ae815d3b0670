"""Upload on the Data page: a file → what was detected, a preview and every problem → "Add to store" → the report.

Nothing is written to the store until the user presses "Add to store"; the check before it is a dry run
of the very same ingest. Every uploaded file is kept under ``<store>/uploads/<sha256>/<safe name>``. User
text (file names, cells, messages quoting them) is shown in tables and code blocks, never as Markdown.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from hotline_trends.errors import InputRejected, UserError
from hotline_trends.ingest import READERS, Incoming, ReadOptions, read_tables
from hotline_trends.ingest.rows import preview
from hotline_trends.pages.common import store as current_store
from hotline_trends.store import IngestReport, ingest
from hotline_trends.store.uploads import save_upload

# Shown to the user, not given to st.file_uploader: its own name check raises (and replaces the page with an
# exception) before the page runs for a name holding a NUL; the readers look at the content anyway.
TYPES = ["csv", "tsv", "txt", "xlsx", "html", "htm", "ics", "zip"]  # zip: a CDE NIBRS extract
DETECT = "detect from the file"
REPORT_KEY = "upload_report"
PREVIEW_ROWS = 50
COUNTS = ["rows_read", "added", "revised", "unchanged", "skipped", "duplicates_ignored"]


def upload_limit_mb() -> int:
    """The server's upload limit (``server.maxUploadSize`` in .streamlit/config.toml), in MB."""
    return int(st.get_option("server.maxUploadSize"))


def _options() -> tuple[str | None, ReadOptions, str | None]:
    """The format, reader options and source id the user chose (all optional)."""
    with st.expander("Options for files that do not say everything (most files need none)"):
        fmt = st.selectbox("Format", [DETECT, *READERS], key="upload_format")
        left, right = st.columns(2)
        with left:
            source_id = st.text_input("Source id (default: user_<file name>)", key="upload_source_id")
            dataset = st.text_input("Dataset (wide tables), e.g. my_tipline", key="upload_dataset")
            metric = st.text_input("Metric (wide tables, one column per year), e.g. tips", key="upload_metric")
            year = st.number_input("Year (when no heading or column says it)", 0, 2100, 0, key="upload_year")
            sheet = st.text_input("Excel sheet (default: the first)", key="upload_sheet")
        with right:
            region = st.text_input("State of a hotline state page that does not name it", key="upload_region")
            vintage = st.text_input("Census vintage, e.g. 2024 (default: from the file)", key="upload_vintage")
            expand = st.date_input(
                "Calendars: expand repeating events between",
                value=(date(2007, 1, 1), date(2030, 12, 31)),
                key="upload_expand",
            )
            timezone = st.text_input("Calendars: time zone for UTC times, e.g. America/Chicago", key="upload_tz")
    first, last = (tuple(expand) + (None, None))[:2] if isinstance(expand, tuple | list) else (expand, None)
    options = ReadOptions(
        sheet=sheet or None,
        dataset=dataset or None,
        metric=metric or None,
        year=int(year) or None,
        region=region or None,
        vintage=vintage or None,
        expand_from=first,
        expand_to=last,
        timezone=timezone or None,
    )
    return (None if fmt == DETECT else fmt), options, (source_id.strip() or None)


def _detected_table(tables: list[Incoming]) -> pd.DataFrame:
    """What the reader found, one row per fact, values as text (lists joined)."""
    rows = []
    for key, value in tables[0].detected.items():
        if key == "unresolved" or value in (None, [], ""):
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) if not isinstance(v, dict) else str(v.get("year", v)) for v in value)
        rows.append({"detected": key.replace("_", " "), "value": str(value)})
    return pd.DataFrame(rows, columns=["detected", "value"], dtype="str")


def _problems(tables: list[Incoming], error: UserError | None) -> pd.DataFrame:
    """Every problem: rows the reader skipped on purpose, events to assign, and what the store refuses."""
    rows: list[dict[str, Any]] = []
    for incoming in tables:
        rows += [{"kind": "skipped", "line": p.line, "column": "", "problem": p.message} for p in incoming.skipped]
        for event in incoming.detected.get("unresolved") or []:
            message = (
                f"no U.S. state in LOCATION {event['location']!r}; after adding, assign one with: "
                f"hotline-trends events assign {event['event_id']} --state XX"
            )
            rows.append({"kind": "needs a state", "line": event["line"], "column": "state", "problem": message})
    if isinstance(error, InputRejected):
        rows += [
            {"kind": "rejected", "line": p.line, "column": p.column or "", "problem": p.message} for p in error.problems
        ]
    elif error is not None:
        rows.append({"kind": "rejected", "line": None, "column": "", "problem": str(error)})
    frame = pd.DataFrame(rows, columns=["kind", "line", "column", "problem"])
    return frame.astype({"line": "Int64", "kind": "str", "column": "str", "problem": "str"})


def _report_table(report: dict[str, Any]) -> pd.DataFrame:
    per_table = report["tables"] or [{"table": report["table"], **{k: report[k] for k in COUNTS if k in report}}]
    return pd.DataFrame(per_table)


def _show_last_report() -> None:
    report = st.session_state.get(REPORT_KEY)
    if not report:
        return
    st.success(f"Added to the store as ingest #{report['ingest_id']}. The tables above include it.")
    st.dataframe(_report_table(report), hide_index=True, key="upload_report_table")
    st.caption(f"Take it back with: hotline-trends ingests remove {int(report['ingest_id'])} --yes")


def upload_section() -> None:
    """The upload flow; call it at the end of a page."""
    st.subheader("Add your own data")
    limit = upload_limit_mb()
    st.caption(
        "Upload a tidy or wide table (CSV in any common dialect, or .xlsx), a saved hotline statistics page, "
        "the FBI Crime Data Explorer human-trafficking file, a Census NST-EST 'alldata' file, an events file "
        f"or an iCalendar (.ics) file. Files up to {limit} MB (the limit is server.maxUploadSize in "
        ".streamlit/config.toml). Nothing is added until you press 'Add to store'; a rejected file changes nothing."
    )
    _show_last_report()
    uploaded = st.file_uploader(
        "File to add", key="upload_file", help=f"Usually {', '.join('.' + t for t in TYPES)}; the content decides."
    )
    fmt, options, source_id = _options()
    if uploaded is None:
        return
    store = current_store()
    path = save_upload(store, uploaded.name, uploaded.getvalue())
    tables: list[Incoming] = []
    error: UserError | None = None
    check: IngestReport | None = None
    try:
        tables = read_tables(path, fmt=fmt, options=options)
        check = ingest(store, tables, source_id=source_id, dry_run=True)
    except UserError as exc:
        error = exc
    st.caption("Saved as (every upload is kept; the name as plain text, made safe for the disk):")
    st.code(str(path.relative_to(store.root)), language=None)
    if tables:
        st.markdown("**What was detected**")
        st.dataframe(_detected_table(tables), hide_index=True, key="upload_detected")
        for incoming in tables:
            st.markdown(f"**Preview: first rows for the {incoming.table} table** (as read, before checks)")
            st.dataframe(preview(incoming, limit=PREVIEW_ROWS), hide_index=True, key=f"upload_preview_{incoming.table}")
    problems = _problems(tables, error)
    st.markdown(f"**Problems found: {len(problems)}**")
    if not problems.empty:
        st.dataframe(problems, hide_index=True, key="upload_problems")
    if error is not None:
        st.error("This file cannot be added as it is; the store is unchanged. Fix the rows listed and upload it again.")
        st.code(str(error), language=None)
        return
    assert check is not None
    st.markdown("**If you add it** (the same ingest, run as a check: nothing is written yet)")
    st.dataframe(_report_table(check.to_dict()), hide_index=True, key="upload_check")
    if not (check.added or check.revised):
        st.info("Everything in this file is already in the store; adding it would change nothing.")
        return
    if st.button("Add to store", type="primary", key="upload_add"):
        report = ingest(store, tables, source_id=source_id)
        st.session_state[REPORT_KEY] = report.to_dict()
        st.rerun()  # the page's loaders are keyed on the store's version, so everything above now shows it
