"""The command line as a user meets it: help, JSON, the bundled answers, bad input."""

from __future__ import annotations

import json

import pytest
from support import DATA, assert_unchanged, snapshot

from hotline_trends.cli import parser

COMMANDS = ["build", "ingest", "ingests", "sources", "datasets", "coverage", "query", "history", "events"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_helpful_help_with_json(cli, command):
    with pytest.raises(SystemExit) as info:
        cli(command, "--help")
    assert info.value.code == 0


def test_help_texts_explain(capsys):
    with pytest.raises(SystemExit):
        parser().parse_args(["ingest", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "One bad row rejects the whole file" in out
    assert "--json" in out and "--dry-run" in out and "--source-id" in out


def test_query_lists_florida_cases_with_their_sources(store, cli):
    result = cli("query", "--region", "FL", "--dataset", "nhth", "--metric", "cases", "--json")
    assert result.code == 0
    rows = json.loads(result.out)
    years = sorted(
        {r["period_start"][:4] for r in rows if r["period_end"][5:] == "12-31" and r["period_start"][5:] == "01-01"}
    )
    assert {"2012", "2013", "2014", "2015", "2016", "2024"} <= set(years)
    fl_2024 = [r for r in rows if r["period_start"] == "2024-01-01"]
    assert [(r["value"], r["source_id"], r["reliability"]) for r in fl_2024] == [(832, "nhth_mo4ant_2024", "high")]
    assert all(r["source_id"] and r["reliability"] for r in rows)


def test_query_text_output_shows_values_and_sources(store, cli):
    result = cli("query", "--region", "fl", "--dataset", "nhth", "--metric", "cases")
    assert result.code == 0
    assert "nhth_rossthorn_2012_2016" in result.out and "832" in result.out


def test_ingest_json_has_the_documented_keys(store, cli):
    path = DATA / "tidy" / "good" / "plain.csv"
    result = cli("ingest", path, "--json")
    payload = json.loads(result.out)
    assert result.code == 0
    for key in ("format", "rows_read", "added", "revised", "unchanged", "rejected", "sha256", "detected"):
        assert key in payload
    assert (payload["format"], payload["rows_read"], payload["added"], payload["rejected"]) == ("tidy-csv", 4, 4, 0)
    again = json.loads(cli("ingest", path, "--json").out)
    assert (again["added"], again["revised"], again["unchanged"]) == (0, 0, 4)


def test_bad_input_exits_2_with_the_line_and_no_traceback(store, cli):
    before = snapshot(store)
    result = cli("ingest", DATA / "tidy" / "bad" / "unknown_region.csv")
    assert result.code == 2
    assert "unknown_region.csv line 3, column 'region': region 'Narnia' is not a known region code" in result.err
    assert "Traceback" not in result.err + result.out
    assert_unchanged(before, snapshot(store))


def test_bad_input_with_json_prints_the_problems(store, cli):
    result = cli("ingest", DATA / "tidy" / "bad" / "many_bad_rows.csv", "--json")
    payload = json.loads(result.out)
    assert result.code == 2
    assert (payload["rejected"], payload["added"], payload["rows_read"]) == (20, 0, 21)
    assert payload["problems"][0] == {
        "line": 3,
        "column": "value",
        "message": "value -1 is negative; counts are 0 or more",
    }


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["ingest", "/no/such/file.csv"], "no such file"),
        (["ingest", "{data}", "--format", "nope"], "unknown format 'nope'"),
        (["ingest", "{data}", "--source-id", "has space"], "--source-id 'has space' is not a valid identifier"),
        (["ingests", "remove", "999", "--yes"], "there is no ingest 999"),
        (["sources", "describe", "nope", "--publisher", "x", "--location", "y"], "there is no source 'nope'"),
    ],
)
def test_user_mistakes_get_a_message_not_a_traceback(store, cli, args, phrase):
    path = str(DATA / "tidy" / "good" / "plain.csv")
    result = cli(*[a.replace("{data}", path) for a in args])
    assert result.code == 2
    assert phrase in result.err
    assert "Traceback" not in result.err


def test_unknown_source_is_registered_then_described(store, cli):
    result = cli("ingest", DATA / "tidy" / "good" / "plain.csv", "--source-id", "my_tips_2024")
    assert "registered new source 'my_tips_2024' (user-provided)" in result.out
    listed = json.loads(cli("sources", "--user-provided", "--json").out)
    assert [s["source_id"] for s in listed] == ["my_tips_2024"]
    assert listed[0]["location"] == "file:plain.csv" and listed[0]["sha256"]
    result = cli(
        "sources", "describe", "my_tips_2024", "--publisher", "Test task force", "--location", "tip line export"
    )
    assert result.code == 0
    assert json.loads(cli("sources", "--user-provided", "--json").out) == []
    described = [s for s in json.loads(cli("sources", "--json").out) if s["source_id"] == "my_tips_2024"]
    assert (described[0]["publisher"], described[0]["location"]) == ("Test task force", "tip line export")


def test_history_lists_every_revision(store, cli, tmp_path):
    plain = DATA / "tidy" / "good" / "plain.csv"
    cli("ingest", plain)
    changed = tmp_path / "plain.csv"
    changed.write_text(plain.read_text(encoding="utf-8").replace(",12,", ",15,"), encoding="utf-8")
    report = json.loads(cli("ingest", changed, "--json").out)
    assert report["revised"] == 1
    rows = json.loads(cli("history", "--region", "FL", "--metric", "tips", "--year", "2024", "--json").out)
    feb = sorted((r["value"], r["status"]) for r in rows if r["period_start"] == "2024-02-01")
    assert feb == [(12, "replaced"), (15, "current")]


def test_coverage_events_datasets_and_ingests_answer(store, cli):
    coverage = cli("coverage", "--dataset", "nhth", "--metric", "cases")
    assert coverage.code == 0 and "FL" in coverage.out and "help-seeking" in coverage.out
    rows = json.loads(cli("coverage", "--dataset", "nhth", "--metric", "cases", "--json").out)
    fl = {r["year"]: r["reliability"] for r in rows if r["region"] == "FL"}
    assert fl[2012] == "high" and fl[2024] == "high"
    events = json.loads(cli("events", "--name", "super bowl", "--year", "2013", "--json").out)
    assert [e["event_id"] for e in events] == ["super-bowl-2013"]
    assert events[0]["state"] == "LA" and events[0]["source_id"]
    datasets = json.loads(cli("datasets", "--json").out)
    assert {d["dataset"] for d in datasets} == {"nhth", "fbi_ucr_ht", "police_incidents"}
    log = json.loads(cli("ingests", "--json").out)
    assert [r["file_name"] for r in log][::-1][:6] == [
        "sources.csv",
        "regions.csv",
        "agencies.csv",
        "population.csv",
        "events.csv",
        "observations.csv",
    ]


def test_fbi_coverage_counts_reporting_agencies_per_state(store, cli):
    rows = json.loads(cli("coverage", "--dataset", "fbi_ucr_ht", "--metric", "actual_total", "--json").out)
    tx_2015 = [r for r in rows if r["region"] == "TX" and r["year"] == 2015]
    assert max(r["agencies_reporting"] for r in tx_2015) == 948


def test_build_on_an_empty_store_then_again(empty_store, cli):
    first = json.loads(cli("build", "--json").out)
    assert sum(i["added"] for i in first["ingests"]) == 273 + 57 + 3245 + 689 + 233 + 90951
    second = json.loads(cli("build", "--json").out)
    assert sum(i["added"] + i["revised"] for i in second["ingests"]) == 0
    assert json.loads(cli("build", "--if-stale", "--json").out)["built"] is False


def test_output_piped_into_a_closed_reader_ends_quietly(store):
    import subprocess
    import sys

    result = subprocess.run(
        f"{sys.executable} -m hotline_trends events --json | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
    )
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
