"""Years of evidence simulated from the fitted model of a series' past, with its day-to-day correlation.

The moving-block replay of the past (``monitor_cusum.calibrate``) sees only the stretches the past happened
to hold; these simulated years give the model's own noise, with a latent AR(1) on the log scale fitted to
the residuals' autocorrelation, so a short or calm past still gets a threshold that allows for days moving
together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hotline_trends.analysis.monitor_baseline import Expected, count_cap
from hotline_trends.analysis.monitor_cusum import log_ratio


def simulated_evidence(
    counts: np.ndarray,
    expected: Expected,
    usable: np.ndarray,
    *,
    rise: float,
    cap_quantile: float,
    years: int,
    seed: int,
    block: int = 28,
) -> np.ndarray:
    """Years of CUSUM evidence drawn from the fitted model on the past days (see ``simulated_days``)."""
    draws = simulated_days(counts, expected, usable, cap_quantile=cap_quantile, years=years, seed=seed, block=block)
    return log_ratio(draws.counts, draws.mu, draws.alpha, rise=rise)


@dataclass
class Draws:
    """Simulated years (rows of 365 days): capped counts, their expectation and dispersion, and the latent
    AR(1) read from the past (lag-1 correlation ``rho``, variance ``sigma2`` on the log scale)."""

    counts: np.ndarray
    mu: np.ndarray
    alpha: np.ndarray
    rho: float
    sigma2: float


def latent_fit(
    counts: np.ndarray, expected: Expected, usable: np.ndarray, *, cap_quantile: float
) -> tuple[float, float]:
    """(rho, sigma2): the latent AR(1) of the past days' Pearson residuals (counts capped as the evidence caps
    them); sigma2 is the share of the extra-Poisson spread it takes, on the log scale."""
    pool = usable & ~np.isnan(expected.mu)
    mu, alpha = expected.mu, expected.alpha
    cap = count_cap(cap_quantile, mu, alpha)
    resid = (np.minimum(counts, cap) - mu) / np.sqrt(mu + alpha * mu**2)
    rho, share = latent_ar1(np.where(pool, resid, np.nan))
    if not pool.any():
        return rho, 0.0
    sigma2 = float(np.minimum(share * np.median(1 / mu[pool] + alpha[pool]), np.median(alpha[pool])))
    return rho, sigma2


def simulated_days(
    counts: np.ndarray,
    expected: Expected,
    usable: np.ndarray,
    *,
    cap_quantile: float,
    years: int,
    seed: int,
    block: int = 28,
) -> Draws:
    """Years of days drawn from the fitted model on the past days, with their day-to-day correlation.

    The Pearson residuals of the past days give a lag-1..5 autocorrelation, read as a latent AR(1) on the
    log scale that takes part of the extra-Poisson spread (``latent_fit``); the rest stays
    negative-binomial. With no correlation this is the fitted negative binomial itself.
    """
    rng = np.random.default_rng(seed + 1)
    pool = np.flatnonzero(usable & ~np.isnan(expected.mu))
    mu, alpha = expected.mu, expected.alpha
    cap = count_cap(cap_quantile, mu, alpha)
    rho, sigma2 = latent_fit(counts, expected, usable, cap_quantile=cap_quantile)
    starts = rng.choice(pool, size=(years, -(-365 // block)))
    days = np.minimum(starts[..., None] + np.arange(block), len(mu) - 1).reshape(years, -1)[:, :365]
    days = np.where(np.isnan(mu[days]), starts.repeat(block, axis=1)[:, :365], days)
    m, a, c = mu[days], alpha[days], cap[days]
    latent = np.zeros(m.shape)
    latent[:, 0] = rng.normal(0, np.sqrt(sigma2), years)
    shocks = rng.normal(0, np.sqrt(sigma2 * (1 - rho**2)), m.shape)
    for day in range(1, m.shape[1]):
        latent[:, day] = rho * latent[:, day - 1] + shocks[:, day]
    size = 1 / np.maximum(a - sigma2, 1e-9)
    mean = m * np.exp(latent - sigma2 / 2)
    draws = rng.negative_binomial(size, size / (size + mean)).astype(float)
    return Draws(counts=np.minimum(draws, c), mu=m, alpha=a, rho=rho, sigma2=sigma2)


def latent_ar1(resid: np.ndarray, *, lags: int = 5) -> tuple[float, float]:
    """(rho, share): residual autocorrelations at lags 1..5 fitted as share * rho^k (0 <= rho <= 0.95).

    Example:
        >>> rng = np.random.default_rng(0)
        >>> z = np.zeros(2000)
        >>> for i in range(1, 2000): z[i] = 0.8 * z[i - 1] + rng.normal()
        >>> rho, share = latent_ar1(z / z.std() + rng.normal(size=2000))
        >>> round(rho, 1), round(share, 1)
        (0.8, 0.5)
    """
    x = resid - np.nanmean(resid)
    scale = np.nanmean(x**2)
    if not np.isfinite(scale) or scale <= 0:
        return 0.0, 0.0
    corr = np.array([np.nanmean(x[k:] * x[:-k]) / scale for k in range(1, lags + 1)])
    corr = np.nan_to_num(corr)
    best = (np.inf, 0.0, 0.0)
    for rho in np.linspace(0.0, 0.95, 20):
        powers = rho ** np.arange(1, lags + 1)
        share = float(np.clip(corr @ powers / max(powers @ powers, 1e-12), 0.0, 1.0))
        loss = float(((corr - share * powers) ** 2).sum())
        best = min(best, (loss, rho, share))
    return float(best[1]), best[2]
