"""Add one event a person typed in (``events add``, the dashboard form): an ingest like any file's.

The fields go through the same shaping as the events reader (a state name becomes its code) and the same
store checks and messages (dates in ISO form, end not before start, a known state, attendance a whole
number); the row is logged as an ingest that ``ingests remove`` takes back. An id already in the store is
refused unless ``replace`` is asked for: then the new row is a revision and the old one stays in history.

Example:
    >>> fields = NewEvent(event_id="city-marathon-2027", name="City Marathon 2027", start_date="2027-04-18",
    ...                   end_date="2027-04-18", city="Austin", state="Texas", event_type="Marathon")
    >>> incoming_rows(fields)[-1].frame[["event_id", "state", "event_type"]].to_dict("records")
    [{'event_id': 'city-marathon-2027', 'state': 'TX', 'event_type': 'Marathon'}]
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass

import pandas as pd

from hotline_trends.errors import InputRejected, Problem, UserError
from hotline_trends.ingest.base import Incoming, text_frame
from hotline_trends.ingest.regions import region_code
from hotline_trends.store.apply import IngestReport, ingest
from hotline_trends.store.connection import Store
from hotline_trends.store.ddl import utc_now
from hotline_trends.store.read import query

READER = "events-add"
URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


@dataclass(frozen=True)
class NewEvent:
    """What a person says about an event; every value is text, as a file would give it."""

    event_id: str
    name: str
    start_date: str
    end_date: str
    city: str = ""
    state: str = ""
    venue: str = ""
    attendance: str = ""
    event_type: str = ""
    category: str = ""
    source: str = ""  # a source id, or the URL where the person read about the event

    def cleaned(self) -> NewEvent:
        return NewEvent(**{k: str(v or "").strip() for k, v in asdict(self).items()})


def _source(fields: NewEvent) -> tuple[str, dict[str, str] | None]:
    """The event's source id and, for a URL, the source row to add with it."""
    default = "user_" + (re.sub(r"[^a-z0-9]+", "_", fields.event_id.lower()).strip("_") or "event")
    if not fields.source:
        return default, None
    if URL.match(fields.source):
        row = {
            "source_id": default,
            "title": f"Web page named for event {fields.event_id}",
            "location": fields.source,
            "retrieved_via": f"entered with hotline-trends events add on {utc_now().date().isoformat()}",
            "caveat": "User-provided; not checked by the project. Describe it with: hotline-trends sources "
            f"describe {default} --publisher ...",
            "user_provided": "true",
        }
        return default, row
    return fields.source, None


def incoming_rows(fields: NewEvent) -> list[Incoming]:
    """The rows to ingest (a source first when the event cites a URL, then the event), as a reader makes them."""
    fields = fields.cleaned()
    source_id, source_row = _source(fields)
    event = {**asdict(fields), "source_id": source_id}
    del event["source"]
    if event["state"]:
        event["state"] = region_code(event["state"])  # unmapped names pass through; the store names them
    name = f"new event {fields.event_id or '(no id)'}"
    digest = hashlib.sha256(json.dumps([event, source_row], sort_keys=True).encode()).hexdigest()
    detected = {"format": READER, "table": "events", "event_id": fields.event_id, "source_id": source_id}
    parts = []
    if source_row:
        parts.append(
            Incoming("sources", name, digest, READER, detected, frame=text_frame([(1, source_row)], list(source_row)))
        )
    parts.append(Incoming("events", name, digest, READER, detected, frame=text_frame([(1, event)], list(event))))
    return parts


def _existing(store: Store, event_id: str) -> str | None:
    """'Super Bowl LXI (61), 2027-02-14, Inglewood CA' for a stored id, else None."""
    if not store.exists():
        return None
    found = query(store, "SELECT name, start_date, city, state FROM events WHERE event_id = ?", [event_id])
    if found.empty:
        return None
    row = {
        k: ("" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)) for k, v in found.iloc[0].items()
    }
    place = " ".join(p for p in (row["city"], row["state"]) if p)
    return ", ".join(p for p in (row["name"], row["start_date"][:10], place) if p)


class EventRejected(InputRejected):
    """The store's problems with a typed-in event: no file lines, only fields."""

    def render(self) -> str:
        lines = [f"{self.file_name} was not added; nothing changed."]
        lines += [f"  {p.column or 'event'}: {p.message}" for p in self.problems[: self.shown]]
        return "\n".join(lines)


def _plain(error: InputRejected, event_id: str) -> EventRejected:
    problems = [Problem(p.message, column=p.column) for p in error.problems]
    return EventRejected(f"event {event_id!r}" if event_id else "the event", problems)


def add_event(store: Store, fields: NewEvent, *, replace: bool = False, dry_run: bool = False) -> IngestReport:
    """Check and add one event in one transaction.

    Raises:
        UserError: the id is already taken (and ``replace`` is False), or the source id is not an id.
        InputRejected: a field is wrong; each problem names its field (``column``) and how to fix it.
    """
    fields = fields.cleaned()
    taken = _existing(store, fields.event_id) if fields.event_id else None
    if taken and not replace:
        raise UserError(
            f"there is already an event {fields.event_id!r} ({taken}); choose another id, or replace it (the old "
            "row stays in the history and `ingests remove` brings it back)"
        )
    try:
        return ingest(store, incoming_rows(fields), dry_run=dry_run)
    except InputRejected as exc:
        raise _plain(exc, fields.event_id) from None
