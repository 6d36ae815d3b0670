"""Where the searches of the predictive statistics start: normal approximations to the total.

A quantile, a critical count, a ratio interval and an MDE are found by bisection on the exact predictive
distribution (``countsearch``). A normal with the total's mean and variance puts each answer within a
few percent, which lets the bisection skip most evaluations; the answers themselves never depend on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy import special

if TYPE_CHECKING:
    from hotline_trends.analysis.predictive import Predictive


def normal_quantile(pred: Predictive, q: float) -> tuple[np.ndarray, np.ndarray]:
    """The q-quantile of a normal with each total's mean and variance, and a quarter of its sd (at least one
    count): where a search for a quantile starts, and how far either side it looks first."""
    with np.errstate(over="ignore", invalid="ignore"):
        sd = np.sqrt(np.maximum(pred.variance(), 0.0))
        mean = pred.expected * np.exp(pred.log_sd**2 / 2.0)
        return mean + special.ndtri(q) * sd, np.maximum(0.25 * sd, 1.0)


def normal_theta(pred: Predictive, count: np.ndarray, z: float, upper: bool) -> np.ndarray:
    """log theta at which ``count`` is z sds from the mean of that normal when every expected count is
    multiplied by theta: the larger root if ``upper``, else the smaller; NaN when there is none."""
    s2 = pred.log_sd**2
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        inv_size = np.where(np.isfinite(pred.size), 1.0 / pred.size, 0.0)
        a = pred.expected * np.exp(s2 / 2.0)  # mean = theta a, variance = theta a + theta**2 b
        b = pred.expected**2 * (np.exp(2.0 * s2) * (1.0 + inv_size) - np.exp(s2))
        quad, lin = a * a - z * z * b, 2.0 * count * a + z * z * a
        root = np.sqrt(lin * lin - 4.0 * quad * count * count)
        theta = (lin + root) / (2.0 * quad) if upper else (lin - root) / (2.0 * quad)
        return np.where(quad > 0, np.log(theta), np.nan)
