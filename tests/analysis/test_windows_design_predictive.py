"""Event windows on any frequency, the baseline's terms, and the predictive distribution's numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from scipy import stats

from hotline_trends.analysis.design import build_design
from hotline_trends.analysis.panel import grid
from hotline_trends.analysis.predictive import Predictive
from hotline_trends.analysis.windows import coverage, make_window


@pytest.mark.parametrize(
    ("kind", "first", "last", "expected_days"),
    [
        ("year", "2012-01-01", "2014-01-01", [0, 7, 0]),
        ("month", "2013-01-01", "2013-03-01", [1, 6, 0]),
        ("day", "2013-02-02", "2013-02-05", [1, 1, 1, 1]),
    ],
)
def test_a_window_maps_onto_any_frequency_with_the_share_it_covers(kind, first, last, expected_days):
    periods = grid(pd.Timestamp(first), pd.Timestamp(last), kind)
    result = coverage(periods["period_start"], periods["period_end"], make_window("2013-02-03", "2013-02-03"))
    length = (periods["period_end"] - periods["period_start"]).dt.days + 1
    assert result["days_in_window"].tolist() == expected_days
    np.testing.assert_allclose(result["share_covered"], np.array(expected_days) / length)
    assert result["in_window"].tolist() == [d > 0 for d in expected_days]


def test_a_week_is_about_half_a_percent_of_a_year():
    periods = grid(pd.Timestamp("2013-01-01"), pd.Timestamp("2013-01-01"), "year")
    result = coverage(periods["period_start"], periods["period_end"], make_window("2013-02-03", "2013-02-03"))
    assert result["share_covered"].iloc[0] == pytest.approx(7 / 365)


def test_a_window_needs_sane_dates():
    with pytest.raises(ValueError, match="ends .* before it starts"):
        make_window("2013-02-03", "2013-02-01")
    with pytest.raises(ValueError, match="0 or more"):
        make_window("2013-02-03", "2013-02-03", days_before=-1)


def test_grid_makes_inclusive_periods():
    result = grid(pd.Timestamp("2024-01-01"), pd.Timestamp("2024-07-01"), "half-year")
    expected = pd.DataFrame(
        {
            "period_start": pd.to_datetime(["2024-01-01", "2024-07-01"]),
            "period_end": pd.to_datetime(["2024-06-30", "2024-12-31"]),
        }
    )
    assert_frame_equal(result, expected, check_freq=False)


@pytest.mark.parametrize(
    ("kind", "n", "fitted_n", "terms"),
    [
        ("year", 5, 4, ("intercept", "trend")),
        ("year", 3, 3, ("intercept",)),
        ("month", 12, 11, ("intercept", "trend")),  # one year: no seasonality
        ("month", 36, 35, ("intercept", "trend", "sin1", "cos1", "sin2", "cos2")),
        ("day", 60, 53, ("intercept", "trend", *(f"weekday{d}" for d in range(1, 7)))),
    ],
)
def test_terms_follow_what_the_fitted_periods_can_carry(kind, n, fitted_n, terms):
    start = pd.Timestamp("2013-01-01")
    last = {"year": start + pd.DateOffset(years=n - 1), "month": start + pd.DateOffset(months=n - 1)}.get(
        kind, start + pd.Timedelta(days=n - 1)
    )
    periods = grid(start, last, kind)
    fitted = np.arange(n) < fitted_n
    result = build_design(periods["period_start"], periods["period_end"], kind=kind, fitted=fitted)
    assert result.terms == terms
    assert np.linalg.matrix_rank(result.X[fitted]) == len(terms)


def test_without_variance_from_parameters_the_predictive_is_the_negative_binomial():
    pred = Predictive(np.array([40.0, 40.0]), np.array([0.0, 0.0]), np.array([5.0, np.inf]))
    k = np.array([35.0, 35.0])
    nb = stats.nbinom.cdf(35, 5, 5 / 45)
    pois = stats.poisson.cdf(35, 40)
    np.testing.assert_allclose(pred.cdf(k), [nb, pois], rtol=1e-10)
    low = pred.quantile(0.025)
    assert low.tolist() == [stats.nbinom.ppf(0.025, 5, 5 / 45), stats.poisson.ppf(0.025, 40)]


def test_the_ratio_interval_covers_the_true_ratio_about_95_percent():
    rng = np.random.default_rng(11)
    expected, size, truth = 50.0, 20.0, 1.3
    draws = rng.negative_binomial(size, size / (size + truth * expected), size=2000).astype(float)
    pred = Predictive(np.full(2000, expected), np.zeros(2000), np.full(2000, size))
    low, high = pred.ratio_interval(draws)
    covered = np.mean((low <= truth) & (truth <= high))
    assert 0.93 <= covered <= 0.97


def test_the_minimum_detectable_effect_has_80_percent_power():
    rng = np.random.default_rng(12)
    pred = Predictive(np.array([120.0]), np.array([0.05]), np.array([30.0]))
    mde = float(pred.mde()[0])
    n = 4000
    means = 120.0 * (1 + mde) * np.exp(0.05 * rng.standard_normal(n))
    draws = rng.negative_binomial(30.0, 30.0 / (30.0 + means)).astype(float)
    repeated = Predictive(np.full(n, 120.0), np.full(n, 0.05), np.full(n, 30.0))
    p_two, _ = repeated.p_values(draws)
    power = np.mean((p_two < 0.05) & (draws > 120))
    assert 0.77 <= power <= 0.83


def test_nothing_expected_means_nothing_detectable():
    pred = Predictive(np.array([0.0]), np.array([0.0]), np.array([np.inf]))
    assert np.isinf(pred.mde()[0])


def test_pooling_adds_the_variances():
    parts = Predictive(np.array([10.0, 30.0]), np.array([0.1, 0.0]), np.array([4.0, np.inf]))
    result = Predictive.pooled(parts)
    assert result.expected[0] == 40.0
    variance = 40.0 + 40.0**2 / result.size[0]
    assert variance == pytest.approx(parts.variance().sum())
