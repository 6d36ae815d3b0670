"""Too little or odd data gives 'insufficient data' (or a verdict) with a reason, never an exception."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline_trends.analysis.event import analyse_event
from hotline_trends.analysis.eventplan import EventSpec, Settings
from hotline_trends.analysis.panel import Panel, grid
from hotline_trends.analysis.verdict import VERDICTS
from hotline_trends.analysis.windows import make_window

KINDS = {"year": 8, "month": 30, "day": 120}


def _panel(kind: str, values: np.ndarray) -> Panel:
    n = values.shape[1]
    start = pd.Timestamp("2015-01-01")
    last = {"year": start + pd.DateOffset(years=n - 1), "month": start + pd.DateOffset(months=n - 1)}.get(
        kind, start + pd.Timedelta(days=n - 1)
    )
    regions = [f"R{i}" for i in range(values.shape[0])]
    return Panel("d", "m", kind, grid(start, last, kind), regions, values, {r: ["s"] for r in regions}, "test")


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(sorted(KINDS)),
    seed=st.integers(0, 10_000),
    missing=st.floats(0, 0.9),
    zeros=st.floats(0, 1),
    scale=st.sampled_from([0.0, 0.3, 3.0, 300.0]),
    event_at=st.floats(-0.2, 1.2),
)
def test_any_panel_gives_a_verdict_and_a_reason(kind, seed, missing, zeros, scale, event_at):
    rng = np.random.default_rng(seed)
    n = KINDS[kind]
    values = rng.poisson(scale, size=(4, n)).astype(float)
    values[rng.random(values.shape) < zeros] = 0.0
    values[rng.random(values.shape) < missing] = np.nan
    panel = _panel(kind, values)
    day = panel.periods["period_start"].iloc[0] + pd.Timedelta(
        days=int(event_at * (panel.periods["period_end"].iloc[-1] - panel.periods["period_start"].iloc[0]).days)
    )
    spec = EventSpec(
        event_id="e-2015", name="E", event_type="e", type_label="E", start=day, end=day, host="R0", host_label="R0",
        window=make_window(day, day),
    )  # fmt: skip
    result = analyse_event(panel, spec, settings=Settings(max_time=5))
    assert result.verdict in VERDICTS
    assert result.reason.startswith(result.verdict)
    d = result.to_dict()
    if result.verdict != "insufficient data":
        assert d["interval"][0] <= d["interval"][1] and d["ratio_interval"][0] <= d["ratio_interval"][1]
        assert d["expected"] > 0
