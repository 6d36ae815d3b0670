"""The Event types page offers a user's own types (from an event_type column) and studies them."""

from __future__ import annotations

import pytest
from support import DATA, page_app

from hotline_trends.ingest import read_tables
from hotline_trends.store import ingest

pytestmark = pytest.mark.app


def test_a_user_type_is_offered_and_pooled(store):
    ingest(store, read_tables(DATA / "user_types" / "races.csv"))
    app = page_app("event_types", {"type": "marathon"})
    assert not app.exception
    assert "Marathon (4 events)" in app.selectbox(key="param_type").options
    table_ = next(t.value for t in app.table if "q (Benjamini–Hochberg)" in t.value.columns)
    assert len(table_) == 4 and set(table_["event"]) == {"Chicago Marathon", "Boston Marathon", "Houston Marathon"}
