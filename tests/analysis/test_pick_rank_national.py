"""One value per region-year without hiding disagreement, ranks with honest ties, and a national trend that
keeps published totals apart from sums over states."""

from __future__ import annotations

import pandas as pd
import pytest

from hotline_trends.analysis.national import national_series
from hotline_trends.analysis.pick import annual, pick_most_reliable
from hotline_trends.analysis.ranking import rank_regions, rank_sentence
from hotline_trends.store.read import observations, table


def _rows(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {
        "dataset": ["nhth"] * n,
        "metric": ["cases"] * n,
        "period_start": pd.to_datetime(["2016-01-01"] * n),
        "period_end": pd.to_datetime(["2016-12-31"] * n),
    }
    return pd.DataFrame({**base, **columns})


def test_the_most_reliable_source_wins_and_the_other_value_is_kept():
    rows = _rows(
        region=["FL", "FL", "TX"], value=[367, 767, 5], reliability=["low", "high", "medium"], source_id=["a", "b", "c"]
    )
    result = pick_most_reliable(rows).set_index("region")
    assert result.loc["FL", "value"] == 767
    assert result.loc["FL", "source_id"] == "b"
    assert result.loc["FL", "other_values"] == "367"
    assert bool(result.loc["FL", "disagree"])
    assert result.loc["TX", "candidates"] == 1
    assert not bool(result.loc["TX", "disagree"])


def test_equally_reliable_sources_that_agree_are_not_flagged():
    rows = _rows(region=["CA", "CA"], value=[1323, 1323], reliability=["high", "high"], source_id=["z", "y"])
    result = pick_most_reliable(rows)
    assert len(result) == 1
    assert result.loc[0, "source_id"] == "y"  # a stated, stable choice: the first source id
    assert result.loc[0, "other_values"] == ""


def test_half_years_are_never_taken_for_annual_values(bundled_store):
    fl = observations(bundled_store, region="FL", dataset="nhth", metric="cases")
    result = pick_most_reliable(annual(fl))
    in_2018 = result.loc[result["period_start"].dt.year == 2018]
    assert in_2018["value"].tolist() == [767]  # not the Jan-Jun 367
    assert set(fl.loc[fl["period_start"].dt.year == 2018, "value"]) == {367, 767}


def test_ties_share_the_best_rank_and_skip_the_next():
    frame = pd.DataFrame({"region": ["A", "B", "C", "D", "E"], "value": [9, 5, 5, 1, None]})
    result = rank_regions(frame)
    assert result["region"].tolist() == ["A", "B", "C", "D"]  # E has no value: not ranked
    assert result["rank"].tolist() == [1, 2, 2, 4]
    assert result["rank_label"].tolist() == ["1", "=2", "=2", "4"]


def test_the_sentence_names_ties_and_missing_values():
    ranked = rank_regions(pd.DataFrame({"region": ["FL", "OH", "TX"], "value": [550, 550, 670]}))
    names = {"FL": "Florida", "OH": "Ohio", "TX": "Texas", "VT": "Vermont"}
    tied = rank_sentence(ranked, region="FL", names=names, what="by cases in 2016", among="states")
    alone = rank_sentence(ranked, region="TX", names=names, what="by cases in 2016", among="states")
    missing = rank_sentence(ranked, region="VT", names=names, what="by cases", among="states")
    assert tied == "Florida is tied for 2nd of 3 states by cases in 2016, with Ohio."
    assert alone == "Texas ranks 1st of 3 states by cases in 2016."
    assert "not ranked" in missing and "missing is not zero" in missing


def test_florida_ranks_third_by_2016_hotline_cases(bundled_store):
    rows = observations(bundled_store, dataset="nhth", metric="cases")
    states = table(bundled_store, "regions").query("kind in ('state', 'district')")["region"]
    picked = pick_most_reliable(annual(rows))
    in_2016 = picked.loc[(picked["period_start"].dt.year == 2016) & picked["region"].isin(states)]
    result = rank_regions(in_2016).set_index("region")
    expected = int((in_2016["value"] > in_2016.set_index("region").loc["FL", "value"]).sum()) + 1
    assert result.loc["FL", "rank"] == expected
    assert len(result) == 51


def test_national_series_keeps_published_totals_and_state_sums_apart(bundled_store):
    rows = observations(bundled_store, dataset="nhth", metric="cases")
    population = table(bundled_store, "population")
    states = set(table(bundled_store, "regions").query("kind in ('state', 'district')")["region"])
    result = national_series(pick_most_reliable(annual(rows)), population, states=states).set_index("year")
    # data/README.md: in 2016 the states sum to 7,036 cases against a national 7,572
    assert result.loc[2016, "states_sum"] == 7036
    assert result.loc[2016, "published"] == 7572
    assert result.loc[2016, "states_reporting"] == 51
    assert pd.isna(result.loc[2012, "published"])  # no national 2012 cases figure: none is invented
    assert 2022 not in result.index  # no hotline value at all for 2022


def test_the_rate_of_a_partial_sum_divides_by_the_reporting_states_only():
    picked = pd.DataFrame(
        {
            "region": ["FL", "TX"],
            "value": [10, 30],
            "period_start": pd.to_datetime(["2018-01-01"] * 2),
            "source_id": ["s", "s"],
            "reliability": ["high", "high"],
        }
    )
    population = pd.DataFrame(
        {
            "region": ["FL", "TX", "CA", "US"],
            "year": [2018] * 4,
            "population": [100_000, 300_000, 400_000, 800_000],
            "vintage": ["v2019"] * 4,
        }
    )
    result = national_series(picked, population, states={"FL", "TX", "CA"}).iloc[0]
    assert result["states_rate"] == pytest.approx(40 / 400_000 * 100_000)
    assert result["states_reporting"] == 2
    assert pd.isna(result["published_rate"])


def test_a_state_without_population_gives_no_rate_rather_than_a_wrong_one():
    picked = pd.DataFrame(
        {
            "region": ["FL", "XX"],
            "value": [10, 30],
            "period_start": pd.to_datetime(["2018-01-01"] * 2),
            "source_id": ["s", "s"],
            "reliability": ["high", "high"],
        }
    )
    population = pd.DataFrame({"region": ["FL"], "year": [2018], "population": [100_000], "vintage": ["v2019"]})
    result = national_series(picked, population, states={"FL", "XX"}).iloc[0]
    assert result["states_sum"] == 40
    assert pd.isna(result["states_rate"])
