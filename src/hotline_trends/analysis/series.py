"""The host's series, chart-ready: observed, expected with a 95% band, and which periods did what."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hotline_trends.analysis.eventplan import Plan
from hotline_trends.analysis.nbfit import fitted_means
from hotline_trends.analysis.panelarrays import period_arrays
from hotline_trends.analysis.predictive import Predictive
from hotline_trends.analysis.rates import PER


def host_series(plan: Plan) -> pd.DataFrame:
    """One row per period of the host's series.

    Columns: ``period_start``, ``period_end``, ``observed`` (missing stays missing), ``expected``,
    ``lower``/``upper`` (95% predictive band of one period), ``in_window``, ``share_covered``,
    ``in_baseline`` (used to fit), ``usable`` (on the event's side of any break; expected is blank
    elsewhere), ``agencies_reporting`` for agency sums, and ``population``/``rate_per_100k``/
    ``expected_rate_per_100k`` when rates were asked for.

    Built when a result's ``series`` is first read (a study rarely needs its events' series).
    """
    panel = plan.panel
    rows = _shown(plan)
    mu, lower, upper = _band(plan, rows)
    usable = plan.usable[rows]
    observed = panel.values[plan.host_row, rows]
    arrays = period_arrays(panel)
    frame = pd.DataFrame(
        {
            "period_start": arrays.start[rows],
            "period_end": arrays.end[rows],
            "observed": observed,
            "expected": np.where(usable, mu, np.nan),
            "lower": np.where(usable, lower, np.nan),
            "upper": np.where(usable, upper, np.nan),
            "in_window": plan.cov["in_window"][rows],
            "share_covered": plan.cov["share_covered"][rows],
            "in_baseline": plan.out["main"]["host_mask"][rows],  # less bursts left out of the fit
            "usable": usable,
        }
    )
    if panel.agencies_reporting is not None:
        frame["agencies_reporting"] = panel.agencies_reporting[plan.host_row, rows]
    if plan.offset is not None:
        population = np.exp(plan.offset[plan.host_row, rows]) * PER
        frame["population"] = population
        frame["rate_per_100k"] = observed / population * PER
        frame["expected_rate_per_100k"] = frame["expected"] / population * PER
    return frame


def _shown(plan: Plan) -> np.ndarray:
    """The periods the series shows: all, or ``series_span`` either side of the window."""
    rows = np.arange(len(plan.panel.periods))
    span = plan.settings.series_span
    if span is None:
        return rows
    where = np.flatnonzero(plan.target)
    return rows[(rows >= where.min() - span) & (rows <= where.max() + span)]


def _band(plan: Plan, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The host's fitted mean and 95% predictive band of one period, at the periods ``rows``."""
    main = plan.out["main"]
    X = plan.design.X[rows]
    offset = None if plan.offset is None else np.nan_to_num(plan.offset[plan.host_row, rows])[None, :]
    mu = fitted_means(main["beta"][:1], X, offset)[0]
    log_sd = np.sqrt(np.maximum(np.einsum("tp,pq,tq->t", X, main["cov"][0], X), 0.0))
    alpha = float(main["alpha"][0])
    pred = Predictive(mu, log_sd, np.full(len(rows), 1.0 / alpha if alpha > 0 else np.inf))
    return mu, pred.quantile(0.025), pred.quantile(0.975)
