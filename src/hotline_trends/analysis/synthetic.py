"""Seeded synthetic counts with known truth, for tests and benchmarks (never shown as real data).

Like ruptures' generators, ``simulate`` returns the data and the ground truth: negative-binomial counts
per region and period (day or month) with a level, a linear trend, yearly seasonality and, for days, a
day-of-week pattern; plus event windows, some with a planted relative effect on their days. Detection is
scored against the truth, not just run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hotline_trends.analysis.eventplan import EventSpec
from hotline_trends.analysis.panel import grid
from hotline_trends.analysis.windows import make_window


def simulate(
    *,
    n_regions: int,
    n_periods: int,
    kind: str = "day",
    start: str = "2014-01-01",
    level: tuple[float, float] = (80.0, 140.0),
    alpha: tuple[float, float] = (0.01, 0.03),
    trend: float = 0.05,
    seasonality: float = 0.1,
    weekday: float = 0.1,
    events_per_region: int = 1,
    event_regions: int | None = None,
    effect: float = 0.25,
    effect_days: int = 7,
    planted_share: float = 0.5,
    margin_days: int = 180,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts and truth.

    Args:
        n_regions, n_periods: size; ``kind`` is "day" or "month".
        level: range of each region's mean count per period (drawn uniformly on the log scale).
        alpha: range of each region's negative-binomial dispersion.
        trend: sd of each region's yearly log-trend; seasonality, weekday: amplitudes (log scale).
        events_per_region: event windows per region, each ``effect_days`` long, at least ``margin_days``
            from the ends; a share ``planted_share`` of them carry the effect ``effect`` on their days.
        event_regions: how many (seeded, random) regions get events; default all.

    Returns:
        (data, truth): data in the tidy observation layout (dataset 'synthetic', metric 'count', regions
        'R00001', ...); truth with one row per event window: event_id, region, start, end, effect.

    Example:
        >>> data, truth = simulate(n_regions=2, n_periods=400, seed=1)
        >>> len(data), list(truth.columns)
        (800, ['event_id', 'region', 'start', 'end', 'effect'])
    """
    rng = np.random.default_rng(seed)
    periods = grid(pd.Timestamp(start), _last_start(pd.Timestamp(start), n_periods, kind), kind)
    mid = periods["period_start"] + (periods["period_end"] - periods["period_start"]) / 2
    years = ((mid - mid.iloc[0]).dt.days / 365.25).to_numpy()
    angle = 2 * np.pi * mid.dt.day_of_year.to_numpy() / 365.25
    regions = np.array([f"R{i:05d}" for i in range(n_regions)])
    base = np.exp(rng.uniform(np.log(level[0]), np.log(level[1]), n_regions))
    log_mu = np.log(base)[:, None] + rng.normal(0, trend, n_regions)[:, None] * (years - years.mean())
    phase = rng.uniform(0, 2 * np.pi, n_regions)[:, None]
    log_mu = log_mu + seasonality * np.sin(angle[None, :] + phase)
    if kind == "day":
        pattern = weekday * np.cos(2 * np.pi * (periods["period_start"].dt.day_of_week.to_numpy() - 5) / 7)
        log_mu = log_mu + pattern[None, :]
    mu = np.exp(log_mu)
    hosts = regions if event_regions is None else np.sort(rng.choice(regions, size=event_regions, replace=False))
    truth = _events(rng, hosts, periods, events_per_region, effect, effect_days, planted_share, margin_days)
    for row in truth.itertuples():
        r = int(row.region[1:])
        first = np.maximum(periods["period_start"].to_numpy(), np.datetime64(row.start))
        last = np.minimum(periods["period_end"].to_numpy(), np.datetime64(row.end))
        days = np.maximum((last - first).astype("timedelta64[D]").astype(int) + 1, 0)
        length = (periods["period_end"] - periods["period_start"]).dt.days.to_numpy() + 1
        mu[r] *= 1 + row.effect * days / length
    a = np.exp(rng.uniform(np.log(alpha[0]), np.log(alpha[1]), n_regions))[:, None]
    counts = rng.negative_binomial(1 / a, 1 / (1 + a * mu))
    data = pd.DataFrame(
        {
            "dataset": "synthetic",
            "region": np.repeat(regions, len(periods)),
            "period_start": np.tile(periods["period_start"].to_numpy(), n_regions),
            "period_end": np.tile(periods["period_end"].to_numpy(), n_regions),
            "metric": "count",
            "value": counts.ravel(),
            "source_id": "synthetic",
            "reliability": "high",
        }
    )
    return data, truth


def _last_start(start: pd.Timestamp, n: int, kind: str) -> pd.Timestamp:
    if kind == "day":
        return start + pd.Timedelta(days=n - 1)
    if kind == "month":
        return start + pd.DateOffset(months=n - 1)
    raise ValueError(f"kind must be 'day' or 'month', not {kind!r}")


def _events(rng, regions, periods, per_region, effect, days, planted_share, margin) -> pd.DataFrame:
    first = periods["period_start"].iloc[0] + pd.Timedelta(days=margin)
    last = periods["period_end"].iloc[-1] - pd.Timedelta(days=margin + days)
    span = max((last - first).days, 1)
    rows = []
    for region in regions:
        # spread a region's events apart so their windows never overlap
        slots = np.sort(rng.choice(max(span // (days * 3), per_region), size=per_region, replace=False))
        for i, slot in enumerate(slots):
            start = first + pd.Timedelta(days=int(slot) * days * 3)
            planted = rng.random() < planted_share
            rows.append(
                (f"{region}-e{i}", region, start, start + pd.Timedelta(days=days - 1), effect if planted else 0.0)
            )
    return pd.DataFrame(rows, columns=["event_id", "region", "start", "end", "effect"])


def specs(truth: pd.DataFrame) -> list[EventSpec]:
    """One spec per true event window (window = exactly the event's days), host = its region."""
    return [
        EventSpec(
            event_id=row.event_id,
            name=row.event_id,
            event_type="synthetic",
            type_label="Synthetic event",
            start=pd.Timestamp(row.start),
            end=pd.Timestamp(row.end),
            host=row.region,
            host_label=row.region,
            window=make_window(row.start, row.end, days_before=0, days_after=0),
        )
        for row in truth.itertuples()
    ]


def evaluate(data: pd.DataFrame, truth: pd.DataFrame, *, settings=None) -> pd.DataFrame:
    """Run the pooled study on synthetic data and score every event against its truth.

    Returns one row per true event: ``effect`` (planted, 0 for none), ``p_value``, ``ratio``, ``mde``,
    ``verdict``, ``detected`` (verdict 'spike') and ``significant`` (p < 0.05, either direction).
    """
    from hotline_trends.analysis.eventplan import Settings
    from hotline_trends.analysis.panel import panel_from_regions
    from hotline_trends.analysis.study import run_study

    settings = settings or Settings(max_space=0, max_time=0, max_candidates=0, series_span=0)
    panel = panel_from_regions(data, dataset="synthetic", metric="count")
    items = [(panel, spec, None) for spec in specs(truth)]
    result = run_study(items, event_type="synthetic", label="Synthetic", dataset="synthetic", metric="count",
                       settings=settings)  # fmt: skip
    rows = pd.DataFrame([e.summary() for e in result.events])
    scored = truth.merge(rows[["event_id", "p_value", "ratio", "mde", "verdict"]], on="event_id", validate="one_to_one")
    scored["detected"] = scored["verdict"] == "spike"
    scored["significant"] = scored["p_value"] < 0.05
    return scored
