"""Add your own counts on the Data page: a plain ``date,count`` (or ``date,region,count``) file and a small form
(dataset, what is counted, region, a few words on the source) → a check → "Add to store" → Undo or describe it.

The file is shaped by ``ingest.simple_counts`` and added as one all-or-nothing ingest (its source row and its
counts together), so Undo takes both back; adding the same file twice changes nothing. User text (file
names, cells, descriptions) is shown in tables, ``st.text`` or code blocks, never as Markdown or HTML.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hotline_trends.errors import InputRejected, UserError
from hotline_trends.ingest.rows import preview
from hotline_trends.ingest.simple_counts import (
    TEMPLATE,
    TEMPLATE_WITH_REGION,
    CountsForm,
    code_name,
    read_simple_counts,
)
from hotline_trends.pages.common import loaded
from hotline_trends.pages.common import store as current_store
from hotline_trends.store import ingest
from hotline_trends.store.describe import describe_source
from hotline_trends.store.remove import remove_ingest
from hotline_trends.store.uploads import save_upload
from hotline_trends.vocabulary import UPLOAD_MARK, upload_label

DONE_KEY = "simple_upload_done"  # the last upload added here: {ingest_id, source_id, label}
FROM_FILE = ""  # region choice: the file has a region column
PREVIEW_ROWS = 20


def _regions() -> tuple[list[str], dict[str, str]]:
    regions = loaded("table", name="regions").sort_values("region")
    names = dict(zip(regions["region"], regions["name"], strict=True))
    return [FROM_FILE, *names], names


def _problems(error: UserError) -> pd.DataFrame:
    if isinstance(error, InputRejected):
        rows = [{"line": p.line, "column": p.column or "", "problem": p.message} for p in error.problems]
    else:
        rows = [{"line": None, "column": "", "problem": str(error)}]
    return pd.DataFrame(rows, columns=["line", "column", "problem"]).astype({"line": "Int64"})


def _templates() -> None:
    row = st.container(horizontal=True)
    row.download_button(
        "⬇ Template: date,count",
        TEMPLATE,
        file_name="counts_template.csv",
        mime="text/csv",
        key="simple_upload_template",
        help="One line per day; leave a count empty when it is unknown (missing, not zero).",
    )
    row.download_button(
        "⬇ Template: date,region,count",
        TEMPLATE_WITH_REGION,
        file_name="counts_by_region_template.csv",
        mime="text/csv",
        key="simple_upload_template_region",
        help="One line per day and state; a state's name or its two-letter code.",
    )


def _form() -> tuple[object, CountsForm]:
    options, names = _regions()
    uploaded = st.file_uploader("Your counts file (CSV)", key="simple_upload_file")
    left, right = st.columns(2)
    with left:
        dataset = st.text_input(
            "Dataset: whose counts are these?", placeholder="houston tip line", key="simple_upload_dataset"
        )
        metric = st.text_input("What is counted", placeholder="tips", key="simple_upload_metric")
    with right:
        region = st.selectbox(
            "Region the counts are for",
            options,
            format_func=lambda c: names.get(c, c) if c else "(the file has a region column)",
            key="simple_upload_region",
        )
        description = st.text_input(
            "Describe the source in a few words",
            placeholder="Houston task force tip line log, 2024",
            key="simple_upload_description",
        )
    form = CountsForm(dataset=dataset, metric=metric, description=description, region=region or None)
    return uploaded, form


def _last_added() -> None:
    done = st.session_state.get(DONE_KEY)
    if not done:
        return
    st.success(
        f"Added as ingest #{done['ingest_id']}. The Region and Event pages now show it, labelled as your upload."
    )
    st.text(f"Shown in charts as: {done['label']}")
    if st.button(f"Undo this upload (remove ingest #{done['ingest_id']})", key="simple_upload_undo"):
        _undo(int(done["ingest_id"]))


def _check_and_add(uploaded, form: CountsForm) -> None:
    store = current_store()
    data = uploaded.getvalue()
    save_upload(store, uploaded.name, data)  # every upload is kept, whatever happens next
    try:
        tables = read_simple_counts(data, uploaded.name, form=form)
        check = ingest(store, tables, dry_run=True)
    except UserError as exc:
        st.error("This file cannot be added as it is; nothing was changed. Fix what is listed and upload it again.")
        st.dataframe(_problems(exc), hide_index=True, key="simple_upload_problems")
        return
    counts = tables[1]
    detected = pd.DataFrame(
        [{"found": k, "value": str(v)} for k, v in counts.detected.items()], columns=["found", "value"], dtype="str"
    )
    st.dataframe(detected, hide_index=True, key="simple_upload_detected")
    st.caption(
        f"Stored as dataset '{code_name(form.dataset)}', counting '{code_name(form.metric)}'; "
        f"{len(counts.frame)} days with a count, {len(counts.skipped)} left out without one."
    )
    st.dataframe(preview(counts, limit=PREVIEW_ROWS), hide_index=True, key="simple_upload_preview")
    if not (check.added or check.revised):
        st.info("Everything in this file is already in the store; adding it again would change nothing.")
        return
    if st.button("Add to store", type="primary", key="simple_upload_add"):
        report = ingest(store, tables)
        source_id = tables[0].frame["source_id"].iloc[0]
        st.session_state[DONE_KEY] = {
            "ingest_id": report.ingest_id,
            "source_id": source_id,
            "label": upload_label(form.description.strip()),
        }
        st.rerun()


def _describe() -> None:
    """Publisher, URL and licence of an upload's source: a logged revision of its row (history kept)."""
    sources = loaded("sources")
    yours = sources.loc[sources["retrieved_via"] == UPLOAD_MARK]
    if yours.empty:
        return
    with st.expander("Describe the source of an upload (publisher, web address, licence)"):
        titles = dict(zip(yours["source_id"], yours["title"].fillna(""), strict=True))
        source_id = st.selectbox(
            "Upload", list(titles), format_func=lambda s: titles[s] or s, key="simple_upload_describe_source"
        )
        with st.form("simple_upload_describe"):
            publisher = st.text_input("Publisher (who keeps these counts)", key="simple_upload_publisher")
            location = st.text_input("Web address, or where the file came from", key="simple_upload_location")
            terms = st.text_input("Licence or terms of use (optional)", key="simple_upload_terms")
            sent = st.form_submit_button("Save the description")
        if not sent:
            return
        if not publisher.strip() or not location.strip():
            st.error("Give both the publisher and where the counts came from (a web address or a description).")
            return
        fields = {"publisher": publisher.strip(), "location": location.strip(), "terms": terms.strip() or None}
        try:
            describe_source(current_store(), source_id, fields)
        except UserError as exc:
            st.error("The description was not saved; nothing was changed.")
            st.text(str(exc))
            return
        st.success("Saved. Charts now name the publisher beside 'your upload'.")


def _undo_earlier() -> None:
    log = loaded("ingests")
    mine = log.loc[(log["reader"] == "simple_counts") & (log["status"] == "applied")] if not log.empty else log
    if mine.empty:
        return
    with st.expander("Undo an earlier upload"):
        labels = {int(r.ingest_id): f"#{int(r.ingest_id)} · {r.file_name}" for r in mine.itertuples()}
        chosen = st.selectbox("Upload", list(labels), format_func=labels.get, key="simple_upload_undo_which")
        if st.button("Undo it", key="simple_upload_undo_earlier"):
            _undo(int(chosen))


def simple_upload_section() -> None:
    """Your own counts: the form, the check, Add, Undo and describe; call it on the Data page."""
    st.subheader("Add your own counts")
    st.caption(
        "A file with one line per day: a date and a count (any column name, e.g. date,tips), or a date, a "
        "state and a count. Give the dataset a name, say what is counted, choose the region and describe the "
        "source. Nothing is added until you press 'Add to store', a file with a problem changes nothing, and "
        "an upload can be undone."
    )
    _templates()
    _last_added()
    uploaded, form = _form()
    if uploaded is not None:
        _check_and_add(uploaded, form)
    _describe()
    _undo_earlier()


def _undo(ingest_id: int) -> None:
    """Remove an upload's ingest; on an error say so and change nothing, else start the form afresh."""
    try:
        remove_ingest(current_store(), ingest_id, confirm=True)
    except UserError as exc:
        st.error("It could not be undone; the store is unchanged.")
        st.text(str(exc))
        return
    st.session_state.pop(DONE_KEY, None)
    st.rerun()
