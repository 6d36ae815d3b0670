"""Model checks on every baseline, and how much a failed check widens the window's interval and p-value.

The checks read the Pearson residuals r_t = (y_t - mu_t) / sqrt(mu_t + alpha * mu_t**2) of the periods a
baseline was fitted on:

- **dispersion**: the Pearson statistic X**2 = sum r_t**2 against chi-squared on n - p degrees of freedom
  (fails when P(chi2 >= X**2) < 0.01: more spread than the model allows, as when a Poisson baseline meets
  overdispersed counts);
- **autocorrelation** at lag 1 (every sub-annual series) and lag 7 (daily series): under independence the
  lag-k autocorrelation of the residuals is about normal with variance 1 / (pairs); the check fails when
  its |z| exceeds 2.576 (two-sided 1%).

Where a check fails the predictive distribution widens (quasi-likelihood: Wedderburn 1974; McCullagh &
Nelder 1989, section 9.2; the sums' variance from the residuals' autocovariances as in Zeger 1988 and
Newey & West 1987):

- the count noise of an L-period window by phi = X**2 / (n - p) when the dispersion check fails, and by
  1 + 2 sum_{k<L} (1 - k/L) rho_k (the variance of a sum of L correlated periods over that of L independent
  ones) when an autocorrelation check fails;
- the parameter uncertainty by phi, and by the long-run variance factor 1 + 2 sum_{k<=K} (1 - k/(K+1)) rho_k
  with Newey & West's (1994) bandwidth K = floor(4 (n/100)**(2/9)).

Factors below 1 (negative autocorrelation, underdispersion) are taken as 1: a check only ever widens.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

DISPERSION_LEVEL = 0.01
AUTOCORRELATION_Z = float(special.ndtri(1.0 - 0.01 / 2.0))  # two-sided 1% per lag
MIN_PAIRS = 20  # fewer residual pairs at a lag cannot show autocorrelation; the check is not run
DAILY_LAGS, OTHER_LAGS = (1, 7), (1,)


@dataclass(frozen=True)
class Checks:
    """Per job (arrays of shape (J,)): the checks and the widening factors they imply."""

    dispersion: np.ndarray  # X**2 / df
    dispersion_p: np.ndarray  # P(chi2_df >= X**2)
    dispersion_failed: np.ndarray
    lags: tuple[int, ...]
    autocorrelation: np.ndarray  # (J, len(lags))
    autocorrelation_z: np.ndarray  # (J, len(lags)); NaN where too few pairs to check
    autocorrelation_failed: np.ndarray  # (J,) any lag failed
    count_factor: np.ndarray
    parameter_factor: np.ndarray

    def take(self, rows) -> Checks:
        return Checks(
            *(getattr(self, f)[rows] for f in ("dispersion", "dispersion_p", "dispersion_failed")),
            self.lags,
            *(getattr(self, f)[rows] for f in ("autocorrelation", "autocorrelation_z", "autocorrelation_failed")),
            self.count_factor[rows],
            self.parameter_factor[rows],
        )

    def describe(self, j: int = 0) -> dict:
        """Job ``j``'s checks as plain values, with the failures named in words."""
        failed = []
        if self.dispersion_failed[j]:
            failed.append(f"dispersion (Pearson X²/df = {self.dispersion[j]:.2f}, p = {self.dispersion_p[j]:.2g})")
        for i, lag in enumerate(self.lags):
            z = self.autocorrelation_z[j, i]
            if np.isfinite(z) and abs(z) > AUTOCORRELATION_Z:
                failed.append(f"lag-{lag} autocorrelation of the residuals ({self.autocorrelation[j, i]:+.2f})")
        return {
            "dispersion": float(self.dispersion[j]),
            "dispersion_p": float(self.dispersion_p[j]),
            "autocorrelation": {
                f"lag {lag}": None
                if not np.isfinite(self.autocorrelation_z[j, i])
                else float(self.autocorrelation[j, i])
                for i, lag in enumerate(self.lags)
            },
            "failed": failed,
            "widened": {"count noise": float(self.count_factor[j]), "parameters": float(self.parameter_factor[j])},
            "method": (
                "Pearson residuals of the baseline: dispersion X²/df against chi-squared (1%), autocorrelation at "
                f"lags {', '.join(map(str, self.lags))} against ±{AUTOCORRELATION_Z:.3f}/√pairs; a failed check "
                "widens the count noise by X²/df and by the variance of a sum of correlated periods, and the "
                "parameter uncertainty by X²/df and the Newey-West long-run variance factor"
            ),
        }


def run_checks(
    y: np.ndarray,
    mu: np.ndarray,
    alpha: np.ndarray,
    mask: np.ndarray,
    *,
    n_params: int,
    window_periods: np.ndarray,
    daily: bool,
) -> Checks:
    """Check J baselines at once.

    Args:
        y, mu: (J, T) counts and fitted means (values outside ``mask`` are not read).
        alpha: (J,) dispersions (0 for Poisson).
        mask: (J, T) the periods each baseline was fitted on.
        n_params: the model's coefficients (the dispersion's degree of freedom is not counted).
        window_periods: (J,) how many periods each job's window has (L above).
        daily: check lag 7 as well as lag 1.
    """
    J, T = y.shape
    lags = DAILY_LAGS if daily else OTHER_LAGS
    n = mask.sum(axis=1)
    a = np.nan_to_num(np.asarray(alpha, float))[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(mask, (np.nan_to_num(y) - mu) / np.sqrt(mu + a * mu * mu), 0.0)
    r = np.nan_to_num(r)
    x2 = np.einsum("jt,jt->j", r, r)
    df = np.maximum(n - n_params, 1)
    phi = x2 / df
    dispersion_p = special.chdtrc(df, x2)  # P(chi2_df >= X**2)
    dispersion_failed = (dispersion_p < DISPERSION_LEVEL) & (phi > 1.0)
    longest = int(max(np.max(window_periods, initial=1) - 1, max(lags), np.max(_bandwidth(n), initial=0)))
    longest = max(min(longest, T - 1), 1)
    rho, pairs = _autocorrelation(r, mask, x2 / np.maximum(n, 1), longest)
    at = np.array(lags) - 1
    checked = pairs[:, at] >= MIN_PAIRS
    z = np.where(checked, rho[:, at] * np.sqrt(np.maximum(pairs[:, at], 1)), np.nan)
    autocorrelation_failed = (np.abs(np.nan_to_num(z)) > AUTOCORRELATION_Z).any(axis=1)
    rho = np.where(pairs > 0, rho, 0.0)
    window = _window_factor(rho, np.asarray(window_periods))
    long_run = _long_run_factor(rho, _bandwidth(n))
    count = np.where(dispersion_failed, phi, 1.0) * np.where(autocorrelation_failed, window, 1.0)
    parameters = np.where(dispersion_failed, phi, 1.0) * np.where(autocorrelation_failed, long_run, 1.0)
    return Checks(
        phi,
        dispersion_p,
        dispersion_failed,
        lags,
        rho[:, at],
        z,
        autocorrelation_failed,
        np.maximum(count, 1.0),
        np.maximum(parameters, 1.0),
    )


def _autocorrelation(r: np.ndarray, mask: np.ndarray, variance: np.ndarray, longest: int):
    """rho_k (J, longest) and the number of pairs at each lag: mean of r_t r_{t+k} over pairs of fitted
    periods, over the mean of r_t**2."""
    J, T = r.shape
    rho = np.zeros((J, longest))
    pairs = np.zeros((J, longest))
    m = mask.astype(float)
    for k in range(1, longest + 1):
        both = m[:, :-k] * m[:, k:]
        pairs[:, k - 1] = both.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            rho[:, k - 1] = np.einsum("jt,jt->j", r[:, :-k], r[:, k:]) / pairs[:, k - 1] / variance
    return np.nan_to_num(rho), pairs


def _window_factor(rho: np.ndarray, periods: np.ndarray) -> np.ndarray:
    """Var(sum of L correlated periods) / Var(sum of L independent ones), per job (equal variances)."""
    k = np.arange(1, rho.shape[1] + 1)
    L = np.maximum(periods, 1)[:, None]
    weights = np.clip(1.0 - k[None, :] / L, 0.0, None)
    return 1.0 + 2.0 * (weights * rho).sum(axis=1)


def _long_run_factor(rho: np.ndarray, bandwidth: np.ndarray) -> np.ndarray:
    """Newey-West (Bartlett) long-run variance over the variance, per job."""
    k = np.arange(1, rho.shape[1] + 1)
    K = bandwidth[:, None]
    weights = np.clip(1.0 - k[None, :] / (K + 1.0), 0.0, None)
    return 1.0 + 2.0 * (weights * rho).sum(axis=1)


def _bandwidth(n: np.ndarray) -> np.ndarray:
    """Newey & West's (1994) rule of thumb for the Bartlett kernel: floor(4 (n / 100)**(2/9))."""
    return np.floor(4.0 * (np.maximum(np.asarray(n, float), 1.0) / 100.0) ** (2.0 / 9.0)).astype(int)
