"""Count regressions for many series at once: negative binomial (NB2) with estimated dispersion, or Poisson.

Every series ("job") shares one design matrix ``X`` (periods × terms) and has its own counts, mask (which
periods enter the fit) and offset. One batched Fisher-scoring step costs a few matrix products over all
jobs, which is what makes a pooled study with thousands of fits fast. Each job's covariance comes from
the information at its own last step.

The dispersion ``alpha`` (variance = mu + alpha * mu**2) is estimated by maximum likelihood (``method="ml"``,
the same estimate as statsmodels' ``NegativeBinomial``) or by the Cox-Reid adjusted profile likelihood
(``method="cox-reid"``, the default), which corrects ML's downward bias when a series is short (for a
dispersion whose series have a hundred or more periods per coefficient the correction is negligible and
skipped). Jobs with
the same ``alpha_group`` share one dispersion; group ``POISSON`` (-1) fits a Poisson model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from hotline_trends.analysis.gram import Gram
from hotline_trends.analysis.nbdispersion import Dispersion

POISSON = -1
Method = Literal["ml", "cox-reid"]
CR_MIN_SHARE = 0.01  # coefficients below 1% of the fitted periods: the Cox-Reid term moves alpha negligibly
MAX_ETA = 30.0  # exp(30) ~ 1e13: beyond any count; keeps a diverging job finite until it is flagged


@dataclass(frozen=True)
class Fits:
    """Estimates for J jobs with P terms: ``beta`` (J, P), ``cov`` (J, P, P), ``alpha`` (J,) (0 = Poisson)."""

    beta: np.ndarray
    cov: np.ndarray
    alpha: np.ndarray
    ok: np.ndarray  # fitted and converged
    n_used: np.ndarray  # periods that entered each fit
    iterations: int


def fitted_means(beta: np.ndarray, X: np.ndarray, offset: np.ndarray | None = None) -> np.ndarray:
    """Means (J, T) of the coefficients ``beta`` (J, P) on the design rows ``X`` (T, P); NaN counts as 0."""
    return _mu(np.nan_to_num(beta), X, 0.0 if offset is None else offset)


def means_at(
    beta: np.ndarray, X: np.ndarray, *, job: np.ndarray, period: np.ndarray, offset_at: np.ndarray | None = None
) -> np.ndarray:
    """``fitted_means`` at some cells only (``job[i]``, ``period[i]``), e.g. the periods of each job's window."""
    eta = np.einsum("np,np->n", np.nan_to_num(beta)[job], X[period])
    if offset_at is not None:
        eta += offset_at
    return np.exp(np.minimum(eta, MAX_ETA))


def fit_counts(
    y: np.ndarray,
    X: np.ndarray,
    *,
    mask: np.ndarray,
    offset: np.ndarray | None = None,
    alpha_group: np.ndarray | None = None,
    method: Method = "cox-reid",
    alpha_fixed: np.ndarray | None = None,
    start: tuple[np.ndarray, np.ndarray] | None = None,
    tol: float = 1e-7,
    max_iter: int = 100,
    gram: Gram | None = None,
) -> Fits:
    """Fit a log-link count model to each row of ``y`` on the periods where ``mask`` is true.

    Args:
        y: counts, shape (J, T); values outside ``mask`` are ignored (may be NaN).
        X: design, shape (T, P); the first column must be the intercept (all ones).
        mask: (J, T) bool, the periods each job is fitted on.
        offset: (J, T) or None, added to the linear predictor (e.g. log population).
        alpha_group: (J,) ints; jobs with the same non-negative value share one dispersion, ``POISSON``
            (-1) fits Poisson. Default: each job its own dispersion.
        method: "ml" or "cox-reid" (see the module docstring).
        alpha_fixed: (J,) dispersions to hold fixed (NaN: estimate as ``alpha_group`` says; 0: Poisson).
        start: (beta, alpha) to start from, e.g. the fit of the same series with fewer periods masked.
        tol: converged when no coefficient and no log-dispersion moves more than this in a step.
        gram: ``Gram(X)``, when the caller fits several batches on the same design.

    A job with no more periods than terms, or with only zeros, is not fitted (``ok`` False): an all-zero
    history has no finite estimate.

    Example:
        >>> rng = np.random.default_rng(1)
        >>> y = rng.negative_binomial(5, 5 / (5 + 20.0), size=(1, 200)).astype(float)
        >>> fit = fit_counts(y, np.ones((200, 1)), mask=np.ones_like(y, bool), method="ml")
        >>> bool(abs(np.exp(fit.beta[0, 0]) - y.mean()) < 1e-8)  # the intercept's estimate is the mean
        True
    """
    y = np.asarray(y, dtype=float)
    J, T = y.shape
    P = X.shape[1]
    m = np.asarray(mask, bool) & np.isfinite(y)
    n_used = m.sum(axis=1)
    y0 = np.where(m, y, 0.0)
    ok = (n_used > P) & (y0.sum(axis=1) > 0)
    if not ok.all():
        m &= ok[:, None]
    mf = m.astype(float)
    off = None if offset is None else np.where(m, offset, 0.0)  # None: no offset, and no array of zeros
    groups = np.arange(J) if alpha_group is None else np.asarray(alpha_group)
    fixed = np.full(J, np.nan) if alpha_fixed is None else np.asarray(alpha_fixed, dtype=float)
    nb = ok & (groups != POISSON) & ~np.isfinite(fixed)
    XX = Gram(X) if gram is None else gram
    x_scale = np.abs(X).max(axis=0)
    disp = Dispersion(y0, mf, groups, nb, method=method) if nb.any() else None

    rows = np.flatnonzero(ok)
    every = rows.size == J  # then the working arrays are the full ones, not copies
    # Arrays over jobs x periods live in one buffer for the whole loop (their first rows as jobs leave):
    # at a few million cells each, allocating and filling fresh ones costs more than the arithmetic.
    buffer = np.empty((5, rows.size, T))
    mu_ready = False  # the means at the start are in buffer[0]: the loop's first step need not recompute them
    if start is None:
        beta = _log_linear_start(y0, X, XX, mf, off, ok)
        beta = _poisson_steps(y0, X, XX, mf, off, beta, steps=1)
        if disp is not None and every:
            mu = _mu(beta, X, off, out=buffer[0], x_scale=x_scale)
            alpha = disp.moment_start(mu, n_params=P, scratch=(buffer[1], buffer[2]))
            mu_ready = True
        else:
            alpha = disp.moment_start(_mu(beta, X, off), n_params=P) if disp else np.zeros(J)
    else:
        beta, alpha = np.nan_to_num(np.array(start[0], dtype=float)), np.array(start[1], dtype=float)
    alpha = np.where(nb, np.nan_to_num(alpha, nan=0.1), np.where(np.isfinite(fixed), fixed, 0.0))

    # The loop works on compacted copies of the active jobs' rows: a job leaves once it (and every job
    # sharing its dispersion) has converged, and the copies shrink with it.
    cox_reid = method == "cox-reid" and disp is not None
    adjust = disp.needs_adjustment(P, CR_MIN_SHARE) if cox_reid else np.zeros(J, bool)
    info_last = np.full((J, P, P), np.nan)
    work_y, work_m = (y0, mf) if every else (y0[rows], mf[rows])
    work_off = None if offset is None else off if every else off[rows]
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        if rows.size == 0:
            break
        n = rows.size
        if not (mu_ready and iterations == 1):
            _mu(beta[rows], X, work_off, out=buffer[0, :n], x_scale=x_scale)
        mu = buffer[0, :n]
        # With r = 1/alpha: weight mu/(1 + alpha mu) = r mu/(r + mu); the mask rides on 1/(r + mu).
        # Poisson rows (alpha 0): weight mu, score y - mu.
        negbin = alpha[rows] > 0
        r = np.where(negbin, 1.0 / np.where(negbin, alpha[rows], 1.0), 1.0)
        inv_m, log_r_mu = work_m, None
        estimated = nb[rows]
        if negbin.any():
            inv_m = np.add(r[:, None], mu, out=buffer[1, :n])
            inv_m[~negbin] = 1.0
            if estimated.any():  # the dispersion step needs log(r + mu): taken here, before r + mu is gone
                log_r_mu = np.log(inv_m, out=buffer[4, :n])
            np.divide(work_m, inv_m, out=inv_m)
        q = np.multiply(mu, inv_m, out=buffer[2, :n])
        resid = np.subtract(work_y, mu, out=buffer[3, :n])
        resid *= inv_m
        info = r[:, None, None] * XX.weighted(q)
        info_last[rows] = info
        step = solve_batch(info, r[:, None] * (resid @ X))
        change = np.max(np.abs(step), axis=1)
        if estimated.any():
            lev = None
            if adjust[rows].any():
                lev = np.zeros(rows.size)
                sub = np.flatnonzero(adjust[rows])
                lev[sub] = _leverage_sum(info[sub], XX, q[sub])
            new_alpha = disp.newton_step(
                mu, inv_m, resid, q, alpha, rows=rows, mf=work_m, y0=work_y, leverage_sum=lev, log_r_mu=log_r_mu
            )
            new_alpha = np.where(estimated, new_alpha, alpha[rows])
            moved = np.abs(np.log(np.maximum(new_alpha, 1e-300)) - np.log(np.maximum(alpha[rows], 1e-300)))
            change = np.maximum(change, np.where(estimated, moved, 0.0))
            alpha[rows] = new_alpha
        beta[rows] += step
        failed = ~np.isfinite(change)
        ok[rows[failed]] = False
        moving = rows[~failed & (change >= tol)]
        # jobs that share a dispersion stay in the loop together
        keep = ok[rows] & np.isin(groups[rows], groups[moving]) if moving.size else np.zeros(rows.size, bool)
        if not keep.all():
            rows, work_y, work_m = rows[keep], work_y[keep], work_m[keep]
            work_off = None if work_off is None else work_off[keep]
    else:
        ok[rows] = False  # did not converge
    # The information at each job's last step: within the tolerance of the information at the estimate.
    cov = _inverse(np.where(ok[:, None, None], info_last, np.eye(P)))
    ok &= np.isfinite(beta).all(axis=1) & np.isfinite(cov).all(axis=(1, 2))
    return Fits(
        beta=np.where(ok[:, None], beta, np.nan),
        cov=cov,
        alpha=np.where(ok, alpha, np.nan),
        ok=ok,
        n_used=n_used,
        iterations=iterations,
    )


def _mu(
    beta: np.ndarray,
    X: np.ndarray,
    off: np.ndarray | float | None,
    out: np.ndarray | None = None,
    x_scale: np.ndarray | None = None,
) -> np.ndarray:
    """exp(X beta + off), the linear predictor capped at ``MAX_ETA``. ``x_scale`` (the largest |X| of each
    term), if given, bounds the predictor without an offset: below the cap, the pass that caps it is skipped."""
    eta = np.matmul(beta, X.T, out=out)
    if off is not None:
        eta += off
    if off is not None or x_scale is None or np.max(np.abs(beta) @ x_scale, initial=0.0) > MAX_ETA:
        np.minimum(eta, MAX_ETA, out=eta)
    return np.exp(eta, out=eta)


def _log_linear_start(y0, X, XX, mf, off, ok) -> np.ndarray:
    """Least squares of log(y + 0.5) on the terms, weighted by y + 0.5: close to the MLE in one pass."""
    w = y0 + 0.5
    z = np.log(w)
    if off is not None:
        z -= off
    w *= mf
    z *= w
    beta = solve_batch(XX.weighted(w), z @ X)
    return np.where(ok[:, None] & np.isfinite(beta), beta, 0.0)


def _poisson_steps(y0, X, XX, mf, off, beta, *, steps: int) -> np.ndarray:
    """A few Fisher-scoring steps of the Poisson model: a good start for the negative binomial."""
    J, P = beta.shape
    for _ in range(steps):
        mu = _mu(beta, X, off)
        resid = np.subtract(y0, mu)
        resid *= mf
        mu *= mf
        step = solve_batch(XX.weighted(mu), resid @ X)
        beta = beta + np.nan_to_num(step)
    return beta


def solve_batch(info: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Batched solve; a singular job (a term without data) gets NaN instead of failing the batch."""
    try:
        return np.linalg.solve(info, score[..., None])[..., 0]
    except np.linalg.LinAlgError:
        return np.stack([_solve_one(a, b) for a, b in zip(info, score, strict=True)])


def _solve_one(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        return np.full_like(b, np.nan)


def _inverse(info: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.inv(info)
    except np.linalg.LinAlgError:
        return np.stack([_solve_one(a, np.eye(len(a))) for a in info])


def _leverage_sum(info: np.ndarray, XX: Gram, q: np.ndarray) -> np.ndarray:
    """sum_t h_t q_t**2 per job, h_t = x_t' (X'WX)^-1 x_t, as <(X'WX)^-1, sum_t q_t**2 x_t x_t'>: one product."""
    J, P, _ = info.shape
    return np.einsum("jk,jk->j", _inverse(info).reshape(J, P * P), XX.weighted(q * q).reshape(J, P * P))
