"""Assign a state (and city) to an event a calendar could not place: a logged revision of the event row."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

import pandas as pd

from hotline_trends.errors import UserError
from hotline_trends.ingest.base import LINE, Incoming
from hotline_trends.ingest.regions import region_code
from hotline_trends.schema import SPECS
from hotline_trends.store.apply import IngestReport, ingest
from hotline_trends.store.connection import Store
from hotline_trends.store.read import query


def _text(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, datetime | pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def assign_event_state(store: Store, event_id: str, *, state: str, city: str | None = None) -> IngestReport:
    """Set an event's state (a code or a name) and optionally its city, and clear its flag.

    The old row stays in the store's history; ``ingests remove`` takes the assignment back.

    Raises:
        UserError: the event is unknown; InputRejected: the state is not a known region.
    """
    current = query(store, "SELECT * FROM events WHERE event_id = ?", [event_id])
    if current.empty:
        raise UserError(f"there is no event {event_id!r}; list them with: hotline-trends events --flagged")
    row = {c: _text(v) for c, v in current.iloc[0].items()}
    row.update(state=region_code(state), flag=None)
    if city:
        row["city"] = city
    frame = pd.DataFrame([row], columns=list(SPECS["events"].names), dtype="str")
    frame[LINE] = 1
    content = json.dumps(row, sort_keys=True).encode()
    incoming = Incoming(
        table="events",
        file_name=f"events assign {event_id}",
        sha256=hashlib.sha256(content).hexdigest(),
        reader="assign",
        detected={"format": "assign", "event_id": event_id, "state": row["state"], "city": row["city"]},
        frame=frame,
    )
    return ingest(store, incoming)
