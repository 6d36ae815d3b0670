"""The matched pre-window a difference in differences compares the event's window with.

The same periods a year earlier (52 weeks for days, so the days of the week match too): the same length
and the same season, and near enough in time that regions' different long-run trends hardly enter the
ratio (comparing with every period before the event lets them in). If that year is not in the host's
baseline, two and then three years earlier; failing those, the window of the same length just before
the event (same length and nearest in time, but another season, which the result says).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SEASON = {"day": 364, "week": 52, "month": 12, "quarter": 4, "half-year": 2, "year": 1}  # periods in a year
YEARS_BACK = 3


@dataclass(frozen=True)
class PreWindow:
    periods: np.ndarray  # (T,) bool
    shift: int  # periods before the window
    words: str  # how it was chosen


def matched_prewindow(target: np.ndarray, baseline: np.ndarray, *, kind: str) -> PreWindow | None:
    """The pre-window for the window ``target`` among the ``baseline`` periods, or None.

    Example:
        >>> target = np.zeros(30, bool); target[26] = True
        >>> matched_prewindow(target, ~target, kind="month").words
        'the same month a year earlier (same length and season)'
    """
    positions = np.flatnonzero(target)
    if positions.size == 0:
        return None
    span = int(positions[-1] - positions[0] + 1)
    n = positions.size
    what = kind if n == 1 else f"{n} {kind}s"
    season = SEASON.get(kind)
    tries = []
    if season is not None:
        years = {1: "a year", 2: "two years", 3: "three years"}
        tries += [
            (k * season, f"the same {what} {years[k]} earlier (same length and season)")
            for k in range(1, YEARS_BACK + 1)
        ]
        if kind == "year":
            tries = [(1, f"the {what} before")] + [(k, f"the {what} {years[k]} earlier") for k in (2, 3)]
    tries.append(
        (
            span,
            f"the {what} just before the window (same length; no year-earlier window in the baseline, so not the same season)",
        )
    )
    for shift, words in tries:
        moved = positions - shift
        if moved.min() >= 0 and baseline[moved].all():
            periods = np.zeros_like(target)
            periods[moved] = True
            return PreWindow(periods, shift, words)
    return None
