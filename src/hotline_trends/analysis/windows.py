"""Event windows on any frequency: which periods an event touches and what share of each it covers.

A one-day Super Bowl is looked at as the week around it (3 days either side by default): people arrive
before and leave after. On annual data that week is 7/365 of the year, which is why a week-long spike is
nearly invisible in a yearly count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np
import pandas as pd

DAYS_AROUND = 3


@dataclass(frozen=True)
class Window:
    """The days an effect is looked for: the event's days plus ``days_before`` and ``days_after``."""

    event_start: pd.Timestamp
    event_end: pd.Timestamp
    days_before: int = DAYS_AROUND
    days_after: int = DAYS_AROUND

    @cached_property
    def start(self) -> pd.Timestamp:
        return self.event_start - pd.Timedelta(days=self.days_before)

    @cached_property
    def end(self) -> pd.Timestamp:
        return self.event_end + pd.Timedelta(days=self.days_after)

    @property
    def days(self) -> int:
        return int((self.end - self.start).days) + 1

    def to_dict(self) -> dict:
        return {
            "start": self.start.date().isoformat(),
            "end": self.end.date().isoformat(),
            "days": self.days,
            "event_start": self.event_start.date().isoformat(),
            "event_end": self.event_end.date().isoformat(),
            "days_before": self.days_before,
            "days_after": self.days_after,
        }


def make_window(
    start: date | str | pd.Timestamp,
    end: date | str | pd.Timestamp,
    *,
    days_before: int = DAYS_AROUND,
    days_after: int = DAYS_AROUND,
) -> Window:
    """A window around an event's inclusive dates.

    Example:
        >>> make_window("2013-02-03", "2013-02-03").days
        7
    """
    if days_before < 0 or days_after < 0:
        raise ValueError("days_before and days_after must be 0 or more")
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    if last < first:
        raise ValueError(f"the event ends ({last.date()}) before it starts ({first.date()})")
    return Window(first, last, days_before, days_after)


def coverage(period_start: pd.Series, period_end: pd.Series, window: Window) -> pd.DataFrame:
    """For each inclusive period: days it shares with the window, ``share_covered`` and ``in_window``.

    ``share_covered`` is the fraction of the period's days inside the window (7/365 for a week in a year).

    Example:
        >>> s = pd.to_datetime(pd.Series(["2013-01-01", "2013-02-01", "2013-03-01"]))
        >>> e = pd.to_datetime(pd.Series(["2013-01-31", "2013-02-28", "2013-03-31"]))
        >>> coverage(s, e, make_window("2013-02-03", "2013-02-03"))["days_in_window"].tolist()
        [1, 6, 0]
    """
    first = pd.to_datetime(period_start).to_numpy().astype("datetime64[D]")
    last = pd.to_datetime(period_end).to_numpy().astype("datetime64[D]")
    return pd.DataFrame(coverage_arrays(first, last, window), index=period_start.index)


def coverage_arrays(first: np.ndarray, last: np.ndarray, window: Window) -> dict[str, np.ndarray]:
    """``coverage`` on day arrays (datetime64[D]), without building a frame: used once per event."""
    # as day numbers (a view of the same integers): integer arithmetic, no date conversions per period
    first, last = (
        first.astype("datetime64[D]", copy=False).view("int64"),
        last.astype("datetime64[D]", copy=False).view("int64"),
    )
    lo = np.maximum(first, window.start.to_datetime64().astype("datetime64[D]").astype("int64"))
    hi = np.minimum(last, window.end.to_datetime64().astype("datetime64[D]").astype("int64"))
    overlap = np.maximum(hi - lo + 1, 0)
    length = last - first + 1
    return {"days_in_window": overlap, "share_covered": overlap / length, "in_window": overlap > 0}


def shifted(period_index: np.ndarray, offset: int, n_periods: int) -> np.ndarray:
    """The window's period positions moved by ``offset`` periods, or an empty array if they fall outside."""
    moved = period_index + offset
    if moved.size == 0 or moved.min() < 0 or moved.max() >= n_periods:
        return np.array([], dtype=int)
    return moved
