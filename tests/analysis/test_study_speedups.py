"""The study's shortcuts give what the plain computations give: Gram products, searches, shared arrays."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hotline_trends.analysis.batch import fit_plans
from hotline_trends.analysis.countsearch import crossing, smallest_accepted
from hotline_trends.analysis.design import all_terms, build_design
from hotline_trends.analysis.eventplan import Settings, plan_event
from hotline_trends.analysis.gram import Gram
from hotline_trends.analysis.nbfit import fit_counts
from hotline_trends.analysis.panel import Panel, panel_from_regions
from hotline_trends.analysis.panelarrays import other_regions, period_arrays
from hotline_trends.analysis.predictive import Predictive
from hotline_trends.analysis.study import run_study
from hotline_trends.analysis.synthetic import simulate, specs


def _daily_design(T: int = 400) -> np.ndarray:
    start = pd.Series(pd.date_range("2014-01-01", periods=T, freq="D"))
    X, names = all_terms(start, start, kind="day")
    return X[:, : names.index("days")]


def test_gram_equals_the_product_with_every_outer_product():
    X = _daily_design()
    T, P = X.shape
    w = np.random.default_rng(0).uniform(0, 50, size=(7, T))
    full = (w @ (X[:, :, None] * X[:, None, :]).reshape(T, P * P)).reshape(-1, P, P)
    gram = Gram(X)
    assert gram.columns.shape[1] < P * P  # repeats and zeros are not multiplied
    np.testing.assert_allclose(gram.weighted(w), full, rtol=1e-13, atol=1e-9)
    assert (gram.weighted(w)[:, 6:, 6:][:, ~np.eye(P - 6, dtype=bool)] == 0).all()  # two weekdays never meet


def _plain_smallest(hi: np.ndarray, accept) -> np.ndarray:
    lo = np.full_like(hi, -1.0)
    for _ in range(64):
        if not np.any(hi - lo > 1):
            break
        mid = np.floor((lo + hi) / 2.0)
        ok = accept(mid)
        hi, lo = np.where(ok, mid, hi), np.where(ok, lo, mid)
    return hi


@pytest.mark.parametrize("offset", [-40.0, -3.0, 0.0, 2.5, 60.0])
def test_a_bracket_does_not_change_the_smallest_accepted_count(offset):
    rng = np.random.default_rng(1)
    threshold = rng.integers(0, 500, 30).astype(float)
    hi = np.full(30, 1000.0)
    hi[0] = np.nan
    found = smallest_accepted(
        hi, lambda k, rows: k >= threshold[rows], guess=threshold + offset, width=np.full(30, 4.0)
    )
    plain = _plain_smallest(hi, lambda k: k >= threshold)
    np.testing.assert_array_equal(found, plain)


@pytest.mark.parametrize("offset", [-1.0, -0.004, 0.0, 0.003, 2.0])
def test_a_bracket_does_not_change_the_bisection(offset):
    rng = np.random.default_rng(2)
    root = rng.uniform(-3, 3, 25)
    lo, hi = np.full(25, -25.0), np.full(25, 25.0)
    found = crossing(lambda x, rows: x - root[rows], 0.0, lo, hi, 36, guess=root + offset)
    plain = crossing(lambda x, rows: x - root[rows], 0.0, lo, hi, 36)
    np.testing.assert_array_equal(found, plain)
    assert np.abs(found - root).max() < 1e-9


def test_predictive_searches_match_a_plain_bisection():
    rng = np.random.default_rng(3)
    pred = Predictive(rng.uniform(0, 900, 40), rng.choice([0.0, 0.02, 0.5], 40), rng.choice([30.0, 400.0, np.inf], 40))
    for q in (0.025, 0.975):
        hi = np.minimum(np.ceil(2.0 * pred.expected * np.exp(4.0 * pred.log_sd)) + 10.0, 1e15)
        while ((pred.cdf(hi) < q) & (hi < 1e15)).any():
            hi = np.where(pred.cdf(hi) < q, np.minimum(hi * 2.0, 1e15), hi)
        np.testing.assert_array_equal(pred.quantile(q), _plain_smallest(hi, lambda k, q=q: pred.cdf(k) >= q))
    # the critical count of the MDE: from an upper end at a quantile safely beyond it, as it was first written
    hi = pred.quantile(1.0 - 0.025 / 4.0) + 1.0
    expected = _plain_smallest(hi, lambda k: 1.0 - pred.mid_cdf(k) <= 0.025)
    np.testing.assert_array_equal(pred._critical(0.025), expected)
    np.testing.assert_array_equal(pred._critical(0.025, near=pred.quantile(0.975)), expected)


def test_period_arrays_and_other_regions():
    periods = pd.DataFrame({"period_start": pd.to_datetime(["2015-01-01", "2015-02-01"])})
    periods["period_end"] = pd.to_datetime(["2015-01-31", "2015-02-28"])
    panel = Panel("d", "m", "month", periods, ["A", "B", "C"], np.ones((3, 2)), {}, "")
    arrays = period_arrays(panel)
    assert arrays.length.tolist() == [31, 28]
    assert arrays.timestamp(1) == periods["period_start"].iloc[1]
    assert period_arrays(panel) is arrays  # kept with the panel
    assert other_regions(panel, [1]).tolist() == [0, 2]


def test_mid_cdf_from_the_point_probability_equals_the_two_cdfs():
    rng = np.random.default_rng(5)
    n = 3000
    expected = np.exp(rng.uniform(-3, 9, n))
    log_sd = rng.uniform(0, 1, n) * rng.integers(0, 2, n)
    size = np.where(rng.random(n) < 0.2, np.inf, np.exp(rng.uniform(-2, 9, n)))
    expected[:3] = [0.0, np.inf, 5.0]  # nothing expected, an overflowing mean, and a negative count below
    pred = Predictive(expected, log_sd, size)
    k = np.floor(expected * rng.uniform(0, 2, n))
    k[:3] = [0.0, 3.0, -1.0]
    for theta in (0.5, 1.0, 2.0):
        with np.errstate(invalid="ignore"):
            plain = 0.5 * (pred.cdf(k, theta) + pred.cdf(k - 1.0, theta))
        np.testing.assert_allclose(pred.mid_cdf(k, theta), plain, rtol=0, atol=1e-12)


def _small_study(**settings):
    data, truth = simulate(n_regions=12, n_periods=400, kind="day", planted_share=0.5, seed=3)
    panel = panel_from_regions(data, dataset="synthetic", metric="count")
    return run_study(
        [(panel, spec, None) for spec in specs(truth)], event_type="synthetic", label="Synthetic",
        dataset="synthetic", metric="count", settings=Settings(**settings),
    )  # fmt: skip


def test_a_study_builds_an_events_series_only_when_it_is_read():
    result = _small_study(max_space=2, max_time=2)
    event = next(e for e in result.events if e.observed is not None)
    assert "series" not in vars(event)  # not built by the study
    series = event.series
    window = series[series["in_window"]]
    # the window's expected total is the sum of the series' expected counts over its periods
    assert window["expected"].sum() == pytest.approx(event.expected, rel=1e-12)
    assert (window["lower"] <= window["expected"]).all() and (window["expected"] <= window["upper"]).all()
    as_dict = event.to_dict()
    assert list(as_dict)[list(as_dict).index("series") - 1] == "place"  # where the key always was
    assert len(as_dict["series"]) == len(series) == 400


def _fitted_masks() -> dict[str, np.ndarray]:
    T = 800
    weekday = pd.date_range("2014-01-01", periods=T, freq="D").day_of_week.to_numpy()
    window = np.ones(T, bool)
    window[300:307] = False
    return {
        "all": np.ones(T, bool),
        "a window out": window,
        "no Mondays": weekday != 0,  # a term without data: the design loses terms from the end
        "half out": np.arange(T) < 400,
    }


@pytest.mark.parametrize("name", list(_fitted_masks()))
def test_a_design_from_the_kept_cross_products_equals_the_plain_one(name):
    fitted = _fitted_masks()[name]
    start = pd.Series(pd.date_range("2014-01-01", periods=len(fitted), freq="D"))
    candidates = all_terms(start, start, kind="day")
    expected = build_design(start, start, kind="day", fitted=fitted)
    cache: dict = {}
    result = build_design(None, None, kind="day", fitted=fitted, candidates=candidates, cache=cache)
    assert result.terms == expected.terms
    np.testing.assert_array_equal(result.X, expected.X)
    again = build_design(None, None, kind="day", fitted=fitted, candidates=candidates, cache=cache)
    assert again is result  # one shared matrix for the same terms


def test_time_placebos_started_from_the_downdated_host_fit_converge_to_the_plain_fits():
    # The fully fitted windows now serve the relative periods of studies (``profile``); the in-time placebos
    # (``max_time``) are one scoring step each (tested in test_checks_bursts_intime.py). The fits must still
    # converge to the plain ones, on the periods the host's fit used (less any bursts it left out).
    data, truth = simulate(n_regions=6, n_periods=500, kind="day", planted_share=0.5, seed=4)
    panel = panel_from_regions(data, dataset="synthetic", metric="count")
    plan = plan_event(panel, specs(truth)[0], Settings(max_space=2, profile=2))
    fit_plans([plan])
    host, time = plan.out["main"], plan.out["time"]
    n = len(plan.time_offsets)
    assert n >= 3
    plain = fit_counts(
        np.repeat(panel.values[plan.host_row][None, :], n, axis=0), plan.design.X,
        mask=plan.time_masks & host["host_mask"],
        alpha_fixed=np.repeat(host["alpha"][:1], n), start=(np.repeat(host["beta"][:1], n, axis=0), None),
    )  # fmt: skip
    np.testing.assert_allclose(time["beta"], plain.beta, rtol=0, atol=1e-7)
    # Variances to 1e-6 relative, covariances as correlations to 1e-9 absolute: an intercept-trend covariance
    # of 3e-6 of the variances (a centred trend) is round-off of larger terms, which moves it by 4.6e-6
    # relative between two fits that agree to 1e-11 in the matrix's scale (and by 2.6e-4 in a fit to 1e-12).
    np.testing.assert_allclose(
        np.diagonal(time["cov"], axis1=1, axis2=2), np.diagonal(plain.cov, axis1=1, axis2=2), rtol=1e-6, atol=0
    )
    np.testing.assert_allclose(_correlation(time["cov"]), _correlation(plain.cov), rtol=0, atol=1e-9)


def _correlation(cov: np.ndarray) -> np.ndarray:
    sd = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
    return cov / (sd[:, :, None] * sd[:, None, :])


@pytest.mark.parametrize("kind", ["evenly spaced", "irregular", "overlapping"])
def test_gram_sums_products_with_an_indicator_over_its_rows_only(kind):
    rng = np.random.default_rng(2)
    T = 300
    first = np.arange(T) % 5 == 1 if kind == "evenly spaced" else rng.uniform(size=T) < 0.3
    second = (np.arange(T) % 5 == 3) if kind != "overlapping" else rng.uniform(size=T) < 0.5
    if kind == "irregular":
        second &= ~first
    X = np.column_stack([np.ones(T), np.linspace(-1, 1, T), first, second]).astype(float)
    w = rng.uniform(0, 50, size=(4, T))
    expected = np.einsum("jt,tp,tq->jpq", w, X, X)
    gram = Gram(X)
    assert len(gram.blocks) == (0 if kind == "overlapping" else 2)
    np.testing.assert_allclose(gram.weighted(w), expected, rtol=1e-13, atol=1e-9)
