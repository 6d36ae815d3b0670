"""Seeded daily counts for the monitor's tests and benchmark, each with its ground truth (never shown as real).

Scenarios break the monitor's own model the way real police and hotline series do (the misspecified
scenarios of the honest-verdicts issue, on daily counts):

- ``model``: negative-binomial days around a constant level with a weekday pattern and quieter federal
  holidays — what the baseline assumes;
- ``ar1``: the same with a latent AR(1) on the log scale, rho = 0.8, stationary sd 0.15 (days move together);
- ``calendar``: a strong, non-smooth weekday pattern, holidays both quieter and busier than usual plus days
  the federal calendar does not know (Christmas Eve, the day after Thanksgiving), a yearly season of
  +-15% and a trend of +10% a year;
- ``bursts``: one-day bursts x6 (a sting) on about 1 day in 60;
- ``overdispersed``: negative-binomial dispersion 0.1 (a day's sd at 40 a day is 14, not 6.3);
- ``sparse``: 0.2 a day, mostly zeros;
- ``combined``: ar1, calendar, bursts and overdispersion together.

Every scenario also leaves 2% of days out at random (missing, not zero).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hotline_trends.analysis.monitor_baseline import federal_holidays

SCENARIOS = {
    "model": "the monitor's own model: negative binomial, weekday pattern, quieter holidays",
    "ar1": "latent AR(1), rho 0.8, sd 0.15: days move together",
    "calendar": "strong weekday pattern, holidays +-, unknown holidays, season +-15%, trend +10%/yr",
    "bursts": "one-day bursts x6 on about 1 day in 60",
    "overdispersed": "negative-binomial dispersion 0.1",
    "sparse": "0.2 a day, mostly zeros",
    "combined": "ar1 + calendar + bursts + overdispersion",
}
WEEKDAY = np.log([1.10, 1.05, 1.00, 1.05, 1.30, 0.75, 0.70])  # Monday first: a police-like week


def simulate_daily(
    scenario: str,
    *,
    days: int,
    start: str = "2022-01-01",
    level: float | None = None,
    step_day: int | None = None,
    rise: float = 0.5,
    missing: float = 0.02,
    seed: int = 0,
) -> tuple[pd.DataFrame, dict]:
    """Daily counts and their truth.

    Args:
        scenario: one of ``SCENARIOS``.
        days: length; ``level``: mean count a day (default 40, or 0.2 for ``sparse``).
        step_day: index of the first day of a lasting rise of ``rise`` (e.g. +50%); None for a null series.

    Returns:
        (frame with ``date`` and ``count``, NaN on missing days; truth: scenario, level, step_day and
        step_date, rise, burst_days, missing_days).

    Example:
        >>> data, truth = simulate_daily("bursts", days=400, step_day=300, seed=1)
        >>> len(data), truth["step_date"], len(truth["burst_days"]) > 0
        (400, '2022-10-28', True)
    """
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; one of {', '.join(SCENARIOS)}")
    rng = np.random.default_rng(seed)
    dates = pd.date_range(start, periods=days, freq="D")
    parts = {"combined": ("ar1", "calendar", "bursts", "overdispersed")}.get(scenario, (scenario,))
    base = level if level is not None else (0.2 if scenario == "sparse" else 40.0)
    log_mu = np.full(days, np.log(base))
    holiday = federal_holidays(dates)
    if "calendar" in parts:
        log_mu += 1.6 * WEEKDAY[dates.day_of_week]
        busy = (dates.month == 7) & (dates.day == 4) | (dates.month == 1) & (dates.day == 1)
        quiet = (dates.month == 12) & (dates.day == 24) | _day_after_thanksgiving(dates)
        log_mu += np.where(holiday & ~busy, np.log(0.5), 0.0) + np.where(busy, np.log(1.6), 0.0)
        log_mu += np.where(quiet, np.log(0.6), 0.0)
        years = np.arange(days) / 365.25
        log_mu += 0.15 * np.sin(2 * np.pi * (years + rng.uniform())) + np.log(1.10) * years
    else:
        log_mu += WEEKDAY[dates.day_of_week] + np.where(holiday, np.log(0.7), 0.0)
    if "ar1" in parts:
        sd, rho = 0.15, 0.8
        shocks = rng.normal(0, sd * np.sqrt(1 - rho**2), days)
        latent = np.zeros(days)
        latent[0] = rng.normal(0, sd)
        for i in range(1, days):
            latent[i] = rho * latent[i - 1] + shocks[i]
        log_mu += latent - sd**2 / 2
    if step_day is not None:
        log_mu[step_day:] += np.log1p(rise)
    mu = np.exp(log_mu)
    bursts = np.flatnonzero(rng.random(days) < 1 / 60) if "bursts" in parts else np.array([], int)
    mu[bursts] *= 6
    alpha = 0.1 if "overdispersed" in parts else (0.5 if scenario == "sparse" else 0.02)
    counts = rng.negative_binomial(1 / alpha, 1 / (1 + alpha * mu)).astype(float)
    gone = np.flatnonzero(rng.random(days) < missing)
    counts[gone] = np.nan
    truth = {
        "scenario": scenario,
        "level": base,
        "step_day": step_day,
        "step_date": None if step_day is None else dates[step_day].date().isoformat(),
        "rise": rise if step_day is not None else 0.0,
        "burst_days": bursts.tolist(),
        "missing_days": gone.tolist(),
    }
    return pd.DataFrame({"date": dates, "count": counts}), truth


def _day_after_thanksgiving(dates: pd.DatetimeIndex) -> np.ndarray:
    thursday = (dates.month == 11) & (dates.day_of_week == 3) & (dates.day >= 22) & (dates.day <= 28)
    return np.isin(dates, dates[thursday] + pd.Timedelta(days=1))
