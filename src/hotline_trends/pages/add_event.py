"""Add an event on the Data page: a small form → the same checks as an events file → an ingest to undo.

Errors are listed per field in a table (user text is never rendered as Markdown or HTML). After adding,
the page offers to take the event back, which removes its ingest like `ingests remove`.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from hotline_trends.errors import InputRejected, UserError
from hotline_trends.pages.common import loaded
from hotline_trends.pages.common import store as current_store
from hotline_trends.store.add_event import NewEvent, add_event
from hotline_trends.store.remove import remove_ingest

DONE_KEY = "add_event_done"  # the last event added here: {event_id, ingest_id}
FIELD_LABELS = {
    "event_id": "Event id",
    "name": "Name",
    "start_date": "First day",
    "end_date": "Last day",
    "city": "City",
    "state": "State",
    "venue": "Venue",
    "attendance": "Attendance",
    "event_type": "Event type",
    "category": "Category",
    "source_id": "Source",
    "source": "Source",
}
NO_STATE = ""


def problems_table(error: UserError) -> pd.DataFrame:
    """The problems of a rejected event, one row per field, in plain words."""
    if isinstance(error, InputRejected):
        rows = [
            {"field": FIELD_LABELS.get(p.column or "", p.column or ""), "problem": p.message} for p in error.problems
        ]
    else:
        rows = [{"field": "", "problem": str(error)}]
    return pd.DataFrame(rows, columns=["field", "problem"], dtype="str")


def _state_options() -> tuple[list[str], dict[str, str]]:
    regions = loaded("table", name="regions")
    regions = regions[regions["kind"] != "nation"].sort_values("region")
    names = dict(zip(regions["region"], regions["name"], strict=True))
    return [NO_STATE, *names], names


def _last_added() -> None:
    done = st.session_state.get(DONE_KEY)
    if not done:
        return
    st.success(f"Added as ingest #{done['ingest_id']}; it is now in the event lists and studies.")
    st.text(f"Event id: {done['event_id']}")
    if st.button(f"Take it back (remove ingest #{done['ingest_id']})", key="add_event_undo"):
        try:
            remove_ingest(current_store(), int(done["ingest_id"]), confirm=True)
        except UserError as exc:
            st.error("It could not be taken back:")
            st.code(str(exc), language=None)
            return
        st.session_state.pop(DONE_KEY, None)
        st.rerun()


def add_event_section() -> None:
    """The form; call it on the Data page."""
    st.subheader("Add an event")
    st.caption(
        "An event of your own, e.g. one your city hosts next year. It gets the same checks as an events file "
        "and is logged as an ingest, so it can be taken back. Give a type (e.g. 'Marathon') to pool your "
        "events on the Event types page and with `study --type`. Only give an attendance a source states."
    )
    _last_added()
    options, names = _state_options()
    with st.form("add_event_form", clear_on_submit=False):
        left, right = st.columns(2)
        with left:
            event_id = st.text_input("Event id (no spaces)", placeholder="city-marathon-2027", key="add_event_id")
            name = st.text_input("Name", placeholder="City Marathon 2027", key="add_event_name")
            start = st.date_input("First day", value=date.today(), key="add_event_start")
            end = st.date_input("Last day (inclusive)", value=date.today(), key="add_event_end")
            event_type = st.text_input("Event type (optional)", placeholder="Marathon", key="add_event_type")
        with right:
            city = st.text_input("City", key="add_event_city")
            state = st.selectbox(
                "State",
                options,
                format_func=lambda c: f"{c} — {names[c]}" if c else "(none)",
                key="add_event_state",
            )
            venue = st.text_input("Venue (optional)", key="add_event_venue")
            attendance = st.text_input("Attendance a source states (optional)", key="add_event_attendance")
            source = st.text_input("Source: URL or source id (optional)", key="add_event_source")
        replace = st.checkbox(
            "Replace an event with the same id (the old row stays in the history)", key="add_event_replace"
        )
        submitted = st.form_submit_button("Add event", type="primary")
    if not submitted:
        return
    fields = NewEvent(
        event_id=event_id, name=name, start_date=start.isoformat() if start else "",
        end_date=end.isoformat() if end else "", city=city, state=state, venue=venue, attendance=attendance,
        event_type=event_type, source=source,
    )  # fmt: skip
    try:
        report = add_event(current_store(), fields, replace=replace)
    except UserError as exc:
        st.error("The event was not added; the store is unchanged. Fix what is listed and press 'Add event' again.")
        st.dataframe(problems_table(exc), hide_index=True, key="add_event_problems")
        return
    if report.ingest_id is None:
        st.info("This event is already in the store exactly like this; nothing changed.")
        return
    st.session_state[DONE_KEY] = {"event_id": fields.event_id.strip(), "ingest_id": report.ingest_id}
    st.rerun()
