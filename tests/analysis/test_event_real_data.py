"""The real-data cases: each gives an honest result with its reason, never a forced verdict."""

from __future__ import annotations

import json

import numpy as np
import pytest

from hotline_trends.analysis.api import analyse, detectability, study
from hotline_trends.analysis.describe import HELP_SEEKING
from hotline_trends.analysis.verdict import VERDICTS
from hotline_trends.errors import UserError
from hotline_trends.store.read import observations, table

KEYS = ["event_id", "regions", "window", "observed", "expected", "interval", "ratio", "ratio_interval", "p_value",
        "controls", "did", "placebo", "mde", "verdict", "reason", "breaks", "sources", "processing", "caveats"]  # fmt: skip


@pytest.fixture(scope="module")
def frames(bundled_store):
    return {
        "observations": observations(bundled_store),
        "events": table(bundled_store, "events"),
        "agencies": table(bundled_store, "agencies"),
    }


def test_cfp_2015_on_texas_police_months_cannot_tell_a_week_in_a_month(frames):
    result = analyse(**frames, event_id="cfp-championship-2015", dataset="fbi_ucr_ht", metric="actual_total")
    d = result.to_dict()
    assert set(KEYS) <= set(d)
    assert (d["frequency"], d["level"], d["regions"]) == ("month", "agency sum", ["TX"])
    assert d["verdict"] == "cannot tell"
    assert "with monthly data this test could only detect changes of at least" in d["reason"]
    assert d["mde"] > d["effect"]["at_granularity"] == pytest.approx(0.25 * 7 / 31)
    # summed over the Texas agencies that reported every month of 2015 (948 reported at all)
    assert any("TX: 948 agencies" in c and "reported all 12 months" in c for c in d["caveats"])
    series = result.series
    assert len(series) == 12 and series["in_window"].sum() == 1
    assert (series["agencies_reporting"] == series["agencies_reporting"].iloc[0]).all()
    assert d["observed"] == series.loc[series["in_window"], "observed"].iloc[0]
    assert d["interval"][0] <= d["expected"] <= d["interval"][1]
    assert d["sources"] and "fbi_ucr_ht_master_2015" in d["sources"]
    json.dumps(d)  # JSON-safe


def test_cfp_2015_at_the_city_names_its_agency_and_cannot_tell(frames):
    result = analyse(
        **frames, event_id="cfp-championship-2015", dataset="fbi_ucr_ht", metric="actual_total", level="city"
    )
    assert result.regions == ["ori:TX22001"]
    assert "Arlington (TX22001)" in result.place["rule"]
    assert result.verdict == "cannot tell"
    assert "tenfold" in result.reason or "at least" in result.reason


def test_sxsw_2015_texas_and_austin(frames):
    state = analyse(**frames, event_id="sxsw-2015", dataset="fbi_ucr_ht", metric="actual_total")
    county = analyse(**frames, event_id="sxsw-2015", dataset="fbi_ucr_ht", metric="actual_total", level="county")
    assert state.verdict == county.verdict == "cannot tell"
    assert state.window["days"] == 16  # 10 festival days and 3 either side
    assert county.regions and all(r.startswith("ori:TX") for r in county.regions)
    assert state.placebo["n"] > 0 and state.placebo["rank"] >= 1
    assert state.did is not None and state.did["interval"][0] <= state.did["ratio"] <= state.did["interval"][1]


def test_super_bowl_2013_on_police_data_is_insufficient_because_every_agency_month_is_zero(frames):
    result = analyse(**frames, event_id="super-bowl-2013", dataset="fbi_ucr_ht", metric="actual_total")
    assert result.verdict == "insufficient data"
    assert "every one of them zero" in result.reason and "LA" in result.reason
    assert result.observed is None and result.expected is None


def test_super_bowl_2013_on_annual_hotline_cases_cannot_be_attributed(frames):
    result = analyse(**frames, event_id="super-bowl-2013", dataset="nhth", metric="cases")
    assert result.verdict == "cannot tell"
    assert result.breaks[0]["break_id"] == "nhth-calls-to-signals-2017"
    assert "before 2017-01-01" in result.breaks[0]["action"]
    assert HELP_SEEKING in result.caveats
    assert result.model["n_baseline"] == 4  # 2012, 2014, 2015, 2016
    assert "a 7-day +25% spike would change the year by about 0.5%" in result.reason


def test_a_future_event_is_insufficient_with_its_reason(frames):
    result = analyse(**frames, event_id="fifa-world-cup-2026-dallas", dataset="nhth", metric="cases")
    assert result.verdict == "insufficient data"
    assert "2026" in result.reason


def test_pooled_super_bowl_study_on_annual_hotline_data_cannot_tell_week_scale_effects(frames):
    result = study(**frames, name="Super Bowl", dataset="nhth", metric="cases")
    d = result.to_dict()
    assert d["verdict"] == "cannot tell"
    assert "pooled over" in d["reason"] and "about 0.5%" in d["reason"]
    assert d["pooled"]["n_events"] >= 5
    assert d["pooled"]["ratio_interval"][0] < d["pooled"]["ratio"] < d["pooled"]["ratio_interval"][1]
    assert [p["offset"] for p in d["profile"]] == [-2, -1, 0, 1, 2]
    rows = d["events"]
    assert {r["verdict"] for r in rows} <= set(VERDICTS)
    tested = [r for r in rows if r["p_value"] is not None]
    assert all(r["q_value"] is not None and r["q_value"] >= r["p_value"] for r in tested)
    assert all(r["verdict"] != "no detectable change" for r in rows)  # annual data never rules a week out


def test_rates_use_population_and_name_its_sources(frames, bundled_store):
    result = analyse(
        **frames, population=table(bundled_store, "population"), event_id="super-bowl-2016", dataset="nhth",
        metric="cases",
    )  # fmt: skip
    assert "census_v2019" in result.sources
    assert "per-100,000" in result.processing
    window = result.series[result.series["in_window"]].iloc[0]
    assert window["rate_per_100k"] == pytest.approx(window["observed"] / window["population"] * 100_000)


def test_rates_on_agency_sums_are_refused(frames, bundled_store):
    with pytest.raises(UserError, match="per-100,000 rates need Census population"):
        analyse(
            **frames, population=table(bundled_store, "population"), event_id="sxsw-2015", dataset="fbi_ucr_ht",
            metric="actual_total",
        )  # fmt: skip


def test_bad_requests_say_what_exists(frames):
    with pytest.raises(UserError, match="unknown event 'super-bowl-2099'; did you mean super-bowl-"):
        analyse(**frames, event_id="super-bowl-2099", dataset="nhth", metric="cases")
    with pytest.raises(UserError, match="has no metric 'foo'; it has: calls, cases"):
        analyse(**frames, event_id="super-bowl-2013", dataset="nhth", metric="foo")
    with pytest.raises(UserError, match="unknown dataset 'nope'; the store has: fbi_ucr_ht, nhth"):
        analyse(**frames, event_id="super-bowl-2013", dataset="nope", metric="cases")
    with pytest.raises(UserError, match="unknown region 'ZZ'"):
        analyse(**frames, event_id="super-bowl-2013", dataset="nhth", metric="cases", region="ZZ")
    with pytest.raises(UserError, match="unknown control region"):
        analyse(**frames, event_id="super-bowl-2013", dataset="nhth", metric="cases", controls=("XX",))


def test_named_controls_are_used_with_equal_weights(frames):
    result = analyse(**frames, event_id="super-bowl-2013", dataset="nhth", metric="cases", controls=("MS", "AL"))
    assert [c["region"] for c in result.controls["regions"]] == ["MS", "AL"]
    assert [c["weight"] for c in result.controls["regions"]] == [0.5, 0.5]


def test_power_for_a_week_on_annual_and_monthly_series(frames):
    annual = detectability(
        observations=frames["observations"], agencies=frames["agencies"], region="CA", dataset="nhth",
        metric="cases", days=7,
    )  # fmt: skip
    assert annual.detectable is False and annual.mde > annual.effect["at_granularity"]
    assert annual.mde_event_days == pytest.approx(annual.mde * 365 / 7)
    monthly = detectability(
        observations=frames["observations"], agencies=frames["agencies"], region="TX", dataset="fbi_ucr_ht",
        metric="actual_total", days=7,
    )  # fmt: skip
    assert monthly.frequency == "year" and np.isfinite(monthly.mde)  # the published state-year rows
