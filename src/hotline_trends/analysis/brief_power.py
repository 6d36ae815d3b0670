"""What each host series could detect for an event of N days, and what data a planner could collect would.

``series_power`` runs ``power`` (the ``power`` command) on one row of ``brief_series.host_series``: a
state's published rows, a state's agency-month sum, or one agency's own series (daily or monthly).
``planner_curve`` asks the same of a daily count a planner could keep (a tip line): seeded negative-
binomial days with a weekday pattern, ``days_of_baseline`` of them, fitted and tested exactly as a stored
series is; the power is the chance that test flags the rise over the event's days.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from scipy import stats

from hotline_trends.analysis import api
from hotline_trends.analysis.panel import panel_from_regions
from hotline_trends.analysis.power import PowerResult, power

PLAN_MEANS = (2, 5, 10, 20, 40)  # counts a day a tip line or hotline desk might average
PLAN_BASELINES = (28, 91, 182, 365)  # days of baseline before the event
PLAN_DISPERSION = 0.1  # variance = mean + 0.1 mean^2: days more spread out than Poisson, as real counts are
PLAN_WEEKDAY = 0.15  # weekday swing of the simulated days (+-15%)


def series_power(observations: pd.DataFrame, agencies: pd.DataFrame, row: dict, *, days: int, effect: float) -> dict:
    """``PowerResult.to_dict()`` for one inventory row (see the module docstring)."""
    obs = observations.loc[(observations["dataset"] == row["dataset"]) & (observations["metric"] == row["metric"])]
    common = {"dataset": row["dataset"], "metric": row["metric"], "days": days, "effect": effect}
    if row["region"].startswith("ori:"):
        return _agency_power(obs, region=row["region"], **common).to_dict()
    kinds = ("month", "week", "day") if row.get("agencies") else None
    return api.detectability(
        observations=obs, agencies=agencies, region=row["region"], kinds=kinds, **common
    ).to_dict()  # fmt: skip


def _agency_power(
    obs: pd.DataFrame, *, region: str, dataset: str, metric: str, days: int, effect: float
) -> PowerResult:
    """One agency's own series as a panel of one region (its bare ORI), fitted as a state's would be."""
    ori = region[4:]
    rows = obs.loc[obs["region"] == region].assign(region=ori)
    panel = panel_from_regions(rows, dataset=dataset, metric=metric)
    if panel is None:
        return PowerResult(ori, dataset, metric, None, days, None, f"insufficient data: no values for {region}.")
    result = power(panel, region=ori, days=days, effect=effect)
    result.region = region
    return result


def simulated_days(*, mean: float, n_days: int, dispersion: float, seed: int, end: str = "2025-12-31") -> pd.DataFrame:
    """Seeded negative-binomial daily counts (observation rows) averaging ``mean`` with a weekday swing.

    The days are the last ``n_days`` of one seeded year of gamma multipliers and uniforms (common random
    numbers), so curves for other means and baselines differ only by mean and length, not by luck.
    """
    rng = np.random.default_rng(seed)
    year = max(365, n_days)
    multiplier = rng.gamma(1.0 / dispersion, dispersion, size=year)[-n_days:]
    uniform = rng.uniform(size=year)[-n_days:]
    dates = pd.date_range(end=end, periods=n_days, freq="D")
    mu = mean * multiplier * (1.0 + PLAN_WEEKDAY * np.sin(2 * np.pi * dates.day_of_week.to_numpy() / 7))
    counts = stats.poisson.ppf(uniform, mu)
    return pd.DataFrame(
        {
            "dataset": "planned", "region": "PLAN", "period_start": dates, "period_end": dates,
            "period_kind": "day", "metric": "count", "value": counts.astype(float), "source_id": "simulated",
            "reliability": "", "note": "",
        }
    )  # fmt: skip


def planner_curve(
    *,
    days: int,
    effect: float = 0.25,
    means: tuple[float, ...] = PLAN_MEANS,
    baselines: tuple[int, ...] = PLAN_BASELINES,
    dispersion: float = PLAN_DISPERSION,
    seed: int = 0,
) -> list[dict]:
    """Power and minimum detectable rise for a daily count averaging each of ``means``, after each baseline.

    Example:
        >>> rows = planner_curve(days=7, means=(10,), baselines=(91,), seed=0)
        >>> sorted(rows[0])[:4]
        ['baseline_days', 'days', 'dispersion', 'effect']
    """
    return [dict(row) for row in _curve(days, effect, tuple(means), tuple(baselines), dispersion, seed)]


@functools.lru_cache(maxsize=32)
def _curve(days, effect, means, baselines, dispersion, seed) -> tuple[dict, ...]:
    """``planner_curve``'s rows, computed once per process for the same inputs (it is deterministic)."""
    out = []
    for mean in means:
        for n_days in baselines:
            rows = simulated_days(mean=mean, n_days=n_days, dispersion=dispersion, seed=seed)
            panel = panel_from_regions(rows, dataset="planned", metric="count")
            result = power(panel, region="PLAN", days=days, effect=effect)
            out.append(
                {
                    "mean_per_day": float(mean), "baseline_days": n_days, "days": days, "effect": effect,
                    "power": result.power, "mde": result.mde, "dispersion": dispersion, "seed": seed,
                }
            )  # fmt: skip
    return tuple(out)


def curve_sentence(row: dict) -> str:
    """'a daily tip line averaging 10 a day detects +25% over 7 days with <power> after 91 days of baseline'."""
    chance = "an unknown" if row["power"] is None else f"{row['power']:.0%}"
    return (
        f"a daily tip line averaging {row['mean_per_day']:g} a day detects +{row['effect']:.0%} over {row['days']} "
        f"days with {chance} power after {row['baseline_days']} days of baseline"
    )
