"""A pooled study of one event type: per-event results, a pooled effect, a relative-time profile, q-values.

Every instance is planned and fitted together (one batch per series design). The pooled ratio is total
observed over total expected across the events that could be tested (events weigh by their expected
counts), with its interval from the sum of their predictive distributions (count noise and baseline
uncertainty, events independent). The pooled verdict follows the rules of one event (``verdict``); its
in-time placebos are ``POOLED_DRAWS`` seeded pools of one of each event's own other windows, tested the same
way. The profile does the same at each relative period t-k..t+k, each fitted with that period left out.
Benjamini-Hochberg q-values adjust the per-event p-values.
"""

from __future__ import annotations

import numpy as np

from hotline_trends.analysis import describe
from hotline_trends.analysis.batch import fit_plans
from hotline_trends.analysis.event import assemble, insufficient
from hotline_trends.analysis.eventplan import EventSpec, Insufficient, Plan, Settings, plan_event
from hotline_trends.analysis.fdr import bh_qvalues
from hotline_trends.analysis.intime import InTime, rank_in_time
from hotline_trends.analysis.panel import Panel
from hotline_trends.analysis.placebo import surprise
from hotline_trends.analysis.predictive import Predictive
from hotline_trends.analysis.results import EventResult, StudyResult
from hotline_trends.analysis.verdict import INSUFFICIENT, Evidence, judge, pct, reason_for

POOLED_DRAWS = 999

POOLING = (
    "pooled ratio = total observed / total expected over the events that could be tested (each weighs by its "
    "expected count); 95% interval and p-value from the sum of their predictive distributions, assuming one "
    "common effect and independent events"
)


def run_study(
    items: list[tuple[Panel | None, EventSpec, str | None]],
    *,
    event_type: str,
    label: str,
    dataset: str,
    metric: str,
    settings: Settings | None = None,
    offsets: dict[int, np.ndarray] | None = None,
    extra_sources: tuple[str, ...] = (),
) -> StudyResult:
    """Analyse every instance and pool them.

    Args:
        items: per event (panel or None, spec, reason when there is no panel).
        offsets: id(panel) -> (R, T) log population / 100k, for per-100k rates.
    """
    settings = settings or Settings(profile=2)
    planned: list[Plan | Insufficient] = []
    for panel, spec, why in items:
        if panel is None:
            planned.append(Insufficient(spec, None, why or "no series for this event"))
        else:
            planned.append(plan_event(panel, spec, settings, offset=(offsets or {}).get(id(panel))))
    fit_plans([p for p in planned if isinstance(p, Plan)])
    results = [
        assemble(p, extra_sources=extra_sources)
        if isinstance(p, Plan)
        else insufficient(p, extra_sources=extra_sources)
        for p in planned
    ]
    for result, q in zip(results, bh_qvalues([r.p_value for r in results]), strict=True):
        result.q_value = None if np.isnan(q) else float(q)
    pooled = _pooled(results, planned, settings)
    profile = _profile(results, settings.profile)
    tested = [r for r in results if r.verdict != INSUFFICIENT]
    # what the counts measure (else each event's first caveats), and which events were analysed elsewhere
    measures = describe.dataset_caveats(dataset, metric) or [c for r in results for c in r.caveats[:2]]
    elsewhere = [r.stand_in["reason"] for r in results if r.stand_in and r.stand_in.get("region")]
    caveats = list(dict.fromkeys([*measures, *elsewhere]))
    caveats.append("Pooling assumes one common effect across events; events differ in size, place and year.")
    return StudyResult(
        event_type=event_type,
        label=label,
        dataset=dataset,
        metric=metric,
        events=results,
        pooled=pooled,
        profile=profile,
        verdict=pooled["verdict"],
        reason=pooled["reason"],
        sources=sorted({s for r in results for s in r.sources}),
        processing=f"each event as in `event` ({len(tested)} of {len(results)} could be tested); {POOLING}",
        caveats=caveats,
    )


def _pooled(results: list[EventResult], planned: list, settings: Settings) -> dict:
    tested = [(r, p) for r, p in zip(results, planned, strict=True) if r.verdict != INSUFFICIENT]
    if not tested:
        reasons = "; ".join(f"{r.event_id}: {r.reason.removeprefix('insufficient data: ')}" for r in results[:6])
        return {
            "n_events": 0,
            "verdict": INSUFFICIENT,
            "reason": f"insufficient data: no event could be tested ({reasons}).",
        }
    parts = Predictive(
        np.array([p.out["main"]["pred"].expected[0] for _, p in tested]),
        np.array([p.out["main"]["pred"].log_sd[0] for _, p in tested]),
        np.array([p.out["main"]["pred"].size[0] for _, p in tested]),
    )
    pred = Predictive.pooled(parts)
    observed = float(sum(r.observed for r, _ in tested))
    tested_total = float(sum(r.tested for r, _ in tested))
    expected = float(pred.expected[0])
    lower, upper = pred.mid_cdf([tested_total]), pred.mid_upper([tested_total])
    p_two = float(min(1.0, 2.0 * min(lower[0], upper[0])))
    low, high = float(pred.quantile(0.025)[0]), float(pred.quantile(0.975)[0])
    r_low, r_high = (float(v[0]) for v in pred.ratio_interval([observed]))
    mde = float(pred.mde()[0])
    weights = parts.expected / parts.expected.sum()
    share = float(
        sum(w * r.effect["days"] / r.effect["period_days"] for w, (r, _) in zip(weights, tested, strict=True))
    )
    diluted = settings.effect * share
    kinds = {r.frequency for r, _ in tested}
    kind = kinds.pop() if len(kinds) == 1 else "mixed"
    ratio = observed / expected
    failed = [r for r, _ in tested if (r.checks or {}).get("failed")]
    evidence = Evidence(
        p_value=p_two,
        ratio=tested_total / expected,
        ratio_high=r_high,
        diluted=diluted,
        share=share,
        in_time=_pooled_in_time([p for _, p in tested], float(surprise(upper, lower)[0]), settings=settings),
        poisson=all(p.dispersion.startswith("none") for _, p in tested),
        level=settings.level,
        checks_failed=[f"at {len(failed)} of {len(tested)} events' baselines"] if failed else [],
        widened=max([float(p.out["main"]["checks"].count_factor[0]) for _, p in tested]),
        bursts=int(sum(p.out["main"]["bursts_in_window"][0] for _, p in tested)),
    )
    verdict, why = judge(evidence)
    days = int(round(np.mean([r.effect["days"] for r, _ in tested])))
    reason = reason_for(
        verdict, kind=kind, n_periods=1, observed=observed, expected=expected, low=low, high=high, ratio=ratio,
        ratio_low=r_low, ratio_high=r_high, p_value=p_two, mde=mde, diluted=diluted, window_days=days,
        effect=settings.effect, evidence=evidence, why=why,
    )  # fmt: skip
    verdict_word, _, rest = reason.partition(": ")
    reason = f"{verdict_word}: pooled over {len(tested)} events, {rest}"
    return {
        "n_events": len(tested),
        "events": [r.event_id for r, _ in tested],
        "observed": observed,
        "expected": expected,
        "interval": [low, high],
        "ratio": ratio,
        "ratio_interval": [r_low, r_high],
        "p_value": p_two,
        "mde": mde,
        "effect": {"looked_for": settings.effect, "days": days, "at_granularity": diluted},
        "verdict": verdict,
        "reason": reason.replace("the year", "the host years") if kind == "year" else reason,
        "in_time": evidence.in_time.to_dict(),
        "rule": why,
        "method": POOLING,
        "effect_text": f"+{pct(settings.effect)} over about {days} days ≈ {pct(diluted)} of the periods tested",
    }


def _pooled_in_time(plans: list[Plan], event_z: float, *, settings: Settings) -> InTime:
    """The pooled events among pools of their own other windows: each of ``POOLED_DRAWS`` seeded pools
    takes one in-time window of every event, and is tested as the pooled events are (summed predictives)."""
    unit = "own windows pooled one per event"
    windows = [p.out.get("intime") for p in plans]
    sizes = [0 if w is None else int(np.isfinite(w["z"]).sum()) for w in windows]
    log_combinations = float(np.log(np.maximum(sizes, 1)).sum())  # distinct pools (a product: may be huge)
    if min(sizes) == 0 or log_combinations < np.log(2.0 / settings.level - 1.0):
        n = 0 if min(sizes) == 0 else int(round(np.exp(log_combinations)))
        return InTime(n, None, None, None, False, settings.level, unit, "the hosts'")
    rng = np.random.default_rng(settings.seed)
    expected = np.zeros(POOLED_DRAWS)
    variance = np.zeros(POOLED_DRAWS)
    tested = np.zeros(POOLED_DRAWS)
    for w in windows:
        keep = np.flatnonzero(np.isfinite(w["z"]))
        pick = keep[rng.integers(0, keep.size, POOLED_DRAWS)]
        part = w["pred"].take(pick)
        expected += part.expected
        variance += part.variance()
        tested += w["tested"][pick]
    extra = variance - expected
    size = np.where(extra > 0, expected**2 / np.where(extra > 0, extra, 1.0), np.inf)
    pools = Predictive(expected, np.zeros(POOLED_DRAWS), size)
    z = surprise(pools.mid_upper(tested), pools.mid_cdf(tested))
    return rank_in_time(event_z, z, level=settings.level, unit=unit, owner="the hosts'")


def _profile(results: list[EventResult], k_max: int) -> list[dict]:
    """Pooled observed/expected at each relative period -k..k (their searches run together)."""
    out, pooled, observed = [], [], []
    for k in range(-k_max, k_max + 1):
        rows = [p for r in results for p in r.profile if p["offset"] == k]
        if not rows:
            out.append({"offset": k, "n_events": 0})
            continue
        parts = Predictive(
            np.array([p["expected"] for p in rows]),
            np.array([p["log_sd"] for p in rows]),
            np.array([p["size"] for p in rows]),
        )
        pooled.append(Predictive.pooled(parts))
        observed.append(float(sum(p["observed"] for p in rows)))
        out.append({"offset": k, "n_events": len(rows), "observed": observed[-1]})
    if not pooled:
        return out
    pred = Predictive(*(np.concatenate([getattr(p, f) for p in pooled]) for f in ("expected", "log_sd", "size")))
    low, high = pred.ratio_interval(np.array(observed))
    p_two = pred.p_values(np.array(observed))[0]
    for i, row in enumerate(r for r in out if r["n_events"]):
        row.update({
            "expected": float(pred.expected[i]),
            "ratio": row["observed"] / float(pred.expected[i]),
            "ratio_interval": [float(low[i]), float(high[i])],
            "p_value": float(p_two[i]),
        })  # fmt: skip
    return out
