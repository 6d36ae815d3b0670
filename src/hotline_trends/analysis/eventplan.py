"""Plan the fits one event needs, or say why no test is possible.

A plan names the host's window, the periods a baseline may use (outside the window, on the event's side
of any break), the model's terms, and the jobs: the host and other regions with the window left out
(space placebos, controls), the host with the neighbouring windows left out (relative periods, for
studies), and the host's other windows of the event's length (in-time placebos, ``intime``).
Planning is cheap bookkeeping; ``batch.fit_plans`` then fits many plans' jobs together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hotline_trends.analysis.breaks import side_of_breaks
from hotline_trends.analysis.design import Design, all_terms, build_design
from hotline_trends.analysis.intime import window_offsets
from hotline_trends.analysis.panel import Panel
from hotline_trends.analysis.panelarrays import other_regions, panel_breaks, period_arrays
from hotline_trends.analysis.places import PlaceMatch
from hotline_trends.analysis.standin import StandIn
from hotline_trends.analysis.verdict import LEVEL, PLAUSIBLE_EFFECT
from hotline_trends.analysis.windows import Window, coverage_arrays

MIN_BASELINE = 3  # periods outside the window; fewer cannot carry even an intercept and a check
MIN_DF_OWN = 8  # residual degrees of freedom to estimate a series' own dispersion
MIN_COUNT_OWN = 20  # total count: overdispersion is not identifiable from a handful of events


@dataclass(frozen=True)
class EventSpec:
    """An event as analysed: which region hosts it, the window, and other windows to keep out."""

    event_id: str
    name: str
    event_type: str
    type_label: str
    start: pd.Timestamp
    end: pd.Timestamp
    host: str  # panel region code
    host_label: str
    window: Window
    city: str | None = None
    state: str | None = None
    exclude: tuple[Window, ...] = ()  # other instances at the host, kept out of the baseline
    controls: tuple[str, ...] | None = None  # named by the caller
    exclude_regions: tuple[str, ...] = ()  # never controls or placebos (e.g. the host's own state)
    source_ids: tuple[str, ...] = ()
    place: PlaceMatch | None = None
    stand_in: StandIn | None = None  # the place analysed when the event's city or county has no series

    def to_dict(self) -> dict:
        return {
            "event_id": self.event_id,
            "name": self.name,
            "event_type": self.event_type,
            "type_label": self.type_label,
            "start_date": self.start,
            "end_date": self.end,
            "city": self.city,
            "state": self.state,
            "source_ids": list(self.source_ids),
        }


@dataclass(frozen=True)
class Settings:
    """Choices shared by every event of an analysis (defaults are the documented ones)."""

    effect: float = PLAUSIBLE_EFFECT
    n_controls: int = 5
    max_space: int = 60  # regions other than the host fitted at the event window
    max_time: int | None = None  # in-time placebos: the host's nearest other windows (None: every one)
    max_candidates: int = 100  # regions considered as controls
    profile: int = 0  # relative periods t-k..t+k to fit (studies)
    seed: int = 0
    method: str = "cox-reid"
    series_span: int | None = None  # periods either side of the window in ``series`` (None: all)
    level: float = LEVEL  # alpha of every test


@dataclass
class Plan:
    spec: EventSpec
    panel: Panel
    settings: Settings
    host_row: int
    cov: dict  # days_in_window, share_covered, in_window: arrays over the panel's periods
    usable: np.ndarray
    target: np.ndarray
    excluded: np.ndarray
    fitted: np.ndarray
    design: Design
    breaks: list[dict]
    main_rows: np.ndarray  # host first
    main_mask: np.ndarray
    alpha_group: np.ndarray
    dispersion: str
    time_offsets: np.ndarray  # relative periods (studies): shifts of the window, each fitted in full
    time_targets: np.ndarray
    time_masks: np.ndarray
    intime_offsets: np.ndarray  # in-time placebos: shifts by whole multiples of the window's span
    offset: np.ndarray | None = None  # (R, T) log population / 100k for rates
    out: dict = field(default_factory=dict)  # filled by batch.fit_plans


@dataclass(frozen=True)
class Insufficient:
    spec: EventSpec
    panel: Panel | None
    reason: str
    breaks: list[dict] = field(default_factory=list)
    cov: dict | None = None


def plan_event(panel: Panel, spec: EventSpec, settings: Settings, *, offset: np.ndarray | None = None):
    """A ``Plan``, or ``Insufficient`` with the reason no test is possible."""
    periods = panel.periods
    arrays = period_arrays(panel)
    days = (arrays.first_day, arrays.last_day)
    cov = coverage_arrays(*days, spec.window)
    in_window = cov["in_window"]
    usable, breaks, straddle = side_of_breaks(
        arrays.start,
        arrays.end,
        panel_breaks(panel, rates=offset is not None),
        window_start=spec.window.start,
        window_end=spec.window.end,
    )
    host = panel.row(spec.host)
    if host is None:
        return Insufficient(spec, panel, f"no {panel.dataset} {panel.metric} values for {spec.host_label}", breaks, cov)
    if straddle:
        return Insufficient(spec, panel, straddle, breaks, cov)
    if np.isnan(panel.values[host]).all() and spec.host in panel.place_notes:
        return Insufficient(spec, panel, panel.place_notes[spec.host], breaks, cov)
    if offset is not None:  # a rate needs a population for the period
        usable &= np.isfinite(offset[host])
    y = panel.values[host]
    target = in_window & usable
    if not target.any():
        first, last = periods["period_start"].iloc[0], periods["period_end"].iloc[-1]
        return Insufficient(
            spec,
            panel,
            f"no {panel.kind} value covers the window {spec.window.start.date()}..{spec.window.end.date()}: "
            f"the {panel.dataset} {panel.metric} series runs from {first.date()} to {last.date()}",
            breaks,
            cov,
        )
    if np.isnan(y[target]).any():
        missing = ", ".join(str(periods["period_start"].iloc[i].date()) for i in np.flatnonzero(target & np.isnan(y)))
        return Insufficient(
            spec, panel, f"{spec.host_label} has no value for the window's period(s) starting {missing}", breaks, cov
        )
    excluded = in_window.copy()
    for other in spec.exclude:
        excluded |= coverage_arrays(*days, other)["in_window"]
    fitted = usable & ~excluded & np.isfinite(y)
    if fitted.sum() < MIN_BASELINE:
        side = " on the event's side of the break" if any("periods_dropped" in b for b in breaks) else ""
        return Insufficient(
            spec,
            panel,
            f"only {int(fitted.sum())} {panel.kind} value(s) of {spec.host_label} outside the event window{side}; "
            f"a baseline needs at least {MIN_BASELINE}",
            breaks,
            cov,
        )
    if y[fitted].sum() == 0:  # fitted periods have values: no NaN to skip
        return Insufficient(
            spec,
            panel,
            all_zero(int(fitted.sum()), spec.host_label),
            breaks,
            cov,
        )
    if "terms" not in panel.cache:
        panel.cache["terms"] = all_terms(periods["period_start"], periods["period_end"], kind=panel.kind)
    # the same terms give the same matrix: events share one (hundreds of copies would be memory to fill)
    design = build_design(
        None,
        None,
        kind=panel.kind,
        fitted=fitted,
        candidates=panel.cache["terms"],
        cache=panel.cache,
        counts=y if panel.kind == "day" else None,
    )
    rng = np.random.default_rng(settings.seed)  # each event its own seeded draws: independent of the others
    main_rows = _space_rows(panel, spec, host, usable & ~in_window, settings.max_space, rng)
    main_mask = usable[None, :] & ~in_window[None, :] & np.isfinite(panel.values[main_rows])
    main_mask[0] = fitted
    counts = np.where(main_mask, panel.values[main_rows], 0.0).sum(axis=1)
    groups, dispersion = dispersion_plan(main_mask.sum(axis=1) - design.X.shape[1], counts)
    offsets, targets = _time_windows(target, excluded, usable & np.isfinite(y), settings)
    masks = fitted[None, :] & ~targets
    baseline = fitted if offset is None else fitted & np.isfinite(offset[host])
    intime = window_offsets(target, baseline, most=settings.max_time)
    return Plan(
        spec, panel, settings, host, cov, usable, target, excluded, fitted, design, breaks,
        main_rows, main_mask, groups, dispersion, offsets, targets, masks, intime, offset,
    )  # fmt: skip


def all_zero(n: int, label: str) -> str:
    """Why a baseline of zeros allows no test (shared by events and ``power``)."""
    return (
        f"every one of the {n} baseline values of {label} is zero, so there is no level to compare with "
        "(a zero here can mean low participation, not no trafficking)"
    )


def _space_rows(
    panel: Panel, spec: EventSpec, host: int, allowed: np.ndarray, cap: int, rng: np.random.Generator
) -> np.ndarray:
    """The host, then other regions with enough non-zero data outside the window (a seeded sample if many)."""
    if cap <= 0:
        return np.array([host])
    skip = [host] + [i for r in spec.exclude_regions if (i := panel.row(r)) is not None]
    others = other_regions(panel, skip)
    if others.size > 2 * cap:  # look at a seeded sample only: a big panel has thousands of regions
        others = np.sort(rng.choice(others, size=2 * cap, replace=False))
    values = panel.values[others]
    present = allowed[None, :] & np.isfinite(values)
    enough = (present.sum(axis=1) >= MIN_BASELINE) & (np.where(present, values, 0.0).sum(axis=1) > 0)
    others = others[enough]
    if others.size > cap:
        others = np.sort(rng.choice(others, size=cap, replace=False))
    return np.concatenate([[host], others]).astype(int)


def dispersion_plan(dof: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, str]:
    """Per job: its own dispersion when it has the data; else one shared by the short ones; else Poisson.

    Returns the ``alpha_group`` of each job and, in words, what the host (job 0) got.
    """
    own = (dof >= MIN_DF_OWN) & (counts >= MIN_COUNT_OWN)
    short = ~own & (dof > 0) & (counts > 0)
    groups = np.where(own, np.arange(len(dof)), -1)
    if short.sum() >= 2 and dof[short].sum() >= MIN_DF_OWN and counts[short].sum() >= MIN_COUNT_OWN:
        groups = np.where(short, len(dof), groups)
    if own[0]:
        return groups, "own: estimated from the host's history"
    if groups[0] >= 0:
        return groups, f"shared: estimated jointly from {int(short.sum())} regions' histories (each too short alone)"
    return (
        groups,
        "none: too little data to estimate overdispersion, so a Poisson baseline (intervals may be too narrow)",
    )


def _time_windows(target, excluded, available, settings: Settings) -> tuple[np.ndarray, np.ndarray]:
    """The relative periods t-k..t+k of studies (``settings.profile``): the window moved by k times its span
    (k periods for a one-period window), where the moved window avoids the excluded periods."""
    positions = np.flatnonzero(target)
    T = len(target)
    if settings.profile <= 0:
        return np.zeros(0, dtype=int), np.zeros((0, T), bool)
    free = available & ~excluded
    span = int(positions[-1] - positions[0] + 1)
    shifts = np.arange(-settings.profile, settings.profile + 1) * span
    shifts = shifts[(shifts != 0) & (positions.min() + shifts >= 0) & (positions.max() + shifts < T)]
    fits = np.ones(shifts.size, bool)
    for p in positions:  # a window is a few periods: loop over them, not over the shifts
        fits &= free[p + shifts]
    offsets = shifts[fits]
    targets = np.zeros((len(offsets), T), bool)
    for i, k in enumerate(offsets):
        targets[i, positions + k] = True
    return offsets, targets
