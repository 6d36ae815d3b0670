"""Describe a source: a new revision of its row (publisher, location, ...), written as a logged ingest."""

from __future__ import annotations

import hashlib
import json

import pandas as pd

from hotline_trends.errors import UserError
from hotline_trends.ingest.base import LINE, Incoming
from hotline_trends.schema import SPECS
from hotline_trends.store.apply import IngestReport, ingest
from hotline_trends.store.connection import Store
from hotline_trends.store.read import query

DESCRIBABLE = ("publisher", "title", "location", "retrieved_via", "terms", "caveat")


def describe_source(store: Store, source_id: str, fields: dict[str, str | None]) -> IngestReport:
    """Set descriptive fields of a source and clear its user-provided mark once publisher and location exist.

    Raises:
        UserError: the source is unknown, or it would still lack a publisher or a location.
    """
    current = query(store, "SELECT * FROM sources WHERE source_id = ?", [source_id])
    if current.empty:
        raise UserError(f"there is no source {source_id!r}; list them with: hotline-trends sources")
    row = {c: (None if pd.isna(v) else str(v)) for c, v in current.iloc[0].items()}
    row.update({k: v for k, v in fields.items() if k in DESCRIBABLE and v is not None})
    if not row.get("publisher") or not row.get("location"):
        raise UserError(
            f"source {source_id!r} needs both --publisher and --location (a URL or where the file came from)"
        )
    row["user_provided"] = "false"
    frame = pd.DataFrame([row], columns=list(SPECS["sources"].names), dtype="str")
    frame[LINE] = 1
    content = json.dumps(row, sort_keys=True).encode()
    incoming = Incoming(
        table="sources",
        file_name=f"sources describe {source_id}",
        sha256=hashlib.sha256(content).hexdigest(),
        reader="describe",
        detected={"format": "describe", "fields": sorted(k for k, v in fields.items() if v is not None)},
        frame=frame,
    )
    return ingest(store, incoming)
