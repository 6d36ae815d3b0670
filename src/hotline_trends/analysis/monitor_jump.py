"""A second alarm rule for series whose days move together: a window-limited likelihood-ratio test for a
step, on the innovations of a Kalman filter of the series' latent AR(1) (Willsky & Jones 1976; Lai 1998).

Where days move together (a latent AR(1) on the log scale), a stretch of high days is common and the CUSUM
must wait for many days before it can tell a lasting rise from one; but a rise that *starts* on a day is a
jump the latent process rarely makes, and its first days carry most of the evidence. Given the day's
expected count ``mu`` (the rolling baseline), the log residual ``log((y + 0.5) / (mu + 0.5))`` is read as
latent + day noise; a Kalman filter predicts each day from the days before it, and for each possible first
day of the rise in the last ``window`` days the log-likelihood ratio of "a step of log(1 + rise) from that
day" against "no step" is the sum over the days since of innovation x signature / variance minus half the
signature's energy (the filter's own response to a step: large on its first day, smaller as the filter
follows it). The statistic is the largest of these ratios; an alarm is its crossing of a level set on years
simulated from the fitted model. Each day's standardized innovation is capped, so one extreme day (a sting)
cannot alarm alone, and a candidate rise needs two days at least.
"""

from __future__ import annotations

import numpy as np

YEAR = 365


def log_residuals(
    counts: np.ndarray, mu: np.ndarray, alpha: np.ndarray, sigma2: float
) -> tuple[np.ndarray, np.ndarray]:
    """(residual, day-noise variance): log((y + 0.5) / (mu + 0.5)) and 1 / (mu + 0.5) plus the spread the
    latent process does not take (NaN where the day or its expectation is missing)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        resid = np.log((counts + 0.5) / (mu + 0.5))
        noise = 1.0 / (mu + 0.5) + np.maximum(alpha - sigma2, 0.0)
    return resid, noise


def jump_statistic(
    resid: np.ndarray,
    noise: np.ndarray,
    *,
    rho: float,
    sigma2: float,
    rise: float,
    window: int = 7,
    min_days: int = 2,
    cap: float = 2.5,
) -> tuple[np.ndarray, np.ndarray]:
    """The window-limited step statistic for each day and how many days before it the likeliest rise began,
    for many series at once (rows; a 1-D series is one row).

    Example:
        >>> rng = np.random.default_rng(0)
        >>> r = rng.normal(0, 0.15, 60)
        >>> r[40:] += np.log(1.5)
        >>> s, since = jump_statistic(r, np.full(60, 0.02), rho=0.8, sigma2=0.005, rise=0.5)
        >>> bool(s[0, :40].max() < s[0, 41:44].max()), int(since[0, 42]) <= 2
        (True, True)
    """
    resid, noise = np.atleast_2d(resid), np.atleast_2d(noise)
    rows, days = resid.shape
    delta = np.log1p(rise)
    shock = sigma2 * (1.0 - rho * rho)
    state, var = np.zeros(rows), np.full(rows, max(sigma2, 1e-12))
    bias = np.zeros((rows, window))  # the filter's response to a step begun k days ago (column k)
    score = np.full((rows, window), -np.inf)  # sum of innovation x signature / variance
    energy = np.zeros((rows, window))  # sum of signature^2 / variance
    out = np.zeros((rows, days))
    since = np.zeros((rows, days), int)
    for t in range(days):
        bias = np.concatenate([np.zeros((rows, 1)), bias[:, :-1]], axis=1)
        score = np.concatenate([np.zeros((rows, 1)), score[:, :-1]], axis=1)
        energy = np.concatenate([np.zeros((rows, 1)), energy[:, :-1]], axis=1)
        state, var = rho * state, rho * rho * var + shock
        bias = rho * bias
        seen = np.isfinite(resid[:, t]) & np.isfinite(noise[:, t])
        f = var + np.where(seen, noise[:, t], 1.0)
        gain = np.where(seen, var / f, 0.0)
        innovation = np.where(seen, resid[:, t] - state, 0.0)
        step = delta - bias
        sd = np.sqrt(f)
        z = np.minimum(innovation / sd, cap)
        score = score + np.where(seen[:, None], z[:, None] * step / sd[:, None], 0.0)
        energy = energy + np.where(seen[:, None], step**2 / f[:, None], 0.0)
        bias = bias + gain[:, None] * step
        state = state + gain * innovation
        var = (1.0 - gain) * var
        ratio = score - energy / 2
        best = ratio[:, min_days - 1 :]
        since[:, t] = best.argmax(axis=1) + min_days - 1
        out[:, t] = best.max(axis=1)
    return out, since


def crossings(statistic: np.ndarray, level: float) -> np.ndarray:
    """Alarm days: the statistic reaches ``level`` having been below it the day before."""
    above = statistic >= level
    before = np.concatenate([np.zeros(statistic.shape[:-1] + (1,), bool), above[..., :-1]], axis=-1)
    return above & ~before


def jump_level(simulated: np.ndarray, *, alarms_per_year: float) -> tuple[float, float]:
    """(level, alarms per 365 days at it): the lowest level whose crossings on the simulated years
    (rows of 365 days) stay at most ``alarms_per_year``."""
    years = len(simulated)
    allowed = int(np.floor(alarms_per_year * years))
    finite = np.where(np.isfinite(simulated), simulated, -np.inf)
    grid = np.unique(np.quantile(finite[np.isfinite(finite)], np.linspace(0.99, 1.0, 400)))
    lo, hi = 0, len(grid)  # crossings fall as the level rises: bisect for the first level that passes
    while lo < hi:
        mid = (lo + hi) // 2
        if int(crossings(finite, grid[mid]).sum()) <= allowed:
            hi = mid
        else:
            lo = mid + 1
    if lo == len(grid):
        return float(finite.max()) + 1e-9, 0.0
    return float(grid[lo]), int(crossings(finite, grid[lo]).sum()) / years * YEAR / simulated.shape[1]
