"""Daily monitoring: is today's count, with the days before it, a rise beyond what this series' past allows?

``monitor(daily, start=...)`` compares every day from ``start`` on with its expected count (a rolling
baseline of earlier days, :mod:`monitor_baseline`) and runs an alarm rule that keeps false alarms rare over
many daily looks (a capped negative-binomial CUSUM with a threshold set on the series' own past,
:mod:`monitor_cusum`). The result lists every day with its band, the alarms and why, the method in plain
words with its references, and the caveats of the series. Pure: frames in, a result out.

A day's expectation and alarm depend only on the days before it (and the threshold only on the days
before ``start``), so a day's result never changes when later days arrive.

Example:
    >>> from hotline_trends.analysis.monitor_synthetic import simulate_daily
    >>> data, truth = simulate_daily("a", days=300, step_day=280, seed=3)
    >>> result = monitor(data, start="2022-09-18")
    >>> result.alarms[0]["date"] >= truth["step_date"]
    True
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from hotline_trends.analysis.monitor_baseline import BaselineSettings, count_cap, expected_counts, nb_quantile
from hotline_trends.analysis.monitor_cusum import Calibration, calibrate, cusum, log_ratio
from hotline_trends.analysis.monitor_jump import crossings, jump_level, jump_statistic, log_residuals
from hotline_trends.analysis.monitor_simulate import simulated_days
from hotline_trends.analysis.monitor_words import alarm_reason, caveats, method_text, summary
from hotline_trends.analysis.results import jsonable
from hotline_trends.errors import UserError

MIN_REPLAY = 56  # days of the series' own past needed to set the threshold


@dataclass(frozen=True)
class MonitorSettings:
    """What the monitor looks for and how rare false alarms must be.

    ``rise``: the lasting rise the rule is tuned to (0.5 = +50%); ``alarms_per_year``: false alarms allowed
    per 365 days on the series' own past; ``burst_quantile``: a day above this quantile of its prediction
    is marked as a one-day burst; ``show_days``: days before ``start`` drawn for context; ``replay_days``: at
    most this many days before ``start`` set the alarm level (older days are not used).
    """

    rise: float = 0.5
    alarms_per_year: float = 0.5
    burst_quantile: float = 0.999
    cap_quantile: float = 0.995
    day_share: float = 0.5
    years: int = 500
    jump_share: float = 0.5
    jump_window: int = 7
    replay_days: int = 730
    monitor_days: int = 28
    show_days: int = 56
    seed: int = 0
    baseline: BaselineSettings = field(default_factory=BaselineSettings)


@dataclass
class MonitorResult:
    """One daily series monitored from ``start``: every shown day, the alarms and what they rest on."""

    label: str
    start: pd.Timestamp
    end: pd.Timestamp
    days: pd.DataFrame  # date, count, expected, lower, upper, burst_line, evidence, threshold, alarm, burst, status
    alarms: list[dict[str, Any]]
    threshold: float
    calibration: Calibration
    settings: MonitorSettings
    summary: str
    method: str
    caveats: list[str]
    sources: list[str] = field(default_factory=list)
    series: dict[str, Any] = field(default_factory=dict)
    step: dict[str, float] = field(default_factory=dict)  # the step rule: its level and the latent AR(1) read

    @property
    def monitored(self) -> pd.DataFrame:
        return self.days.loc[self.days["date"] >= self.start]

    def to_dict(self) -> dict[str, Any]:
        settings = {k: v for k, v in self.settings.__dict__.items() if k != "baseline"}
        return jsonable(
            {
                "series": self.series or {"label": self.label},
                "start": self.start,
                "end": self.end,
                "summary": self.summary,
                "alarms": self.alarms,
                "threshold": self.threshold,
                "calibration": self.calibration.__dict__,
                "step_rule": self.step,
                "settings": {**settings, "baseline": self.settings.baseline.__dict__},
                "method": self.method,
                "caveats": self.caveats,
                "sources": self.sources,
                "days": self.monitored,
            }
        )


def complete_days(daily: pd.DataFrame) -> pd.DataFrame:
    """``date`` / ``count`` on every calendar day from the first to the last (missing days NaN, never 0)."""
    frame = daily.assign(date=pd.to_datetime(daily["date"]).dt.normalize()).sort_values("date")
    if frame["date"].duplicated().any():
        raise ValueError("one row per day: dates repeat")
    days = pd.date_range(frame["date"].iloc[0], frame["date"].iloc[-1], freq="D")
    counts = frame.set_index("date")["count"].astype(float).reindex(days)
    return pd.DataFrame({"date": days, "count": counts.to_numpy()})


def monitor(
    daily: pd.DataFrame,
    *,
    start: str | date | pd.Timestamp | None = None,
    settings: MonitorSettings | None = None,
    label: str = "the series",
    caveat: str = "",
) -> MonitorResult:
    """Monitor a daily series from ``start`` (default: its last ``monitor_days`` days) to its last day.

    Raises ``UserError`` (a sentence saying what is missing) when the series is empty, ``start`` is outside
    it, or there is too little history before ``start`` to set the alarm threshold.
    """
    settings = settings or MonitorSettings()
    if daily.empty or daily["count"].notna().sum() == 0:
        raise UserError(f"{label} has no daily counts to monitor.")
    grid = complete_days(daily)
    dates = pd.DatetimeIndex(grid["date"])
    first, last = dates[0], dates[-1]
    begin = (
        pd.Timestamp(start) if start is not None else max(first, last - pd.Timedelta(days=settings.monitor_days - 1))
    )
    if not first <= begin <= last:
        raise UserError(
            f"the first day to monitor, {begin.date()}, is outside {label} ({first.date()} to {last.date()}); "
            "choose a day within it."
        )
    b = settings.baseline
    oldest = begin - pd.Timedelta(days=settings.replay_days + b.guard_days + b.pattern_days)
    if first < oldest:  # a long past: the last two years set the threshold, the year before them the pattern
        grid = grid.loc[grid["date"] >= oldest].reset_index(drop=True)
        dates = pd.DatetimeIndex(grid["date"])
    counts = grid["count"].to_numpy()
    expected = expected_counts(counts, dates, settings=settings.baseline)
    cap = count_cap(settings.cap_quantile, expected.mu, expected.alpha)
    evidence = log_ratio(np.minimum(counts, cap), expected.mu, expected.alpha, rise=settings.rise)
    before = (dates < begin) & (dates >= begin - pd.Timedelta(days=settings.replay_days))
    _check_history(expected.baseline_days, counts, before, begin=begin, first=first, label=label, settings=settings)
    draws = simulated_days(
        counts,
        expected,
        before & ~np.isnan(counts),
        cap_quantile=settings.cap_quantile,
        years=settings.years,
        seed=settings.seed,
    )
    calibration = calibrate(
        evidence[before],
        simulated=log_ratio(draws.counts, draws.mu, draws.alpha, rise=settings.rise),
        alarms_per_year=settings.alarms_per_year * (1 - settings.jump_share),
        years=settings.years,
        day_share=settings.day_share,
        seed=settings.seed,
    )
    jump = _jump(np.minimum(counts, cap), expected, draws, before, settings=settings)
    days = _days(grid, expected, evidence, calibration.threshold, jump, begin=begin, settings=settings)
    alarms = [
        alarm_reason(days, i, threshold=calibration.threshold, step_level=jump.level)
        for i in np.flatnonzero(days["alarm"])
    ]
    monitored = days.loc[days["date"] >= begin]
    return MonitorResult(
        label=label,
        start=begin,
        end=last,
        days=days,
        alarms=alarms,
        threshold=calibration.threshold,
        calibration=calibration,
        settings=settings,
        summary=summary(monitored, alarms, label=label),
        method=method_text(calibration, settings=settings),
        caveats=caveats(monitored, calibration, settings=settings, series_caveat=caveat),
        step={"level": jump.level, "achieved": jump.achieved, "rho": draws.rho, "sigma2": draws.sigma2},
    )


def _check_history(baseline_days, counts, before, *, begin, first, label, settings: MonitorSettings) -> None:
    b = settings.baseline
    usable = before & (baseline_days >= b.min_days) & ~np.isnan(counts)
    if usable.sum() >= MIN_REPLAY:
        return
    need = b.min_days + b.guard_days + MIN_REPLAY
    have = int((~np.isnan(counts[before])).sum())
    raise UserError(
        f"too little history to monitor {label} from {begin.date()}: the alarm threshold is set on the "
        f"series' own past, which needs about {need} days of counts before the first day monitored "
        f"({b.min_days} for a baseline, a {b.guard_days}-day gap and {MIN_REPLAY} to replay); there are "
        f"{have} (from {first.date()}). Choose a later first day or add earlier days."
    )


@dataclass
class Jump:
    statistic: np.ndarray
    since: np.ndarray
    level: float
    achieved: float


def _jump(capped, expected, draws, before, *, settings: MonitorSettings) -> Jump:
    """The step rule's statistic on every day and its level, set on the simulated years and the past."""
    options = {"rho": draws.rho, "sigma2": draws.sigma2, "rise": settings.rise, "window": settings.jump_window}
    statistic, since = jump_statistic(*log_residuals(capped, expected.mu, expected.alpha, draws.sigma2), **options)
    if settings.jump_share <= 0:
        return Jump(statistic[0], since[0], np.inf, 0.0)
    simulated, _ = jump_statistic(*log_residuals(draws.counts, draws.mu, draws.alpha, draws.sigma2), **options)
    budget = settings.alarms_per_year * settings.jump_share
    level, achieved = jump_level(simulated, alarms_per_year=budget)
    # the past itself, judged as new days are, must stay under the budget too: the model may miss its quirks
    past = statistic[0][before]
    allowed = int(np.floor(budget * len(past) / 365))
    if len(past) and crossings(past, level).sum() > allowed:
        level = float(np.sort(past[np.isfinite(past)])[::-1][allowed]) + 1e-9 if allowed < len(past) else level
    return Jump(statistic[0], since[0], level, achieved)


def _days(grid, expected, evidence, threshold, jump: Jump, *, begin, settings: MonitorSettings) -> pd.DataFrame:
    """Every shown day: count, expected with its 95% band, the burst line, the CUSUM and the flags."""
    mu, alpha = expected.mu, expected.alpha
    counts = grid["count"].to_numpy()
    watched = (grid["date"] >= begin).to_numpy()
    jumped = crossings(np.where(watched, jump.statistic, -np.inf), jump.level) & watched
    run = cusum(np.where(watched, evidence, np.nan), threshold=threshold, day_share=settings.day_share, reset=jumped)
    jumped &= ~run.alarm
    run_start = np.where(jumped, np.arange(len(counts)) - jump.since, run.run_start)
    burst_line = nb_quantile(settings.burst_quantile, mu, alpha)
    status = np.where(np.isnan(counts), "missing", np.where(np.isnan(mu), "no baseline", "ok"))
    frame = pd.DataFrame(
        {
            "date": grid["date"],
            "count": counts,
            "expected": mu,
            "lower": nb_quantile(0.025, mu, alpha),
            "upper": nb_quantile(0.975, mu, alpha),
            "burst_line": burst_line,
            "evidence": np.where(watched, run.value, np.nan),
            "threshold": np.where(watched, threshold, np.nan),
            "alarm": (run.alarm | jumped) & watched,
            "rule": np.where(jumped, "step", np.where(run.alarm & watched, "cusum", "")),
            "jump": np.where(watched, jump.statistic / jump.level, np.nan),
            "burst": watched & (counts > burst_line),
            "run_start": np.where(watched, run_start, -1),
            "status": status,
        }
    )
    shown = grid["date"] >= begin - pd.Timedelta(days=settings.show_days)
    return (
        frame.loc[shown]
        .reset_index(drop=True)
        .assign(run_start=lambda f: f["run_start"] - int(np.flatnonzero(shown)[0]))
    )


def with_settings(settings: MonitorSettings | None = None, **changes: Any) -> MonitorSettings:
    """``settings`` (or the defaults) with some fields changed, e.g. ``with_settings(rise=0.25)``."""
    return replace(settings or MonitorSettings(), **changes)
