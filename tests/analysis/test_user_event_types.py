"""Event types: a written event_type wins over the id rule; labels read well; exact types and listed ids."""

from __future__ import annotations

import pandas as pd
import pytest

from hotline_trends.analysis.eventtypes import exact_type, pick_events, type_table, with_types
from hotline_trends.errors import UserError


def _events(rows: list[tuple[str, str, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["event_id", "name", "event_type"])


def test_a_written_type_wins_over_the_id_and_pools_with_the_bundled_type():
    events = _events(
        [
            ("super-bowl-2013", "Super Bowl XLVII (47)", None),
            ("super-bowl-2014", "Super Bowl XLVIII (48)", ""),
            ("our-big-game", "Super Bowl watch party", "Super Bowl"),
            ("chi-oct19", "Chicago Marathon", "Marathon"),
            ("bos-apr21", "Boston Marathon", "marathon"),
            ("aus-rodeo23", "Rodeo Austin", "rodeo"),
        ]
    )
    result = with_types(events).set_index("event_id")
    assert result["event_type"].to_dict() == {
        "super-bowl-2013": "super-bowl",
        "super-bowl-2014": "super-bowl",
        "our-big-game": "super-bowl",
        "chi-oct19": "marathon",
        "bos-apr21": "marathon",
        "aus-rodeo23": "rodeo",
    }
    labels = result.groupby("event_type")["type_label"].first().to_dict()
    assert labels == {"super-bowl": "Super Bowl", "marathon": "Marathon", "rodeo": "Rodeo"}


def test_without_an_event_type_column_types_come_from_the_ids():
    events = pd.DataFrame({"event_id": ["dnc-2008", "fifa-world-cup-2026-dallas"], "name": ["DNC 2008", "FIFA"]})
    assert with_types(events)["event_type"].tolist() == ["dnc", "fifa-world-cup"]


def test_names_that_share_words_label_a_user_type():
    events = _events([("a", "Chicago Marathon 2019", "Race"), ("b", "Chicago Marathon 2023", "race")])
    assert set(with_types(events)["type_label"]) == {"Chicago Marathon"}


def test_exact_type_accepts_any_spelling_and_lists_the_types_when_unknown():
    events = _events([("a", "Chicago Marathon", "Marathon"), ("b", "Rodeo Austin", "Rodeo")])
    assert exact_type(events, "MARATHON") == exact_type(events, " marathon ") == "marathon"
    with pytest.raises(
        UserError, match=r"no event type 'marathons'; did you mean marathon\?.*marathon \(Marathon, 1\)"
    ):
        exact_type(events, "marathons")
    assert type_table(events)["n"].tolist() == [1, 1]


def test_pick_events_keeps_the_order_given_and_names_unknown_ids():
    events = _events([("chi-oct19", "A", None), ("chi-oct23", "B", None), ("hou-jan22", "C", None)])
    assert pick_events(events, ["hou-jan22", " chi-oct19", "hou-jan22", ""]) == ["hou-jan22", "chi-oct19"]
    with pytest.raises(UserError, match=r"unknown event id 'chi-oct2O' \(did you mean chi-oct23"):
        pick_events(events, ["chi-oct2O"])
    with pytest.raises(UserError, match="no event ids given"):
        pick_events(events, [" ", ""])
