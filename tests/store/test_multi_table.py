"""An ingest of several tables (an FBI file: agencies + observations) is one transaction and one ingest."""

from __future__ import annotations

import pytest
from support import DATA, assert_unchanged, snapshot

from hotline_trends.errors import InputRejected
from hotline_trends.ingest import read_tables
from hotline_trends.store import ingest
from hotline_trends.store.read import query
from hotline_trends.store.remove import remove_ingest

FBI = DATA / "fbi_cde" / "good" / "plain.csv"


def test_both_tables_share_one_ingest_that_removal_takes_back(store):
    before = snapshot(store)
    report = ingest(store, read_tables(FBI))
    assert report.table == "agencies+observations"
    assert [(t["table"], t["added"]) for t in report.tables] == [("agencies", 2), ("observations", 10)]
    log = query(store, "SELECT table_name, added FROM ingests WHERE ingest_id = ?", [report.ingest_id])
    assert log.values.tolist() == [["agencies+observations", 12]]
    again = ingest(store, read_tables(FBI))
    assert (again.added, again.revised, again.unchanged, again.ingest_id) == (0, 0, 12, None)
    remove_ingest(store, report.ingest_id, confirm=True)
    after = snapshot(store)
    assert_unchanged(
        {k: v for k, v in before.items() if k != "ingests"}, {k: v for k, v in after.items() if k != "ingests"}
    )


def test_a_bad_observation_leaves_the_agencies_out_too(store):
    before = snapshot(store)
    with pytest.raises(InputRejected, match="value -1 is negative"):
        ingest(store, read_tables(DATA / "fbi_cde" / "bad" / "negative_sum.csv"))
    assert_unchanged(before, snapshot(store))


def test_an_fbi_file_does_not_blank_what_it_cannot_know(store, tmp_path):
    header = FBI.read_text(encoding="utf-8").splitlines()[0]
    row = "2020,AK0010100,Anchorage Police,,City,AK,Alaska,Pacific,ANCHORAGE,West,1C,Cities,81,HT,CSA,1,0,0,0"
    path = tmp_path / "anchorage.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    old = query(store, "SELECT population, population_year FROM agencies WHERE ori = 'AK00101'").values.tolist()
    report = ingest(store, read_tables(path))
    result = query(store, "SELECT agency_name, population, population_year FROM agencies WHERE ori = 'AK00101'")
    assert result.values.tolist() == [["Anchorage Police", *old[0]]]
    assert report.tables[0]["revised"] == 1
