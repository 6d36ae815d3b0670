"""The terms of a baseline: intercept, linear trend, seasonality for sub-annual data, day of week, holidays.

Terms are added only when the fitted periods can carry them: a trend needs at least 4 periods, yearly
seasonality about 20 months of sub-annual data, day-of-week effects at least four weeks of daily data, and
a U.S. federal-holiday term (one shared effect on the observed holiday dates, pandas'
``USFederalHolidayCalendar``) daily data whose fitted days include at least 10 holidays (about a year).
Given the host's counts, a day-level indicator also needs at least 5 counts on its days (every weekday for
day-of-week effects, the holidays for the holiday term): a sparse series (a few dozen reports in four
years) would otherwise give an effect that runs off to minus infinity on a day with no count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hotline_trends.analysis.monitor_baseline import federal_holidays

MIN_TREND = 4
MIN_SEASON_DAYS = 600  # about 20 months between the first and last fitted period
MIN_WEEKDAY_DAYS = 28
MIN_HOLIDAYS = 10  # fitted federal holidays for a holiday term: about a year of daily data
MIN_INDICATOR_COUNT = 5  # counts on the days of a day-level indicator (each weekday, the holidays)
HARMONICS = {"day": 2, "week": 2, "month": 2, "quarter": 1}


@dataclass(frozen=True)
class Design:
    """A design matrix over all periods of a series, with its term names and a plain description."""

    X: np.ndarray  # (T, P), first column the intercept
    terms: tuple[str, ...]
    description: str

    def to_dict(self) -> dict:
        return {"terms": list(self.terms), "description": self.description}


def build_design(
    period_start: pd.Series | None,
    period_end: pd.Series | None,
    *,
    kind: str,
    fitted: np.ndarray,
    trend: bool = True,
    seasonality: bool = True,
    candidates: tuple[np.ndarray, tuple[str, ...]] | None = None,
    cache: dict | None = None,
    counts: np.ndarray | None = None,
) -> Design:
    """Terms for the periods of one series, chosen from the periods that will be fitted (``fitted``).

    Args:
        period_start, period_end: the series' periods (T); not read when ``candidates`` is given.
        kind: the series' period kind (year, half-year, quarter, month, week, day).
        fitted: (T,) bool, the periods a baseline is fitted on.
        trend, seasonality: allow these terms (they are still dropped when the data cannot carry them).
        candidates: ``all_terms(...)`` of these periods, when the caller keeps it for many events.
        cache: a dict kept with ``candidates`` (e.g. a panel's cache): designs with the same terms are then
            one shared object.
        counts: (T,) the host's counts, when given daily indicators need ``MIN_INDICATOR_COUNT`` on their days.

    Example:
        >>> s = pd.Series(pd.date_range("2012-01-01", periods=5, freq="YS"))
        >>> build_design(s, s + pd.offsets.YearEnd(0), kind="year", fitted=np.ones(5, bool)).terms
        ('intercept', 'trend')
    """
    X_all, names = candidates or all_terms(period_start, period_end, kind=kind)
    fitted = np.asarray(fitted, bool)
    n = int(fitted.sum())
    days = X_all[:, names.index("days")]
    span = float(days[fitted].max() - days[fitted].min()) if n else 0.0
    keep = ["intercept"]
    if trend and n >= MIN_TREND:
        keep.append("trend")
    if seasonality and span >= MIN_SEASON_DAYS:
        keep += [t for t in names if t.startswith(("sin", "cos")) or t == "second_half"]
    if seasonality and kind == "day" and n >= MIN_WEEKDAY_DAYS:
        weekdays = [t for t in names if t.startswith("weekday")]
        # Monday is the intercept's day: it needs its counts as much as the six indicators do
        monday = 1.0 - X_all[:, [names.index(t) for t in weekdays]].sum(axis=1)
        if all(_carried(X_all[:, names.index(t)], fitted, counts) for t in weekdays) and _carried(
            monday, fitted, counts
        ):
            keep += weekdays
    if seasonality and kind == "day" and "holiday" in names:
        holiday = X_all[:, names.index("holiday")]
        if holiday[fitted].sum() >= MIN_HOLIDAYS and _carried(holiday, fitted, counts):
            keep.append("holiday")
    columns = [names.index(t) for t in keep]
    rows = X_all[fitted][:, columns]
    keep = keep[: _full_rank_terms(rows.T @ rows)]
    key = ("design", tuple(keep))
    if cache is not None and key in cache:
        return cache[key]
    design = Design(X=X_all[:, columns[: len(keep)]], terms=tuple(keep), description=describe(keep))
    if cache is not None:
        cache[key] = design
    return design


def _carried(indicator: np.ndarray, fitted: np.ndarray, counts: np.ndarray | None) -> bool:
    """Whether the host's fitted counts on an indicator's days can carry its effect (no counts: yes)."""
    if counts is None:
        return True
    on = fitted & (indicator > 0) & np.isfinite(counts)
    return bool(counts[on].sum() >= MIN_INDICATOR_COUNT)


def all_terms(period_start: pd.Series, period_end: pd.Series, *, kind: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """Every term a series of this kind could use, over all its periods (plus 'days', the mid-point day)."""
    start = pd.to_datetime(period_start).reset_index(drop=True)
    end = pd.to_datetime(period_end).reset_index(drop=True)
    mid = start + (end - start) / 2
    # the trend is centred on the whole series, so every event on it shares one design (batched fits)
    center = mid.min() + (mid.max() - mid.min()) / 2
    cols = [np.ones(len(start)), ((mid - center).dt.days / 365.25).to_numpy()]
    names = ["intercept", "trend"]
    if kind in HARMONICS:
        angle = 2 * np.pi * (mid.dt.day_of_year.to_numpy() - 1) / 365.25
        for k in range(1, HARMONICS[kind] + 1):
            cols += [np.sin(k * angle), np.cos(k * angle)]
            names += [f"sin{k}", f"cos{k}"]
    if kind == "half-year":
        cols.append((start.dt.month == 7).to_numpy(float))
        names.append("second_half")
    if kind == "day":
        weekday = start.dt.day_of_week.to_numpy()
        for d in range(1, 7):
            cols.append((weekday == d).astype(float))
            names.append(f"weekday{d}")
    cols.append((mid - mid.min()).dt.days.to_numpy(float))
    names.append("days")
    if kind == "day":  # after 'days', so the columns before it are as they always were
        cols.append(federal_holidays(pd.DatetimeIndex(start)).astype(float))
        names.append("holiday")
    return np.column_stack(cols), tuple(names)


def describe(terms: list[str] | tuple[str, ...]) -> str:
    """The terms in words.

    Example:
        >>> describe(["intercept", "trend", "sin1", "cos1", "sin2", "cos2"])
        'an intercept, a linear trend and yearly seasonality (2 harmonics)'
    """
    words = []
    if "trend" in terms:
        words.append("a linear trend")
    harmonics = sum(t.startswith("sin") for t in terms)
    if harmonics:
        words.append(f"yearly seasonality ({harmonics} harmonic{'s' if harmonics > 1 else ''})")
    if "second_half" in terms:
        words.append("a second-half-year term")
    if any(t.startswith("weekday") for t in terms):
        words.append("day-of-week effects")
    if "holiday" in terms:
        words.append("a U.S. federal-holiday effect")
    if not words:
        return "an intercept only"
    return "an intercept" + "".join(f", {w}" for w in words[:-1]) + f" and {words[-1]}"


def _full_rank_terms(gram: np.ndarray) -> int:
    """How many leading terms to keep: drop the last terms until the fitted rows have full column rank
    (e.g. a season with no data), read off the small Gram matrix X'X (terms are on unit scale)."""
    k = len(gram)
    while k > 1:
        sub = gram[:k, :k]
        scale = np.sqrt(np.maximum(np.diag(sub), 0.0))
        if np.all(scale > 0):
            eig = np.linalg.eigvalsh(sub / np.outer(scale, scale))
            if eig.min() > 1e-10 * eig.max():
                break
        k -= 1
    return k
