"""Benjamini-Hochberg q-values: how many of the "discoveries" among many events may be false."""

from __future__ import annotations

import numpy as np
from scipy import stats


def bh_qvalues(p_values) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values); missing p-values stay missing and are not counted.

    Example:
        >>> bh_qvalues([0.01, 0.04, 0.03, None]).round(3).tolist()[:3]
        [0.03, 0.04, 0.04]
    """
    p = np.array([np.nan if v is None else v for v in p_values], dtype=float)
    out = np.full(p.shape, np.nan)
    present = np.isfinite(p)
    if present.any():
        out[present] = stats.false_discovery_control(p[present], method="bh")
    return out


def chance_flags(p_values, *, alpha: float = 0.05) -> dict:
    """How many events a test at ``alpha`` flags, how many it would flag by chance alone, and how many
    survive Benjamini-Hochberg at the same level.

    If no event had any effect, each tested event is flagged with probability ``alpha``, so about
    ``alpha × tested`` flags are expected by chance.

    Example:
        >>> chance_flags([0.01, 0.04, 0.03, None, 0.5])
        {'tested': 4, 'flagged': 3, 'expected_by_chance': 0.2, 'flagged_after_fdr': 1, 'alpha': 0.05}
    """
    p = np.array([np.nan if v is None else v for v in p_values], dtype=float)
    tested = int(np.isfinite(p).sum())
    q = bh_qvalues(p_values)
    return {
        "tested": tested,
        "flagged": int((p[np.isfinite(p)] < alpha).sum()),
        "expected_by_chance": round(alpha * tested, 6),
        "flagged_after_fdr": int((q[np.isfinite(q)] < alpha).sum()),
        "alpha": alpha,
    }
