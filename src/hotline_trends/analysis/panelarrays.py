"""Arrays derived from a panel's periods, computed once per panel and shared by all of its events.

A pooled study plans and assembles hundreds of events on one panel. Reading a column of the periods
frame, or converting it, costs more than the arithmetic an event then does with it, so the arrays are
kept in ``panel.cache`` (the panel's periods never change once it is built).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hotline_trends.analysis.breaks import Break, breaks_for
from hotline_trends.analysis.panel import Panel


@dataclass(frozen=True)
class PeriodArrays:
    """The periods of a panel as plain arrays (T each)."""

    start: np.ndarray  # datetime64[ns]
    end: np.ndarray  # datetime64[ns]
    first_day: np.ndarray  # datetime64[D]
    last_day: np.ndarray  # datetime64[D]
    length: np.ndarray  # days in each period (int)

    def timestamp(self, i: int) -> pd.Timestamp:
        """The start of period ``i``, as ``periods['period_start'].iloc[i]`` gives it."""
        return pd.Timestamp(self.start[i])


def period_arrays(panel: Panel) -> PeriodArrays:
    """The panel's period bounds as arrays, computed once per panel."""
    if "period_arrays" not in panel.cache:
        start = pd.to_datetime(panel.periods["period_start"]).to_numpy()
        end = pd.to_datetime(panel.periods["period_end"]).to_numpy()
        length = ((panel.periods["period_end"] - panel.periods["period_start"]).dt.days + 1).to_numpy()
        panel.cache["period_arrays"] = PeriodArrays(
            start, end, start.astype("datetime64[D]"), end.astype("datetime64[D]"), length
        )
    return panel.cache["period_arrays"]


def panel_breaks(panel: Panel, *, rates: bool) -> list[Break]:
    """The registered breaks inside the panel's span, for its dataset and metric."""
    key = ("breaks", rates)
    if key not in panel.cache:
        arrays = period_arrays(panel)
        panel.cache[key] = (
            breaks_for(
                dataset=panel.dataset, metric=panel.metric, start=arrays.start.min(), end=arrays.end.max(), rates=rates
            )
            if len(arrays.start)
            else []
        )
    return panel.cache[key]


def other_regions(panel: Panel, skip: list[int]) -> np.ndarray:
    """Every row of the panel but ``skip``, sorted (``np.setdiff1d`` without its sort of every row)."""
    keep = np.ones(len(panel.regions), bool)
    keep[skip] = False
    return np.flatnonzero(keep)
