"""What count to expect in a window, and how surprising the observed count is.

The window's total is negative binomial around the baseline's expected total ``M`` (count noise: variance
M + alpha * sum(mu_t**2), moment-matched to one negative binomial), and ``M`` itself is uncertain (the fit's
parameter uncertainty: log M is normal with sd ``log_sd``, integrated by Gauss-Hermite quadrature). From
that one distribution come the 95% prediction interval, the mid-p value, the interval for the
observed/expected ratio (by inverting the test) and the minimum detectable effect at 80% power.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from hotline_trends.analysis.countsearch import crossing, doubling, smallest_accepted
from hotline_trends.analysis.nbfit import means_at
from hotline_trends.analysis.searchstart import normal_quantile, normal_theta

NODES, WEIGHTS = np.polynomial.hermite.hermgauss(7)
# for a standard normal; the weights divided by their own sum (not by sqrt(pi), which leaves them summing to
# 1 only to rounding), so that a distribution that does not depend on the mean integrates to exactly itself
NODES, WEIGHTS = NODES * np.sqrt(2.0), WEIGHTS / WEIGHTS.sum()
POISSON_SIZE = 1e7  # beyond this size the negative binomial is Poisson to many digits
LOG_THETA = (-25.0, 25.0)
MAX_LOG_SD = 5.0  # a baseline this uncertain (a factor of e**5 either way) says nothing; it stays finite
MAX_COUNT = 1e15
BISECTIONS = 36  # on log theta over a width of 50: 1e-9 in the end


@dataclass(frozen=True)
class Predictive:
    """Predictive distributions of J window totals (arrays of shape (J,))."""

    expected: np.ndarray
    log_sd: np.ndarray
    size: np.ndarray  # negative-binomial size (1/alpha for one period); inf for Poisson

    @classmethod
    def from_fit(
        cls,
        beta: np.ndarray,
        X: np.ndarray,
        cov: np.ndarray,
        alpha: np.ndarray,
        window: np.ndarray,
        offset: np.ndarray | None = None,
    ) -> Predictive:
        """The predictive of the sum over ``window`` (J, T bool) of the fitted means exp(X beta + offset).

        ``beta`` (J, P), ``cov`` (J, P, P), ``alpha`` (J,) and ``offset`` (J, T) are the fits' (see
        ``nbfit.fit_counts``).
        """
        job, period = np.nonzero(window)
        at = None if offset is None else offset[job, period]
        return cls.from_cells(beta, X, cov, alpha, job=job, period=period, offset_at=at)

    @classmethod
    def from_cells(
        cls,
        beta: np.ndarray,
        X: np.ndarray,
        cov: np.ndarray,
        alpha: np.ndarray,
        *,
        job: np.ndarray,
        period: np.ndarray,
        offset_at: np.ndarray | None = None,
    ) -> Predictive:
        """``from_fit`` with the window given as its cells (``job[i]``, ``period[i]``): the means are
        computed at those cells only, not over every period of every job."""
        J, P = beta.shape
        rows = X[period]
        mu = means_at(beta, X, job=job, period=period, offset_at=offset_at)
        total = np.bincount(job, weights=mu, minlength=J)
        grad = np.stack([np.bincount(job, weights=mu * rows[:, p], minlength=J) for p in range(P)], axis=1)
        grad /= np.where(total > 0, total, 1.0)[:, None]
        log_var = np.einsum("jp,jpq,jq->j", grad, np.nan_to_num(cov), grad)
        spread = np.asarray(alpha) * np.bincount(job, weights=mu * mu, minlength=J)
        return cls.from_parts(total, log_var, spread)

    @classmethod
    def from_parts(cls, total: np.ndarray, log_var: np.ndarray, spread: np.ndarray) -> Predictive:
        """The predictive of window totals from their expected ``total``, the variance of log total from
        the parameters (``log_var``) and the count noise beyond Poisson (``spread`` = alpha * sum mu**2)."""
        size = np.where(spread > 0, total**2 / np.where(spread > 0, spread, 1.0), np.inf)
        return cls(total, np.minimum(np.sqrt(np.maximum(log_var, 0.0)), MAX_LOG_SD), size)

    def _means(self, theta) -> np.ndarray:
        scale = np.exp(self.log_sd[:, None] * NODES[None, :])
        with np.errstate(over="ignore"):  # an infinite mean has cdf 0 below, which is right
            return np.asarray(theta, dtype=float).reshape(-1, 1) * self.expected[:, None] * scale

    def cdf(self, k, theta=1.0) -> np.ndarray:
        """P(Y <= k) for each window, with every expected count multiplied by ``theta``."""
        return self._lower(k, theta, half_point=False)

    def mid_cdf(self, k, theta=1.0) -> np.ndarray:
        """P(Y < k) + P(Y = k) / 2, the mid-p lower tail."""
        return self._lower(k, theta, half_point=True)

    def upper(self, k, theta=1.0) -> np.ndarray:
        """P(Y > k) for each window, computed from that tail itself (accurate far below 1e-12)."""
        return self._tail(k, theta, half_point=False, upper=True)

    def mid_upper(self, k, theta=1.0) -> np.ndarray:
        """P(Y > k) + P(Y = k) / 2, the mid-p upper tail, from that tail itself (never 1 - the lower one)."""
        return self._tail(k, theta, half_point=True, upper=True)

    def _lower(self, k, theta, *, half_point: bool) -> np.ndarray:
        return self._tail(k, theta, half_point=half_point, upper=False)

    def _tail(self, k, theta, *, half_point: bool, upper: bool) -> np.ndarray:
        """P(Y <= k) (or P(Y > k) if ``upper``), less (or plus) half of P(Y = k) if ``half_point``: one
        incomplete beta (or gamma) per node.

        Each tail is its own special function (the lower and upper regularised incomplete functions), so a
        tail of 1e-20 is 1e-20, not the rounding error of 1 - (1 - 1e-20). The mid-p point probability costs
        a few logarithms, where P(Y <= k - 1) would cost a second special function.
        """
        k = np.floor(np.broadcast_to(np.asarray(k, dtype=float), self.expected.shape))[:, None]
        means = self._means(np.broadcast_to(theta, self.expected.shape))
        size = self.size[:, None]
        nb = np.isfinite(size) & (size < POISSON_SIZE)
        safe_k = np.maximum(k, 0.0)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if upper:
                out = _nb_or_poisson_sf(safe_k, means, size, nb)
                out = np.where(means <= 0, 0.0, np.where(np.isinf(means), 1.0, out))
            else:
                out = _nb_or_poisson_cdf(safe_k, means, size, nb)
                out = np.where(means <= 0, 1.0, out)
            if half_point:
                point = np.where(means <= 0, safe_k == 0, _nb_or_poisson_pmf(safe_k, means, size, nb))
                point = 0.5 * np.where(np.isfinite(means), point, 0.0)
                out = out + point if upper else out - point
        below = 1.0 if upper else 0.0  # a negative count: every outcome is above it
        return np.clip(np.where(k < 0, below, out) @ WEIGHTS, 0.0, 1.0)

    def p_values(self, observed) -> tuple[np.ndarray, np.ndarray]:
        """(two-sided mid-p, upper-tail mid-p) of the observed totals, each tail computed from itself.

        Two-sided by the minimum-likelihood rule (Sterne 1954; R's ``poisson.test`` and ``binom.test``): the
        probability of the outcomes less likely than the one observed, plus half of its own, rather than
        twice the smaller tail. Where the distribution is skewed or the counts small the two differ: with
        about one count expected, no count below it is unlikely enough for the lower tail ever to reach
        0.025, and doubling the upper tail would spend half of the test's 5% on outcomes that cannot
        occur. For large symmetric counts the two rules agree.

        Example:
            >>> pred = Predictive(np.array([0.7, 700.0]), np.array([0.0, 0.0]), np.array([np.inf, np.inf]))
            >>> two, up = pred.p_values(np.array([3, 750]))
            >>> [round(float(v), 4) for v in two], [round(float(v), 4) for v in 2 * up]
            ([0.0199, 0.06], [0.0399, 0.0609])
        """
        lower = self.mid_cdf(observed)
        upper = self.mid_upper(observed)
        k = np.floor(np.broadcast_to(np.asarray(observed, dtype=float), self.expected.shape))
        mode = self._mode()
        point = self.pmf(k)
        above = k >= mode
        # the other side's outcomes as unlikely as k or less: f rises to the mode and falls after it
        first_likelier = self._first(lambda j, rows: self.take(rows).pmf(j) > point[rows], 0.0, mode, above)
        other_low = np.where(first_likelier > 0, self.cdf(first_likelier - 1.0), 0.0)
        first_rarer = self._first(lambda j, rows: self.take(rows).pmf(j) <= point[rows], mode, None, ~above)
        other_high = self.upper(first_rarer - 1.0)
        two = np.where(above, upper + other_low, lower + other_high)
        return np.minimum(1.0, np.where(self.expected > 0, two, 2.0 * np.minimum(lower, upper))), upper

    def pmf(self, k, theta=1.0) -> np.ndarray:
        """P(Y = k) for each window."""
        k = np.floor(np.broadcast_to(np.asarray(k, dtype=float), self.expected.shape))[:, None]
        means = self._means(np.broadcast_to(theta, self.expected.shape))
        size = self.size[:, None]
        nb = np.isfinite(size) & (size < POISSON_SIZE)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            point = np.where(means <= 0, k == 0, _nb_or_poisson_pmf(np.maximum(k, 0.0), means, size, nb))
        point = np.where(np.isfinite(means) & (k >= 0), point, 0.0)
        return point @ WEIGHTS

    def _mode(self) -> np.ndarray:
        """The most likely count of each window: the smallest k with P(Y = k + 1) <= P(Y = k)."""
        return self._first(lambda j, rows: self.take(rows).pmf(j + 1.0) <= self.take(rows).pmf(j), 0.0, None, None)

    def _first(self, accept, low, high, rows) -> np.ndarray:
        """The smallest count in [low, high] (high None: up to ``MAX_COUNT``) with ``accept`` (monotone:
        false, then true), per window (``rows`` a bool mask: the others get ``high``)."""
        J = self.expected.size
        rows = np.ones(J, bool) if rows is None else np.asarray(rows, bool)
        lo = np.broadcast_to(np.asarray(low, float), (J,)).copy() - 1.0  # never accepted
        hi = self._upper_start() if high is None else np.broadcast_to(np.asarray(high, float), (J,)).copy()
        if high is None:  # double the upper end until it is accepted
            grow = np.flatnonzero(rows)
            while grow.size:
                grow = grow[~accept(hi[grow], grow) & (hi[grow] < MAX_COUNT)]
                hi[grow] = np.minimum(2.0 * hi[grow], MAX_COUNT)
        out = hi.copy()
        at = np.flatnonzero(rows & (hi > lo + 1.0))
        lo, hi = lo[at], hi[at]
        while at.size and (hi - lo > 1).any():
            mid = np.floor((lo + hi) / 2.0)
            ok = np.ones(at.size, bool)
            moving = hi - lo > 1
            ok[moving] = accept(mid[moving], at[moving])
            hi, lo = np.where(moving & ok, mid, hi), np.where(moving & ~ok, mid, lo)
        out[at] = hi
        return out

    def quantile(self, q: float) -> np.ndarray:
        """The smallest count k with P(Y <= k) >= q (capped at ``MAX_COUNT``)."""

        def accept(k: np.ndarray, rows: np.ndarray) -> np.ndarray:
            return self.take(rows).cdf(k) >= q

        guess, width = normal_quantile(self, q)
        return smallest_accepted(
            self._upper_start(), accept, guess=guess, width=width, widen=doubling(accept, MAX_COUNT)
        )

    def take(self, rows) -> Predictive:
        """The predictive distributions of some windows."""
        return Predictive(self.expected[rows], self.log_sd[rows], self.size[rows])

    def widened(self, count=1.0, parameters=1.0) -> Predictive:
        """The same windows with the variance of the count noise (M + M**2 / size) multiplied by ``count``
        and that of the parameter uncertainty (log_sd**2) by ``parameters``: factors of at least 1 from the
        model checks (``checks.Checks``). The count noise stays one negative binomial, moment-matched to the
        larger variance, as the window's sum already is.

        Example:
            >>> pred = Predictive(np.array([100.0]), np.array([0.02]), np.array([np.inf])).widened(2.0, 4.0)
            >>> float(pred.size[0]), float(pred.log_sd[0])
            (100.0, 0.04)
        """
        count = np.broadcast_to(np.asarray(count, dtype=float), self.expected.shape)
        parameters = np.broadcast_to(np.asarray(parameters, dtype=float), self.expected.shape)
        m = self.expected
        inv_size = np.where(np.isfinite(self.size), 1.0 / self.size, 0.0)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            extra = (count - 1.0) * m + count * m * m * inv_size  # variance beyond the Poisson's M
            size = np.where(extra > 0, m * m / np.where(extra > 0, extra, 1.0), np.inf)
        size = np.where(count == 1.0, self.size, size)  # unchanged windows keep their size to the bit
        log_sd = np.minimum(self.log_sd * np.sqrt(parameters), MAX_LOG_SD)
        return Predictive(m, log_sd, size)

    def _solve_theta(self, target_fn, target: float, bounds=LOG_THETA, guess=None) -> np.ndarray:
        """log theta where an increasing function of log theta crosses ``target`` (bisection per window).

        ``target_fn(theta, rows)`` is evaluated for the windows ``rows``; ``guess`` (log theta) narrows the
        evaluations, not the answer (see ``countsearch.crossing``).
        """
        lo = np.full(self.expected.shape, bounds[0])
        hi = np.full(self.expected.shape, bounds[1])
        return crossing(lambda x, rows: target_fn(np.exp(x), rows), target, lo, hi, BISECTIONS, guess=guess)

    def ratio_interval(self, observed, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        """Interval for observed/expected: the thetas at which the observed count sits in a tail.

        The lower bound is 0 when nothing was observed.
        """
        tail = (1.0 - level) / 2.0
        observed = np.asarray(observed, dtype=float)
        each = np.broadcast_to(observed, self.expected.shape)
        z = float(special.ndtri(1.0 - tail))
        upper_tail = self._solve_theta(
            lambda th, rows: self.take(rows).mid_upper(each[rows], th),
            tail,
            guess=normal_theta(self, each, z, False),
        )
        lower_tail = self._solve_theta(
            lambda th, rows: -self.take(rows).mid_cdf(each[rows], th), -tail, guess=normal_theta(self, each, z, True)
        )
        low = np.where(observed > 0, np.exp(upper_tail), 0.0)
        return low, np.exp(lower_tail)

    def mde(self, power: float = 0.8, level: float = 0.05, *, upper_quantile: np.ndarray | None = None) -> np.ndarray:
        """Smallest relative increase (0.25 = +25%) detected with ``power`` by the two-sided mid-p test.

        Infinite when even a thousandfold rise would not be detected often enough (nothing expected).
        ``upper_quantile``, the 1 - level/2 quantile if the caller has it, narrows the search for the
        critical count (which is that quantile or the count above it), not the answer.
        """
        critical = self._critical(level / 2.0, near=upper_quantile)
        log_theta = self._solve_theta(
            lambda th, rows: self.take(rows).upper(critical[rows] - 1.0, th),
            power,
            bounds=(0.0, 7.0),
            guess=normal_theta(self, critical - 0.5, float(special.ndtri(power)), True),
        )
        reached = self.upper(critical - 1.0, np.exp(7.0)) >= power
        return np.where(reached & (self.expected > 0), np.exp(log_theta) - 1.0, np.inf)

    def _critical(self, tail: float, near: np.ndarray | None = None) -> np.ndarray:
        """The smallest count whose upper mid-p is at most ``tail``; ``near``: the 1 - tail quantile, if known.

        With q that quantile, P(Y > q) <= tail, so q + 1 is accepted, and P(Y > q - 1) > tail, so q - 1 is
        not: the answer is q or q + 1.
        """

        def accept(k: np.ndarray, rows: np.ndarray) -> np.ndarray:
            return self.take(rows).mid_upper(k) <= tail

        guess, width = normal_quantile(self, 1.0 - tail) if near is None else (np.asarray(near, float), 1.0)
        return smallest_accepted(
            self._upper_start(), accept, guess=guess, width=np.broadcast_to(width, guess.shape),
            widen=doubling(accept, MAX_COUNT),
        )  # fmt: skip

    def _upper_start(self) -> np.ndarray:
        """Where a search for an upper end starts: twice the expected count at 4 sds up, plus 10."""
        return np.minimum(np.ceil(2.0 * self.expected * np.exp(4.0 * self.log_sd)) + 10.0, MAX_COUNT)

    def variance(self) -> np.ndarray:
        """Variance of the window total, count noise and parameter uncertainty together."""
        s2 = self.log_sd**2
        inv_size = np.where(np.isfinite(self.size), 1.0 / self.size, 0.0)
        second = self.expected**2 * np.exp(2.0 * s2)
        return self.expected * np.exp(s2 / 2.0) + second * inv_size + second - self.expected**2 * np.exp(s2)

    @classmethod
    def pooled(cls, parts: Predictive) -> Predictive:
        """One predictive for the sum of independent windows (moment-matched negative binomial)."""
        total = float(parts.expected.sum())
        extra = float(parts.variance().sum()) - total
        size = total**2 / extra if extra > 0 else np.inf
        return cls(np.array([total]), np.array([0.0]), np.array([size]))


def _nb_or_poisson_cdf(k: np.ndarray, means: np.ndarray, size: np.ndarray, nb: np.ndarray) -> np.ndarray:
    """The negative-binomial cdf where ``nb``, else the Poisson one; each special function only where it is
    used (they are most of the time of a study's predictive statistics)."""
    if nb.all():
        return special.betainc(size, k + 1.0, size / (size + means))
    if not nb.any():
        return special.gammaincc(k + 1.0, means)
    nb, k, means, size = np.broadcast_arrays(nb, k, means, size)
    out = np.empty(means.shape)
    s = size[nb]
    out[nb] = special.betainc(s, k[nb] + 1.0, s / (s + means[nb]))
    out[~nb] = special.gammaincc(k[~nb] + 1.0, means[~nb])
    return out


def _nb_or_poisson_sf(k: np.ndarray, means: np.ndarray, size: np.ndarray, nb: np.ndarray) -> np.ndarray:
    """P(Y > k) of the distributions ``_nb_or_poisson_cdf`` sums, from the complementary incomplete functions:
    I_{1-p}(k + 1, size) for the negative binomial, the lower incomplete gamma P(k + 1, mean) for Poisson."""
    if nb.all():
        return special.betainc(k + 1.0, size, means / (size + means))
    if not nb.any():
        return special.gammainc(k + 1.0, means)
    nb, k, means, size = np.broadcast_arrays(nb, k, means, size)
    out = np.empty(means.shape)
    s = size[nb]
    out[nb] = special.betainc(k[nb] + 1.0, s, means[nb] / (s + means[nb]))
    out[~nb] = special.gammainc(k[~nb] + 1.0, means[~nb])
    return out


def _nb_or_poisson_pmf(k: np.ndarray, means: np.ndarray, size: np.ndarray, nb: np.ndarray) -> np.ndarray:
    """P(Y = k) of the distributions ``_nb_or_poisson_cdf`` sums: negative binomial where ``nb``, else Poisson."""
    if nb.all():  # the usual case: the same terms as below, without gathering and scattering the cells
        p = size / (size + means)
        return np.exp(
            _log_gamma_ratio(size, k)
            - special.gammaln(k + 1.0)
            + size * np.log(p)
            + special.xlogy(k, means / (size + means))
        )
    nb, k, means, size = np.broadcast_arrays(nb, k, means, size)
    log_pmf = np.empty(means.shape)
    s, kk, m = size[nb], k[nb], means[nb]
    # p as the cdf's incomplete beta takes it (size / (size + mean), rounded), so that P(Y <= k) - P(Y = k)
    # is P(Y <= k - 1) as that cdf gives it: p**size carries p's rounding error times the size
    p = s / (s + m)
    log_pmf[nb] = _log_gamma_ratio(s, kk) - special.gammaln(kk + 1.0) + s * np.log(p) + special.xlogy(kk, m / (s + m))
    kk, m = k[~nb], means[~nb]
    log_pmf[~nb] = special.xlogy(kk, m) - m - special.gammaln(kk + 1.0)
    return np.exp(log_pmf)


def _log_gamma_ratio(a: np.ndarray, d: np.ndarray) -> np.ndarray:
    """log Gamma(a + d) - log Gamma(a) for a > 0, d >= 0, without the cancellation of two large logs.

    For a >= 100, Stirling's series of each term, subtracted term by term (its remainder there is below
    1e-17); below, the two logs are small enough to subtract directly.
    """
    big = a >= 100.0
    if not big.any():
        return special.gammaln(a + d) - special.gammaln(a)
    safe = np.where(big, a, 100.0)
    total = safe + d
    stirling = (safe - 0.5) * np.log1p(d / safe) + d * np.log(total) - d + _stirling_tail(total) - _stirling_tail(safe)
    if big.all():
        return stirling
    return np.where(big, stirling, special.gammaln(a + d) - special.gammaln(np.where(big, 1.0, a)))


def _stirling_tail(x: np.ndarray) -> np.ndarray:
    inv = 1.0 / x
    inv2 = inv * inv
    return inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 / 1260.0))
