"""Result objects that describe themselves: every number with how it was made, its sources and caveats.

``to_dict()`` gives plain JSON-safe values (NaN and infinity become None; dates ISO strings), so the CLI,
the dashboard and a script read the same thing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd


def jsonable(value: Any) -> Any:
    """Plain Python values for JSON: None for missing or infinite numbers, ISO strings for dates.

    Example:
        >>> jsonable({"a": np.float64("nan"), "b": [np.int64(2), float("inf")], "c": pd.Timestamp("2015-01-01")})
        {'a': None, 'b': [2, None], 'c': '2015-01-01'}
    """
    if hasattr(value, "to_dict") and not isinstance(value, pd.DataFrame | pd.Series):
        return jsonable(value.to_dict())
    if isinstance(value, pd.DataFrame):
        return [jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray | pd.Series):
        return [jsonable(v) for v in list(value)]
    if isinstance(value, pd.Timestamp | datetime):
        if value is pd.NaT:
            return None
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


@dataclass
class EventResult:
    """One event, one series: the verdict and everything it rests on (see ``to_dict`` for the keys)."""

    event_id: str
    event: dict
    dataset: str
    metric: str
    frequency: str | None
    level: str
    regions: list[str]
    host: str
    verdict: str
    reason: str
    window: dict
    observed: float | None = None
    expected: float | None = None
    interval: list[float] | None = None
    ratio: float | None = None
    ratio_interval: list[float] | None = None
    p_value: float | None = None
    p_upper: float | None = None
    mde: float | None = None
    mde_event_days: float | None = None
    effect: dict | None = None
    controls: dict | None = None
    did: dict | None = None
    placebo: dict | None = None
    breaks: list[dict] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    processing: str = ""
    caveats: list[str] = field(default_factory=list)
    model: dict | None = None
    place: dict | None = None
    # builds ``series`` (the host's series, chart-ready) when it is first read: a study rarely needs them
    series_maker: Callable[[], pd.DataFrame] | None = field(default=None, repr=False, compare=False)
    profile: list[dict] = field(default_factory=list)  # relative periods t-k..t+k (for studies)
    q_value: float | None = None
    checks: dict | None = None  # the model checks on the host's baseline and what a failure widened
    tested: float | None = None  # the observed total with bursts at their limit: what the p-value tests
    rule: str | None = None  # which verdict rule decided (``verdict.judge``)
    # the place analysed instead of the event's city or county, and why (``standin``); None when it is the host
    stand_in: dict | None = None

    @cached_property
    def series(self) -> pd.DataFrame | None:
        """One row per period of the host's series (see ``analysis.series.host_series``), or None."""
        return None if self.series_maker is None else self.series_maker()

    def to_dict(self) -> dict:
        names = [("series" if f.name == "series_maker" else f.name) for f in fields(self)]
        return {name: jsonable(getattr(self, name)) for name in names}

    def summary(self) -> dict:
        """One flat row for tables of many events."""
        row = {
            "event_id": self.event_id,
            "name": self.event.get("name"),
            "start": self.event.get("start_date"),
            "host": self.host,
            "frequency": self.frequency,
            "observed": self.observed,
            "expected": self.expected,
            "interval_low": self.interval[0] if self.interval else None,
            "interval_high": self.interval[1] if self.interval else None,
            "ratio": self.ratio,
            "ratio_low": self.ratio_interval[0] if self.ratio_interval else None,
            "ratio_high": self.ratio_interval[1] if self.ratio_interval else None,
            "p_value": self.p_value,
            "q_value": self.q_value,
            "mde": self.mde,
            "did": (self.did or {}).get("ratio"),
            "placebo_p": (self.placebo or {}).get("p_value"),
            "verdict": self.verdict,
            "reason": self.reason,
        }
        return jsonable(row)


@dataclass
class StudyResult:
    """All instances of an event type: per-event results, a pooled effect and a relative-time profile."""

    event_type: str
    label: str
    dataset: str
    metric: str
    events: list[EventResult]
    pooled: dict
    profile: list[dict]
    verdict: str
    reason: str
    sources: list[str]
    processing: str
    caveats: list[str]

    def to_dict(self) -> dict:
        out = {f.name: jsonable(getattr(self, f.name)) for f in fields(self) if f.name != "events"}
        out["events"] = [e.summary() for e in self.events]
        out["details"] = [e.to_dict() for e in self.events]
        return out
