"""Every format through the CLI: detected, added, re-ingest harmless; events assign; helpful errors."""

from __future__ import annotations

import json

import pytest
from support import DATA, assert_unchanged, snapshot

ICAL = ["--expand-from", "2023-01-01", "--expand-to", "2025-12-31"]
# file, extra options, format reported, rows added or revised (a population row is keyed by region, year and
# vintage, so the same estimates from a user file revise the bundled ones)
FORMATS = [
    ("hotline_table/good/page.html", [], "hotline-table", 18),
    ("hotline_table/good/copy.xlsx", [], "hotline-table", 18),
    ("hotline_page/good/wrapped_latin1_crlf.txt", [], "hotline-page", 6),
    ("fbi_cde/good/cde.xlsx", [], "fbi-cde", 12),
    ("census/good/semicolon_latin1_estimates.csv", ["--vintage", "2024"], "census-nst", 15),
    ("wide/good/tipline.xlsx", ["--sheet", "Tips by year", "--dataset", "my_tipline", "--metric", "tips"], "wide", 7),
    ("wide/good/by_metric_year_column.csv", ["--dataset", "my_tipline"], "wide", 7),
    ("events/good/events.xlsx", [], "events", 2),
    ("ical/good/outlook_windows_zones.ics", ICAL, "ical", 15),  # the weekly rule gives 10 events
    ("tidy/good/plain.xlsx", [], "tidy-xlsx", 4),
]


@pytest.mark.parametrize(("name", "extra", "fmt", "added"), FORMATS, ids=[f[0] for f in FORMATS])
def test_every_format_ingests_through_the_cli(store, cli, name, extra, fmt, added):
    result = cli("ingest", DATA / name, *extra, "--json")
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    assert (payload["detected"]["format"], payload["added"] + payload["revised"], payload["rejected"]) == (
        fmt,
        added,
        0,
    )
    again = json.loads(cli("ingest", DATA / name, *extra, "--json").out)
    assert (again["added"], again["revised"]) == (0, 0)
    assert f"read as {fmt}" in cli("ingest", DATA / name, *extra, "--dry-run").out


def test_a_messy_rejected_file_names_line_and_column_and_changes_nothing(store, cli):
    before = snapshot(store)
    result = cli("ingest", DATA / "wide" / "bad" / "text_value.csv", "--dataset", "my_tipline", "--metric", "tips")
    assert result.code == 2
    assert "text_value.csv line 3, column 'value': value 'about 40' is not a number" in result.err
    assert_unchanged(before, snapshot(store))


def test_an_unknown_file_lists_every_format_tried(store, cli, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\nnothing tabular here\n", encoding="utf-8")
    result = cli("ingest", path)
    assert result.code == 2
    for name in ("ical", "hotline-table", "hotline-page", "fbi-cde", "census-nst", "events", "wide", "tidy-csv"):
        assert f"{name}: " in result.err
    assert "Use --format to force one" in result.err


def test_a_forced_format_that_cannot_read_the_file_says_so(store, cli):
    result = cli("ingest", DATA / "tidy" / "good" / "plain.xlsx", "--format", "tidy-csv")
    assert result.code == 2 and "the tidy-csv reader does not read an Excel workbook" in result.err


def test_a_flagged_calendar_event_is_listed_and_assigned(store, cli):
    report = cli("ingest", DATA / "ical" / "good" / "calendar.ics", *ICAL)
    assert "no state for event 'online-summit-2024-03-15' (LOCATION 'Online')" in report.out
    flagged = json.loads(cli("events", "--flagged", "--json").out)
    assert [e["event_id"] for e in flagged] == ["online-summit-2024-03-15"]
    result = cli("events", "assign", "online-summit-2024-03-15", "--state", "Texas", "--city", "Austin")
    assert result.code == 0 and "state set (ingest #" in result.out
    assert json.loads(cli("events", "--flagged", "--json").out) == []
    event = json.loads(cli("events", "--name", "online summit", "--json").out)[0]
    assert (event["state"], event["city"], event["flag"]) == ("TX", "Austin", None)
    bad = cli("events", "assign", "online-summit-2024-03-15", "--state", "Narnia")
    assert bad.code == 2 and "is not a known region code" in bad.err


@pytest.mark.parametrize("command", [["fetch", "--help"], ["events", "assign", "--help"]])
def test_new_commands_have_help(cli, command):
    with pytest.raises(SystemExit) as info:
        cli(*command)
    assert info.value.code == 0
