"""p-values from the tail that is asked for: never negative, never above 1, accurate far below 1e-12."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from hotline_trends.analysis.predictive import NODES, WEIGHTS, Predictive


def test_the_quadrature_weights_sum_to_one_and_integrate_a_normal_exactly():
    assert math.fsum(WEIGHTS) == pytest.approx(1.0, abs=1e-16)
    assert float(WEIGHTS @ NODES) == pytest.approx(0.0, abs=1e-15)
    assert float(WEIGHTS @ NODES**2) == pytest.approx(1.0, abs=1e-14)
    # a distribution that does not depend on the mean's uncertainty integrates to itself
    pred = Predictive(np.array([0.0]), np.array([0.7]), np.array([np.inf]))
    assert pred.cdf(np.array([3.0]))[0] == 1.0


# expected, size (inf: Poisson), observed: far in either tail, and near the middle
EXTREMES = [
    (100.0, np.inf, 300.0),
    (100.0, np.inf, 2.0),
    (5.0, np.inf, 80.0),
    (1000.0, 50.0, 2600.0),
    (1000.0, 50.0, 200.0),
    (0.3, 2.0, 40.0),
    (1e6, np.inf, 1.02e6),
    (1e6, 5e4, 1.1e6),
    (40.0, 8.0, 40.0),
]


def _scipy_tails(expected, size, k):
    dist = stats.poisson(expected) if np.isinf(size) else stats.nbinom(size, size / (size + expected))
    return dist.cdf(k), dist.sf(k), dist.pmf(k)


@pytest.mark.parametrize(("expected", "size", "observed"), EXTREMES)
def test_each_tail_equals_scipys_to_relative_1e_9_even_below_1e_12(expected, size, observed):
    pred = Predictive(np.array([expected]), np.array([0.0]), np.array([size]))
    cdf, sf, pmf = _scipy_tails(expected, size, observed)
    np.testing.assert_allclose(pred.cdf(np.array([observed])), [cdf], rtol=1e-9, atol=0)
    np.testing.assert_allclose(pred.upper(np.array([observed])), [sf], rtol=1e-9, atol=0)
    np.testing.assert_allclose(pred.mid_upper(np.array([observed])), [sf + pmf / 2], rtol=1e-9, atol=0)
    np.testing.assert_allclose(pred.mid_cdf(np.array([observed])), [cdf - pmf / 2], rtol=1e-9, atol=0)
    p_two, p_up = pred.p_values(np.array([observed]))
    assert 0.0 <= p_up[0] <= 1.0 and 0.0 < p_two[0] <= 1.0
    # two-sided by the minimum-likelihood rule (it was twice the smaller tail before; see p_values)
    assert p_two[0] == pytest.approx(_minimum_likelihood(expected, size, observed), rel=1e-9)


def _minimum_likelihood(expected, size, k):
    """scipy's own: P(outcomes less likely than k) + P(k) / 2, the other side's cut found on a grid of the
    log pmf (the distributions are unimodal) and its mass from scipy's tail there."""
    dist = stats.poisson(expected) if np.isinf(size) else stats.nbinom(size, size / (size + expected))
    grid = np.arange(0.0, 3 * max(k, expected) + 100)
    log_pmf = dist.logpmf(grid)
    mode = int(np.argmax(log_pmf))
    at = dist.logpmf(k)
    if k >= mode:
        rarer = np.flatnonzero((grid < mode) & (log_pmf <= at))
        other = dist.cdf(rarer[-1]) if rarer.size else 0.0
        return min(1.0, dist.sf(k) + dist.pmf(k) / 2 + other)
    rarer = np.flatnonzero((grid > mode) & (log_pmf <= at))
    return min(1.0, dist.cdf(k) - dist.pmf(k) / 2 + dist.sf(rarer[0] - 1))


def test_a_far_upper_tail_is_not_rounded_to_zero():
    pred = Predictive(np.array([100.0]), np.array([0.0]), np.array([np.inf]))
    _, upper = pred.p_values(np.array([300.0]))
    assert 0.0 < upper[0] < 1e-40  # 1 - cdf would be exactly 0 here
    assert upper[0] == pytest.approx(stats.poisson(100.0).sf(300) + stats.poisson(100.0).pmf(300) / 2, rel=1e-9)


@pytest.mark.parametrize("log_sd", [0.05, 0.4])
def test_with_parameter_uncertainty_each_tail_is_the_weighted_sum_of_the_nodes_tails(log_sd):
    expected, size = 200.0, 30.0
    pred = Predictive(np.array([expected]), np.array([log_sd]), np.array([size]))
    for k in (20.0, 200.0, 900.0):
        means = expected * np.exp(log_sd * NODES)
        sf = stats.nbinom(size, size / (size + means)).sf(k)
        pmf = stats.nbinom(size, size / (size + means)).pmf(k)
        assert pred.mid_upper(np.array([k]))[0] == pytest.approx(float(WEIGHTS @ (sf + pmf / 2)), rel=1e-9)
        assert pred.upper(np.array([k]))[0] == pytest.approx(float(WEIGHTS @ sf), rel=1e-9)


def test_p_values_stay_in_0_1_and_the_mid_tails_add_to_one_over_every_scale():
    rng = np.random.default_rng(7)
    n = 4000
    expected = np.exp(rng.uniform(-4, 14, n))
    log_sd = rng.uniform(0, 2, n) * rng.integers(0, 2, n)
    size = np.where(rng.random(n) < 0.3, np.inf, np.exp(rng.uniform(-3, 12, n)))
    observed = np.floor(expected * np.exp(rng.normal(0, 3, n)))
    observed[:4] = [0.0, 1e15, -1.0, 3.0]
    expected[3] = 0.0
    pred = Predictive(expected, log_sd, size)
    p_two, p_up = pred.p_values(observed)
    lower = pred.mid_cdf(observed)
    for p in (p_two, p_up, lower):
        assert np.isfinite(p).all() and (p >= 0).all() and (p <= 1).all()
    # two special functions, each to about 1e-11 at parameters in the millions
    np.testing.assert_allclose(lower + p_up, 1.0, rtol=0, atol=1e-9)


def test_widening_keeps_the_mean_and_multiplies_the_variances():
    pred = Predictive(np.array([50.0, 800.0, 0.0]), np.array([0.1, 0.0, 0.0]), np.array([20.0, np.inf, np.inf]))
    wide = pred.widened(np.array([2.5, 1.7, 3.0]), np.array([4.0, 1.0, 1.0]))
    np.testing.assert_array_equal(wide.expected, pred.expected)
    noise = pred.expected + pred.expected**2 / pred.size
    wide_noise = wide.expected + wide.expected**2 / wide.size
    np.testing.assert_allclose(wide_noise[:2], np.array([2.5, 1.7]) * noise[:2], rtol=1e-12)
    np.testing.assert_allclose(wide.log_sd, [0.2, 0.0, 0.0])
    assert pred.widened(1.0, 1.0).size.tolist() == pred.size.tolist()
    # a wider predictive gives a larger p-value for the same surprising count
    assert wide.p_values(np.array([90.0, 900.0, 0.0]))[0][0] > pred.p_values(np.array([90.0, 900.0, 0.0]))[0][0]
