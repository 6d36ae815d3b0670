"""Seeded daily counts for the monitor's tests and benchmark, each with its ground truth (never shown as real).

The scenarios are those of the honest-verdicts validation (``analysis.synthetic.SCENARIOS``), drawn by its
``simulate`` with their own sizes; only the daily ones apply: (a) the model itself, (b) a latent AR(1) with
rho = 0.8, (c) a weekday pattern three times (a)'s and quieter federal holidays, (d) one-day bursts x6 on
about 1 day in 60, (e) a level shift of 10-35% a year before the reference day, (f) sparse, overdispersed
counts. What the monitor needs beyond them is added here:

- a **lasting** rise of ``rise`` from ``step_day`` to the end (``simulate``'s event window, stretched to the
  series' end, carries it);
- missing days (2% at random by default: missing, not zero);
- ``EXTRA``: harsher combinations kept apart from the scored scenarios — (b), (c) and (d) at once, and the
  dispersion of 0.1 an earlier version of this benchmark used.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hotline_trends.analysis.synthetic import SCENARIOS as VALIDATION
from hotline_trends.analysis.synthetic import simulate

DAILY = [key for key, s in VALIDATION.items() if s.config.get("kind") == "day"]
EXTRA = {
    "bcd": ("(b), (c) and (d) at once: correlated days, strong weekdays and holidays, bursts", ("b", "c", "d")),
    "alpha0.1": ("(a) with negative-binomial dispersion 0.1 (a day's sd at 40 a day is 14, not 6.3)", ("a",)),
}
SCENARIOS = {**{key: VALIDATION[key].title for key in DAILY}, **{key: text for key, (text, _) in EXTRA.items()}}
SHAPE = ("kind", "n_periods", "margin_days")  # where the validation puts its events: not a size, set here


def config(scenario: str) -> dict:
    """``simulate`` arguments of a scenario (sizes only: length and event placement are the caller's)."""
    if scenario in EXTRA:
        merged: dict = {}
        for key in EXTRA[scenario][1]:
            merged.update(config(key))
        if scenario == "alpha0.1":
            merged["alpha"] = (0.1, 0.1)
        return merged
    if scenario not in DAILY:
        raise ValueError(f"unknown daily scenario {scenario!r}; one of {', '.join(SCENARIOS)}")
    return {k: v for k, v in VALIDATION[scenario].config.items() if k not in SHAPE}


def simulate_daily(
    scenario: str,
    *,
    days: int,
    start: str = "2022-01-01",
    level: float | None = None,
    step_day: int | None = None,
    reference_day: int | None = None,
    rise: float = 0.5,
    missing: float = 0.02,
    seed: int = 0,
) -> tuple[pd.DataFrame, dict]:
    """Daily counts of one scenario and their truth.

    Args:
        scenario: a key of ``SCENARIOS`` ("a"-"f", or an ``EXTRA`` one).
        days: length; ``level``: mean count a day (default: the scenario's own range, e.g. 80-140 for (a)).
        step_day: index of the first day of a lasting rise of ``rise`` (e.g. +50%); None for a null series.
        reference_day: the day the scenario's event sits on when there is no step (scenario (e) shifts the
            level a year before it); default ``days // 2``.

    Returns:
        (frame with ``date`` and ``count``, NaN on missing days; truth: scenario, level, step_day and
        step_date, rise, missing_days).

    Example:
        >>> data, truth = simulate_daily("d", days=400, step_day=300, seed=1)
        >>> len(data), truth["step_date"], int(data["count"].max()) > 300  # a burst
        (400, '2022-10-28', True)
    """
    settings = config(scenario)
    if level is not None:
        settings["level"] = (level, level)
    event = step_day if step_day is not None else (reference_day if reference_day is not None else days // 2)
    # the event window starts at ``event`` and runs to the last day: a lasting rise when it is planted
    data, _ = simulate(
        n_regions=1,
        n_periods=days,
        kind="day",
        start=start,
        margin_days=event,
        effect_days=days - event,
        effect=rise if step_day is not None else 0.0,
        planted_share=1.0,
        seed=seed,
        **settings,
    )
    counts = data["value"].to_numpy(float)
    dates = pd.DatetimeIndex(data["period_start"])
    gone = np.flatnonzero(np.random.default_rng([seed, 2]).random(days) < missing)
    counts[gone] = np.nan
    truth = {
        "scenario": scenario,
        "level": settings.get("level"),
        "step_day": step_day,
        "step_date": None if step_day is None else dates[step_day].date().isoformat(),
        "rise": rise if step_day is not None else 0.0,
        "missing_days": gone.tolist(),
    }
    return pd.DataFrame({"date": dates, "count": counts}), truth
