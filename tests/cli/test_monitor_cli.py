"""``monitor`` as a user meets it: help, the golden text on a seeded daily series, JSON, a quick look at a
file that changes nothing, and one-line errors for what a user can fix."""

from __future__ import annotations

import json
import os
import re

import pytest
from monitor_helpers import DATASET, METRIC, add_daily
from support import DATA, assert_unchanged, snapshot

GOLDEN = DATA / "monitor" / "golden.txt"
SERIES = ["--dataset", DATASET, "--metric", METRIC, "--region", "tx"]


def test_help_explains_the_rule_with_examples(cli, capsys):
    with pytest.raises(SystemExit) as info:
        cli("monitor", "--help")
    out = " ".join(capsys.readouterr().out.split())
    assert info.value.code == 0
    assert "--from" in out and "--json" in out and "Examples" in out and "negative-binomial CUSUM" in out


def test_the_text_matches_the_golden_output(daily, cli):
    result = cli("monitor", *SERIES, "--from", "2024-08-01")
    assert result.code == 0, result.err
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(result.out)
    assert result.out == GOLDEN.read_text()


def test_the_rise_is_flagged_soon_after_it_began(daily, cli):
    payload = json.loads(cli("monitor", *SERIES, "--from", "2024-08-01", "--json").out)
    after = [a for a in payload["alarms"] if a["date"] >= daily["step_date"]]
    assert after and after[0]["date"] <= "2024-08-19"
    assert {
        "series",
        "start",
        "end",
        "summary",
        "alarms",
        "threshold",
        "calibration",
        "method",
        "caveats",
        "days",
    } <= set(payload)
    assert payload["series"]["region"] == "TX" and payload["sources"] == ["synthetic_test_tipline"]
    assert payload["days"][0]["date"] == "2024-08-01" and len(payload["days"]) == 27


def test_list_names_the_daily_series(daily, cli):
    result = cli("monitor", "--list")
    assert result.code == 0 and "test_tipline" in result.out and "2024-01-01" in result.out


def test_an_unknown_series_is_one_line_and_exit_2(daily, cli):
    result = cli("monitor", "--dataset", "nhth", "--metric", "cases", "--region", "TX")
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1
    assert result.err.startswith("error: no daily series nhth cases TX in the store; daily series: ")
    assert "test_tipline tips TX" in result.err and "police_incidents prostitution ori:CA03801" in result.err


def test_a_store_without_daily_series_says_how_to_add_one(no_daily, cli):
    result = cli("monitor", *SERIES)
    assert result.code == 2 and result.err.count("\n") == 1
    assert "the store holds no daily series" in result.err and "monitor --file" in result.err


def test_too_little_history_is_a_clear_sentence(store, tmp_path, cli):
    add_daily(store, tmp_path, days=70)
    result = cli("monitor", *SERIES)
    assert result.code == 2
    assert re.search(r"too little history to monitor test_tipline tips TX from 2024-02-\d\d: ", result.err)
    assert "needs about 91 days of counts before the first day monitored" in result.err


def test_a_first_day_outside_the_series_is_refused(daily, cli):
    result = cli("monitor", *SERIES, "--from", "2025-01-01")
    assert result.code == 2 and "is outside test_tipline tips TX (2024-01-01 to 2024-08-27)" in result.err


def test_a_file_is_monitored_and_nothing_is_stored(store, tmp_path, cli):
    from hotline_trends.analysis.monitor_synthetic import simulate_daily

    data, _ = simulate_daily("d", days=200, seed=4)
    path = tmp_path / "tips.csv"
    data.assign(date=data["date"].dt.strftime("%Y-%m-%d"), count=data["count"].astype("Int64")).to_csv(
        path, index=False
    )
    before = snapshot(store)
    result = cli("monitor", "--file", path, "--json")
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    assert payload["series"] == {"label": "tips.csv"} and len(payload["days"]) == 28 and payload["sources"] == []
    assert_unchanged(before, snapshot(store))


def test_a_bad_file_names_the_line(store, tmp_path, cli):
    path = tmp_path / "tips.csv"
    path.write_text("date,count\n2024-01-01,3\n2024-01-02,three\n")
    result = cli("monitor", "--file", path)
    assert result.code == 2 and "tips.csv line 3, column 'count': 'three' is not a count" in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "01/08/2024"], "'01/08/2024' is not a date; write it like 2024-03-01"),
        (["--rise", "0"], "--rise 0 is out of range"),
        (["--false-alarms", "50"], "--false-alarms 50 is out of range"),
    ],
)
def test_bad_options_are_refused_with_a_hint(daily, cli, capsys, args, message):
    try:
        result = cli("monitor", *SERIES, *args)
        code, err = result.code, result.err
    except SystemExit as exit_:  # argparse refuses a bad date itself
        code, err = exit_.code, capsys.readouterr().err
    assert code == 2 and message in err


def test_naming_only_part_of_a_series_says_what_is_missing(daily, cli):
    result = cli("monitor", "--dataset", DATASET)
    assert result.code == 2 and "name the series with --metric, --region" in result.err
