"""Event types, sub-state places, and panels: one value per period, missing stays missing, balanced agency sums."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from hotline_trends.analysis.agencypanel import panel_from_agencies, stretch
from hotline_trends.analysis.breaks import event_side
from hotline_trends.analysis.eventtypes import event_type, match_type, type_label, with_types
from hotline_trends.analysis.panel import panel_from_regions
from hotline_trends.analysis.places import match_city, match_county
from hotline_trends.errors import UserError
from hotline_trends.store.read import events, table


@pytest.mark.parametrize(
    ("event_id", "expected"),
    [
        ("super-bowl-2013", "super-bowl"),
        ("fifa-world-cup-2026-dallas", "fifa-world-cup"),
        ("dnc-2008", "dnc"),
        ("coachella-2022-w2", "coachella"),
        ("indy-500-2019", "indy-500"),
        ("olympics-2028-los-angeles", "olympics"),
    ],
)
def test_event_type_is_the_id_before_its_year(event_id, expected):
    assert event_type(event_id) == expected


def test_every_bundled_event_type_has_a_readable_label(bundled_store):
    typed = with_types(events(bundled_store)).drop_duplicates("event_type").set_index("event_type")["type_label"]
    assert typed["super-bowl"] == "Super Bowl"
    assert typed["mardi-gras"] == "Mardi Gras"
    assert typed["nba-all-star"] == "NBA All-Star Game"
    assert typed["fifa-world-cup"] == "FIFA World Cup matches"
    assert not any(re.search(r"\b(19|20)\d\d\b", label) for label in typed)
    assert all(typed)


def test_a_study_name_matches_by_label_or_type_and_says_when_it_is_ambiguous(bundled_store):
    ev = events(bundled_store)
    assert match_type(ev, "Super Bowl") == "super-bowl"
    assert match_type(ev, "sxsw") == "sxsw"
    with pytest.raises(UserError, match="several event types: mlb-all-star .* nba-all-star"):
        match_type(ev, "all-star")
    with pytest.raises(UserError, match="no event type matches 'super bowel'; did you mean super-bowl"):
        match_type(ev, "super bowel")


def test_type_label_without_years_and_numerals():
    assert type_label(["Kentucky Derby 2009", "Kentucky Derby 2015"]) == "Kentucky Derby"
    assert type_label(["Super Bowl LX (60)"]) == "Super Bowl"


@pytest.mark.parametrize(
    ("city", "state", "oris", "counties"),
    [
        ("Arlington", "TX", ("TX22001",), ("TARRANT",)),
        ("Arlington (Dallas)", "TX", ("TX22001",), ("TARRANT",)),
        ("Austin", "TX", ("TX22701",), ("TRAVIS", "WILLIAMSON")),
        ("Paradise (Las Vegas)", "NV", ("NV00201",), ("CLARK",)),
        ("New Orleans", "LA", ("LANPD00",), ("ORLEANS",)),
        # No Inglewood agency; the name in parentheses finds the Los Angeles PD (bundled since the second pass).
        ("Inglewood (Los Angeles)", "CA", ("CA01942",), ("LOS ANGELES",)),
        ("Inglewood", "CA", (), ()),
    ],
)
def test_event_cities_match_city_agencies_on_the_bundled_table(bundled_store, city, state, oris, counties):
    result = match_city(table(bundled_store, "agencies"), city=city, state=state)
    assert (result.oris, result.counties) == (oris, counties)
    assert result.rule.startswith(f"city: agencies of type 'City' in {state}")
    assert ("none" in result.rule) == (not oris)


def test_a_county_counts_agencies_by_their_first_listed_county():
    agencies = pd.DataFrame(
        {
            "ori": ["A", "B", "C", "D", "E"],
            "agency_name": ["Austin Police Department", "Travis County", "Round Rock", "Elgin", "Nowhere"],
            "state": "TX",
            "agency_type": ["City", "County", "City", "City", None],
            "county": ["WILLIAMSON; TRAVIS", "TRAVIS", "WILLIAMSON", "BASTROP; TRAVIS", None],
        }
    )
    result = match_county(agencies, city="Austin", state="TX")
    assert result.oris == ("A", "B", "C")  # Elgin lists Bastrop first, so it counts there, never twice
    assert result.counties == ("TRAVIS", "WILLIAMSON")
    assert result.unplaced == 1 and "1 agencies in TX list no county" in result.rule


def _obs(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["region", "period_start", "period_end", "value", "source_id", "reliability"])
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    return frame.assign(dataset="d", metric="m")


def test_a_region_panel_keeps_one_value_per_period_leaves_gaps_missing_and_half_years_out():
    obs = _obs(
        [
            ("TX", "2014-01-01", "2014-12-31", 100, "a", "high"),
            ("TX", "2015-01-01", "2015-12-31", 120, "a", "high"),
            ("TX", "2015-01-01", "2015-12-31", 125, "b", "low"),
            ("TX", "2017-01-01", "2017-12-31", 140, "a", "high"),
            ("TX", "2018-01-01", "2018-06-30", 70, "c", "medium"),
            ("LA", "2015-01-01", "2015-12-31", 9, "b", "low"),
        ]
    )
    result = panel_from_regions(obs, dataset="d", metric="m")
    assert result.kind == "year"
    assert result.regions == ["LA", "TX"]
    np.testing.assert_array_equal(result.values[1], [100, 120, np.nan, 140])
    assert any("sources disagree; used 120 from a" in n for n in result.notes)
    assert any(
        "1 row(s) covering a different kind of period" in n and "TX 2018-01-01..2018-06-30" in n for n in result.notes
    )


def test_agency_sums_use_only_agencies_that_reported_every_month():
    months = pd.date_range("2015-01-01", periods=3, freq="MS")
    rows = []
    for i, month in enumerate(months):
        end = month + pd.offsets.MonthEnd(0)
        rows.append(("ori:A", month, end, i + 1, "s", None))  # every month
        rows.append(("ori:C", month, end, 0, "s", None))  # every month, reported zeros
        if i != 1:
            rows.append(("ori:B", month, end, 50, "s", None))  # missed February: left out
    frame = _obs(rows)
    periods = stretch(frame, pd.Timestamp("2015-02-10"))
    result = panel_from_agencies(
        frame, places={"TX": ["ori:A", "ori:B", "ori:C"]}, periods=periods, dataset="d", metric="m"
    )
    np.testing.assert_array_equal(result.values[0], [1, 2, 3])
    np.testing.assert_array_equal(result.agencies_reporting[0], [2, 2, 2])
    assert "3 agencies sent 8 agency-months; 2 reported all 3 months" in result.place_notes["TX"]


def test_a_stretch_of_agency_months_stops_at_a_gap():
    frame = _obs(
        [
            ("ori:A", m, m + pd.offsets.MonthEnd(0), 1, "s", None)
            for m in pd.date_range("2013-01-01", periods=12, freq="MS")
        ]
        + [
            ("ori:A", m, m + pd.offsets.MonthEnd(0), 1, "s", None)
            for m in pd.date_range("2015-01-01", periods=12, freq="MS")
        ]
    )
    result = stretch(frame, pd.Timestamp("2015-03-13"))
    assert (result["period_start"].iloc[0], len(result)) == (pd.Timestamp("2015-01-01"), 12)
    assert stretch(frame, pd.Timestamp("2014-06-01")) is None


@pytest.mark.parametrize(
    ("start", "end", "usable", "why"),
    [
        ("2013-02-01", "2013-02-07", [True] * 5 + [False] * 3, None),
        ("2018-02-01", "2018-02-07", [False] * 5 + [True] * 3, None),
        ("2016-12-30", "2017-01-03", [False] * 8, "straddles"),
    ],
)
def test_a_baseline_stays_on_the_event_side_of_a_break(start, end, usable, why):
    starts = pd.Series(pd.date_range("2012-01-01", periods=8, freq="YS"))
    result, applied, reason = event_side(
        starts, starts + pd.offsets.YearEnd(0), dataset="nhth", metric="cases",
        window_start=pd.Timestamp(start), window_end=pd.Timestamp(end),
    )  # fmt: skip
    assert result.tolist() == usable
    assert applied[0]["break_id"] == "nhth-calls-to-signals-2017"
    assert (reason is not None and why in reason) if why else reason is None
