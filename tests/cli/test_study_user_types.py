"""Event types users define: a calendar whose ids carry no `<type>-<year>` pattern is pooled with `study --type`
(an event_type column in CSV, CATEGORIES in iCalendar); `study --events` pools listed events; mistakes list
what exists."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from support import DATA

from hotline_trends.analysis.verdict import VERDICTS
from hotline_trends.store import connect
from hotline_trends.store.read import query

CALENDARS = DATA / "user_types"
MARATHONS = {
    "races.csv": {"chi-oct19", "bos-apr21", "hou-jan22", "chi-oct23"},
    "races.ics": {
        "chicago-marathon-2019-10-13",
        "boston-marathon-2021-10-11",
        "houston-marathon-2022-01-16",
        "chicago-marathon-2023-10-08",
    },
}
SERIES = ["--dataset", "test_tipline", "--metric", "tips"]


def tipline_csv(path: Path, *, seed: int = 13) -> Path:
    """Synthetic monthly tip-line counts for eight states, 2018-2024 (test data, generated with a seed)."""
    rng = np.random.default_rng(seed)
    months = pd.date_range("2018-01-01", "2024-12-01", freq="MS")
    rows = []
    for region, level in {"IL": 60, "MA": 35, "TX": 90, "CA": 120, "NY": 80, "FL": 70, "GA": 45, "OH": 40}.items():
        for start, count in zip(months, rng.poisson(level, len(months)), strict=True):
            end = start + pd.offsets.MonthEnd(0)
            rows.append(["test_tipline", region, start.date(), end.date(), "tips", int(count), "test_tipline"])
    columns = ["dataset", "region", "period_start", "period_end", "metric", "value", "source_id"]
    pd.DataFrame(rows, columns=columns).to_csv(path, index=False)
    return path


@pytest.fixture
def tipline(store, tmp_path, cli):
    assert cli("ingest", str(tipline_csv(tmp_path / "tipline.csv"))).code == 0
    return store


def _study(cli, *args: str) -> dict:
    result = cli("study", *args, *SERIES, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


@pytest.mark.parametrize("calendar", list(MARATHONS))
def test_a_user_typed_calendar_is_pooled_by_its_type(tipline, cli, calendar):
    assert cli("ingest", str(CALENDARS / calendar)).code == 0
    result = _study(cli, "--type", "marathon")
    assert (result["event_type"], result["label"]) == ("marathon", "Marathon")
    assert {e["event_id"] for e in result["events"]} == MARATHONS[calendar]
    assert all(e["verdict"] in VERDICTS for e in result["events"])
    assert any(e["verdict"] != "insufficient data" for e in result["events"])
    assert result["pooled"]["ratio"] is not None
    written = "Marathon" if calendar.endswith(".csv") else "marathon"  # as the file says it
    assert _study(cli, "--type", written)["events"] == result["events"]


def test_without_types_the_same_calendar_cannot_be_pooled_by_name(tipline, cli, tmp_path):
    text = (CALENDARS / "races.ics").read_text()
    untyped = tmp_path / "untyped.ics"
    untyped.write_text("".join(line for line in text.splitlines(keepends=True) if not line.startswith("CATEGORIES")))
    assert cli("ingest", str(untyped)).code == 0
    result = cli("study", "--name", "marathon", *SERIES)
    assert result.code == 2
    assert "matches several event types" in result.err and "chicago-marathon" in result.err
    assert "--type" in result.err and "--events" in result.err


def test_listed_events_are_pooled_as_one_group(tipline, cli):
    assert cli("ingest", str(CALENDARS / "races.csv")).code == 0
    same_type = _study(cli, "--events", "chi-oct19,hou-jan22,chi-oct19")
    assert [e["event_id"] for e in same_type["events"]] == ["chi-oct19", "hou-jan22"]
    assert same_type["event_type"] == "marathon"
    mixed = _study(cli, "--events", "chi-oct19, aus-rodeo23")
    assert (mixed["event_type"], mixed["label"]) == ("selection", "2 selected events (2 types)")


def test_mistakes_list_what_exists(tipline, cli):
    assert cli("ingest", str(CALENDARS / "races.csv")).code == 0
    unknown_type = cli("study", "--type", "curling", *SERIES)
    assert unknown_type.code == 2 and "no event type 'curling'" in unknown_type.err
    assert "marathon (Marathon, 4)" in unknown_type.err and "super-bowl (Super Bowl, " in unknown_type.err
    unknown_id = cli("study", "--events", "chi-oct19,chi-oct2O,nope-1999", *SERIES)
    assert unknown_id.code == 2 and "unknown event ids 'chi-oct2O'" in unknown_id.err
    assert "did you mean" in unknown_id.err and "chi-oct23" in unknown_id.err and "'nope-1999'" in unknown_id.err
    with pytest.raises(SystemExit) as both:
        cli("study", "--type", "marathon", "--events", "chi-oct19", *SERIES)
    assert both.value.code == 2


def test_a_store_from_before_event_types_is_upgraded_in_place(tipline, cli):
    with connect(tipline) as con:  # a store built before the events spec had event_type
        con.execute("ALTER TABLE events_v DROP COLUMN event_type")
        con.execute("DELETE FROM meta WHERE key = 'schema'")
    assert cli("ingest", str(CALENDARS / "races.ics")).code == 0
    columns = query(tipline, "SELECT column_name FROM information_schema.columns WHERE table_name = 'events_v'")
    assert columns["column_name"].tolist()[-1] == "event_type"  # added after _ingest, _replaced_by
    kinds = query(tipline, "SELECT event_id, event_type FROM events WHERE event_type IS NOT NULL")
    assert set(kinds["event_type"]) == {"marathon", "rodeo"} and len(kinds) == 5
    assert query(tipline, "SELECT count(*) AS n FROM events WHERE event_id = 'super-bowl-2013'")["n"][0] == 1
    assert {e["event_id"] for e in _study(cli, "--type", "marathon")["events"]} == MARATHONS["races.ics"]


def test_an_excel_events_file_gives_its_types_too(tipline, cli, tmp_path):
    workbook = tmp_path / "races.xlsx"
    pd.read_csv(CALENDARS / "races.csv", dtype=str).to_excel(workbook, sheet_name="Races", index=False)
    assert cli("ingest", str(workbook)).code == 0
    kinds = query(tipline, "SELECT event_id, event_type FROM events WHERE source_id = 'test_races'")
    assert dict(zip(kinds["event_id"], kinds["event_type"], strict=True))["bos-apr21"] == "marathon"
    assert {e["event_id"] for e in _study(cli, "--type", "Marathon")["events"]} == MARATHONS["races.csv"]
