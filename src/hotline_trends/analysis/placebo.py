"""Placebos: the same test where nothing happened, to see how unusual the event's result is.

Time placebos move the host's window to other periods; space placebos put the event's window on regions
that did not host it. Each placebo's statistic is its surprise under its own baseline, z = the normal
quantile of 1 - (upper-tail mid-p), so big and small regions compare. The event's empirical p-value is
(1 + placebos at least as surprising) / (1 + placebos); its rank is 1 + placebos more surprising.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import special

Z_CAP = 8.0  # a tail probability below 1e-15 is "extreme"; capping keeps z finite and ranks intact


def surprise(upper_tail: np.ndarray, lower_tail: np.ndarray | None = None) -> np.ndarray:
    """z-score of an upper-tail probability (large = more counts than expected).

    With the lower tail as well, a count below expectations takes its z from that tail (-ndtri(upper) and
    ndtri(lower) agree, but 1 - upper has lost the digits of a small lower tail).

    Example:
        >>> surprise(np.array([0.5, 0.025])).round(2).tolist()
        [0.0, 1.96]
        >>> surprise(np.array([1 - 1e-12]), np.array([1e-12])).round(2).tolist()
        [-7.03]
    """
    z = special.ndtri(1.0 - np.clip(upper_tail, 1e-300, 1.0))
    if lower_tail is not None:
        with np.errstate(invalid="ignore"):
            z = np.where(np.asarray(upper_tail) > 0.5, special.ndtri(np.clip(lower_tail, 1e-300, 1.0)), z)
    return np.clip(z, -Z_CAP, Z_CAP)


@dataclass(frozen=True)
class PlaceboSummary:
    statistic: float  # the event's z
    p_value: float | None
    rank: int | None
    n: int
    values: list[dict] = field(default_factory=list)  # kind, label, ratio, z

    def to_dict(self) -> dict:
        return {
            "statistic": "surprise z = normal quantile of 1 - upper-tail mid-p under each series' own baseline",
            "event_z": self.statistic,
            "p_value": self.p_value,
            "rank": self.rank,
            "n": self.n,
            "values": self.values,
        }


def summarise(event_z: float, placebos: list[dict]) -> PlaceboSummary:
    """Empirical p-value and rank of the event among placebos (dicts with 'z')."""
    zs = np.array([p["z"] for p in placebos if p.get("z") is not None and np.isfinite(p["z"])], dtype=float)
    if zs.size == 0 or not np.isfinite(event_z):
        return PlaceboSummary(float(event_z), None, None, int(zs.size), placebos)
    p_value = (1 + int((zs >= event_z).sum())) / (1 + zs.size)
    rank = 1 + int((zs > event_z).sum())
    return PlaceboSummary(float(event_z), float(p_value), rank, int(zs.size), placebos)
