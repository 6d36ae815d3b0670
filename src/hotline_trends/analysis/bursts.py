"""One-period bursts: a count far beyond what its baseline allows for any of its periods.

A sting produces a burst of arrests on one day; a model of independent periods would read it as an
event's effect (in a window) or as ordinary noise (in the baseline, inflating the dispersion and hiding
real changes). A period is a burst when its count is in either tail of its own negative-binomial
distribution beyond 1% / n (half of it each side), with n the periods looked at (Bonferroni: a model that
fits would show one among them only one time in a hundred). In the spirit of the outbreak-detection
baselines that down-weight past outbreaks (Farrington et al. 1996; Noufaily et al. 2013):

- in a baseline (n its periods), bursts are left out of the fit (and the fit is repeated, at most
  ``ROUNDS`` times);
- in a window of several periods, the event's or a placebo's (n its periods), a burst counts only up to
  that tail's limit, so one day cannot make a week a spike (nor a missing-data zero a drop). A window of
  one period is left as it is: its one period is the whole window, not a part of it.

Only daily, weekly and monthly series are checked (a sting is a burst in a day or a month; in a quarter or
a year it is part of the count's ordinary variation), and only baselines with an estimated dispersion:
under a Poisson fallback a burst cannot be told from overdispersion the model could not estimate.
"""

from __future__ import annotations

import numpy as np
from scipy import special

FAMILY_LEVEL = 0.01
ROUNDS = 3
KINDS = ("day", "week", "month")  # the series whose periods can hold a burst


def tail_level(n_baseline: np.ndarray) -> np.ndarray:
    """Each side's tail probability below which a period is a burst, for baselines of n periods.

    Example:
        >>> [float(f"{v:.3g}") for v in tail_level(np.array([730, 7]))]
        [6.85e-06, 0.000714]
    """
    return FAMILY_LEVEL / 2.0 / np.maximum(np.asarray(n_baseline, float), 1.0)


def window_level(periods: np.ndarray) -> np.ndarray:
    """``tail_level`` for windows of these many periods; 0 (nothing is a burst) for a one-period window.

    Example:
        >>> window_level(np.array([7, 1])).tolist()[1]
        0.0
    """
    periods = np.asarray(periods)
    return np.where(periods >= 2, tail_level(periods), 0.0)


# Which counts need their tails computed: a count at most 2 standard deviations above its mean has an upper
# tail above 0.011 whatever the mean and the dispersion, and one at most 2 below, with alpha <= 0.1, a
# lower tail above 0.0046 (means 1e-3..1e7, alphas 1e-8..100; checked in the tests), above any level used
# here (at most 0.5% / 2). A very overdispersed count below its mean can have a tiny lower tail (a zero
# of a geometric with mean 1e6 has one of 1e-6 at -1 sd): those are always computed.
SCREEN_Z, SCREEN_ALPHA, SCREEN_LEVEL = 2.0, 0.1, 0.0025


def _tails(y: np.ndarray, mu: np.ndarray, alpha: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(Y >= y) and P(Y <= y) per cell, under NB(mu, alpha) (Poisson where alpha is 0)."""
    y = np.maximum(np.nan_to_num(y), 0.0)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        nb = alpha > 0
        size = np.where(nb, 1.0 / np.where(nb, alpha, 1.0), 1.0)
        # P(Y >= y) = P(Y > y - 1); P(Y <= y)
        above = np.where(
            nb,
            special.betainc(np.maximum(y, 1e-300), size, mu / (size + mu)),
            special.gammainc(np.maximum(y, 1e-300), mu),
        )
        above = np.where(y <= 0, 1.0, above)
        below = np.where(nb, special.betainc(size, y + 1.0, size / (size + mu)), special.gammaincc(y + 1.0, mu))
    return above, below


def flag(y: np.ndarray, mu: np.ndarray, alpha: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Cells (any shape, broadcast together) whose count is a burst: either tail below ``level``."""
    y, mu, alpha, level = np.broadcast_arrays(*(np.asarray(v, float) for v in (y, mu, alpha, level)))
    out = np.zeros(y.shape, bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        far = np.abs(y - mu) > SCREEN_Z * np.sqrt(mu + alpha * mu * mu)
    skewed = (alpha > SCREEN_ALPHA) & (y < mu)
    look = np.isfinite(y) & (alpha > 0) & (level > 0) & (far | skewed | (level > SCREEN_LEVEL))
    if look.any():
        above, below = _tails(y[look], mu[look], alpha[look])
        out[look] = (above < level[look]) | (below < level[look])
    return out


def capped(y: np.ndarray, mu: np.ndarray, alpha: np.ndarray, level: np.ndarray) -> np.ndarray:
    """The counts with each burst brought to its tail's limit: the largest count whose upper tail is
    still at least ``level`` (the smallest whose lower tail is, for a burst below)."""
    y, mu, alpha, level = np.broadcast_arrays(*(np.asarray(v, float) for v in (y, mu, alpha, level)))
    out = y.copy()
    bursts = flag(y, mu, alpha, level)
    if not bursts.any():
        return out
    at = np.flatnonzero(bursts.ravel())
    value, m, a, q = (v.ravel()[at] for v in (y, mu, alpha, level))
    high = _search(lambda k: _tails(k + 1.0, m, a)[0] <= q, m, a)  # smallest k with P(Y > k) <= q
    low = _search(lambda k: _tails(k, m, a)[1] >= q, m, a)  # smallest k with P(Y <= k) >= q
    flat = out.ravel()
    flat[at] = np.where(value > high, high, np.where(value < low, low, value))
    return flat.reshape(out.shape)


def _search(accept, mu: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """The smallest count k >= 0 with ``accept(k)`` (monotone), per cell: doubling, then bisection."""
    sd = np.sqrt(mu + alpha * mu * mu)
    hi = np.ceil(mu + 10.0 * sd + 10.0)
    while not (ok := accept(hi)).all():
        hi = np.where(ok, hi, 2.0 * hi)
    lo = np.full(hi.shape, -1.0)  # -1 is never accepted: the answer is in (lo, hi]
    while (hi - lo > 1).any():
        mid = np.floor((lo + hi) / 2.0)
        ok = accept(np.maximum(mid, 0.0)) & (mid >= 0)
        hi, lo = np.where(ok, mid, hi), np.where(ok, lo, mid)
    return hi
