"""A store built before the events spec gained columns takes new rows in the right columns."""

from __future__ import annotations

from datetime import date

from support import DATA

from hotline_trends.ingest import ReadOptions, read_tables
from hotline_trends.store import connect, ingest
from hotline_trends.store.read import query


def test_rows_land_in_their_columns_after_an_in_place_upgrade(store):
    with connect(store) as con:  # make it look like a store from before 'location' and 'flag' existed
        con.execute("ALTER TABLE events_v DROP COLUMN location")
        con.execute("ALTER TABLE events_v DROP COLUMN flag")
        con.execute("DELETE FROM meta WHERE key = 'schema'")
    options = ReadOptions(expand_from=date(2024, 1, 1), expand_to=date(2024, 12, 31))
    ingest(store, read_tables(DATA / "ical" / "good" / "calendar.ics", options=options))
    columns = query(store, "SELECT column_name FROM information_schema.columns WHERE table_name = 'events_v'")
    assert columns["column_name"].tolist()[-2:] == ["location", "flag"]  # added after _ingest, _replaced_by
    result = query(store, "SELECT state, location, flag FROM events WHERE event_id = 'online-summit-2024-03-15'")
    assert result["location"].tolist() == ["Online"] and result["flag"].str.contains("assign").all()
    assert query(store, "SELECT count(*) AS n FROM events WHERE name = 'Halftime Watch Party'")["n"][0] == 1


def test_a_read_brings_an_older_store_up_to_date_first(store):
    with connect(store) as con:
        con.execute("ALTER TABLE events_v DROP COLUMN flag")
        con.execute("DELETE FROM meta WHERE key = 'schema'")
    version = store.version()
    result = query(store, "SELECT flag FROM events LIMIT 1")  # the view names the new column
    assert list(result.columns) == ["flag"]
    assert store.version() != version  # the upgrade was published, so the next read needs none
    assert query(store, "SELECT value FROM meta WHERE key = 'schema'")["value"].notna().all()
