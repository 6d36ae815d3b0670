"""The batched count model equals statsmodels' reference fits on the same data (to 1e-6)."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from statsmodels.discrete.discrete_model import NegativeBinomial, Poisson

from hotline_trends.analysis.nbfit import POISSON, fit_counts

TOL = 1e-6


def _design(T: int) -> np.ndarray:
    t = np.arange(T)
    return np.column_stack(
        [np.ones(T), (t - T / 2) / 52, np.sin(2 * np.pi * t / 52), np.cos(2 * np.pi * t / 52), (t % 4 == 0)]
    )


def _series(J: int, T: int, *, alpha: float, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = _design(T)
    level = rng.uniform(np.log(5), np.log(60), size=J)
    beta = np.column_stack([level, rng.normal(0, 0.1, J), rng.normal(0, 0.3, J), rng.normal(0, 0.3, J), np.zeros(J)])
    mu = np.exp(beta @ X.T)
    y = rng.negative_binomial(1 / alpha, 1 / (1 + alpha * mu)).astype(float)
    mask = np.ones_like(y, bool)
    for j in range(J):  # each series leaves out a different window and has a missing stretch
        mask[j, rng.integers(0, T - 8) + np.arange(6)] = False
        y[j, rng.integers(0, T - 5) + np.arange(3)] = np.nan
    return y, X, mask


@pytest.mark.parametrize("seed", [1, 2])
def test_ml_estimates_equal_statsmodels_negative_binomial(seed):
    y, X, mask = _series(4, 156, alpha=0.08, seed=seed)
    result = fit_counts(y, X, mask=mask, method="ml")
    assert result.ok.all()
    for j in range(len(y)):
        keep = mask[j] & np.isfinite(y[j])
        reference = NegativeBinomial(y[j, keep], X[keep]).fit(disp=0, method="newton", maxiter=200, tol=1e-12)
        np.testing.assert_allclose(result.beta[j], reference.params[:-1], rtol=0, atol=TOL)
        np.testing.assert_allclose(result.alpha[j], reference.params[-1], rtol=0, atol=TOL)


def test_coefficients_and_standard_errors_equal_glm_at_the_same_dispersion():
    y, X, mask = _series(3, 120, alpha=0.05, seed=3)
    offset = np.log(np.linspace(1.0, 2.0, 120))[None, :].repeat(3, axis=0)
    result = fit_counts(y, X, mask=mask, offset=offset)  # Cox-Reid dispersion
    for j in range(len(y)):
        keep = mask[j] & np.isfinite(y[j])
        family = sm.families.NegativeBinomial(alpha=result.alpha[j])
        reference = sm.GLM(y[j, keep], X[keep], family=family, offset=offset[j, keep]).fit(tol=1e-12)
        np.testing.assert_allclose(result.beta[j], reference.params, rtol=0, atol=TOL)
        np.testing.assert_allclose(np.sqrt(np.diag(result.cov[j])), reference.bse, rtol=0, atol=TOL)


def test_poisson_jobs_equal_statsmodels_poisson_with_offset():
    y, X, mask = _series(2, 100, alpha=0.02, seed=4)
    offset = np.full(y.shape, np.log(3.0))
    result = fit_counts(y, X, mask=mask, offset=offset, alpha_group=np.array([POISSON, POISSON]))
    for j in range(len(y)):
        keep = mask[j] & np.isfinite(y[j])
        reference = Poisson(y[j, keep], X[keep], offset=offset[j, keep]).fit(disp=0, method="newton", tol=1e-12)
        np.testing.assert_allclose(result.beta[j], reference.params, rtol=0, atol=TOL)
        assert result.alpha[j] == 0


def test_a_shared_dispersion_is_the_ml_estimate_of_the_stacked_model():
    """Series sharing one alpha, each with its own coefficients = one NB model with a block design."""
    y, X, mask = _series(3, 104, alpha=0.1, seed=5)
    result = fit_counts(y, X, mask=mask, alpha_group=np.zeros(3, int), method="ml")
    assert np.ptp(result.alpha) == 0
    blocks = [np.kron(np.eye(3)[j], X) for j in range(3)]
    keep = [mask[j] & np.isfinite(y[j]) for j in range(3)]
    stacked_y = np.concatenate([y[j, keep[j]] for j in range(3)])
    stacked_X = np.concatenate([blocks[j][keep[j]] for j in range(3)])
    # statsmodels' default start diverges on a block design; start from its own per-series Poisson fits
    start = np.append(np.concatenate([Poisson(y[j, keep[j]], X[keep[j]]).fit(disp=0).params for j in range(3)]), 0.1)
    reference = NegativeBinomial(stacked_y, stacked_X).fit(
        start_params=start, disp=0, method="newton", maxiter=300, tol=1e-12
    )
    assert reference.mle_retvals["converged"]
    np.testing.assert_allclose(result.beta.ravel(), reference.params[:-1], rtol=0, atol=TOL)
    np.testing.assert_allclose(result.alpha[0], reference.params[-1], rtol=0, atol=TOL)


def test_cox_reid_corrects_the_downward_bias_of_ml_on_short_series():
    rng = np.random.default_rng(6)
    T, J, alpha = 8, 400, 0.2
    X = np.column_stack([np.ones(T), np.arange(T) - 3.5])
    mu = 40 * np.exp(0.05 * (np.arange(T) - 3.5))
    y = rng.negative_binomial(1 / alpha, 1 / (1 + alpha * mu), size=(J, T)).astype(float)
    mask = np.ones_like(y, bool)
    ml = fit_counts(y, X, mask=mask, method="ml", alpha_group=np.zeros(J, int)).alpha[0]
    cr = fit_counts(y, X, mask=mask, method="cox-reid", alpha_group=np.zeros(J, int)).alpha[0]
    assert abs(cr - alpha) < abs(ml - alpha)
    assert ml < cr


def test_degenerate_series_are_flagged_not_raised():
    X = np.column_stack([np.ones(6), np.arange(6.0)])
    y = np.array([[0, 0, 0, 0, 0, 0], [1, 2, np.nan, np.nan, np.nan, np.nan], [3, 4, 2, 5, 3, 4.0]])
    result = fit_counts(y, X, mask=np.ones_like(y, bool))
    assert result.ok.tolist() == [False, False, True]
    assert np.isnan(result.beta[:2]).all()


def test_a_fixed_dispersion_is_kept_and_a_warm_start_gives_the_same_fit():
    y, X, mask = _series(2, 80, alpha=0.05, seed=7)
    first = fit_counts(y, X, mask=mask, method="ml")
    fixed = fit_counts(y, X, mask=mask, alpha_fixed=first.alpha, start=(first.beta, first.alpha))
    np.testing.assert_allclose(fixed.alpha, first.alpha)
    np.testing.assert_allclose(fixed.beta, first.beta, atol=1e-8)
    assert fixed.iterations <= 2
