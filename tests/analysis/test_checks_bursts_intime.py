"""Model checks and their widening, bursts, in-time placebo windows, the matched pre-window, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from hotline_trends.analysis import bursts
from hotline_trends.analysis.checks import run_checks
from hotline_trends.analysis.controls import choose_controls, did
from hotline_trends.analysis.event import analyse_event
from hotline_trends.analysis.eventplan import EventSpec, Settings
from hotline_trends.analysis.intime import rank_in_time, window_offsets
from hotline_trends.analysis.panel import Panel, grid, panel_from_regions
from hotline_trends.analysis.prewindow import matched_prewindow
from hotline_trends.analysis.synthetic import scenario, simulate, specs
from hotline_trends.analysis.windows import make_window


def _residual_series(n: int, *, rho: float, seed: int, mu: float = 110.0, alpha: float = 0.02):
    rng = np.random.default_rng(seed)
    s2 = np.log1p(alpha)
    x = np.empty(n)
    x[0] = rng.normal(0, np.sqrt(s2))
    for t in range(1, n):
        x[t] = rho * x[t - 1] + rng.normal(0, np.sqrt(s2 * (1 - rho**2)))
    return rng.poisson(mu * np.exp(x - s2 / 2)).astype(float)


def test_independent_days_pass_and_a_latent_ar1_fails_with_the_variance_of_its_sum():
    n, mu, alpha = 3000, 110.0, 0.02
    y = np.stack([_residual_series(n, rho=0.0, seed=1), _residual_series(n, rho=0.8, seed=2)])
    result = run_checks(
        y, np.full(y.shape, mu), np.full(2, alpha), np.ones(y.shape, bool), n_params=1,
        window_periods=np.array([7, 7]), daily=True,
    )  # fmt: skip
    assert not result.autocorrelation_failed[0] and result.count_factor[0] == 1.0
    assert result.autocorrelation_failed[1]
    # the residuals' lag-k correlation is rho**k times the latent share of each day's variance
    share = alpha * mu / (1 + alpha * mu)
    k = np.arange(1, 7)
    truth = 1 + 2 * np.sum((1 - k / 7) * share * 0.8**k)
    assert result.count_factor[1] == pytest.approx(truth, rel=0.15)
    assert result.parameter_factor[1] > 2.0
    assert "lag-1 autocorrelation" in result.describe(1)["failed"][0]


def test_a_poisson_baseline_on_overdispersed_counts_fails_the_dispersion_check():
    rng = np.random.default_rng(3)
    mu, alpha = 40.0, 0.2
    y = rng.negative_binomial(1 / alpha, 1 / (1 + alpha * mu), size=(1, 200)).astype(float)
    result = run_checks(
        y, np.full(y.shape, mu), np.zeros(1), np.ones(y.shape, bool), n_params=1, window_periods=np.array([1]),
        daily=False,
    )  # fmt: skip
    assert result.dispersion_failed[0]
    assert result.count_factor[0] == pytest.approx(1 + alpha * mu, rel=0.3)  # quasi-Poisson phi
    fitting = run_checks(
        y, np.full(y.shape, mu), np.full(1, alpha), np.ones(y.shape, bool), n_params=1,
        window_periods=np.array([1]), daily=False,
    )  # fmt: skip
    assert not fitting.dispersion_failed[0] and fitting.count_factor[0] == 1.0


def test_a_burst_is_capped_at_the_limit_of_its_tail():
    mu, alpha = np.array([110.0, 110.0, 0.2]), np.array([0.02, 0.02, 0.0])
    level = bursts.tail_level(np.array([7, 7, 7]))
    y = np.array([660.0, 115.0, 5.0])  # a burst x6; an ordinary day; a Poisson job is never flagged
    capped = bursts.capped(y, mu, alpha, level)
    size, p = 1 / 0.02, 1 / (1 + 0.02 * 110)
    assert capped[1:].tolist() == [115.0, 5.0]
    assert stats.nbinom.sf(capped[0] - 1, size, p) >= level[0] > stats.nbinom.sf(capped[0], size, p)
    low = bursts.capped(np.array([0.0]), mu[:1], alpha[:1], level[:1])  # a day with nothing reported
    assert low[0] > 0 and stats.nbinom.cdf(low[0], size, p) >= level[0] > stats.nbinom.cdf(low[0] - 1, size, p)


def test_the_screen_before_the_exact_tails_never_changes_which_counts_are_bursts():
    rng = np.random.default_rng(8)
    n = 200_000
    mu = np.exp(rng.uniform(np.log(1e-3), np.log(1e7), n))
    alpha = np.exp(rng.uniform(np.log(1e-8), np.log(100.0), n))
    y = rng.negative_binomial(1 / alpha, 1 / (1 + alpha * mu)).astype(float)
    y[::7] = np.floor(y[::7] * rng.choice([0.0, 0.3, 3.0, 30.0], size=y[::7].size))  # some far from their mean
    for level in (1e-6, 7e-4, 0.0025):
        above, below = bursts._tails(y, mu, alpha)
        exact = (above < level) | (below < level)
        np.testing.assert_array_equal(bursts.flag(y, mu, alpha, np.full(n, level)), exact)


def test_bursts_are_left_out_of_the_baseline_and_a_burst_alone_is_not_a_spike():
    data, truth = scenario("d", n_regions=1, seed=5)
    panel = panel_from_regions(data, dataset="synthetic", metric="count")
    spec = specs(truth)[0]
    day = panel.periods["period_start"].searchsorted(spec.start)
    panel.values[0, day] = panel.values[0, day] * 6  # an enforcement operation on the event's first day
    result = analyse_event(panel, spec, settings=Settings(max_space=0))
    assert result.model["bursts_left_out"] >= 5  # about 1 day in 60 of 730
    assert result.ratio > 1.5  # the burst is in the observed total ...
    assert result.verdict != "spike"  # ... but one day does not make the week a spike
    assert "beyond its burst limit counted only up to it" in result.reason
    assert result.tested < result.observed


def test_in_time_windows_tile_the_baseline_by_whole_spans_and_keep_the_weekdays():
    T = 100
    target = np.zeros(T, bool)
    target[40:47] = True
    baseline = ~target
    baseline[80] = False  # a missing day: the window holding it is not a placebo
    offsets = window_offsets(target, baseline)
    assert (offsets % 7 == 0).all() and 0 not in offsets
    assert 35 not in offsets and 42 in offsets  # days 75..81 hold day 80
    assert offsets.min() == -35 and offsets.max() == 49
    assert window_offsets(target, baseline, most=4).tolist() == [-14, -7, 7, 14]


def test_the_two_sided_rank_needs_19_placebos_to_reach_five_percent():
    assert not rank_in_time(9.0, np.zeros(18), level=0.05, unit="weeks").enough
    top = rank_in_time(9.0, np.zeros(19), level=0.05, unit="weeks")
    assert top.enough and top.p_value == pytest.approx(0.05) and top.rank == 1 and top.direction == "up"
    bottom = rank_in_time(-30.0, np.arange(39.0) - 19, level=0.05, unit="weeks")
    assert bottom.direction == "down" and bottom.p_value == pytest.approx(1 / 40) and bottom.rank == 1
    # both tails in one ranking: the 3 farthest from the median of 40 give p = 3/40 whichever side they are
    spread = np.concatenate([[-5.0, 4.0], np.linspace(-1, 1, 37)])
    assert rank_in_time(4.5, spread, level=0.05, unit="weeks").p_value == pytest.approx(2 / 40)
    assert rank_in_time(3.0, spread, level=0.05, unit="weeks").p_value == pytest.approx(3 / 40)
    middle = rank_in_time(0.0, np.linspace(-1, 1, 39), level=0.05, unit="weeks")
    assert middle.p_value == 1.0


def test_a_year_of_days_gives_every_other_week_as_a_placebo_and_a_too_short_series_cannot_tell():
    data, truth = simulate(n_regions=1, n_periods=730, kind="day", planted_share=1.0, effect=1.0, seed=6,
                           margin_days=120)  # fmt: skip
    panel = panel_from_regions(data, dataset="synthetic", metric="count")
    result = analyse_event(panel, specs(truth)[0], settings=Settings(max_space=0))
    in_time = result.placebo["in_time"]
    assert in_time["n"] >= 100 and in_time["unit"] == "7-day windows"
    assert result.verdict == "spike" and in_time["rank"] == 1
    assert "the event is the 1st most unusual of" in result.reason and "host's own 7-day windows" in result.reason
    few = analyse_event(panel, specs(truth)[0], settings=Settings(max_space=0, max_time=15))
    assert few.verdict == "cannot tell" and few.p_value < 0.05
    assert "only 15 of the host's own 7-day windows" in few.reason and "at least 19 are needed" in few.reason


@pytest.mark.parametrize(
    ("kind", "n", "at", "shift"),
    [("day", 800, 500, 364), ("month", 48, 30, 12), ("year", 6, 4, 1), ("quarter", 12, 9, 4)],
)
def test_the_pre_window_is_the_same_periods_a_year_earlier(kind, n, at, shift):
    target = np.zeros(n, bool)
    target[at] = True
    found = matched_prewindow(target, ~target, kind=kind)
    assert found.shift == shift and found.periods[at - shift] and found.periods.sum() == 1
    assert ("same length and season" in found.words) if kind != "year" else found.words == "the year before"


def test_without_a_year_earlier_the_pre_window_is_the_one_just_before_and_says_so():
    target = np.zeros(12, bool)
    target[2] = True
    found = matched_prewindow(target, ~target, kind="month")
    assert found.shift == 1 and "not the same season" in found.words
    assert matched_prewindow(np.eye(1, 12, 0, dtype=bool)[0], np.ones(12, bool), kind="month") is None


def test_a_matched_pre_window_keeps_different_long_run_trends_out_of_the_did():
    """The host grows 10% a year and its controls do not; nothing happens at the event. Against every
    period before the event the DiD reads years of growth as an effect; against the same month a year
    earlier, one year's."""
    months = 96
    t = np.arange(months) / 12
    host = 1000 * 1.1**t
    controls = np.full((3, months), 800.0) * np.array([[1.0], [1.2], [0.9]])
    values = np.vstack([host, controls])
    window = np.zeros(months, bool)
    window[90] = True
    before = np.arange(months) < 90
    matched = matched_prewindow(window, before, kind="month").periods
    chosen = choose_controls(values, host=0, comparison=matched, window=window, candidates=np.arange(1, 4),
                             selection=before)  # fmt: skip
    assert chosen.rows.size == 3
    with_match = did(values[0], values[chosen.rows], chosen.weights, comparison=matched, window=window).ratio
    with_all = did(values[0], values[chosen.rows], chosen.weights, comparison=before, window=window).ratio
    assert with_match == pytest.approx(1.1, rel=1e-9)
    assert with_all > 1.4


def _single(kind: str, values: list[float]) -> Panel:
    start = pd.Timestamp("2015-01-01")
    n = len(values)
    last = {"year": start + pd.DateOffset(years=n - 1), "month": start + pd.DateOffset(months=n - 1)}.get(
        kind, start + pd.Timedelta(days=n - 1)
    )
    return Panel("d", "m", kind, grid(start, last, kind), ["R0"], np.array([values], float), {"R0": ["s"]}, "t")


@pytest.mark.parametrize(
    ("kind", "values", "why"),
    [
        ("month", [np.nan] * 24, "no value for the window"),
        ("month", [0.0] * 24, "is zero"),
        ("year", [120.0], "a baseline needs at least 3"),
        ("day", [np.nan] * 60, "no value for the window"),
    ],
)
def test_bad_input_still_gets_a_clear_insufficient_data(kind, values, why):
    panel = _single(kind, values)
    day = panel.periods["period_start"].iloc[len(values) // 2] + pd.Timedelta(days=3)
    spec = EventSpec(
        event_id="e", name="E", event_type="e", type_label="E", start=day, end=day, host="R0", host_label="R0",
        window=make_window(day, day),
    )  # fmt: skip
    result = analyse_event(panel, spec)
    assert result.verdict == "insufficient data"
    assert why in result.reason
