"""What finer data would allow, for every bundled event's host state: a plain row, never an error.

The Event page asks ``detectability`` for each sub-annual series the store holds, on the host state of the
event, with only the sub-annual periods. States whose agencies never sent a complete month run (CO, IN,
MI, ...) and states with no agency at all (CA) once raised an ``IndexError`` and a ``UserError`` there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hotline_trends.analysis import agencypanel
from hotline_trends.analysis.api import detectability
from hotline_trends.analysis.panel import grid
from hotline_trends.analysis.windows import make_window
from hotline_trends.store.read import datasets, observations, table

SUB_ANNUAL = ("month", "week", "day")


@pytest.fixture(scope="module")
def frames(bundled_store):
    return {"observations": observations(bundled_store), "agencies": table(bundled_store, "agencies")}


@pytest.fixture(scope="module")
def hosts(bundled_store) -> dict[str, int]:
    """Every host state of a bundled event -> the longest event window there (days)."""
    events = table(bundled_store, "events").dropna(subset=["state"])
    days = [make_window(s, e).days for s, e in zip(events["start_date"], events["end_date"], strict=True)]
    return pd.Series(days, index=events["state"].to_numpy()).groupby(level=0).max().to_dict()


@pytest.fixture(scope="module")
def finer_series(bundled_store) -> list[tuple[str, str]]:
    """Every (dataset, metric) with sub-annual periods, as the Event page offers them."""
    found = datasets(bundled_store)
    finer = found.loc[found["period_kinds"].str.contains("|".join(SUB_ANNUAL))]
    return list(zip(finer["dataset"], finer["metric"], strict=True))


def test_the_bundled_events_are_hosted_where_the_bugs_were(hosts, finer_series):
    assert {"CA", "CO", "IN", "MI", "MN", "NY", "NC", "SD", "WA", "WI"} <= set(hosts)
    assert ("fbi_ucr_ht", "actual_total") in finer_series


@pytest.mark.slow
def test_every_host_state_gets_a_row_on_every_finer_series(frames, hosts, finer_series):
    """As the Event page asks: only the sub-annual periods, the event's window length."""
    seen = 0
    for state, days in sorted(hosts.items()):
        for dataset, metric in finer_series:
            result = detectability(**frames, region=state, dataset=dataset, metric=metric, days=days, kinds=SUB_ANNUAL)
            assert result.region == state and result.reason, (state, dataset, metric)
            if result.mde is None:
                assert result.reason.startswith("insufficient data") and state in result.reason
            else:
                assert result.mde > 0 and result.frequency in SUB_ANNUAL
            seen += 1
    assert seen == len(hosts) * len(finer_series)


def test_every_host_state_gets_a_result_on_all_periods(frames, hosts):
    """As the CLI's ``power`` asks: every period kind, so the state-year rows answer where months do not."""
    for state, days in sorted(hosts.items()):
        result = detectability(**frames, region=state, dataset="fbi_ucr_ht", metric="actual_total", days=days)
        assert result.reason and (result.mde is None) == result.reason.startswith("insufficient data"), state


def test_state_members_are_the_state_places(frames):
    places = agencypanel.state_places(frames["agencies"])
    assert {s: agencypanel.state_members(frames["agencies"], s) for s in places} == places
    assert agencypanel.state_members(frames["agencies"], "AL") == []  # the bundle lists no police agency of AL


def test_a_state_without_police_agencies_says_so(frames):
    result = detectability(**frames, region="AL", dataset="fbi_ucr_ht", metric="actual_total", days=7, kinds=SUB_ANNUAL)
    assert result.mde is None and result.frequency is None
    assert result.reason == (
        "insufficient data: no monthly, weekly or daily fbi_ucr_ht actual_total values for AL: "
        "the agencies table lists no police agency of AL."
    )


@pytest.mark.parametrize("state", ["CO", "IN", "MI", "MN", "NY", "NC", "SD", "WA", "WI"])
def test_a_state_whose_agencies_never_reported_a_whole_stretch_says_so(frames, state):
    result = detectability(
        **frames, region=state, dataset="fbi_ucr_ht", metric="actual_total", days=7, kinds=SUB_ANNUAL
    )  # fmt: skip
    assert result.mde is None
    assert result.reason.startswith(
        f"insufficient data: no monthly, weekly or daily fbi_ucr_ht actual_total values for {state}: not one "
        f"agency reported every month ({state}: "
    )
    assert "reported only some months and are left out" in result.reason


def test_a_state_with_monthly_police_data_still_gets_its_detectable_change(frames):
    result = detectability(**frames, region="TX", dataset="fbi_ucr_ht", metric="actual_total", days=7, kinds=SUB_ANNUAL)
    assert result.frequency == "month" and result.mde > 0 and result.detectable is False


def test_a_place_whose_agencies_never_reported_every_month_is_an_empty_row():
    periods = grid(pd.Timestamp("2015-01-01"), pd.Timestamp("2015-03-01"), "month")
    rows = pd.DataFrame(
        {
            "dataset": "d", "metric": "m", "region": ["ori:A", "ori:A", "ori:B"], "value": [1, 2, 3],
            "period_start": pd.to_datetime(["2015-01-01", "2015-02-01", "2015-03-01"]),
            "period_end": pd.to_datetime(["2015-01-31", "2015-02-28", "2015-03-31"]), "source_id": "s",
        }
    )  # fmt: skip
    result = agencypanel.panel_from_agencies(
        rows, places={"XX": ["ori:A", "ori:B"]}, periods=periods, dataset="d", metric="m"
    )
    assert result.values.shape == (1, 3) and np.isnan(result.values).all()
    assert result.place_notes["XX"] == (
        "XX: 2 agencies sent 3 agency-months; 0 reported all 3 months and are summed, 2 reported only some "
        "months and are left out"
    )
