"""event, study and power as a user meets them: help, text, JSON with the documented keys, clear errors."""

from __future__ import annotations

import json

import pytest

EVENT_KEYS = ["event_id", "regions", "window", "observed", "expected", "interval", "ratio", "ratio_interval",
              "p_value", "controls", "did", "placebo", "mde", "verdict", "breaks", "sources"]  # fmt: skip


@pytest.mark.parametrize("command", ["event", "study", "power"])
def test_help_explains_with_examples(cli, command, capsys):
    with pytest.raises(SystemExit) as info:
        cli(command, "--help")
    out = " ".join(capsys.readouterr().out.split())
    assert info.value.code == 0
    assert "--json" in out and "Example" in out
    if command != "power":
        assert "cannot tell (the data could not have shown it" in out


def test_event_json_has_the_documented_keys(store, cli):
    result = cli("event", "super-bowl-2013", "--json")
    payload = json.loads(result.out)
    assert result.code == 0
    assert set(EVENT_KEYS) <= set(payload)
    assert payload["verdict"] == "cannot tell" and payload["regions"] == ["LA"]
    assert payload["window"]["days"] == 7 and payload["window"]["periods"][0]["period_start"] == "2013-01-01"
    assert all("period_start" in row and "expected" in row for row in payload["series"])


def test_event_text_shows_the_verdict_reason_and_sources(store, cli):
    result = cli("event", "cfp-championship-2015", "--dataset", "fbi_ucr_ht", "--metric", "actual_total")
    assert result.code == 0
    assert "VERDICT: CANNOT TELL" in result.out
    assert "with monthly data this test could only detect changes of at least" in result.out
    assert "sources: " in result.out and "fbi_ucr_ht_master_2015" in result.out


def test_study_json_has_rows_with_q_values_a_pooled_block_and_a_profile(store, cli):
    result = cli("study", "--name", "Super Bowl", "--json")
    payload = json.loads(result.out)
    assert result.code == 0
    assert payload["verdict"] == "cannot tell"
    assert "q_value" in payload["events"][0] and "details" not in payload
    assert {"ratio", "ratio_interval", "mde", "verdict", "reason"} <= set(payload["pooled"])
    assert [p["offset"] for p in payload["profile"]] == [-2, -1, 0, 1, 2]


def test_power_json_gives_the_mde(store, cli):
    result = cli("power", "--region", "tx", "--days", "7", "--json")
    payload = json.loads(result.out)
    assert result.code == 0
    assert payload["mde"] > 0 and payload["days"] == 7 and payload["detectable"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["event", "super-bowl-2099"], "unknown event 'super-bowl-2099'; did you mean"),
        (["event", "super-bowl-2013", "--metric", "foo"], "has no metric 'foo'; it has: calls, cases"),
        (["event", "super-bowl-2013", "--region", "zz"], "unknown region 'ZZ'"),
        (["study", "--name", "all-star"], "matches several event types"),
        (["power", "--region", "TX", "--days", "0"], "--days must be 1 or more"),
        (["power", "--region", "ori:XX00000", "--days", "7"], "unknown agency"),
    ],
)
def test_mistakes_exit_2_with_a_message(store, cli, args, message):
    result = cli(*args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_errors_in_json_mode_are_json(store, cli):
    result = cli("event", "nope-2013", "--json")
    assert result.code == 2 and "unknown event" in json.loads(result.out)["error"]
