"""Fit the jobs of many plans together: one batched fit per series design, then the time placebos.

Plans on the same panel with the same model terms share a design matrix, so their jobs stack into one
call of ``fit_counts``. Time placebos start from the host's fit and keep its dispersion (they differ from
it by one left-out window), which makes them cheap.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

import numpy as np

from hotline_trends.analysis.eventplan import Plan
from hotline_trends.analysis.gram import Gram
from hotline_trends.analysis.nbfit import POISSON, Fits, fit_counts, means_at, solve_batch
from hotline_trends.analysis.placebo import surprise
from hotline_trends.analysis.predictive import Predictive

# jobs x periods per call: each working array is 8 bytes a cell. Small enough that later chunks reuse
# the memory of earlier ones: filling fresh pages cost more than the arithmetic on some machines.
CHUNK_CELLS = 500_000


def fit_plans(plans: list[Plan], *, chunk_cells: int = CHUNK_CELLS) -> None:
    """Fit every plan's jobs; results go to ``plan.out['main']`` and ``plan.out['time']``.

    Plans with the same panel, offsets, terms and method form a group: their jobs share one design.
    """
    groups: dict[tuple, list[Plan]] = defaultdict(list)
    for plan in plans:
        groups[(id(plan.panel), id(plan.offset), plan.design.terms, plan.settings.method)].append(plan)
    for members in groups.values():
        gram = Gram(members[0].design.X)  # the chunks of a group share their design
        pending: list = []
        for chunk in _chunks(members, chunk_cells):
            _fit_main(chunk, gram, pending)
            _fit_time(chunk, gram, pending)
        _predictives(members[0].design.X, pending)
    # per-plan statistics of a few numbers each: one call for every plan spends less on overhead
    _host_statistics(plans)


def _chunks(plans: list[Plan], cells: int):
    chunk, size = [], 0
    for plan in plans:
        n = (len(plan.main_rows) + len(plan.time_offsets)) * plan.target.size
        if chunk and size + n > cells:
            yield chunk
            chunk, size = [], 0
        chunk.append(plan)
        size += n
    if chunk:
        yield chunk


def _fit_main(plans: list[Plan], gram: Gram, pending: list) -> None:
    first = plans[0]
    X = first.design.X
    rows = np.concatenate([p.main_rows for p in plans])
    y = first.panel.values[rows]  # a group's plans share their panel: one gather, not one per plan and a copy
    mask = np.concatenate([p.main_mask for p in plans])
    offset = None
    if first.offset is not None:
        offset = first.offset[rows]
        mask &= np.isfinite(offset)
        offset = np.nan_to_num(offset)
    groups, base = [], 0
    for p in plans:
        groups.append(np.where(p.alpha_group >= 0, p.alpha_group + base, POISSON))
        base += len(p.main_rows) + 1
    groups = np.concatenate(groups)
    fits = fit_counts(y, X, mask=mask, offset=offset, alpha_group=groups, method=first.settings.method, gram=gram)
    fits, fell_back = _poisson_fallback(fits, y, X, mask, offset, groups, gram)
    cells = _window_cells(plans, [np.zeros(len(p.main_rows), int) for p in plans])
    _store(plans, "main", y, X, fits, cells, offset, [len(p.main_rows) for p in plans], pending)
    start = 0
    for p in plans:
        if fell_back[start]:
            p.dispersion = "none: the negative-binomial fit did not converge (too few counts), so a Poisson baseline"
        start += len(p.main_rows)
    del rows


def _window_cells(plans: list[Plan], shifts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(job, period) of every job's window: each plan's host window moved by its jobs' ``shifts`` (one per job;
    zeros for the main jobs, which share the host's window, the offsets for the time placebos)."""
    jobs, periods, base = [], [], 0
    for p, moved in zip(plans, shifts, strict=True):
        where = np.flatnonzero(p.target)
        jobs.append(np.repeat(np.arange(base, base + len(moved)), where.size))
        periods.append((np.asarray(moved)[:, None] + where[None, :]).ravel())
        base += len(moved)
    return np.concatenate(jobs), np.concatenate(periods)


def _poisson_fallback(fits: Fits, y, X, mask, offset, groups, gram: Gram) -> tuple[Fits, np.ndarray]:
    """Refit as Poisson the negative-binomial jobs that did not converge (sparse counts); flag them."""
    retry = ~fits.ok & (groups != POISSON)
    if retry.any():  # the sums only when a fit failed: they read every period of every job
        retry &= np.where(mask, y, 0.0).sum(axis=1) > 0
    if not retry.any():
        return fits, retry
    again = fit_counts(
        y[retry], X, mask=mask[retry], offset=None if offset is None else offset[retry],
        alpha_group=np.full(int(retry.sum()), POISSON), gram=gram,
    )  # fmt: skip
    merged = {}
    for name in ("beta", "cov", "alpha", "ok", "n_used"):
        values = getattr(fits, name).copy()
        values[retry] = getattr(again, name)
        merged[name] = values
    return Fits(**merged, iterations=fits.iterations), retry & merged["ok"]


def _fit_time(plans: list[Plan], gram: Gram, pending: list) -> None:
    todo = [p for p in plans if len(p.time_offsets) and p.out["main"]["ok"][0]]
    for p in plans:
        p.out["time"] = None
    if not todo:
        return
    X = todo[0].design.X
    sizes = [len(p.time_offsets) for p in todo]
    plan_of_job = np.repeat(np.arange(len(todo)), sizes)
    hosts = np.array([p.host_row for p in todo])[plan_of_job]  # each placebo fits its host's series
    y = todo[0].panel.values[hosts]
    mask = np.concatenate([p.time_masks for p in todo])
    offset = None
    if todo[0].offset is not None:
        offset = todo[0].offset[hosts]
        mask &= np.isfinite(offset)
        offset = np.nan_to_num(offset)
    beta, alpha = (np.stack([p.out["main"][f][0] for p in todo])[plan_of_job] for f in ("beta", "alpha"))
    cells = _window_cells(todo, [p.time_offsets for p in todo])
    beta = _downdated(todo, plan_of_job, X, y, offset, beta, alpha, cells)
    fits = fit_counts(
        y,
        X,
        mask=mask,
        offset=offset,
        alpha_fixed=alpha,
        start=(beta, alpha),
        method=todo[0].settings.method,
        gram=gram,
    )
    _store(todo, "time", y, X, fits, cells, offset, sizes, pending)


def _host_used(plan: Plan) -> np.ndarray:
    """The periods the host's own fit used (its mask, less periods without an offset)."""
    used = plan.main_mask[0]
    return used if plan.offset is None else used & np.isfinite(plan.offset[plan.host_row])


def _downdated(plans, plan_of_job, X, y, offset, beta, alpha, cells) -> np.ndarray:
    """Each time placebo's start: the host's estimate moved by one scoring step for the few periods the
    placebo leaves out. At the host's estimate the score of its own periods is zero, so the step needs only
    those periods and the host's information less theirs; the fit then converges in one pass fewer.

    A placebo fits the host's periods less its window (``cells``): the periods it leaves out are those of
    its window that the host's fit used.
    """
    job, period = cells
    host_used = np.stack([_host_used(p) for p in plans])[plan_of_job[job], period]
    job, period = job[host_used], period[host_used]
    mu = means_at(beta, X, job=job, period=period, offset_at=None if offset is None else offset[job, period])
    scale = 1.0 / (1.0 + alpha[job] * mu)
    rows = X[period]
    info = np.linalg.inv(np.stack([p.out["main"]["cov"][0] for p in plans]))[plan_of_job]  # once per host
    np.subtract.at(info, job, (mu * scale)[:, None, None] * rows[:, :, None] * rows[:, None, :])
    score = np.zeros_like(beta)
    np.subtract.at(score, job, ((y[job, period] - mu) * scale)[:, None] * rows)
    with np.errstate(invalid="ignore"):
        step = solve_batch(info, score)
    ok = np.isfinite(step).all(axis=1)
    return np.where(ok[:, None], beta + np.nan_to_num(step), beta)


def _store(plans, key, y, X, fits, cells, offset, sizes, pending: list[_Pending]) -> None:
    """Per job: fit status and estimates now; the window's predictive and observed total when the group's
    fits are all done (``_predictives``: one call for every chunk spends less on overhead).

    ``cells`` (job, period): the periods of each job's window.
    """
    job, period = cells
    start = 0
    for plan, n in zip(plans, sizes, strict=True):
        part = slice(start, start + n)
        plan.out[key] = {"ok": fits.ok[part], "alpha": fits.alpha[part], "beta": fits.beta[part], "cov": fits.cov[part]}
        start += n
    at = None if offset is None else offset[job, period]
    pending.append(_Pending(plans, key, sizes, fits, job, period, y[job, period], at))


class _Pending(NamedTuple):
    """A chunk's jobs waiting for their window statistics (see ``_store``)."""

    plans: list[Plan]
    key: str
    sizes: list[int]
    fits: Fits
    job: np.ndarray  # the cells of the jobs' windows, jobs numbered within the chunk
    period: np.ndarray
    observed: np.ndarray  # the counts at those cells
    offset: np.ndarray | None  # the offsets there


def _predictives(X: np.ndarray, pending: list[_Pending]) -> None:
    """For the jobs of ``_store``: each window's predictive, observed total, upper-tail p-value and surprise."""
    if not pending:
        return
    bases = np.cumsum([0] + [len(part.fits.ok) for part in pending])
    job = np.concatenate([part.job + base for part, base in zip(pending, bases, strict=False)])
    period, inside = (np.concatenate([getattr(part, f) for part in pending]) for f in ("period", "observed"))
    at = None if pending[0].offset is None else np.concatenate([part.offset for part in pending])
    beta, cov, alpha, ok = (
        np.concatenate([getattr(part.fits, f) for part in pending]) for f in ("beta", "cov", "alpha", "ok")
    )
    pred = Predictive.from_cells(beta, X, cov, np.nan_to_num(alpha), job=job, period=period, offset_at=at)
    missing = np.bincount(job, weights=np.isnan(inside), minlength=bases[-1]) > 0
    observed = np.where(missing, np.nan, np.bincount(job, weights=np.nan_to_num(inside), minlength=bases[-1]))
    with np.errstate(invalid="ignore", divide="ignore"):
        _, upper = pred.p_values(np.nan_to_num(observed))
    upper = np.where(np.isfinite(observed) & ok & (pred.expected > 0), upper, np.nan)
    z = surprise(upper)
    for part, base in zip(pending, bases, strict=False):
        start = base
        for plan, n in zip(part.plans, part.sizes, strict=True):
            jobs = slice(start, start + n)
            plan.out[part.key].update({
                "pred": pred.take(jobs),
                "observed": observed[jobs],
                "p_upper": upper[jobs],
                "z": z[jobs],  # each job's surprise, for the placebos
            })  # fmt: skip
            start += n


def _host_statistics(plans: list[Plan]) -> None:
    """Interval, p-values, ratio interval and MDE of every plan's host window, computed together."""
    fitted = [p for p in plans if p.out["main"]["ok"][0]]
    if not fitted:
        return
    pred = Predictive(
        *(np.array([getattr(p.out["main"]["pred"], f)[0] for p in fitted]) for f in ("expected", "log_sd", "size"))
    )
    observed = np.array([p.out["main"]["observed"][0] for p in fitted])
    p_two, p_up = pred.p_values(observed)
    low, high = pred.quantile(0.025), pred.quantile(0.975)
    r_low, r_high = pred.ratio_interval(observed)
    mde = pred.mde(upper_quantile=high)
    for i, plan in enumerate(fitted):
        plan.out["host"] = {
            "low": float(low[i]), "high": float(high[i]), "p_two": float(p_two[i]), "p_up": float(p_up[i]),
            "r_low": float(r_low[i]), "r_high": float(r_high[i]), "mde": float(mde[i]),
        }  # fmt: skip
