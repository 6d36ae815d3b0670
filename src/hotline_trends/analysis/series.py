"""The host's series, chart-ready: observed, expected with a 95% band, and which periods did what."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hotline_trends.analysis.eventplan import Plan
from hotline_trends.analysis.panelarrays import period_arrays
from hotline_trends.analysis.rates import PER


def host_series(plan: Plan) -> pd.DataFrame:
    """One row per period of the host's series.

    Columns: ``period_start``, ``period_end``, ``observed`` (missing stays missing), ``expected``,
    ``lower``/``upper`` (95% predictive band of one period), ``in_window``, ``share_covered``,
    ``in_baseline`` (used to fit), ``usable`` (on the event's side of any break; expected is blank
    elsewhere), ``agencies_reporting`` for agency sums, and ``population``/``rate_per_100k``/
    ``expected_rate_per_100k`` when rates were asked for.
    """
    panel, main = plan.panel, plan.out["main"]
    rows, lower, upper = plan.out["band"]  # computed for all plans at once by batch.fit_plans
    mu = main["host_mu"][rows]
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
            "in_baseline": plan.fitted[rows],
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
