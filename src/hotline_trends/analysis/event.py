"""One event on one series: expected vs observed with intervals, controls, placebos, detectability, verdict.

    plan = plan_event(panel, spec, settings)   # which periods, which jobs (or why no test is possible)
    fit_plans([plan])                          # batched fits
    result = assemble(plan)                    # numbers, words, chart-ready series

``analyse_event`` does the three. Too little data gives an ``insufficient data`` result with the reason,
never an exception.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from hotline_trends.analysis import describe
from hotline_trends.analysis.batch import fit_plans
from hotline_trends.analysis.eventparts import controls_block, evidence_for, placebo_block, profile_rows
from hotline_trends.analysis.eventplan import EventSpec, Insufficient, Plan, Settings, plan_event
from hotline_trends.analysis.panel import Panel
from hotline_trends.analysis.panelarrays import period_arrays
from hotline_trends.analysis.results import EventResult
from hotline_trends.analysis.series import host_series
from hotline_trends.analysis.verdict import INSUFFICIENT, judge, reason_for


def analyse_event(
    panel: Panel,
    spec: EventSpec,
    *,
    settings: Settings | None = None,
    offset: np.ndarray | None = None,
    extra_sources: tuple[str, ...] = (),
) -> EventResult:
    """Analyse one event on one panel (see the module docstring).

    Args:
        panel: the series (host and other regions) of one dataset and metric.
        spec: the event, its host region and window.
        settings: shared choices (effect looked for, controls, placebos, seed).
        offset: (R, T) log(population / 100,000) per region and period for per-100k rates, or None.
        extra_sources: source ids to list besides the data's (e.g. population).
    """
    settings = settings or Settings()
    plan = plan_event(panel, spec, settings, offset=offset)
    if isinstance(plan, Insufficient):
        return insufficient(plan, extra_sources=extra_sources)
    fit_plans([plan])
    return assemble(plan, extra_sources=extra_sources)


def _base(spec: EventSpec, panel: Panel | None) -> dict:
    return {
        "event_id": spec.event_id,
        "event": spec.to_dict(),
        "dataset": panel.dataset if panel else "",
        "metric": panel.metric if panel else "",
        "frequency": panel.kind if panel else None,
        "level": spec.place.level if spec.place else _level(panel, spec.host),
        "regions": list(spec.place.regions) if spec.place and not spec.stand_in else [spec.host],
        "host": spec.host_label,
        "place": spec.place.to_dict() if spec.place else None,
        "stand_in": spec.stand_in.to_dict() if spec.stand_in else None,
    }


def _level(panel: Panel | None, host: str) -> str:
    if panel is None:
        return "agency" if host.startswith("ori:") else "state"
    if panel.level == "region":
        return "state"
    return "agency" if panel.level == "agency" else "agency sum"


def _caveats(spec: EventSpec, panel: Panel, extra: list[str] | None = None) -> list[str]:
    """The result's caveats: what the counts measure, then the stand-in (if any), then the rest."""
    found = describe.caveats(panel, spec.host, extra=extra)
    if spec.stand_in is None:
        return found
    measures = describe.dataset_caveats(panel.dataset, panel.metric)
    return list(dict.fromkeys([*measures, spec.stand_in.reason, *found]))


def insufficient(found: Insufficient, *, extra_sources: tuple[str, ...] = ()) -> EventResult:
    """The result when no test is possible: the reason, and whatever context exists."""
    spec, panel = found.spec, found.panel
    window = spec.window.to_dict()
    if found.cov is not None and panel is not None:
        window["periods"] = _window_periods(panel, found.cov, np.asarray(found.cov["in_window"]))
    return EventResult(
        **_base(spec, panel),
        verdict=INSUFFICIENT,
        reason=f"insufficient data: {found.reason}.",
        window=window,
        breaks=found.breaks,
        sources=describe.sources(panel, [spec.host], extra=(*spec.source_ids, *extra_sources)) if panel else [],
        processing=panel.processing if panel else "",
        caveats=_caveats(spec, panel) if panel else _stand_in_caveats(spec),
    )


def _stand_in_caveats(spec: EventSpec) -> list[str]:
    """Without a panel: the stand-in's sentence (several places, or none), so the answer says where data are."""
    return [spec.stand_in.reason] if spec.stand_in is not None else []


def _window_periods(panel: Panel, cov: dict, rows: np.ndarray) -> list[dict]:
    where = np.flatnonzero(rows)
    arrays = period_arrays(panel)
    starts, ends = arrays.start, arrays.end
    days, share = np.asarray(cov["days_in_window"]), np.asarray(cov["share_covered"])
    return [
        {
            "period_start": pd.Timestamp(starts[i]),
            "period_end": pd.Timestamp(ends[i]),
            "days_in_window": int(days[i]),
            "share_covered": float(share[i]),
        }
        for i in where
    ]


def assemble(plan: Plan, *, extra_sources: tuple[str, ...] = ()) -> EventResult:
    """Turn a fitted plan into a result."""
    spec, panel, settings, main = plan.spec, plan.panel, plan.settings, plan.out["main"]
    if not main["ok"][0]:
        return insufficient(
            Insufficient(
                spec, panel, "the baseline model could not be fitted to the host's history", plan.breaks, plan.cov
            ),
            extra_sources=extra_sources,
        )
    stats = plan.out["host"]
    observed = float(main["observed"][0])
    expected = float(main["pred"].expected[0])
    p_two, p_up, low, high = stats["p_two"], stats["p_up"], stats["low"], stats["high"]
    r_low, r_high, mde = stats["r_low"], stats["r_high"], stats["mde"]
    length = period_arrays(panel).length
    days_in = int(plan.cov["days_in_window"][plan.target].sum())
    period_days = int(length[plan.target].sum())
    diluted = settings.effect * days_in / period_days
    ratio = observed / expected
    evidence = evidence_for(plan, diluted=diluted, share=days_in / period_days)
    verdict, why = judge(evidence)
    reason = reason_for(
        verdict, kind=panel.kind, n_periods=int(plan.target.sum()), observed=observed, expected=expected,
        low=low, high=high, ratio=ratio, ratio_low=r_low, ratio_high=r_high, p_value=p_two, mde=mde,
        diluted=diluted, window_days=days_in, effect=settings.effect, evidence=evidence, why=why,
    )  # fmt: skip
    controls, did_block, control_rows = controls_block(plan)
    family = "Poisson" if main["alpha"][0] == 0 else "negative binomial"
    window = spec.window.to_dict()
    window["periods"] = _window_periods(panel, plan.cov, plan.target)
    extra = [describe.BASELINE] + ([describe.CONTROLS] if control_rows else [])
    if not control_rows and not np.isfinite(main["z"][1:]).any():  # one place alone: no controls, no space placebos
        extra.append(describe.NO_CONTROLS)
    if plan.dispersion.startswith("none"):
        extra.append(
            "Too little data to estimate overdispersion: a Poisson baseline was used, so intervals may be too narrow; "
            "its p-value alone never makes a spike or a drop."
        )
    checks = main["checks"].describe(0)
    if checks["failed"]:
        extra.append(
            f"Model check failed: {'; '.join(checks['failed'])}. The interval and p-value were widened for it "
            "(quasi-likelihood dispersion and the variance of correlated periods), and the verdict also needs the "
            "host's own other windows to agree."
        )
    n_bursts = len(main["bursts"])
    if n_bursts:
        extra.append(
            f"{n_bursts} baseline period(s) far beyond what the model allows (one-period bursts, e.g. an enforcement "
            "operation) were left out of the baseline fit."
        )
    if verdict == "spike" and did_block and did_block["interval"][0] is not None and did_block["interval"][0] <= 1:
        extra.append(
            f"The controls rose too (DiD {did_block['ratio']:.2f}, 95% CI {did_block['interval'][0]:.2f}–"
            f"{did_block['interval'][1]:.2f}): the rise may not be specific to the host."
        )
    return EventResult(
        **_base(spec, panel),
        verdict=verdict,
        reason=reason,
        window=window,
        observed=observed,
        expected=expected,
        interval=[low, high],
        ratio=ratio,
        ratio_interval=[r_low, r_high],
        p_value=p_two,
        p_upper=p_up,
        mde=mde,
        mde_event_days=mde * period_days / days_in,
        effect={"looked_for": settings.effect, "days": days_in, "at_granularity": diluted, "period_days": period_days},
        controls=controls,
        did=did_block,
        placebo=placebo_block(plan, evidence.in_time),
        breaks=plan.breaks,
        sources=describe.sources(panel, [spec.host, *control_rows], extra=(*spec.source_ids, *extra_sources)),
        processing=describe.processing(
            panel,
            family=family,
            terms=plan.design.description,
            n_fit=int(main["host_mask"].sum()),
            rates=plan.offset is not None,
        ),
        caveats=_caveats(spec, panel, extra),
        model={
            "family": family,
            "alpha": float(main["alpha"][0]),
            "dispersion": plan.dispersion,
            "method": settings.method,
            "terms": list(plan.design.terms),
            "description": plan.design.description,
            "n_baseline": int(main["host_mask"].sum()),
            "bursts_left_out": n_bursts,
        },
        series_maker=partial(host_series, plan),
        profile=profile_rows(plan),
        checks=checks,
        tested=stats["tested"],
        rule=why,
    )
