"""What could we even detect? The minimum detectable effect of an N-day event on one series.

The series' baseline is fitted on all its periods (on the latest side of any break) and extrapolated to
the next periods after the data, as many as an N-day event touches; the minimum detectable relative
change of those periods (80% power, two-sided alpha = 0.05) and the rise the N days themselves would need
follow from the predictive distribution, as in ``event``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from hotline_trends.analysis import describe
from hotline_trends.analysis.breaks import breaks_for, event_side
from hotline_trends.analysis.design import build_design
from hotline_trends.analysis.eventplan import MIN_BASELINE, all_zero, dispersion_plan
from hotline_trends.analysis.nbfit import POISSON, fit_counts
from hotline_trends.analysis.panel import Panel, grid
from hotline_trends.analysis.predictive import Predictive
from hotline_trends.analysis.results import jsonable
from hotline_trends.analysis.verdict import PLAUSIBLE_EFFECT, frequency_word, pct

PERIOD_DAYS = {"day": 1, "week": 7, "month": 30.44, "quarter": 91.31, "half-year": 182.6, "year": 365.25}


@dataclass
class PowerResult:
    region: str
    dataset: str
    metric: str
    frequency: str | None
    days: int
    detectable: bool | None
    reason: str
    periods: list[dict] = field(default_factory=list)  # the periods evaluated
    expected: float | None = None
    mde: float | None = None  # relative change of those periods
    mde_event_days: float | None = None  # the rise the N days would need
    power: float | None = None  # chance the same test flags the effect looked for (two-sided 0.05)
    effect: dict | None = None
    model: dict | None = None
    breaks: list[dict] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    processing: str = ""
    caveats: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {f.name: jsonable(getattr(self, f.name)) for f in fields(self)}


def power(
    panel: Panel, *, region: str, days: int, effect: float = PLAUSIBLE_EFFECT, method: str = "cox-reid"
) -> PowerResult:
    """Minimum detectable effect of a ``days``-day event on ``region``'s series in ``panel``."""
    base = {"region": region, "dataset": panel.dataset, "metric": panel.metric, "frequency": panel.kind, "days": days}
    if region not in panel.regions:
        return PowerResult(**base, detectable=None, reason=f"insufficient data: no values for {region}.")
    y = panel.values[panel.index(region)]
    observed = np.flatnonzero(np.isfinite(y))
    if observed.size == 0:
        return PowerResult(**base, detectable=None, reason=f"insufficient data: no values for {region}.")
    last = panel.periods["period_end"].iloc[observed.max()]
    usable, applied, _ = event_side(
        panel.periods["period_start"], panel.periods["period_end"], dataset=panel.dataset, metric=panel.metric,
        window_start=last + pd.Timedelta(days=1), window_end=last + pd.Timedelta(days=1),
    )  # fmt: skip
    n_ahead = max(1, math.ceil(days / PERIOD_DAYS[panel.kind]))
    future = grid(
        last + pd.Timedelta(days=1), last + pd.Timedelta(days=1 + (n_ahead - 1) * PERIOD_DAYS[panel.kind]), panel.kind
    )
    periods = pd.concat([panel.periods, future], ignore_index=True)
    fitted = np.concatenate([usable & np.isfinite(y), np.zeros(len(future), bool)])
    n_fitted = int(fitted.sum())
    if n_fitted < MIN_BASELINE:
        return PowerResult(
            **base, detectable=None, breaks=applied,
            reason=f"insufficient data: {n_fitted} usable {panel.kind} values of {region} (a baseline needs at "
            f"least {MIN_BASELINE}).",
        )  # fmt: skip
    if np.nansum(y[fitted[: len(y)]]) == 0:
        return PowerResult(
            **base, detectable=None, breaks=applied,
            reason=f"insufficient data: {all_zero(n_fitted, region)}.",
        )  # fmt: skip
    host_counts = np.concatenate([y, np.full(len(future), np.nan)]) if panel.kind == "day" else None
    design = build_design(
        periods["period_start"], periods["period_end"], kind=panel.kind, fitted=fitted, counts=host_counts
    )
    # the other regions' histories (same periods) lend a shared dispersion when the host's is too short
    values = np.concatenate([panel.values, np.full((len(panel.regions), len(future)), np.nan)], axis=1)
    host = panel.index(region)
    order = np.r_[host, np.delete(np.arange(len(panel.regions)), host)]
    masks = np.isfinite(values[order]) & np.concatenate([usable, np.zeros(len(future), bool)])[None, :]
    masks[0] = fitted
    counts = np.where(masks, values[order], 0.0).sum(axis=1)
    groups, dispersion = dispersion_plan(masks.sum(axis=1) - design.X.shape[1], counts)
    fit = fit_counts(values[order], design.X, mask=masks, alpha_group=groups, method=method)
    if not fit.ok[0]:
        fit = fit_counts(values[order][:1], design.X, mask=masks[:1], alpha_group=np.array([POISSON]))
        dispersion = "none: the negative-binomial fit did not converge, so a Poisson baseline"
    window = np.zeros(len(periods), bool)
    window[len(y) :] = True
    alpha = np.nan_to_num(fit.alpha[:1])
    pred = Predictive.from_fit(fit.beta[:1], design.X, fit.cov[:1], alpha, window[None, :])
    mde = float(pred.mde()[0])
    period_days = int(((future["period_end"] - future["period_start"]).dt.days + 1).sum())
    covered = min(days, period_days)
    diluted = effect * covered / period_days
    detectable = bool(mde <= diluted)
    # the mde's own test: a count at or above the critical one, under the diluted rise
    chance = float(pred.upper(pred._critical(0.025) - 1.0, 1.0 + diluted)[0])
    span = f"{future['period_start'].iloc[0].date()}..{future['period_end'].iloc[-1].date()}"
    verb = "would" if detectable else "would not"
    reason = (
        f"a {days}-day +{pct(effect)} rise {verb} be detectable: with {frequency_word(panel.kind)} data the next "
        f"{len(future)} period(s) after the data ({span}, about {pred.expected[0]:,.1f} expected) show a change "
        f"only if it is at least {pct(mde)}; a {days}-day +{pct(effect)} rise would change them by about {pct(diluted)}."
    )
    later = breaks_for(dataset=panel.dataset, metric=panel.metric, start=last, end=future["period_end"].iloc[-1])
    caveats = describe.dataset_caveats(panel.dataset, panel.metric) + [
        f"The period evaluated crosses a break: {b.title}; figures after it may not be comparable." for b in later
    ]
    return PowerResult(
        **base,
        detectable=detectable,
        reason=reason,
        periods=jsonable(future),
        expected=float(pred.expected[0]),
        mde=mde,
        mde_event_days=mde * period_days / covered,
        power=chance,
        effect={"looked_for": effect, "days": covered, "at_granularity": diluted, "period_days": period_days},
        model={
            "family": "Poisson" if alpha[0] == 0 else "negative binomial",
            "alpha": float(alpha[0]),
            "dispersion": dispersion,
            "terms": list(design.terms),
            "description": design.description,
            "n_baseline": int(fitted.sum()),
        },
        breaks=applied,
        sources=describe.sources(panel, [region]),
        processing=f"{panel.processing}; baseline fitted on {int(fitted.sum())} periods and extrapolated to {span}",
        caveats=caveats,
    )
