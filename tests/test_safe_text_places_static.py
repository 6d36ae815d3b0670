"""Text from files stays inert; places have readable names; the vendored map file is the documented one."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from hotline_trends.charts.base import plain
from hotline_trends.paths import STATIC_DIR
from hotline_trends.places import agencies_in, counties, states_and_dc
from hotline_trends.safe_text import inert
from hotline_trends.store.read import table

HOSTILE = [
    "[click](https://e.vil/x)",
    "![pixel](https://e.vil/p.png)",
    "<img src=https://e.vil/p.png>",
    ":red[alarm]",
    "$\\frac{a}{b}$",
    "a | b",
    "# heading",
    "- item",
    "`code`",
    "bare https://e.vil/x and www.e.vil and mail@e.vil",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_markup_from_files_is_escaped(text):
    result = inert(text)
    assert "](" not in result.replace("\\]", "")  # no unescaped link or image
    assert "<" not in result and ">" not in result
    for mark in "[]|`$":
        assert result.count(mark) == result.count("\\" + mark)
    assert not result.startswith(("#", "-"))
    assert "https://" not in result and "www." not in result and "l@e" not in result  # no autolinks


def test_ordinary_prose_stays_readable():
    text = "per 100,000 residents (Census July 1 estimates: vintage 2024 for 2020–2024)."
    assert inert(text) == text


def test_plotly_text_cannot_carry_html():
    assert plain("<a href='https://e.vil'>x</a>") == "&lt;a href='https://e.vil'&gt;x&lt;/a&gt;"


def test_states_and_dc_are_the_51_map_places(bundled_store):
    result = states_and_dc(table(bundled_store, "regions"))
    assert len(result) == 51
    assert result["DC"] == "District of Columbia" and result["FL"] == "Florida"
    assert "US" not in result and "PR" not in result


def test_counties_and_agencies_come_from_the_agency_list():
    agencies = pd.DataFrame(
        {
            "ori": ["TX1", "TX2", "OK1"],
            "state": ["TX", "TX", "OK"],
            "county": ["DALLAS", "KAUFMAN; DALLAS", "TULSA"],
            "agency_name": ["Dallas PD", "Terrell PD", "Tulsa PD"],
        }
    )
    assert counties(agencies, state="TX") == {
        "county:TX:DALLAS": "DALLAS County, TX",
        "county:TX:KAUFMAN": "KAUFMAN County, TX",
    }
    assert agencies_in(agencies, state="TX", county="county:TX:DALLAS") == {"ori:TX1": "Dallas PD (TX1)"}
    assert list(agencies_in(agencies, state="TX")) == ["ori:TX1", "ori:TX2"]


def test_the_vendored_topojson_is_the_documented_file_with_its_licence():
    path = STATIC_DIR / "usa_110m.json"
    notice = (STATIC_DIR / "NOTICE.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest in notice
    licence = (STATIC_DIR / "usa_110m.LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence and "Tétreault-Pinard" in licence
    states = json.loads(path.read_text(encoding="utf-8"))["objects"]["subunits"]["geometries"]
    assert len(states) == 51
