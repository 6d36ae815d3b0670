"""Newton steps for the negative-binomial dispersion, one per group of jobs that share it.

Work in ``u = log r`` with ``r = 1 / alpha``. The digamma sums the score needs, sum_t psi(y_t + r) - psi(r),
equal sum_j C(j) / (r + j) with C(j) the number of counts above j, so for integer counts they cost a table
of the counts' distribution instead of a special function per period; that keeps a pooled study fast.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import special

ALPHA_MIN, ALPHA_MAX = 1e-8, 1e4
MAX_TABLE = 20_000_000  # groups x largest count; beyond it, use the special functions directly
BLOCK_CELLS = 1 << 18  # one-off passes over the counts go by blocks of rows of this many cells: small temporaries


class Dispersion:
    """The data the dispersion steps need, prepared once per fit.

    Args:
        y0: counts (J, T), zero outside the mask.
        mf: mask as floats (J, T).
        groups: (J,) group label of each job.
        rows: (J,) bool, the jobs whose dispersion is estimated.
        method: "ml" or "cox-reid".
    """

    def __init__(
        self,
        y0: np.ndarray,
        mf: np.ndarray,
        groups: np.ndarray,
        rows: np.ndarray,
        *,
        method: Literal["ml", "cox-reid"],
    ) -> None:
        self.y0, self.mf, self.rows, self.method = y0, mf, rows, method
        labels, code = np.unique(np.where(rows, groups, -1), return_inverse=True)
        self.code = code.reshape(-1)
        self.n_groups = len(labels)
        self.n_used = mf.sum(axis=1)
        integer = all(bool(np.all(y0[b] == np.round(y0[b]))) for b in _row_blocks(y0.shape))
        ymax = int(y0.max()) if y0.size else 0
        self.table = None
        self.previous: tuple[np.ndarray, np.ndarray] | None = None  # (u, gradient) of the last step, per group
        if integer and self.n_groups * max(ymax, 1) <= MAX_TABLE:
            self.table = self._exceedances(ymax)

    def _exceedances(self, ymax: int) -> np.ndarray:
        """C[g, j] = number of fitted counts in group g greater than j, for j = 0 .. ymax - 1."""
        hist = np.zeros(self.n_groups * (ymax + 1))
        every = bool(self.rows.all())  # then only the masked periods (zeros in y0) are not to be counted
        for b in _row_blocks(self.y0.shape):  # bins count 0/1 weights: the same totals in any order
            index = self.code[b, None] * (ymax + 1) + self.y0[b].astype(np.int64)
            weight = None if every else (self.mf[b] * self.rows[b, None]).ravel()
            hist += np.bincount(index.ravel(), weights=weight, minlength=len(hist))
        hist = hist.reshape(self.n_groups, ymax + 1)
        if every:  # the masked periods were counted as zeros: take them out again
            hist[:, 0] -= self._group_sum(self.y0.shape[1] - self.n_used)
        return hist.sum(axis=1, keepdims=True) - np.cumsum(hist, axis=1)[:, :-1]

    def _group_sum(self, per_job: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        code, keep = (self.code, self.rows) if rows is None else (self.code[rows], self.rows[rows])
        return np.bincount(code, weights=np.where(keep, per_job, 0.0), minlength=self.n_groups)

    def needs_adjustment(self, n_params: int, min_share: float) -> np.ndarray:
        """Per job: whether Cox-Reid matters for its group, i.e. coefficients are at least ``min_share`` of
        the group's fitted periods (ML's bias in alpha is of that order)."""
        periods = self._group_sum(self.n_used)
        params = self._group_sum(np.full(len(self.n_used), float(n_params)))
        return self.rows & (params[self.code] >= min_share * periods[self.code])

    def moment_start(
        self, mu: np.ndarray, *, n_params: int, scratch: tuple[np.ndarray, np.ndarray] | None = None
    ) -> np.ndarray:
        """A method-of-moments dispersion per job (its group's), a safe start for Newton.

        ``mu`` (J, T), the fitted means, is used as scratch space and overwritten, unless two arrays of its
        shape are given as ``scratch``.
        """
        first, second = (None, mu) if scratch is None else scratch
        # mf * ((y0 - mu)**2 - y0) / max(mu, 1e-12)**2, in place
        resid = np.subtract(self.y0, mu, out=first)
        np.square(resid, out=resid)
        resid -= self.y0
        np.multiply(self.mf, resid, out=resid)
        scale = np.maximum(mu, 1e-12, out=second)
        resid /= np.square(scale, out=scale)
        top = self._group_sum(resid.sum(axis=1))
        dof = self._group_sum(np.maximum(self.n_used - n_params, 1.0))
        alpha = np.clip(top / np.maximum(dof, 1.0), 1e-3, 100.0)
        return alpha[self.code]

    def newton_step(
        self,
        mu: np.ndarray,
        inv_m: np.ndarray,
        resid: np.ndarray,
        q: np.ndarray,
        alpha: np.ndarray,
        *,
        rows: np.ndarray,
        mf: np.ndarray,
        y0: np.ndarray,
        leverage_sum: np.ndarray | None,
        log_r_mu: np.ndarray | None = None,
    ) -> np.ndarray:
        """One safeguarded Newton step on u = log(1 / alpha) per group, for the jobs ``rows``.

        The arrays hold those jobs only (``mf`` and ``y0`` their mask and counts), computed by the caller at
        the current means: ``inv_m`` =
        mask / (r + mu), ``resid`` = (y - mu) * inv_m, ``q`` = mu * inv_m; for Cox-Reid, ``leverage_sum`` =
        sum_t h_t q_t**2 per job, with h_t the leverages x_t' (X'WX)^-1 x_t. ``log_r_mu``, if given, is
        log(r + mu) with the caller's r = 1 / alpha (a pass over every period saved when the caller has it).
        Every group of a job in ``rows`` must be wholly in ``rows``. Returns the new alpha of those jobs.
        """
        code = self.code[rows]
        alpha_g = np.ones(self.n_groups)
        alpha_g[code] = np.where(self.rows[rows], alpha[rows], 1.0)
        r_g = 1.0 / np.clip(alpha_g, ALPHA_MIN, ALPHA_MAX)
        r = r_g[code][:, None]
        d1, d2 = self._digamma_sums(r_g, r, rows, mf, y0)
        n = self.n_used[rows]
        estimated = self.rows[rows]
        # the caller's logs serve when its r is this step's r (no dispersion clipped, one per group)
        if log_r_mu is None or not np.array_equal(r[estimated, 0], 1.0 / alpha[rows][estimated]):
            log_r_mu = np.log(r + mu)
        log_rm = np.einsum("jt,jt->j", mf, log_r_mu)
        # per period: log r - log(r + mu) + (mu - y)/(r + mu)  and  1/r - 1/(r + mu) - (mu - y)/(r + mu)^2
        score_r = d1 + self._group_sum(n * np.log(r[:, 0]) - log_rm - resid.sum(axis=1), rows)
        hess_r = d2 + self._group_sum(n / r[:, 0] - inv_m.sum(axis=1) + np.einsum("jt,jt->j", resid, inv_m), rows)
        grad = r_g * score_r
        curv = r_g * score_r + r_g**2 * hess_r
        if leverage_sum is not None:  # Cox-Reid: the derivative of -1/2 log det(X'WX), W = mu r / (r + mu)
            grad -= 0.5 * self._group_sum(r[:, 0] * leverage_sum, rows)
        u = np.log(r_g)
        curv = self._secant(u, grad, curv, code)
        step = np.where(curv < 0, -grad / np.where(curv < 0, curv, -1.0), np.sign(grad))
        u_new = np.clip(u + np.clip(step, -2.0, 2.0), -np.log(ALPHA_MAX), -np.log(ALPHA_MIN))
        return np.exp(-u_new)[code]

    def _secant(self, u: np.ndarray, grad: np.ndarray, curv: np.ndarray, code: np.ndarray) -> np.ndarray:
        """Prefer the secant slope of the gradient when it is negative: the exact curvature of the adjusted
        likelihood can be far from the ML one (sparse counts), and Newton steps with the wrong curvature
        crawl. Groups not in this step keep their stored values."""
        present = np.zeros(self.n_groups, bool)
        present[code] = True
        if self.previous is not None:
            u_prev, g_prev = self.previous
            du = u - u_prev
            with np.errstate(divide="ignore", invalid="ignore"):
                secant = (grad - g_prev) / du
            use = present & np.isfinite(secant) & (secant < 0) & (np.abs(du) > 1e-7)
            curv = np.where(use, secant, curv)
            u_store, g_store = np.where(present, u, u_prev), np.where(present, grad, g_prev)
        else:
            u_store, g_store = u, grad
        self.previous = (u_store, g_store)
        return curv

    def _digamma_sums(self, r_g, r, rows, mf, y0) -> tuple[np.ndarray, np.ndarray]:
        """Per group: sum psi(y + r) - psi(r) and sum psi'(y + r) - psi'(r) over the fitted counts."""
        if self.table is not None:
            inv = 1.0 / (r_g[:, None] + np.arange(self.table.shape[1]))
            return (self.table * inv).sum(axis=1), -(self.table * inv**2).sum(axis=1)
        d1 = mf * (special.digamma(y0 + r) - special.digamma(r))
        d2 = mf * (special.polygamma(1, y0 + r) - special.polygamma(1, r))
        return self._group_sum(d1.sum(axis=1), rows), self._group_sum(d2.sum(axis=1), rows)


def _row_blocks(shape: tuple[int, ...]):
    """Slices of rows covering an array of ``shape`` (rows, columns) by about ``BLOCK_CELLS`` cells each."""
    n_rows, n_cols = shape
    step = max(1, BLOCK_CELLS // max(n_cols, 1))
    return [slice(start, start + step) for start in range(0, n_rows, step)]
