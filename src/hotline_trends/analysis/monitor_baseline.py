"""Expected daily counts for monitoring, each day from earlier days only (a rolling, prospective baseline).

For day ``t`` the expectation comes from the days before ``t - guard_days`` (a week left out, so a rise that
has just begun does not raise its own expectation):

- the weekday pattern and the federal-holiday effect from up to ``pattern_days`` (a year), shrunk towards
  "no pattern" by a normal prior (a ridge penalty), so a sparse series is not given a pattern its few counts
  cannot show;
- the level from the last ``level_days`` (eight weeks), so slow trends and seasons are followed;
- the dispersion (day-to-day variation beyond Poisson) from the same eight weeks, by moments, plus the
  uncertainty of the level itself.

Before a day enters later baselines it is capped at the 99.5% quantile of its own prediction, so one-day
bursts (a sting, a data dump) do not inflate the expectation or the dispersion of the weeks after them —
the same aim as the down-weighting of past outbreaks in Farrington et al. (1996) and Noufaily et al. (2013).

Everything is computed from per-cell sums (weekday x holiday: 14 cells), kept as running sums, so a year
of days costs a few small matrix solves per week.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.tseries.holiday import USFederalHolidayCalendar
from scipy import stats

CELLS = 14  # 7 weekdays x (ordinary day, federal holiday)
PSEUDO = 0.5  # half a count added to every window: a window of zeros still expects a little
DESIGN = np.column_stack([np.ones(CELLS), np.tile(np.eye(7), (2, 1)), np.repeat([0.0, 1.0], 7)])


@dataclass(frozen=True)
class BaselineSettings:
    level_days: int = 56
    pattern_days: int = 364
    guard_days: int = 7
    min_days: int = 28
    weekday_sd: float = 0.3
    holiday_sd: float = 0.5
    clean_quantile: float = 0.995


@dataclass
class Expected:
    """Per day: the expected count ``mu`` (NaN where no baseline), its dispersion ``alpha`` and the
    number of days with data in its level window; ``cleaned`` are the counts as later baselines use them."""

    mu: np.ndarray
    alpha: np.ndarray
    baseline_days: np.ndarray
    cleaned: np.ndarray


def federal_holidays(dates: pd.DatetimeIndex) -> np.ndarray:
    """True on U.S. federal holidays (the observed dates, as pandas' calendar gives them)."""
    return np.asarray(dates.isin(_holidays(dates.min().year, dates.max().year)))


@functools.cache
def _holidays(first_year: int, last_year: int) -> pd.DatetimeIndex:
    return USFederalHolidayCalendar().holidays(start=f"{first_year}-01-01", end=f"{last_year}-12-31")


def nb_quantile(q: float, mu: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """The q-quantile of a negative binomial with mean ``mu`` and variance ``mu + alpha mu^2`` (Poisson at 0)."""
    mu, alpha = np.broadcast_arrays(np.asarray(mu, float), np.asarray(alpha, float))
    out = np.full(mu.shape, np.nan)
    ok = np.isfinite(mu)
    nb = ok & (alpha > 1e-9)
    po = ok & ~nb
    out[po] = stats.poisson.ppf(q, mu[po])
    size = 1 / alpha[nb]
    out[nb] = stats.nbinom.ppf(q, size, size / (size + mu[nb]))
    return out


def count_cap(q: float, mu: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """The highest count a day is taken at: its q-quantile, but at least 1 (else a near-zero expectation
    would cap every count to 0 and the first counts in months could never count)."""
    return np.maximum(nb_quantile(q, mu, alpha), 1.0)


def _penalty(settings: BaselineSettings) -> np.ndarray:
    return np.diag([0.0] + [settings.weekday_sd**-2] * 7 + [settings.holiday_sd**-2])


def fit_pattern(
    n: np.ndarray, y: np.ndarray, penalty: np.ndarray, *, start: np.ndarray | None = None, steps: int = 25
) -> np.ndarray:
    """Penalised Poisson fit of level + weekday + holiday on cell sums, for many windows at once.

    ``n`` (windows x 14) days per cell, ``y`` counts per cell; returns (windows x 9) coefficients. A
    pseudo-count spread over the window's days keeps the level finite for a window of zeros. ``start``
    (the previous windows' coefficients) saves Newton steps: neighbouring windows differ by a few days.
    """
    y = y + PSEUDO * n / np.maximum(n.sum(axis=1, keepdims=True), 1)
    theta = np.zeros((len(n), DESIGN.shape[1]))
    if start is not None:
        theta[:] = start
    theta[:, 0] = np.log(y.sum(axis=1) / np.maximum((n * np.exp(theta[:, 1:] @ DESIGN[:, 1:].T)).sum(axis=1), 1e-12))
    for _ in range(steps):
        rate = n * np.exp(theta @ DESIGN.T)
        score = (y - rate) @ DESIGN - theta @ penalty
        info = np.einsum("wc,ci,cj->wij", rate, DESIGN, DESIGN) + penalty
        step = np.linalg.solve(info, score[..., None])[..., 0]
        theta += step
        if np.abs(step).max() < 1e-8:
            break
    return theta


def _moments(n, y, y2, offsets):
    """Level and dispersion of level windows given each cell's pattern offset (log scale)."""
    level = np.log((y.sum(axis=1) + PSEUDO) / np.maximum((n * np.exp(offsets)).sum(axis=1), 1e-12))
    mu = np.exp(level[:, None] + offsets)
    days = n.sum(axis=1)
    squares = (y2 - 2 * mu * y + n * mu**2).sum(axis=1) * days / np.maximum(days - 1, 1)
    spread = (n * mu**2).sum(axis=1)
    alpha = np.maximum(0.0, (squares - (n * mu).sum(axis=1)) / np.maximum(spread, 1e-12))
    # the level's own uncertainty: var(log level) ~ 1/count + alpha/days, added as extra dispersion
    alpha = alpha * (1 + 1 / np.maximum(days, 1)) + 1 / (y.sum(axis=1) + PSEUDO)
    return mu, alpha


def expected_counts(counts: np.ndarray, dates: pd.DatetimeIndex, *, settings: BaselineSettings) -> Expected:
    """Rolling expectations for a complete daily grid (``counts`` NaN where a day is missing).

    Example:
        >>> days = pd.date_range("2024-01-01", periods=120)
        >>> exp = expected_counts(np.full(120, 10.0), days, settings=BaselineSettings())
        >>> bool(np.isnan(exp.mu[:35]).all()), round(float(exp.mu[-1]), 1)
        (True, 10.0)
    """
    s = settings
    size = len(counts)
    cell = np.asarray(dates.day_of_week) + 7 * federal_holidays(dates)
    seen = ~np.isnan(counts)
    onehot = np.zeros((size, CELLS))
    onehot[np.arange(size), cell] = seen
    cleaned = counts.copy()
    cum = np.zeros((3, size + 1, CELLS))  # running sums of days, counts and squared counts per cell
    cum[0, 1:] = np.cumsum(onehot, axis=0)
    mu, alpha = np.full(size, np.nan), np.full(size, np.nan)
    days = np.arange(size)
    level_start = np.maximum(days - s.guard_days - s.level_days, 0)
    ends = np.maximum(days - s.guard_days, 0)
    baseline_days = (cum[0, ends] - cum[0, level_start]).sum(axis=1).astype(int)
    targets = np.flatnonzero(baseline_days >= s.min_days)
    penalty = _penalty(s)
    if len(targets):
        first = int(targets[0])
        cleaned[:first] = _cleaned_warmup(counts[:first], onehot[:first], cell[:first], penalty, s)
    filled, theta = 0, None
    for chunk in _chunks(targets, s.guard_days):
        upto = int(chunk[0])  # every window of this chunk ends before it
        values = np.where(seen[filled:upto], cleaned[filled:upto], 0.0)[:, None] * onehot[filled:upto]
        cum[1, filled + 1 : upto + 1] = cum[1, filled] + np.cumsum(values, axis=0)
        cum[2, filled + 1 : upto + 1] = cum[2, filled] + np.cumsum(values**2, axis=0)
        filled = upto
        end = ends[chunk]
        wide = np.maximum(chunk - s.guard_days - s.pattern_days, 0)
        previous = None if theta is None else theta[-1]
        theta = fit_pattern(cum[0, end] - cum[0, wide], cum[1, end] - cum[1, wide], penalty, start=previous)
        offsets = theta[:, 1:] @ DESIGN[:, 1:].T
        start = level_start[chunk]
        sums = cum[:, end] - cum[:, start]
        cell_mu, cell_alpha = _moments(sums[0], sums[1], sums[2], offsets)
        mu[chunk] = cell_mu[np.arange(len(chunk)), cell[chunk]]
        alpha[chunk] = cell_alpha
        cap = count_cap(s.clean_quantile, mu[chunk], alpha[chunk])
        cleaned[chunk] = np.where(seen[chunk], np.minimum(counts[chunk], cap), np.nan)
    return Expected(mu=mu, alpha=alpha, baseline_days=baseline_days, cleaned=cleaned)


def _chunks(targets: np.ndarray, guard: int) -> list[np.ndarray]:
    """Runs of target days spanning less than ``guard`` days: their windows all end before the run starts."""
    out, i = [], 0
    while i < len(targets):
        j = int(np.searchsorted(targets, targets[i] + guard))
        out.append(targets[i:j])
        i = j
    return out


def _cleaned_warmup(counts, onehot, cell, penalty, s: BaselineSettings, *, rounds: int = 3) -> np.ndarray:
    """The first days (before any day has a baseline of its own), capped using a fit to themselves."""
    seen = ~np.isnan(counts)
    cleaned = counts.copy()
    if seen.sum() < 2:
        return cleaned
    for _ in range(rounds):
        values = np.where(seen, cleaned, 0.0)[:, None] * onehot
        n, y, y2 = onehot.sum(axis=0)[None], values.sum(axis=0)[None], (values**2).sum(axis=0)[None]
        theta = fit_pattern(n, y, penalty)
        cell_mu, alpha = _moments(n, y, y2, theta[:, 1:] @ DESIGN[:, 1:].T)
        cap = count_cap(s.clean_quantile, cell_mu[0, cell], np.repeat(alpha, len(cell)))
        cleaned = np.where(seen, np.minimum(counts, cap), np.nan)
    return cleaned
