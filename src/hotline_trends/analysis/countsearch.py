"""The smallest count meeting a monotone condition, per window: bisection that starts from a narrow bracket.

Quantiles and critical counts of the predictive distributions are found by bisection over the integers,
and each step costs a special function per window. The answer does not depend on the bracket (it is the
smallest accepted integer), so a bracket around a normal approximation, checked with two evaluations,
saves most of the halvings from a wide one; the windows whose bracket is still wide continue alone.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Accept = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (counts, windows) -> accepted, for those windows


def smallest_accepted(
    hi: np.ndarray,
    accept: Accept,
    *,
    guess: np.ndarray | None = None,
    width: np.ndarray | None = None,
    widen: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
) -> np.ndarray:
    """The smallest integer k in [0, hi] with ``accept(k)`` (monotone in k), per window.

    Args:
        hi: (J,) upper ends; NaN stays NaN.
        accept: accept(k, rows) for the windows ``rows`` (k has their length).
        guess, width: where the answer probably is, and how far either side to look first.
        widen: widen(hi, rows) -> the upper ends of those windows made acceptable (the caller's search
            outward, e.g. doubling); called for the windows whose narrow bracket did not confirm an upper end.

    Returns the upper end itself when nothing in [0, hi] is accepted (at most 64 halvings, as before).
    """
    hi = np.array(hi, dtype=float)
    lo = np.full_like(hi, -1.0)
    confirmed = np.zeros(hi.shape, bool)
    if guess is not None and width is not None:
        with np.errstate(invalid="ignore"):
            a = np.maximum(np.floor(guess - width), -1.0)
            b = np.ceil(guess + width)
            near = np.flatnonzero(np.isfinite(a) & np.isfinite(b) & (a < b) & (b < hi))
        if near.size:
            # every evaluation narrows a valid bracket: accepted values bound k from above, rejected from below
            ok_b = accept(b[near], near)
            hi[near[ok_b]] = b[near[ok_b]]
            lo[near[~ok_b]] = b[near[~ok_b]]
            confirmed[near[ok_b]] = True
            inner = near[ok_b & (a[near] >= 0)]  # -1 counts as rejected without asking
            if inner.size:
                ok_a = accept(a[inner], inner)
                hi[inner[ok_a]] = a[inner[ok_a]]
                lo[inner[~ok_a]] = a[inner[~ok_a]]
    if widen is not None:
        rest = np.flatnonzero(~confirmed)
        if rest.size:
            hi[rest] = widen(hi[rest], rest)
    for _ in range(64):
        rows = np.flatnonzero(hi - lo > 1)
        if rows.size == 0:
            break
        mid = np.floor((lo[rows] + hi[rows]) / 2.0)
        ok = accept(mid, rows)
        hi[rows] = np.where(ok, mid, hi[rows])
        lo[rows] = np.where(ok, lo[rows], mid)
    return hi


def doubling(accept: Accept, cap: float) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """A ``widen`` for ``smallest_accepted``: each upper end doubled (up to ``cap``) until it is accepted."""

    def widen(hi: np.ndarray, rows: np.ndarray) -> np.ndarray:
        for _ in range(64):
            short = ~accept(hi, rows) & (hi < cap)
            if not short.any():
                break
            hi = np.where(short, np.minimum(hi * 2.0, cap), hi)
        return hi

    return widen


def crossing(
    f: Callable[[np.ndarray, np.ndarray], np.ndarray],
    target: float,
    lo: np.ndarray,
    hi: np.ndarray,
    steps: int,
    *,
    guess: np.ndarray | None = None,
    width: float = 0.01,
) -> np.ndarray:
    """Where an increasing f(x, rows) crosses ``target``: ``steps`` halvings of [lo, hi] per window.

    The midpoints and the answer are those of plain bisection. A bracket ``guess`` +- ``width``, checked
    with two evaluations, decides without evaluating every midpoint outside it (f below the target at a
    point is below it at every point to its left, and the same for above to the right).
    """
    lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
    below_at = np.full(lo.shape, -np.inf)  # f is below the target here and to the left
    above_at = np.full(lo.shape, np.inf)  # f is at or above it here and to the right
    if guess is not None:
        with np.errstate(invalid="ignore"):
            near = np.flatnonzero(np.isfinite(guess) & (guess - width > lo) & (guess + width < hi))
        for x in (guess[near] - width, guess[near] + width):
            _narrow(f(x, near) < target, x, near, below_at, above_at)
    for _ in range(steps):
        mid = (lo + hi) / 2.0
        below = mid <= below_at
        ask = np.flatnonzero(~below & (mid < above_at))
        if ask.size:
            below[ask] = f(mid[ask], ask) < target
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return (lo + hi) / 2.0


def _narrow(below: np.ndarray, x: np.ndarray, rows: np.ndarray, below_at: np.ndarray, above_at: np.ndarray) -> None:
    """Record evaluations at ``x`` of the windows ``rows``: below the target there bounds the crossing from the
    left, at or above it from the right."""
    below_at[rows[below]] = np.maximum(below_at[rows[below]], x[below])
    above_at[rows[~below]] = np.minimum(above_at[rows[~below]], x[~below])
