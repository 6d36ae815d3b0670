"""In-time placebos: every other non-overlapping window of the event's length in the host's own baseline.

The event's window is moved by whole multiples of its span (a 7-day window to every other week, keeping its
days of the week; a month to every other month), keeping the moves whose periods are all in the baseline.
Each placebo window is tested as the event was: the host's baseline without that window (one scoring step
from the host's fit with the window's periods taken out, see ``leave_out``), the same checks' widening,
the same treatment of bursts, the same surprise z. The event's empirical p-value is two-sided, from how far
each window's z is from the median z of all of them (the event's included), m:

    p = (1 + #{placebos with |z - m| >= |event z - m|}) / (1 + n)

so reaching 0.05 needs at least 19 placebos (the event the most unusual of 20). Under any model, right or
wrong, the event's rank among windows of the same series is uniform when nothing happened (they are
exchangeable), which is what makes this test hold on series that break the model (correlated days,
bursts, holidays). Folding both tails into one ranking keeps the test's level close to alpha with a
hundred placebos (5 of 104 is 4.8%), where a rank in each tail separately could only reach 2 of 104
(3.8%) each side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hotline_trends.analysis.nbfit import MAX_ETA, means_at, solve_batch
from hotline_trends.analysis.predictive import Predictive


def window_offsets(target: np.ndarray, baseline: np.ndarray, *, most: int | None = None) -> np.ndarray:
    """Moves (in periods) of the window ``target`` by multiples of its span to windows inside ``baseline``.

    ``most``: keep only that many, the nearest to the event (None: all).

    Example:
        >>> target = np.zeros(20, bool); target[8:10] = True
        >>> window_offsets(target, ~target).tolist()
        [-8, -6, -4, -2, 2, 4, 6, 8, 10]
    """
    positions = np.flatnonzero(target)
    if positions.size == 0:
        return np.zeros(0, dtype=int)
    T = target.size
    span = int(positions[-1] - positions[0] + 1)
    multiples = np.arange(-(positions[0] // span), (T - 1 - positions[-1]) // span + 1)
    shifts = multiples[multiples != 0] * span
    inside = np.ones(shifts.size, bool)
    for p in positions:  # a window is a few periods: loop over them, not over the moves
        inside &= baseline[p + shifts]
    shifts = shifts[inside]
    if most is not None and shifts.size > most:
        shifts = np.sort(shifts[np.argsort(np.abs(shifts), kind="stable")[:most]])
    return shifts.astype(int)


def leave_out(beta, info, alpha, X, y, offset_at, *, job, period) -> tuple[np.ndarray, np.ndarray]:
    """One scoring step from each job's fit (``beta`` (J, P), information ``info`` (J, P, P), overwritten,
    ``alpha`` (J,)) with the cells (``job[i]``, ``period[i]``; counts ``y`` there) taken out of it: (the
    moved estimates, their information matrices).

    At the fit's estimate the score of its own periods is zero, so the step needs only the periods left out
    and the information less theirs (Pregibon's one-step deletion, 1981). A job whose step fails keeps its
    estimate.
    """
    J, P = beta.shape
    mu = means_at(beta, X, job=job, period=period, offset_at=offset_at)
    scale = 1.0 / (1.0 + alpha[job] * mu)
    weight, resid = mu * scale, (y - mu) * scale
    rows = X[period]
    for p in range(P):  # per entry, a weighted count per job: no (cells, P, P) array, no slow ufunc.at
        for q in range(p, P):
            info[:, p, q] -= np.bincount(job, weights=weight * rows[:, p] * rows[:, q], minlength=J)
            if q != p:
                info[:, q, p] = info[:, p, q]
    score = -np.stack([np.bincount(job, weights=resid * rows[:, p], minlength=J) for p in range(P)], axis=1)
    with np.errstate(invalid="ignore"):
        step = solve_batch(info, score)
    ok = np.isfinite(step).all(axis=1)
    return np.where(ok[:, None], beta + np.nan_to_num(step), beta), info


def window_predictives(beta, cov, alpha, X, y, offset, *, owner, periods, used) -> tuple[Predictive, np.ndarray]:
    """Each in-time window tested against its series' baseline without it: (the windows' predictives, the
    fitted means at their periods (J, L)).

    The estimate is ``leave_out``'s one scoring step, with the information less the window's inverted by
    the Woodbury identity from the series' own covariance (a window of L periods costs an L x L solve, not a
    P x P inverse); the predictive's parameter uncertainty uses that same covariance.

    Args:
        beta (K, P), cov (K, P, P), alpha (K,): the series' fits.
        y, offset (or None), used: (J, L) at each window's periods: counts, offsets, and whether the series'
            fit used the period (bursts it left out are not taken out again).
        owner: (J,) the series of each window, in runs; periods: (J, L) the windows' periods.
    """
    J, L = periods.shape
    rows = X[periods]  # (J, L, P)
    a = alpha[owner][:, None]
    mu = _means(rows, beta[owner], offset)
    w = np.where(used, mu / (1.0 + a * mu), 0.0)
    score = np.einsum("jlp,jl->jp", rows, np.where(used, (y - mu) / (1.0 + a * mu), 0.0))
    u = rows * np.sqrt(w)[:, :, None]  # the information the window holds is u'u
    c, a_score = np.empty_like(u), np.empty_like(score)  # u A^-1 and A^-1 score, series by series
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    for start, end in zip(starts, np.r_[starts[1:], J], strict=True):
        c[start:end] = u[start:end] @ cov[owner[start]]
        a_score[start:end] = score[start:end] @ cov[owner[start]]
    m = np.eye(L)[None] - np.einsum("jlp,jmp->jlm", c, u)  # (A - u'u)^-1 = A^-1 + c' m^-1 c
    with np.errstate(invalid="ignore"):
        inner = solve_batch(m, np.einsum("jlp,jp->jl", c, score))
    step = -(a_score + np.einsum("jlp,jl->jp", c, inner))  # the score the window took out, reversed
    ok = np.isfinite(step).all(axis=1)
    moved = beta[owner] + np.where(ok[:, None], step, 0.0)
    mu = _means(rows, moved, offset)
    total = mu.sum(axis=1)
    grad = np.einsum("jl,jlp->jp", mu, rows) / np.where(total > 0, total, 1.0)[:, None]
    log_var = np.empty(J)
    for start, end in zip(starts, np.r_[starts[1:], J], strict=True):
        g = grad[start:end]
        log_var[start:end] = np.einsum("jp,jp->j", g @ cov[owner[start]], g)
    with np.errstate(invalid="ignore"):
        cg = np.einsum("jlp,jp->jl", c, grad)
        log_var += np.where(ok, np.einsum("jl,jl->j", cg, np.nan_to_num(solve_batch(m, cg))), 0.0)
    return Predictive.from_parts(total, log_var, alpha[owner] * (mu * mu).sum(axis=1)), mu


def _means(rows: np.ndarray, beta: np.ndarray, offset: np.ndarray | None) -> np.ndarray:
    eta = np.einsum("jlp,jp->jl", rows, np.nan_to_num(beta))
    if offset is not None:
        eta += offset
    return np.exp(np.minimum(eta, MAX_ETA))


@dataclass(frozen=True)
class InTime:
    """The event among its host's own windows."""

    n: int
    p_value: float | None  # two-sided: (1 + placebos at least as far from the median) / (1 + n)
    rank: int | None  # 1 + placebos farther from the median: 1 is the most unusual
    direction: str | None  # "up" or "down": the event's side of the median
    enough: bool  # whether n allows p <= level at all
    level: float
    unit: str  # what the placebos are, plural: "7-day windows", "months", ...
    owner: str = "the host's own"  # whose they are, in words
    median: float | None = None  # the median z of the windows, the event's included

    @property
    def needed(self) -> int:
        """Placebos needed for the p-value to reach the level: 1 / (n + 1) <= level."""
        return int(np.ceil(1.0 / self.level - 1.0 - 1e-9))

    def to_dict(self) -> dict:
        return {
            "n": self.n,
            "p_value": self.p_value,
            "rank": self.rank,
            "of": self.n + 1,
            "direction": self.direction,
            "enough": self.enough,
            "needed": self.needed,
            "unit": self.unit,
            "owner": self.owner,
            "median_z": self.median,
            "statistic": (
                "how far each window's surprise z (each tested against the host's baseline without it) is from "
                "the median z of all of them"
            ),
        }


def rank_in_time(
    event_z: float, placebo_z: np.ndarray, *, level: float, unit: str, owner: str = "the host's own"
) -> InTime:
    """The event's two-sided empirical p-value and rank among its in-time placebos.

    Example:
        >>> r = rank_in_time(3.1, np.linspace(-2, 2, 19), level=0.05, unit="7-day windows")
        >>> (r.rank, r.p_value, r.enough, r.direction)
        (1, 0.05, True, 'up')
    """
    zs = np.asarray(placebo_z, float)
    zs = zs[np.isfinite(zs)]
    n = int(zs.size)
    enough = n > 0 and 1.0 / (n + 1) <= level + 1e-12
    if n == 0 or not np.isfinite(event_z):
        return InTime(n, None, None, None, enough, level, unit, owner)
    median = float(np.median(np.append(zs, event_z)))
    far, event_far = np.abs(zs - median), abs(event_z - median)
    p_value = (1 + int((far >= event_far).sum())) / (n + 1)
    rank = 1 + int((far > event_far).sum())
    direction = "up" if event_z >= median else "down"
    return InTime(n, p_value, rank, direction, enough, level, unit, owner, median)
