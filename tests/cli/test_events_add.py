"""`events add`: one typed-in event, checked like an events file, logged as an ingest that can be undone."""

from __future__ import annotations

import json

import pytest
from support import DATA, assert_unchanged, snapshot

from hotline_trends.errors import InputRejected
from hotline_trends.ingest import read_tables
from hotline_trends.store import ingest
from hotline_trends.store.read import query

BASE = ["events", "add", "city-marathon-2027", "--name", "City Marathon 2027", "--start", "2027-04-18"]


def _event(store, event_id: str = "city-marathon-2027"):
    return query(store, "SELECT * FROM events WHERE event_id = ?", [event_id])


def test_an_added_event_is_listed_studied_and_taken_back(store, cli):
    result = cli(*BASE, "--end", "2027-04-19", "--city", "Austin", "--state", "Texas", "--type", "Marathon")
    assert result.code == 0, result.err
    assert "ingests remove" in result.out
    row = _event(store).iloc[0]
    assert (row["state"], row["city"], row["event_type"], row["source_id"]) == (
        "TX", "Austin", "Marathon", "user_city_marathon_2027"
    )  # fmt: skip
    assert str(row["end_date"])[:10] == "2027-04-19"
    listed = json.loads(cli("events", "--name", "city marathon", "--json").out)
    assert [e["event_id"] for e in listed] == ["city-marathon-2027"]
    ingest_id = json.loads(cli("ingests", "--json").out)[0]["ingest_id"]
    assert cli("ingests", "remove", str(ingest_id), "--yes").code == 0
    assert _event(store).empty


def test_a_url_source_is_registered_with_the_event_and_removed_with_it(store, cli):
    url = "https://example.org/marathon-2027"
    report = json.loads(cli(*BASE, "--state", "TX", "--source", url, "--json").out)
    source = query(store, "SELECT * FROM sources WHERE source_id = 'user_city_marathon_2027'").iloc[0]
    assert source["location"] == url and bool(source["user_provided"])
    assert cli("ingests", "remove", str(report["ingest_id"]), "--yes").code == 0
    assert query(store, "SELECT * FROM sources WHERE source_id = 'user_city_marathon_2027'").empty


def test_an_existing_id_is_refused_unless_replaced_and_the_old_row_comes_back(store, cli):
    before = _event(store, "super-bowl-2027").iloc[0]
    refused = cli("events", "add", "super-bowl-2027", "--name", "Mine", "--start", "2027-02-14")
    assert refused.code == 2 and "already an event 'super-bowl-2027'" in refused.err
    assert "Super Bowl LXI" in refused.err
    replaced = json.loads(
        cli("events", "add", "super-bowl-2027", "--name", "Mine", "--start", "2027-02-14", "--replace", "--json").out
    )
    assert replaced["revised"] == 1 and _event(store, "super-bowl-2027")["name"].tolist() == ["Mine"]
    assert cli("ingests", "remove", str(replaced["ingest_id"]), "--yes").code == 0
    assert _event(store, "super-bowl-2027")["name"].tolist() == [before["name"]]


def test_a_dry_run_writes_nothing(store, cli):
    before = snapshot(store)
    result = cli(*BASE, "--state", "TX", "--dry-run")
    assert result.code == 0 and "nothing was written" in result.out
    assert_unchanged(before, snapshot(store))


BAD = [
    (["--start", "04/18/2027"], "start_date", "start_date '04/18/2027' is not a date in ISO form"),
    (["--end", "2027-04-01"], "end_date", "end_date 2027-04-01 is before start_date"),
    (["--state", "Narnia"], "state", "state 'Narnia' is not a known region code"),
    (["--attendance", "-5"], "attendance", "attendance -5 is negative"),
    (["--attendance", "lots"], "attendance", "attendance 'lots'"),
    (["--type", "!!!"], "event_type", "event_type '!!!' has no letters or digits"),
    (["--name", " "], "name", "name is empty; every event needs one"),
    (["--source", "my source"], "source_id", "source_id 'my source' is not a valid identifier"),
]


@pytest.mark.parametrize(("args", "column", "message"), BAD, ids=[b[1] + ":" + b[0][1] for b in BAD])
def test_a_bad_field_is_named_in_plain_words_and_changes_nothing(store, cli, args, column, message):
    before = snapshot(store)
    result = cli(*BASE, *args)
    assert result.code == 2
    assert "was not added; nothing changed" in result.err
    assert f"  {column}: {message}" in result.err, result.err
    assert "Traceback" not in result.err and " line " not in result.err
    assert_unchanged(before, snapshot(store))


def test_an_id_with_spaces_is_refused(store, cli):
    result = cli("events", "add", "my event", "--name", "Mine", "--start", "2027-02-14")
    assert result.code == 2 and "  event_id: " in result.err and "'my event'" in result.err


def test_the_messages_are_the_events_readers(store, cli):
    """The same rule gives the same words whether the event comes from a file or is typed in."""
    with pytest.raises(InputRejected) as read:
        ingest(store, read_tables(DATA / "events" / "bad" / "unknown_state.csv"))
    typed = cli(*BASE, "--state", "Narnia")
    file_message = next(p.message for p in read.value.problems if p.column == "state")
    assert f"  state: {file_message}" in typed.err


def test_add_has_help(cli, capsys):
    with pytest.raises(SystemExit) as info:
        cli("events", "add", "--help")
    out = capsys.readouterr().out
    assert info.value.code == 0 and "ingests remove" in out and "--type" in out
