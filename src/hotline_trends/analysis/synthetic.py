"""Seeded synthetic counts with known truth, for tests and benchmarks (never shown as real data).

Like ruptures' generators, ``simulate`` returns the data and the ground truth: negative-binomial counts
per region and period (day, month or year) with a level, a linear trend, yearly seasonality and, for days, a
day-of-week pattern; plus event windows, some with a planted relative effect on their days. Detection is
scored against the truth, not just run.

Real series break that model, and ``simulate`` can break it the same ways (each off by default): days
correlated through a latent AR(1) (``correlation``), holiday effects (``holidays``), one-day bursts such as
an enforcement operation (``bursts``) and a level shift such as a reporting change (``level_shift``).
``SCENARIOS`` names the combinations the validation scores (``analysis.validation``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas.tseries.holiday import USFederalHolidayCalendar

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
    effect_days: int | tuple[int, int] = 7,
    planted_share: float = 0.5,
    margin_days: int = 180,
    correlation: float = 0.0,
    holidays: float = 0.0,
    bursts: tuple[float, float] = (0.0, 1.0),
    level_shift: tuple[float, float] = (0.0, 0.0),
    shift_before_days: int = 365,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts and truth.

    Args:
        n_regions, n_periods: size; ``kind`` is "day" or "month".
        level: range of each region's mean count per period (drawn uniformly on the log scale).
        alpha: range of each region's negative-binomial dispersion.
        trend: sd of each region's yearly log-trend; seasonality, weekday: amplitudes (log scale).
        events_per_region: event windows per region, each ``effect_days`` long (or a length drawn from that
            inclusive range), at least ``margin_days`` from the ends; a share ``planted_share`` of them carry
            the effect ``effect`` on their days.
        event_regions: how many (seeded, random) regions get events; default all.
        correlation: if above 0, the overdispersion comes from a latent AR(1) with this lag-1 correlation
            instead of independent noise: counts are Poisson around mu * exp(x_t - s**2 / 2), x stationary
            with variance s**2 = log(1 + alpha), so each period's mean and variance are as without it.
        holidays: log effect on U.S. federal holidays (days only), e.g. log(0.7) for 30% fewer.
        bursts: (share of periods, multiplier): on a seeded random share of periods the mean is multiplied,
            e.g. (1 / 60, 6.0) for an enforcement operation's burst of arrests about one day in 60.
        level_shift: (smallest, largest) size of a log level shift of random sign, ``shift_before_days``
            before each region's first event (a reporting change); from a random day when it has none.

    Returns:
        (data, truth): data in the tidy observation layout (dataset 'synthetic', metric 'count', regions
        'R00001', ...); truth with one row per event window: event_id, region, start, end, effect.

    Example:
        >>> data, truth = simulate(n_regions=2, n_periods=400, seed=1)
        >>> len(data), list(truth.columns)
        (800, ['event_id', 'region', 'start', 'end', 'effect'])
    """
    rng = np.random.default_rng(seed)
    extra = np.random.default_rng([seed, 1])  # the misspecifications' own draws: the model's stay as they were
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
        if holidays:
            days = USFederalHolidayCalendar().holidays(periods["period_start"].min(), periods["period_end"].max())
            log_mu = log_mu + holidays * periods["period_start"].isin(days).to_numpy()[None, :]
    mu = np.exp(log_mu)
    hosts = regions if event_regions is None else np.sort(rng.choice(regions, size=event_regions, replace=False))
    truth = _events(rng, hosts, periods, events_per_region, effect, effect_days, planted_share, margin_days)
    if level_shift[1] > 0:
        mu *= _shifts(extra, truth, regions, periods, level_shift, shift_before_days)
    for row in truth.itertuples():
        r = int(row.region[1:])
        first = np.maximum(periods["period_start"].to_numpy(), np.datetime64(row.start))
        last = np.minimum(periods["period_end"].to_numpy(), np.datetime64(row.end))
        days = np.maximum((last - first).astype("timedelta64[D]").astype(int) + 1, 0)
        length = (periods["period_end"] - periods["period_start"]).dt.days.to_numpy() + 1
        mu[r] *= 1 + row.effect * days / length
    a = np.exp(rng.uniform(np.log(alpha[0]), np.log(alpha[1]), n_regions))[:, None]
    if bursts[0] > 0:
        mu = np.where(extra.random(mu.shape) < bursts[0], mu * bursts[1], mu)
    if correlation > 0:
        counts = extra.poisson(mu * _latent_ar1(extra, np.log1p(a), correlation, len(periods)))
    else:
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
    if kind == "year":
        return start + pd.DateOffset(years=n - 1)
    raise ValueError(f"kind must be 'day', 'month' or 'year', not {kind!r}")


def _events(rng, regions, periods, per_region, effect, days, planted_share, margin) -> pd.DataFrame:
    lengths = (days, days) if isinstance(days, int) else days
    longest = lengths[1]
    first = periods["period_start"].iloc[0] + pd.Timedelta(days=margin)
    last = periods["period_end"].iloc[-1] - pd.Timedelta(days=margin + longest)
    span = max((last - first).days, 1)
    rows = []
    for region in regions:
        # spread a region's events apart so their windows never overlap
        slots = np.sort(rng.choice(max(span // (longest * 3), per_region), size=per_region, replace=False))
        for i, slot in enumerate(slots):
            start = first + pd.Timedelta(days=int(slot) * longest * 3)
            planted = rng.random() < planted_share
            length = lengths[0] if lengths[0] == lengths[1] else int(rng.integers(lengths[0], lengths[1] + 1))
            rows.append(
                (f"{region}-e{i}", region, start, start + pd.Timedelta(days=length - 1), effect if planted else 0.0)
            )
    return pd.DataFrame(rows, columns=["event_id", "region", "start", "end", "effect"])


def _latent_ar1(rng, variance: np.ndarray, rho: float, n: int) -> np.ndarray:
    """exp(x_t - variance / 2) per region (rows) and period: x a stationary AR(1) with lag-1 correlation
    ``rho`` and marginal ``variance`` (R, 1), so its mean is 1 and the counts' means are unchanged."""
    sd = np.sqrt(variance[:, 0])
    x = np.empty((len(sd), n))
    x[:, 0] = rng.normal(0.0, sd)
    innovation = sd * np.sqrt(1.0 - rho * rho)
    for t in range(1, n):
        x[:, t] = rho * x[:, t - 1] + rng.normal(0.0, innovation)
    return np.exp(x - variance / 2.0)


def _shifts(rng, truth, regions, periods, size, before_days) -> np.ndarray:
    """Per region and period, the multiplier of a level shift of log size +-U(size) from its day on."""
    starts = periods["period_start"].to_numpy()
    first_event = truth.groupby("region")["start"].min()
    out = np.ones((len(regions), len(starts)))
    for i, region in enumerate(regions):
        if region in first_event.index:
            day = np.datetime64(first_event[region] - pd.Timedelta(days=before_days))
        else:
            day = starts[int(rng.integers(1, len(starts)))]
        log_size = rng.uniform(*size) * rng.choice([-1.0, 1.0])
        out[i, starts >= day] = np.exp(log_size)
    return out


@dataclass(frozen=True)
class Scenario:
    """A way real series break the baseline model, as ``simulate`` arguments (see ``SCENARIOS``)."""

    key: str
    title: str
    config: dict = field(default_factory=dict)
    power: bool = False  # scored for planted rises too (national-scale daily series)


DAILY = {"kind": "day", "n_periods": 730, "margin_days": 120}
NATIONAL = (80.0, 140.0)  # signals a day at the national hotline's scale (2020-2023)

# Each misspecified scenario changes one thing of (a); sizes are fixed here, before any verdict is scored.
SCENARIOS = {
    s.key: s
    for s in (
        Scenario("a", "the model itself (negative binomial, trend, seasonality, weekdays)", {**DAILY}, power=True),
        Scenario(
            "b",
            "latent AR(1) on daily counts, rho = 0.8 (same marginal overdispersion as (a))",
            {**DAILY, "correlation": 0.8},
            power=True,
        ),
        Scenario(
            "c",
            "weekday pattern three times (a)'s and 30% fewer counts on federal holidays",
            {**DAILY, "weekday": 0.3, "holidays": float(np.log(0.7))},
            power=True,
        ),
        Scenario(
            "d",
            "one-day bursts x6 on about 1 day in 60 (enforcement operations)",
            {**DAILY, "bursts": (1 / 60, 6.0)},
            power=True,
        ),
        Scenario(
            "e",
            "a level shift of 10-35% (reporting change) a year before the event",
            {"kind": "day", "n_periods": 1200, "margin_days": 400, "level_shift": (0.1, 0.3)},
        ),
        Scenario(
            "f",
            "sparse agency series, 0.05-0.3 a day, overdispersed",
            {**DAILY, "level": (0.05, 0.3), "alpha": (0.2, 1.0)},
        ),
        Scenario(
            "g",
            "short overdispersed monthly series (10 months, 5-30 a month; the Poisson-fallback case)",
            {"kind": "month", "n_periods": 10, "level": (5.0, 30.0), "alpha": (0.2, 0.5), "margin_days": 31},
        ),
        Scenario(
            "h",
            "very large annual counts (200,000-2,000,000 a year, 1-2% year-to-year wobble), events of 1-7 days",
            {
                "kind": "year",
                "n_periods": 10,
                "level": (2e5, 2e6),
                "alpha": (1e-4, 4e-4),
                "trend": 0.02,
                "effect_days": (1, 7),
                "margin_days": 365,
            },
        ),
    )
}


def scenario(key: str, *, n_regions: int, effect: float = 0.0, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(data, truth) of one of ``SCENARIOS``: one event per region, all null (``effect`` 0) or all planted.

    Power is scored at national scale (80-140 a day); null events use the scenario's own scale.

    Example:
        >>> data, truth = scenario("d", n_regions=2, effect=0.25, seed=1)
        >>> truth["effect"].tolist(), int(data["value"].max()) > 300  # a burst
        ([0.25, 0.25], True)
    """
    config = dict(SCENARIOS[key].config)
    if effect:
        config["level"] = NATIONAL
    return simulate(n_regions=n_regions, effect=effect, planted_share=1.0 if effect else 0.0, seed=seed, **config)


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
    ``verdict``, ``rule`` (which verdict rule decided), ``placebo_p`` (the event among its host's own
    windows), ``checks_failed``, ``detected`` (verdict 'spike') and ``significant`` (model p < 0.05, either
    direction). By default no other regions are fitted (no space placebos or controls): the verdict rests on
    the host alone, as the in-time placebos do.
    """
    from hotline_trends.analysis.eventplan import Settings
    from hotline_trends.analysis.panel import panel_from_regions
    from hotline_trends.analysis.study import run_study

    settings = settings or Settings(max_space=0, max_candidates=0, series_span=0)
    panel = panel_from_regions(data, dataset="synthetic", metric="count")
    items = [(panel, spec, None) for spec in specs(truth)]
    result = run_study(items, event_type="synthetic", label="Synthetic", dataset="synthetic", metric="count",
                       settings=settings)  # fmt: skip
    rows = pd.DataFrame(
        [
            {
                **e.summary(),
                "rule": e.rule,
                "placebo_p": ((e.placebo or {}).get("in_time") or {}).get("p_value"),
                "checks_failed": len((e.checks or {}).get("failed", [])),
            }
            for e in result.events
        ]
    )
    columns = ["event_id", "p_value", "ratio", "mde", "verdict", "rule", "placebo_p", "checks_failed"]
    scored = truth.merge(rows[columns], on="event_id", validate="one_to_one")
    scored["detected"] = scored["verdict"] == "spike"
    scored["significant"] = scored["p_value"] < 0.05
    return scored
