"""Rates from population by year, and agency roll-ups that carry how many agencies reported."""

from __future__ import annotations

import pandas as pd
import pytest

from hotline_trends.analysis.periods import frequency, period_kind
from hotline_trends.analysis.rates import add_rates, describe_rates, latest_vintage
from hotline_trends.analysis.rollup import rollup
from hotline_trends.store.read import observations, table


def test_rates_use_the_population_of_the_periods_year(bundled_store):
    obs = observations(bundled_store, region="FL", dataset="nhth", metric="cases")
    obs = obs[obs["period_kind"] == "year"]
    result = add_rates(obs, table(bundled_store, "population"))
    fl_2024 = result[(result["period_start"] == "2024-01-01")].iloc[0]
    pop = table(bundled_store, "population").query("region == 'FL' and year == 2024").iloc[0]
    assert fl_2024["population"] == pop["population"]
    assert fl_2024["rate_per_100k"] == pytest.approx(832 / pop["population"] * 100_000)
    assert fl_2024["population_vintage"] == "v2024"
    text = describe_rates(result.dropna(subset=["rate_per_100k"]))
    assert "vintage 2019 for 2012–2019" in text and "vintage 2024 for" in text and "not growth" in text


def test_agencies_get_no_invented_rate(bundled_store):
    obs = observations(bundled_store, region="ori:TX22001", dataset="fbi_ucr_ht", metric="actual_total")
    result = add_rates(obs, table(bundled_store, "population"))
    assert result["rate_per_100k"].isna().all()


def test_latest_vintage_wins_when_two_cover_a_year():
    pop = pd.DataFrame(
        {
            "region": ["FL", "FL"],
            "year": [2020, 2020],
            "population": [1, 2],
            "vintage": ["v2020", "v2024"],
            "source_id": ["a", "b"],
        }
    )
    assert latest_vintage(pop)["population"].tolist() == [2]


def test_texas_2015_monthly_rollup_counts_reporting_agencies(bundled_store):
    obs = observations(bundled_store, dataset="fbi_ucr_ht", metric="actual_total")
    agency_rows = obs[obs["region"].str.startswith("ori:TX") & (obs["period_start"].dt.year == 2015)]
    result = rollup(agency_rows, table(bundled_store, "agencies"), level="state")
    assert set(result["region"]) == {"TX"}
    assert len(result) == 12  # one row per month
    assert result["value"].sum() == agency_rows["value"].sum()
    assert result["agencies_reporting"].max() <= agency_rows["region"].nunique() == 948
    assert "agencies_reporting" in result.attrs["processing"]


def test_county_rollup_counts_a_multi_county_agency_once():
    obs = pd.DataFrame(
        {
            "dataset": "d",
            "metric": "m",
            "region": ["ori:A", "ori:B"],
            "source_id": "s",
            "value": [3, 4],
            "period_start": pd.to_datetime(["2015-01-01"] * 2),
            "period_end": pd.to_datetime(["2015-01-31"] * 2),
        }
    )
    agencies = pd.DataFrame({"ori": ["A", "B"], "state": ["TX", "TX"], "county": ["KAUFMAN; DALLAS", "DALLAS"]})
    result = rollup(obs, agencies, level="county").set_index("region")
    assert result.loc["county:TX:KAUFMAN", "value"] == 3
    assert result.loc["county:TX:DALLAS", "value"] == 4


@pytest.mark.parametrize(
    ("start", "end", "kind"),
    [
        ("2024-01-01", "2024-12-31", "year"),
        ("2024-07-01", "2024-12-31", "half-year"),
        ("2024-04-01", "2024-06-30", "quarter"),
        ("2024-02-01", "2024-02-29", "month"),
        ("2024-02-05", "2024-02-11", "week"),
        ("2024-02-05", "2024-02-05", "day"),
        ("2024-02-05", "2024-03-04", "other"),
    ],
)
def test_period_kinds(start, end, kind):
    result = period_kind(pd.Series(pd.to_datetime([start])), pd.Series(pd.to_datetime([end])))
    assert result.tolist() == [kind]


def test_a_series_mixing_kinds_is_called_mixed():
    starts = pd.Series(pd.to_datetime(["2018-01-01", "2018-01-01"]))
    ends = pd.Series(pd.to_datetime(["2018-06-30", "2018-12-31"]))
    assert frequency(starts, ends) == "mixed"


def test_the_store_and_the_analysis_name_period_kinds_alike(bundled_store):
    from hotline_trends.store.read import PERIOD_KIND, query

    extra = "SELECT DATE '2024-04-01', DATE '2024-06-30' UNION ALL SELECT DATE '2024-02-05', DATE '2024-02-11'"
    frame = query(
        bundled_store,
        f"""SELECT period_start, period_end, {PERIOD_KIND} AS kind FROM (
              SELECT DISTINCT period_start, period_end FROM observations UNION ALL {extra})""",
    )
    result = period_kind(frame["period_start"], frame["period_end"])
    assert result.tolist() == frame["kind"].tolist()
