"""What kind of period a row covers (day, week, month, quarter, half-year, year) and a series' frequency."""

from __future__ import annotations

import pandas as pd

KINDS = ("day", "week", "month", "quarter", "half-year", "year", "other")


def period_kind(start: pd.Series, end: pd.Series) -> pd.Series:
    """Label each inclusive period [start, end] by its kind; anything irregular is 'other'.

    Example:
        >>> s = pd.to_datetime(pd.Series(["2024-01-01", "2024-02-01"]))
        >>> e = pd.to_datetime(pd.Series(["2024-12-31", "2024-02-29"]))
        >>> period_kind(s, e).tolist()
        ['year', 'month']
    """
    start, end = pd.to_datetime(start), pd.to_datetime(end)
    days = (end - start).dt.days + 1
    first = start.dt.day == 1
    month_end = end == end + pd.offsets.MonthEnd(0)
    same_year = start.dt.year == end.dt.year
    kind = pd.Series("other", index=start.index, dtype="str")
    kind = kind.mask(days == 1, "day")
    kind = kind.mask(days == 7, "week")
    kind = kind.mask(first & month_end & (start.dt.month == end.dt.month) & same_year, "month")
    quarter = first & month_end & same_year & (end.dt.month - start.dt.month == 2) & (start.dt.month % 3 == 1)
    kind = kind.mask(quarter, "quarter")
    half = first & month_end & same_year & (end.dt.month - start.dt.month == 5) & start.dt.month.isin([1, 7])
    kind = kind.mask(half, "half-year")
    year = first & (start.dt.month == 1) & (end.dt.month == 12) & (end.dt.day == 31) & same_year
    return kind.mask(year, "year")


def frequency(start: pd.Series, end: pd.Series) -> str:
    """The one kind shared by every period of a series, or 'mixed' (a series must not mix kinds silently)."""
    kinds = set(period_kind(start, end))
    return kinds.pop() if len(kinds) == 1 else "mixed"
