"""``brief``: text for the next Super Bowl, --json, --out .md / .html (one self-contained file, escaped), and
one-line errors for an unknown event or a file name of another kind."""

from __future__ import annotations

import base64
import json

import pytest

from hotline_trends.exports import brief_export

# a real 1x1 PNG: the export embeds whatever the renderer returns; chromium itself is tested in exports/
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")
CHEAP = "nhl-all-star-2027"  # a type with no earlier instance: no study to fit, so the file tests stay quick


@pytest.fixture
def no_chromium(monkeypatch):
    monkeypatch.setattr(brief_export, "render_png", lambda figure: PIXEL)


def test_brief_prints_the_next_super_bowl_briefing(cli, store):
    result = cli("brief", "super-bowl-2027")
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith("BRIEFING: SUPER BOWL LXI (61)")
    assert "SoFi Stadium, Inglewood CA (upcoming" in out and "2027-02-11..2027-02-17 (7 days" in out
    assert "nhth cases | CA (state rows) | year | 2012-01-01 | 2024-12-31" in out
    assert (
        "police_incidents prostitution | San Francisco Police Department (in CA; the host's county is unknown) | day"
        in out
    )
    assert "a daily tip line averaging 10 a day detects +25% over 7 days with " in out
    assert "Pooled verdict on nhth cases:" in out and "super-bowl-2013 | LA | cannot tell" in out
    assert "Huang, X." in out and "doi:10.1007/s12117-022-09472-z" in out  # the Methods page's citations
    assert "date,count: a header line" in out and "NIBRS zip" in out
    assert "Hotline Trends " in out.split("== Citation ==")[1]


def test_brief_json_is_the_whole_briefing(cli, store):
    result = cli("brief", CHEAP, "--json")
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    assert payload["event"]["event_id"] == CHEAP and payload["upcoming"] is True
    assert payload["past"] is None and "no earlier" in payload["past_note"]
    assert {s["dataset"] for s in payload["series"]} >= {"nhth"}
    assert len(payload["curve"]) == 20 and all(0 < r["power"] < 1 for r in payload["curve"])


@pytest.mark.parametrize("suffix", ["md", "html"])
def test_brief_out_writes_one_self_contained_file(cli, store, tmp_path, no_chromium, suffix):
    path = tmp_path / f"plan.{suffix}"
    result = cli("brief", CHEAP, "--out", path)
    assert result.code == 0, result.err
    text = path.read_text(encoding="utf-8")
    assert text.count("data:image/png;base64,") == 1  # the curve (no past events to chart)
    assert "NHL All-Star Game 2027" in text and "Citation" in text and "ev_thehockeynews_472fc5" in text
    if suffix == "html":
        assert text.startswith("<!DOCTYPE html>") and "<script" not in text
        assert "http" not in text.split("<body>")[0]  # nothing fetched: no stylesheet, font or script URL
        assert 'src="http' not in text and "<link" not in text


def test_brief_escapes_user_text_in_the_html(cli, store, tmp_path, no_chromium):
    added = cli("events", "add", "fest-2027", "--name", "<img src=x onerror=alert(1)> Fest", "--start",
                "2027-05-01", "--city", "Austin", "--state", "TX")  # fmt: skip
    assert added.code == 0, added.err
    path = tmp_path / "fest.html"
    assert cli("brief", "fest-2027", "--out", path).code == 0
    text = path.read_text(encoding="utf-8")
    assert "<img src=x" not in text and "&lt;img src=x onerror=alert(1)&gt; Fest" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["super-bowl-2099"], "unknown event 'super-bowl-2099'"),
        (["super-bowl-2027", "--out", "plan.pdf"], "name a .md or .html file"),
    ],
)
def test_brief_mistakes_exit_2_with_one_line(cli, store, args, message):
    result = cli("brief", *args)
    assert result.code == 2 and result.out == ""
    assert message in result.err and len(result.err.strip().splitlines()) == 1
