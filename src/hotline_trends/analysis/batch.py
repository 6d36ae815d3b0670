"""Fit the jobs of many plans together: one batched fit per series design, then the windows' statistics.

Plans on the same panel with the same model terms share a design matrix, so their jobs stack into one
call of ``fit_counts``. Per chunk of plans:

1. the main jobs (host, other regions): fitted, refitted without their bursts (``bursts``), refitted as
   Poisson where the negative binomial did not converge, then checked (``checks``);
2. the relative periods (studies): the host with another window left out, started from the host's fit
   and keeping its dispersion;
3. the in-time placebos (``intime``): every other window of the host, each one scoring step from the
   host's fit with that window left out.

Then every window's predictive (widened where the checks failed), observed and tested totals, upper-tail
p-value and surprise are computed together, and each plan's host statistics.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

import numpy as np
from scipy import special

from hotline_trends.analysis import bursts
from hotline_trends.analysis.breaks import find_shift, shift_side
from hotline_trends.analysis.checks import Checks, run_checks
from hotline_trends.analysis.eventplan import Plan
from hotline_trends.analysis.gram import Gram
from hotline_trends.analysis.intime import leave_out, window_offsets, window_predictives
from hotline_trends.analysis.nbfit import POISSON, Fits, fit_counts, fitted_means, means_at
from hotline_trends.analysis.placebo import Z_CAP
from hotline_trends.analysis.predictive import Predictive

# jobs x periods per call: each working array is 8 bytes a cell. Small enough that later chunks reuse
# the memory of earlier ones: filling fresh pages cost more than the arithmetic on some machines.
CHUNK_CELLS = 500_000


def fit_plans(plans: list[Plan], *, chunk_cells: int = CHUNK_CELLS) -> None:
    """Fit every plan's jobs; results go to ``plan.out['main']``, ``['time']``, ``['intime']``, ``['host']``.

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
            _in_time(chunk)
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
    fitted_mask = mask & np.isfinite(y)
    final_mask = fitted_mask
    if first.panel.kind in bursts.KINDS:
        fits, final_mask = _without_bursts(fits, y, X, fitted_mask, offset, groups, gram, first.settings.method)
    side = np.ones(final_mask.shape, bool)
    if first.panel.kind == "day":
        fits, final_mask, side = _event_side_of_shifts(plans, fits, y, X, final_mask, offset, groups, gram)
    sizes = [len(p.main_rows) for p in plans]
    periods = np.concatenate([np.full(len(p.main_rows), int(p.target.sum())) for p in plans])
    checks = run_checks(
        y, fitted_means(fits.beta, X, offset), fits.alpha, final_mask & fits.ok[:, None], n_params=X.shape[1],
        window_periods=periods, daily=first.panel.kind == "day",
    )  # fmt: skip
    cells = _window_cells(plans, [np.zeros(n, int) for n in sizes])
    # a window's burst: beyond what the model allows for any of its periods
    level = bursts.window_level(periods) if first.panel.kind in bursts.KINDS else np.zeros(len(periods))
    _store(plans, "main", y, X, fits, cells, offset, sizes, pending, checks, level)
    start = 0
    for p, n in zip(plans, sizes, strict=True):
        if fell_back[start]:
            p.dispersion = "none: the negative-binomial fit did not converge (too few counts), so a Poisson baseline"
        p.out["main"]["host_mask"] = final_mask[start]
        p.out["main"]["bursts"] = np.flatnonzero(fitted_mask[start] & side[start] & ~final_mask[start])
        start += n


def _event_side_of_shifts(plans: list[Plan], fits: Fits, y, X, mask, offset, groups, gram: Gram):
    """Hosts whose baseline shows a level shift the registry does not know (``breaks.find_shift``, a
    reporting change): refitted on the event's side of it, as for a registered break, when that side keeps
    at least a year; the plan's in-time placebos and relative periods stay on that side too.

    Returns (fits, mask, side): ``side`` (J, T) the periods each job keeps by this rule (all where none).
    Only hosts with a dispersion of their own or a Poisson one are looked at (a shared one is refitted with
    its whole group; not worth it for the short series that share).
    """
    J, T = mask.shape
    side = np.ones((J, T), bool)
    starts = np.cumsum([0] + [len(p.main_rows) for p in plans])[:-1]
    alone = np.bincount(np.where(groups >= 0, groups, 0), minlength=int(groups.max(initial=0)) + 1)
    look = [
        (p, int(j))
        for p, j in zip(plans, starts, strict=True)
        if fits.ok[j] and (groups[j] == POISSON or alone[groups[j]] == 1)
    ]
    if not look:
        return fits, mask, side
    rows = np.array([j for _, j in look])
    mu = fitted_means(fits.beta[rows], X, None if offset is None else offset[rows])
    a = np.nan_to_num(fits.alpha[rows])[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        resid = np.nan_to_num((np.nan_to_num(y[rows]) - mu) / np.sqrt(mu + a * mu * mu))
    redo, found = [], []
    for (p, j), r in zip(look, resid, strict=True):
        shift = find_shift(r, mask[j])
        if shift is None:
            continue
        keep, record = shift_side(shift, p.target, mask[j], p.panel.periods)
        p.breaks.append(record)
        if keep is not None:
            side[j] = keep
            redo.append(j)
            found.append(p)
    if not redo:
        return fits, mask, side
    redo = np.array(redo)
    trial = mask[redo] & side[redo]
    poisson = np.nan_to_num(fits.alpha[redo]) <= 0  # planned Poisson, or fallen back to it
    again = fit_counts(
        y[redo], X, mask=trial, offset=None if offset is None else offset[redo], alpha_group=np.arange(redo.size),
        alpha_fixed=np.where(poisson, 0.0, np.nan), start=(fits.beta[redo], fits.alpha[redo]), gram=gram,
        method=found[0].settings.method,
    )  # fmt: skip
    took = np.zeros(J, bool)
    took[redo[again.ok]] = True
    fits = _merged(fits, _subset(again, again.ok), took)
    mask = mask.copy()
    mask[took] = trial[again.ok]
    side[redo[~again.ok]] = True  # a refit that fails keeps the whole baseline (and its checks widen)
    for p, j in zip(found, redo, strict=True):
        if took[j]:
            baseline = p.fitted & side[j]
            if p.offset is not None:
                baseline &= np.isfinite(p.offset[p.host_row])
            p.fitted = p.fitted & side[j]
            p.time_masks = p.time_masks & side[j][None, :]
            p.intime_offsets = window_offsets(p.target, baseline, most=p.settings.max_time)
        else:
            p.breaks[-1]["action"] = "not applied: the fit on the event's side did not converge"
    return fits, mask, side


def _window_cells(plans: list[Plan], shifts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(job, period) of every job's window: each plan's host window moved by its jobs' ``shifts`` (one per job;
    zeros for the main jobs, which share the host's window, the offsets for the other windows)."""
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
    # each job its own group with its dispersion fixed at 0 (Poisson): jobs of one group stay in the fitting
    # loop until all of them converge, so one Poisson fit that never does would fail every other with it
    n = int(retry.sum())
    again = fit_counts(
        y[retry], X, mask=mask[retry], offset=None if offset is None else offset[retry],
        alpha_group=np.arange(n), alpha_fixed=np.zeros(n), gram=gram,
    )  # fmt: skip
    merged = _merged(fits, again, retry)
    return merged, retry & merged.ok


def _merged(fits: Fits, again: Fits, rows: np.ndarray) -> Fits:
    merged = {}
    for name in ("beta", "cov", "alpha", "ok", "n_used"):
        values = getattr(fits, name).copy()
        values[rows] = getattr(again, name)
        merged[name] = values
    return Fits(**merged, iterations=fits.iterations)


def _without_bursts(fits: Fits, y, X, mask, offset, groups, gram, method) -> tuple[Fits, np.ndarray]:
    """The fits refitted with their bursts left out (``bursts``), until no new one shows or ``ROUNDS``.

    Only jobs with an estimated dispersion are checked; a job sharing its dispersion is refitted with its
    whole group. A refit that fails keeps the fit before it.
    """
    for _ in range(bursts.ROUNDS):
        checked = fits.ok & (fits.alpha > 0)
        if not checked.any():
            break
        mu = fitted_means(fits.beta, X, offset)
        level = bursts.tail_level(mask.sum(axis=1))[:, None]
        new = mask & checked[:, None] & bursts.flag(y, mu, np.nan_to_num(fits.alpha)[:, None], level)
        hit = new.any(axis=1)
        if not hit.any():
            break
        shared = groups[hit & (groups >= 0)]
        redo = hit | ((groups >= 0) & np.isin(groups, shared))
        trial = mask[redo] & ~new[redo]
        again = fit_counts(
            y[redo], X, mask=trial, offset=None if offset is None else offset[redo],
            alpha_group=groups[redo], method=method, start=(fits.beta[redo], fits.alpha[redo]), gram=gram,
        )  # fmt: skip
        took = np.zeros(len(redo), bool)
        took[np.flatnonzero(redo)[again.ok]] = True
        if not took.any():
            break
        fits = _merged(fits, _subset(again, again.ok), took)
        mask = mask.copy()
        mask[took] = trial[again.ok]
    return fits, mask


def _subset(fits: Fits, rows: np.ndarray) -> Fits:
    return Fits(*(getattr(fits, f)[rows] for f in ("beta", "cov", "alpha", "ok", "n_used")), fits.iterations)


def _fit_time(plans: list[Plan], gram: Gram, pending: list) -> None:
    """The relative periods of studies (``plan.time_offsets``): full fits of the host with that window out."""
    todo = [p for p in plans if len(p.time_offsets) and p.out["main"]["ok"][0]]
    for p in plans:
        p.out["time"] = None
    if not todo:
        return
    X = todo[0].design.X
    sizes = [len(p.time_offsets) for p in todo]
    plan_of_job = np.repeat(np.arange(len(todo)), sizes)
    hosts = np.array([p.host_row for p in todo])[plan_of_job]  # each window fits its host's series
    y = todo[0].panel.values[hosts]
    mask = np.concatenate([p.time_masks & p.out["main"]["host_mask"][None, :] for p in todo])
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
    _store(todo, "time", y, X, fits, cells, offset, sizes, pending, *_host_inherited(todo, sizes))


def _host_inherited(plans: list[Plan], sizes: list[int]) -> tuple[Checks, np.ndarray]:
    """The host's checks and burst level, for every other window of its series."""
    checks = [p.out["main"]["checks"].take(np.zeros(n, int)) for p, n in zip(plans, sizes, strict=True)]
    joined = Checks(
        *(np.concatenate([getattr(c, f) for c in checks]) for f in ("dispersion", "dispersion_p", "dispersion_failed")),
        checks[0].lags,
        *(
            np.concatenate([getattr(c, f) for c in checks])
            for f in (
                "autocorrelation",
                "autocorrelation_z",
                "autocorrelation_failed",
                "count_factor",
                "parameter_factor",
            )
        ),
    )
    level = np.concatenate([np.full(n, p.out["main"]["level"][0]) for p, n in zip(plans, sizes, strict=True)])
    return joined, level


def _host_info(plans: list[Plan]) -> np.ndarray:
    """Each host's information matrix (the inverse of its covariance), once per host."""
    return np.linalg.inv(np.stack([p.out["main"]["cov"][0] for p in plans]))


def _downdated(plans, plan_of_job, X, y, offset, beta, alpha, cells) -> np.ndarray:
    """Each window's start: the host's estimate moved by one scoring step for the few periods the window
    leaves out (``intime.leave_out``); the fit then converges in one pass fewer.

    A window's job fits the host's periods less its window (``cells``): the periods it leaves out are those
    of its window that the host's fit used.
    """
    job, period = cells
    host_used = np.stack([_host_used(p) for p in plans])[plan_of_job[job], period]
    job, period = job[host_used], period[host_used]
    info = _host_info(plans)[plan_of_job]
    at = None if offset is None else offset[job, period]
    moved, _ = leave_out(beta, info, alpha, X, y[job, period], at, job=job, period=period)
    return moved


def _host_used(plan: Plan) -> np.ndarray:
    """The periods the host's own fit used (its mask less bursts, less periods without an offset)."""
    used = plan.out["main"]["host_mask"]
    return used if plan.offset is None else used & np.isfinite(plan.offset[plan.host_row])


def _in_time(plans: list[Plan]) -> None:
    """Every in-time placebo window of each host (``intime``): one scoring step from the host's fit with the
    window out, its predictive widened by the host's checks, its tested total and surprise."""
    todo = [p for p in plans if len(p.intime_offsets) and p.out["main"]["ok"][0]]
    for p in plans:
        p.out["intime"] = None
    lengths = defaultdict(list)  # windows of one length in periods go together: (window, period) arrays
    for p in todo:
        lengths[int(p.target.sum())].append(p)
    for same in lengths.values():
        _in_time_windows(same)


def _in_time_windows(todo: list[Plan]) -> None:
    sizes = [len(p.intime_offsets) for p in todo]
    owner = np.repeat(np.arange(len(todo)), sizes)
    periods = np.concatenate([p.intime_offsets[:, None] + np.flatnonzero(p.target)[None, :] for p in todo])
    hosts = np.array([p.host_row for p in todo])[owner][:, None]
    y = todo[0].panel.values[hosts, periods]
    offset = None if todo[0].offset is None else np.nan_to_num(todo[0].offset[hosts, periods])
    used = np.concatenate([_host_used(p)[p.intime_offsets[:, None] + np.flatnonzero(p.target)[None, :]] for p in todo])
    beta, cov, alpha = (np.stack([p.out["main"][f][0] for p in todo]) for f in ("beta", "cov", "alpha"))
    alpha = np.nan_to_num(alpha)
    pred, mu = window_predictives(
        beta, cov, alpha, todo[0].design.X, y, offset, owner=owner, periods=periods, used=used
    )
    checks, level = _host_inherited(todo, sizes)
    pred = pred.widened(checks.count_factor, checks.parameter_factor)
    job = np.repeat(np.arange(len(owner)), periods.shape[1])
    totals = _window_totals(pred, y.ravel(), mu.ravel(), job, alpha[owner], level, np.ones(len(owner), bool))
    start = 0
    for p, n in zip(todo, sizes, strict=True):
        part = slice(start, start + n)
        p.out["intime"] = {"offsets": p.intime_offsets, "pred": pred.take(part)} | {
            k: v[part] for k, v in totals.items()
        }
        start += n


def _store(plans, key, y, X, fits, cells, offset, sizes, pending: list, checks: Checks, level: np.ndarray) -> None:
    """Per job: fit status and estimates now; the window's predictive and totals when the group's fits are
    all done (``_predictives``: one call for every chunk spends less on overhead).

    ``cells`` (job, period): the periods of each job's window.
    """
    job, period = cells
    start = 0
    for plan, n in zip(plans, sizes, strict=True):
        part = slice(start, start + n)
        plan.out[key] = {
            "ok": fits.ok[part], "alpha": fits.alpha[part], "beta": fits.beta[part], "cov": fits.cov[part],
            "checks": checks.take(part), "level": level[part],
        }  # fmt: skip
        start += n
    at = None if offset is None else offset[job, period]
    pending.append(_Pending(plans, key, sizes, fits, checks, level, job, period, y[job, period], at))


class _Pending(NamedTuple):
    """A chunk's jobs waiting for their window statistics (see ``_store``)."""

    plans: list[Plan]
    key: str
    sizes: list[int]
    fits: Fits
    checks: Checks  # per job: how much its window's predictive widens
    level: np.ndarray  # per job: the tail beyond which a period of its window is a burst
    job: np.ndarray  # the cells of the jobs' windows, jobs numbered within the chunk
    period: np.ndarray
    observed: np.ndarray  # the counts at those cells
    offset: np.ndarray | None  # the offsets there


def _predictives(X: np.ndarray, pending: list[_Pending]) -> None:
    """For the jobs of ``_store``: each window's predictive (widened by its checks) and totals."""
    if not pending:
        return
    bases = np.cumsum([0] + [len(part.fits.ok) for part in pending])
    job = np.concatenate([part.job + base for part, base in zip(pending, bases, strict=False)])
    period, inside = (np.concatenate([getattr(part, f) for part in pending]) for f in ("period", "observed"))
    at = None if pending[0].offset is None else np.concatenate([part.offset for part in pending])
    beta, cov, alpha, ok = (
        np.concatenate([getattr(part.fits, f) for part in pending]) for f in ("beta", "cov", "alpha", "ok")
    )
    count = np.concatenate([part.checks.count_factor for part in pending])
    parameters = np.concatenate([part.checks.parameter_factor for part in pending])
    level = np.concatenate([part.level for part in pending])
    alpha = np.nan_to_num(alpha)
    pred = Predictive.from_cells(beta, X, cov, alpha, job=job, period=period, offset_at=at)
    pred = pred.widened(count, parameters)
    mu = means_at(beta, X, job=job, period=period, offset_at=at)
    totals = _window_totals(pred, inside, mu, job, alpha, level, ok)
    for part, base in zip(pending, bases, strict=False):
        start = base
        for plan, n in zip(part.plans, part.sizes, strict=True):
            jobs = slice(start, start + n)
            plan.out[part.key].update({"pred": pred.take(jobs)} | {k: v[jobs] for k, v in totals.items()})
            start += n


def _window_totals(pred: Predictive, inside, mu, job, alpha, level, ok) -> dict[str, np.ndarray]:
    """Per window (job): observed total, tested total (bursts at their tail's limit), how many periods were
    bursts, and the surprise z of the tested total under ``pred``: from its upper mid-p tail when it is
    above expectations, from its lower one otherwise (the smaller tail, computed from itself; the other is
    not needed, and a study has a hundred thousand windows).

    ``inside``, ``mu``: the counts and fitted means at the windows' cells (``job``); ``alpha``, ``level``:
    per window, its dispersion and burst level.
    """
    J = len(pred.expected)
    tested_cells = bursts.capped(inside, mu, alpha[job], level[job])
    missing = np.bincount(job, weights=np.isnan(inside), minlength=J) > 0
    observed = np.where(missing, np.nan, np.bincount(job, weights=np.nan_to_num(inside), minlength=J))
    tested = np.where(missing, np.nan, np.bincount(job, weights=np.nan_to_num(tested_cells), minlength=J))
    bursty = np.bincount(job, weights=np.nan_to_num(tested_cells) != np.nan_to_num(inside), minlength=J)
    counts = np.nan_to_num(tested)
    above = counts >= pred.expected
    tail = np.full(J, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        for side, rows in ((True, np.flatnonzero(above)), (False, np.flatnonzero(~above))):
            part = pred.take(rows)
            tail[rows] = part.mid_upper(counts[rows]) if side else part.mid_cdf(counts[rows])
        z = np.where(above, -special.ndtri(np.clip(tail, 1e-300, 1.0)), special.ndtri(np.clip(tail, 1e-300, 1.0)))
    good = np.isfinite(tested) & ok & (pred.expected > 0)
    return {
        "observed": observed,
        "tested": tested,  # bursts at their tail's limit
        "bursts_in_window": bursty.astype(int),
        "z": np.where(good, np.clip(z, -Z_CAP, Z_CAP), np.nan),  # each window's surprise, for the placebos
    }


def _host_statistics(plans: list[Plan]) -> None:
    """Interval, p-values, ratio interval and MDE of every plan's host window, computed together.

    The p-values test the tested total (bursts at their tail's limit); the ratio interval is for the
    observed total, so one burst can never make "no detectable change" either.
    """
    fitted = [p for p in plans if p.out["main"]["ok"][0]]
    if not fitted:
        return
    pred = Predictive(
        *(np.array([getattr(p.out["main"]["pred"], f)[0] for p in fitted]) for f in ("expected", "log_sd", "size"))
    )
    observed = np.array([p.out["main"]["observed"][0] for p in fitted])
    tested = np.array([p.out["main"]["tested"][0] for p in fitted])
    p_two, p_up = pred.p_values(tested)
    low, high = pred.quantile(0.025), pred.quantile(0.975)
    r_low, r_high = pred.ratio_interval(observed)
    mde = pred.mde(upper_quantile=high)
    for i, plan in enumerate(fitted):
        plan.out["host"] = {
            "low": float(low[i]), "high": float(high[i]), "p_two": float(p_two[i]), "p_up": float(p_up[i]),
            "r_low": float(r_low[i]), "r_high": float(r_high[i]), "mde": float(mde[i]), "tested": float(tested[i]),
        }  # fmt: skip
