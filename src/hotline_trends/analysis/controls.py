"""Control regions and the difference-in-differences ratio of ratios.

host ratio = (host per period in the window) / (host per period in the comparison periods), the same for
each control; the control index is the weighted mean of the controls' ratios, and

    DiD = host ratio / control index.

Something that moved every region (an awareness campaign, a reporting change) moves the controls too and
cancels; a change specific to the host does not. Events compare the window with a matched pre-window
(``prewindow``: the same periods a year before, so the same length and season), so that regions' different
long-run trends do not leak into the ratio. Controls are picked automatically among regions with a value
in every period used (complete data): the k best correlated with the host over the selection periods (for
events, the baseline before the window) when there are enough of them to correlate, weights proportional
to the correlation; otherwise all complete regions with equal weights. A caller may name controls (equal
weights).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

MIN_CORRELATION_PERIODS = 6


@dataclass(frozen=True)
class Controls:
    rows: np.ndarray  # panel rows of the controls
    weights: np.ndarray
    correlations: np.ndarray  # NaN when not used to choose
    rule: str
    # the controls' totals over the comparison periods and over the window, when the choice summed them
    totals: tuple[np.ndarray, np.ndarray] | None = None


def choose_controls(
    values: np.ndarray,
    *,
    host: int,
    comparison: np.ndarray,
    window: np.ndarray,
    candidates: np.ndarray,
    k: int = 5,
    named: np.ndarray | None = None,
    selection: np.ndarray | None = None,
) -> Controls:
    """Pick controls among ``candidates`` (panel rows) for the host row.

    Args:
        values: panel values (R, T), NaN = missing.
        comparison, window: (T,) bool, the periods compared.
        candidates: rows that may serve (e.g. every region but the host's state).
        k: how many best-correlated controls to keep.
        named: rows the caller chose; used as given, with equal weights.
        selection: (T,) bool, the periods the correlations are computed over (default: ``comparison``);
            controls need a value in these too.
    """
    selection = comparison if selection is None else selection
    used = comparison | window | selection
    if named is not None:
        rows = np.asarray(named, dtype=int)
        complete = np.isfinite(values[rows][:, used]).all(axis=1)
        rows = rows[complete]
        dropped = int((~complete).sum())
        rule = "named by the caller, equal weights" + (
            f"; {dropped} named region(s) lack a value in a period used and were left out" if dropped else ""
        )
        return Controls(rows, _equal(len(rows)), np.full(len(rows), np.nan), rule)
    cand = np.asarray(candidates, dtype=int)
    # the candidates' comparison periods, gathered once, serve the completeness check and the correlations
    # (rows first, then columns by position: several times faster than one fancy index of both)
    rows = values[cand]
    compared = rows.take(np.flatnonzero(comparison), axis=1)
    rest = rows.take(np.flatnonzero(used & ~comparison), axis=1)
    finite = np.isfinite(compared).all(axis=1) & np.isfinite(rest).all(axis=1)
    compared_totals = compared.sum(axis=1)
    keep = finite & (compared_totals > 0)  # a row with a NaN is not kept either way: no nansum needed
    complete = cand[keep]
    if complete.size == 0:
        return Controls(complete, np.zeros(0), np.zeros(0), "no other region has a value in every period used")
    # the totals ``did`` needs, when the window is the periods used beyond the comparison (the same sums)
    totals = None
    if not (window & comparison).any():
        beyond = rest.sum(axis=1) if ((used & ~comparison) == window).all() else rows[:, window].sum(axis=1)
        totals = (compared_totals, beyond)
    if not (selection == comparison).all():  # the correlations over other periods than those compared
        compared = rows.take(np.flatnonzero(selection), axis=1)

    def chosen(at: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        return None if totals is None else (totals[0][keep][at], totals[1][keep][at])

    if selection.sum() < MIN_CORRELATION_PERIODS:
        rule = (
            f"all {complete.size} other regions with a value in every period used, equal weights "
            f"(only {int(selection.sum())} {'comparison' if selection is comparison else 'baseline'} periods: too "
            "few to pick controls by correlation)"
        )
        every = np.arange(complete.size)
        return Controls(complete, _equal(complete.size), np.full(complete.size, np.nan), rule, chosen(every))
    host_compared = values[host].take(np.flatnonzero(selection))
    corr = _correlations(host_compared, compared if keep.all() else compared[keep])
    order = np.argsort(-np.where(np.isnan(corr), -2.0, corr), kind="stable")
    best = order[:k]
    best = best[corr[best] > 0]  # NaN is not > 0
    if best.size == 0:
        rule = f"no complete region correlates positively with the host; all {complete.size}, equal weights"
        return Controls(complete, _equal(complete.size), corr, rule, chosen(np.arange(complete.size)))
    weights = corr[best] / corr[best].sum()
    rule = (
        f"the {best.size} of {complete.size} complete regions best correlated with the host over "
        f"{int(selection.sum())} {'comparison' if selection is comparison else 'baseline'} periods, weighted by "
        "correlation"
    )
    return Controls(complete[best], weights, corr[best], rule, chosen(best))


def _equal(n: int) -> np.ndarray:
    return np.full(n, 1.0 / n) if n else np.zeros(0)


def _correlations(host: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Pearson correlation of the host with each row of ``others`` (NaN for a constant series)."""
    a = host - host.mean()
    b = others - others.mean(axis=1, keepdims=True)
    denom = np.sqrt(a @ a * np.einsum("ij,ij->i", b, b))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, b @ a / denom, np.nan)


@dataclass(frozen=True)
class DiD:
    ratio: float
    low: float
    high: float
    p_value: float
    host_ratio: float
    control_index: float
    control_ratios: np.ndarray
    undefined: str | None = None  # why there is no ratio (a zero total)


def did(
    host: np.ndarray,
    controls: np.ndarray | None,
    weights: np.ndarray,
    *,
    comparison: np.ndarray,
    window: np.ndarray,
    host_alpha: float = 0.0,
    control_alphas: np.ndarray | None = None,
    level: float = 0.95,
    control_totals: tuple[np.ndarray, np.ndarray] | None = None,
) -> DiD:
    """Ratio of ratios with a delta-method interval (negative-binomial variance of each sum).

    Each ratio uses means per period, so windows and comparison stretches of any length compare. The
    log-variance of a sum of m periods with total S is about 1/S + alpha/m (count noise plus
    overdispersion); a zero total uses 0.5 in the variance only. ``control_totals`` (comparison, window),
    when the caller has them (``Controls.totals``), stand for the sums of ``controls`` (then None).

    Example:
        >>> host = np.array([10, 10, 10, 10, 15.0])
        >>> ctrl = np.array([[20, 20, 20, 20, 22.0], [5, 5, 5, 5, 5.0]])
        >>> w = np.array([True, True, True, True, False])
        >>> round(did(host, ctrl, np.array([0.5, 0.5]), comparison=w, window=~w).ratio, 6)
        1.428571
    """
    n_controls = len(controls) if control_totals is None else len(control_totals[0])
    control_alphas = np.zeros(n_controls) if control_alphas is None else np.asarray(control_alphas)
    n_c, n_w = int(comparison.sum()), int(window.sum())
    comp_at, win_at = np.flatnonzero(comparison), np.flatnonzero(window)  # positions: faster than masks on 2-D
    h_comp, h_win = host.take(comp_at).sum(), host.take(win_at).sum()
    if control_totals is None:
        c_comp, c_win = controls.take(comp_at, axis=1).sum(axis=1), controls.take(win_at, axis=1).sum(axis=1)
    else:  # as ``Controls.totals`` has them (summed when they were chosen)
        c_comp, c_win = control_totals
    if h_comp <= 0 or (c_comp <= 0).any():
        nan = float("nan")
        return DiD(nan, nan, nan, nan, nan, nan, np.full(n_controls, nan), "a comparison total is zero")
    host_ratio = (h_win / n_w) / (h_comp / n_c)
    ratios = (c_win / n_w) / (c_comp / n_c)
    index = float(weights @ ratios)
    if index <= 0:
        nan = float("nan")
        return DiD(nan, nan, nan, nan, float(host_ratio), 0.0, ratios, "the controls counted nothing in the window")
    v_host = _log_var(h_win, host_alpha, n_w) + _log_var(h_comp, host_alpha, n_c)
    v_ratios = _log_var(c_win, control_alphas, n_w) + _log_var(c_comp, control_alphas, n_c)
    v_index = float((weights**2 * ratios**2 * v_ratios).sum()) / index**2
    se = np.sqrt(v_host + v_index)
    ratio = host_ratio / index
    z = special.ndtri(0.5 + level / 2)
    log_ratio = np.log(ratio) if ratio > 0 else np.log(0.5 / n_w / (h_comp / n_c) / index)
    low = float(np.exp(log_ratio - z * se)) if ratio > 0 else 0.0
    high = float(np.exp(log_ratio + z * se))
    p = float(2 * special.ndtr(-abs(log_ratio) / se))
    return DiD(float(ratio), low, high, p, float(host_ratio), index, ratios)


def _log_var(total, alpha, periods: int):
    return 1.0 / np.maximum(total, 0.5) + np.asarray(alpha) / periods
