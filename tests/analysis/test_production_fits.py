"""The fits an event's verdict rests on, through the production path (``plan_event`` + ``fit_plans``: batched
batched steps, burst refits, Poisson fallback), equal independent references to 1e-6.

The default dispersion estimator is Cox-Reid's adjusted profile likelihood, which statsmodels lacks: it
is compared with a scipy.optimize maximisation of the same likelihood. Maximum likelihood (the estimator
Cox-Reid reduces to on long series, and ``method="ml"``) is compared with statsmodels' NegativeBinomial.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, special
from statsmodels.discrete.discrete_model import NegativeBinomial, Poisson

from hotline_trends.analysis import nbfit
from hotline_trends.analysis.batch import fit_plans
from hotline_trends.analysis.eventplan import EventSpec, Settings, plan_event
from hotline_trends.analysis.nbfit import fit_counts
from hotline_trends.analysis.panel import Panel, grid, panel_from_regions
from hotline_trends.analysis.synthetic import scenario, simulate, specs
from hotline_trends.analysis.windows import make_window

TOL = 1e-6


def _planned(data: pd.DataFrame, truth: pd.DataFrame, **settings):
    panel = panel_from_regions(data, dataset="synthetic", metric="count")
    plan = plan_event(panel, specs(truth)[0], Settings(max_space=3, **settings))
    fit_plans([plan])
    return panel, plan


def _host(panel: Panel, plan):
    y = panel.values[plan.host_row]
    keep = plan.out["main"]["host_mask"] & np.isfinite(y)
    return y[keep], plan.design.X[keep]


def _nb_loglik(beta, log_alpha, y, X):
    r = np.exp(-log_alpha)
    mu = np.exp(X @ beta)
    return np.sum(
        special.gammaln(y + r) - special.gammaln(r) - special.gammaln(y + 1)
        + r * np.log(r / (r + mu)) + y * np.log(mu / (r + mu))
    )  # fmt: skip


def _statsmodels_nb(y: np.ndarray, X: np.ndarray):
    """statsmodels' NB2 maximum likelihood, started from its own Poisson fit and a small alpha (from its
    default start, or alpha 0.05, Newton steps can take alpha below 0 on long daily series)."""
    start = np.append(Poisson(y, X).fit(disp=0, method="newton", tol=1e-12).params, 0.01)
    fit = NegativeBinomial(y, X).fit(start_params=start, disp=0, method="newton", maxiter=300, tol=1e-12)
    assert fit.mle_retvals["converged"] and np.isfinite(fit.params).all()
    return fit


def _cox_reid_reference(y: np.ndarray, X: np.ndarray, start_beta: np.ndarray) -> tuple[np.ndarray, float]:
    """Maximise l(beta(alpha), alpha) - 1/2 log det(X'WX) with scipy.optimize alone: beta(alpha) by a
    trust-region Newton maximisation of the likelihood, alpha by a bounded scalar search on log alpha."""

    def beta_at(log_alpha: float) -> np.ndarray:
        alpha = np.exp(log_alpha)

        def negative(beta):
            return -_nb_loglik(beta, log_alpha, y, X)

        def gradient(beta):
            mu = np.exp(X @ beta)
            return -X.T @ ((y - mu) / (1 + alpha * mu))

        def hessian(beta):
            mu = np.exp(X @ beta)
            w = mu * (1 + alpha * y) / (1 + alpha * mu) ** 2
            return X.T @ (w[:, None] * X)

        found = optimize.minimize(negative, start_beta, jac=gradient, hess=hessian, method="trust-exact",
                                  options={"gtol": 1e-11})  # fmt: skip
        return found.x

    def adjusted(log_alpha: float) -> float:
        beta = beta_at(log_alpha)
        mu = np.exp(X @ beta)
        w = mu / (1 + np.exp(log_alpha) * mu)
        _, logdet = np.linalg.slogdet(X.T @ (w[:, None] * X))
        return -(_nb_loglik(beta, log_alpha, y, X) - 0.5 * logdet)

    best = optimize.minimize_scalar(adjusted, bounds=(np.log(1e-4), np.log(2.0)), method="bounded",
                                    options={"xatol": 1e-10})  # fmt: skip
    return beta_at(best.x), float(np.exp(best.x))


def test_the_daily_design_studies_use_has_13_terms():
    data, truth = simulate(n_regions=4, n_periods=730, kind="day", planted_share=0.0, seed=41)
    _, plan = _planned(data, truth)
    assert len(plan.design.terms) == 13  # two years of days carry weekday effects and the federal holidays
    assert (
        plan.design.terms[:2] == ("intercept", "trend") and sum(t.startswith("weekday") for t in plan.design.terms) == 6
    )
    assert plan.design.terms[-1] == "holiday"


@pytest.mark.parametrize("seed", [41, 42])
def test_cox_reid_on_the_production_path_equals_a_scipy_maximisation_of_the_adjusted_likelihood(seed):
    data, truth = simulate(n_regions=4, n_periods=730, kind="day", planted_share=0.0, seed=seed)
    panel, plan = _planned(data, truth)  # the default estimator
    assert plan.settings.method == "cox-reid" and plan.dispersion.startswith("own")
    y, X = _host(panel, plan)
    assert len(X.T) / len(y) >= nbfit.CR_MIN_SHARE  # the adjustment is applied at this length
    beta, alpha = _cox_reid_reference(y, X, plan.out["main"]["beta"][0])
    np.testing.assert_allclose(plan.out["main"]["beta"][0], beta, rtol=0, atol=TOL)
    assert plan.out["main"]["alpha"][0] == pytest.approx(alpha, abs=TOL)


def test_on_ten_years_of_days_the_default_estimator_is_statsmodels_maximum_likelihood():
    data, truth = simulate(n_regions=2, n_periods=3652, kind="day", planted_share=0.0, seed=43)
    panel, plan = _planned(data, truth)
    y, X = _host(panel, plan)
    assert len(X.T) / len(y) < nbfit.CR_MIN_SHARE  # the adjustment is negligible here and skipped
    reference = _statsmodels_nb(y, X)
    np.testing.assert_allclose(plan.out["main"]["beta"][0], reference.params[:-1], rtol=0, atol=TOL)
    assert plan.out["main"]["alpha"][0] == pytest.approx(reference.params[-1], abs=TOL)


@pytest.mark.parametrize("key", ["a", "d"])
def test_ml_on_the_production_path_equals_statsmodels_after_bursts_are_left_out(key):
    data, truth = scenario(key, n_regions=4, seed=44)
    panel, plan = _planned(data, truth, method="ml")
    if key == "d":  # the bursts (x6 on 1 day in 60) are found and left out of the host's fit
        assert len(plan.out["main"]["bursts"]) >= 5
    y, X = _host(panel, plan)
    reference = _statsmodels_nb(y, X)
    np.testing.assert_allclose(plan.out["main"]["beta"][0], reference.params[:-1], rtol=0, atol=TOL)
    assert plan.out["main"]["alpha"][0] == pytest.approx(reference.params[-1], abs=TOL)
    # and so is every other region's fit in the same batch
    for j, row in enumerate(plan.main_rows[1:], start=1):
        values = panel.values[row]
        keep = plan.main_mask[j] & np.isfinite(values)
        if not plan.out["main"]["ok"][j] or len(plan.out["main"]["bursts"]) or key == "d":
            continue  # other regions' burst masks are not kept; the host's is compared above
        other = _statsmodels_nb(values[keep], plan.design.X[keep])
        np.testing.assert_allclose(plan.out["main"]["beta"][j], other.params[:-1], rtol=0, atol=TOL)


def test_the_poisson_fallback_equals_statsmodels_poisson():
    start = pd.Timestamp("2015-01-01")
    periods = grid(start, start + pd.DateOffset(months=9), "month")
    values = np.array([[3, 1, 4, 1, 5, 9, 2, 6, 5, 3.0]])
    panel = Panel("d", "m", "month", periods, ["R0"], values, {"R0": ["s"]}, "test")
    day = pd.Timestamp("2015-06-10")
    spec = EventSpec(
        event_id="e", name="E", event_type="e", type_label="E", start=day, end=day, host="R0", host_label="R0",
        window=make_window(day, day),
    )  # fmt: skip
    plan = plan_event(panel, spec, Settings())
    fit_plans([plan])
    assert plan.dispersion.startswith("none") and plan.out["main"]["alpha"][0] == 0
    y, X = _host(panel, plan)
    reference = Poisson(y, X).fit(disp=0, method="newton", tol=1e-12)
    np.testing.assert_allclose(plan.out["main"]["beta"][0], reference.params, rtol=0, atol=TOL)


@pytest.mark.parametrize("kind", ["day", "month"])
def test_each_in_time_placebo_is_close_to_an_exact_refit_without_its_window(kind):
    """One scoring step (Pregibon 1981) stands for each refit: its surprise z within 0.01 of the refit's."""
    config = {
        "day": {"kind": "day", "n_periods": 730, "margin_days": 120},
        "month": {"kind": "month", "n_periods": 72, "level": (20, 200), "alpha": (0.01, 0.1), "margin_days": 60},
    }[kind]
    data, truth = simulate(n_regions=2, planted_share=0.0, seed=45, **config)
    panel, plan = _planned(data, truth)
    intime = plan.out["intime"]
    offsets = intime["offsets"]
    assert len(offsets) >= 30  # every other window of the same span
    host = plan.out["main"]
    y = panel.values[plan.host_row]
    where = np.flatnonzero(plan.target)
    pick = np.linspace(0, len(offsets) - 1, 8).astype(int)
    masks = np.repeat(host["host_mask"][None, :], len(pick), axis=0)
    for i, j in enumerate(pick):
        masks[i, where + offsets[j]] = False
    exact = fit_counts(np.repeat(y[None, :], len(pick), axis=0), plan.design.X, mask=masks,
                       alpha_fixed=np.repeat(host["alpha"][:1], len(pick)))  # fmt: skip
    from hotline_trends.analysis.placebo import surprise
    from hotline_trends.analysis.predictive import Predictive

    cells = np.concatenate([where + offsets[j] for j in pick])
    jobs = np.repeat(np.arange(len(pick)), where.size)
    pred = Predictive.from_cells(exact.beta, plan.design.X, exact.cov, exact.alpha, job=jobs, period=cells)
    pred = pred.widened(host["checks"].count_factor[0], host["checks"].parameter_factor[0])
    tested = intime["tested"][pick]
    z = surprise(pred.mid_upper(tested), pred.mid_cdf(tested))
    np.testing.assert_allclose(intime["z"][pick], z, rtol=0, atol=0.01)
    np.testing.assert_allclose(intime["pred"].expected[pick], pred.expected, rtol=2e-3)
