"""The parts of an event result beyond the host's own test: controls with DiD, placebos, relative periods."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hotline_trends.analysis.controls import choose_controls, did
from hotline_trends.analysis.eventplan import Plan
from hotline_trends.analysis.intime import InTime, rank_in_time
from hotline_trends.analysis.panelarrays import other_regions, period_arrays
from hotline_trends.analysis.placebo import summarise
from hotline_trends.analysis.prewindow import matched_prewindow
from hotline_trends.analysis.verdict import Evidence, window_unit


def controls_block(plan: Plan) -> tuple[dict | None, dict | None, list[str]]:
    """Controls chosen over the baseline before the window, and the DiD of the window against its matched
    pre-window (``prewindow``); no DiD when the host's baseline has no such window."""
    panel, spec, settings = plan.panel, plan.spec, plan.settings
    values = panel.values
    baseline = plan.out["main"]["host_mask"]
    pre = baseline & (period_arrays(panel).end < np.datetime64(spec.window.start))
    selection = pre if pre.sum() >= 2 else baseline
    matched = matched_prewindow(plan.target, baseline, kind=panel.kind)
    comparison = matched.periods if matched is not None else selection
    skip = {plan.host_row} | {i for r in spec.exclude_regions if (i := panel.row(r)) is not None}
    candidates = other_regions(panel, list(skip))
    if candidates.size > settings.max_candidates:
        rng = np.random.default_rng(settings.seed + 1)
        candidates = np.sort(rng.choice(candidates, size=settings.max_candidates, replace=False))
    named = None
    if spec.controls is not None:
        named = np.array([i for r in spec.controls if (i := panel.row(r)) is not None], dtype=int)
    chosen = choose_controls(
        values, host=plan.host_row, comparison=comparison, window=plan.target, candidates=candidates,
        k=settings.n_controls, named=named, selection=selection,
    )  # fmt: skip
    if chosen.rows.size == 0:
        return {"rule": chosen.rule, "regions": [], "index": None}, None, []
    if matched is None:  # nothing to compare the window with: no DiD (the controls' ratios need one too)
        rule = f"{chosen.rule}; no DiD: the host's baseline has no window of the same length before the event"
        return {"rule": rule, "regions": [], "index": None}, None, []
    main = plan.out["main"]
    fitted_alpha = dict(zip(plan.main_rows.tolist(), np.nan_to_num(main["alpha"]).tolist(), strict=True))
    host_alpha = fitted_alpha[plan.host_row]
    alphas = np.array([fitted_alpha.get(int(r), host_alpha) for r in chosen.rows])
    result = did(
        values[plan.host_row], None if chosen.totals else values[chosen.rows], chosen.weights, comparison=comparison, window=plan.target,
        host_alpha=host_alpha, control_alphas=alphas, control_totals=chosen.totals,
    )  # fmt: skip
    names = [panel.regions[r] for r in chosen.rows]
    controls = {
        "rule": chosen.rule,
        "regions": [
            {"region": n, "label": panel.label(n), "weight": float(w), "correlation": c, "ratio": float(r)}
            for n, w, c, r in zip(names, chosen.weights, chosen.correlations, result.control_ratios, strict=True)
        ],
        "index": result.control_index,
    }
    if result.undefined:
        block = {"ratio": None, "interval": [None, None], "p_value": None, "undefined": result.undefined}
        return controls, block, names
    block = {
        "ratio": result.ratio,
        "interval": [result.low, result.high],
        "p_value": result.p_value,
        "host_ratio": result.host_ratio,
        "control_index": result.control_index,
        "comparison": f"window vs {matched.words}, per period",
        "pre_window": [str(period_arrays(panel).timestamp(int(i)).date()) for i in np.flatnonzero(comparison)],
        "method": "ratio of ratios (host window/comparison over the weighted controls' window/comparison); "
        "delta-method interval with each series' negative-binomial variance",
    }
    return controls, block, names


def in_time_rank(plan: Plan) -> InTime:
    """The event among its host's own other windows (``intime``): two-sided empirical p-value and rank."""
    main, intime = plan.out["main"], plan.out.get("intime")
    zs = np.zeros(0) if intime is None else plan.out["intime"]["z"]
    unit = window_unit(plan.panel.kind, int(plan.target.sum()))
    return rank_in_time(float(main["z"][0]), zs, level=plan.settings.level, unit=unit)


def evidence_for(plan: Plan, *, diluted: float, share: float) -> Evidence:
    """What the host's verdict is decided on (``verdict.Evidence``)."""
    main, stats = plan.out["main"], plan.out["host"]
    checks = main["checks"]
    return Evidence(
        p_value=stats["p_two"],
        ratio=stats["tested"] / float(main["pred"].expected[0]),
        ratio_high=stats["r_high"],
        diluted=diluted,
        share=share,
        in_time=in_time_rank(plan),
        poisson=plan.dispersion.startswith("none"),
        level=plan.settings.level,
        checks_failed=checks.describe(0)["failed"],
        widened=float(checks.count_factor[0]),
        bursts=int(main["bursts_in_window"][0]),
    )


def placebo_block(plan: Plan, in_time: InTime) -> dict:
    """Every placebo (space: other regions at the event's dates; time: the host's own other windows) with
    the event's rank among all of them, and ``in_time``: its rank among the host's own windows, which the
    verdict uses."""
    panel, main, values = plan.panel, plan.out["main"], []
    arrays = period_arrays(panel)
    first_target = int(np.flatnonzero(plan.target)[0])
    space = np.flatnonzero(np.isfinite(main["z"][1:])) + 1
    target_start = arrays.timestamp(first_target)
    if space.size:
        pred = main["pred"].take(space)
        for j, z, e in zip(space, main["z"][space], pred.expected, strict=True):
            region = panel.regions[plan.main_rows[j]]
            o = float(main["observed"][j])
            values.append({"kind": "space", "label": panel.label(region), "region": region,
                           "period_start": target_start, "observed": o, "expected": float(e),
                           "ratio": o / e if e > 0 else None, "z": float(z)})  # fmt: skip
    intime = plan.out.get("intime")
    if intime is not None:  # hundreds of windows: their dates and numbers converted together
        keep = np.flatnonzero(np.isfinite(intime["z"]))
        offsets = intime["offsets"][keep]
        starts = arrays.start[first_target + offsets]  # each window moved by its offset
        firsts, labels = pd.DatetimeIndex(starts), np.datetime_as_string(starts, unit="D").tolist()
        expected, observed = intime["pred"].expected[keep], intime["observed"][keep]
        with np.errstate(invalid="ignore", divide="ignore"):
            ratios = np.where(expected > 0, observed / expected, np.nan)
        values += [
            {
                "kind": "time",
                "label": label,
                "region": plan.spec.host,
                "offset": k,
                "period_start": first,
                "observed": o,
                "expected": e,
                "ratio": r if r == r else None,
                "z": z,
            }  # fmt: skip
            for label, k, first, o, e, r, z in zip(
                labels,
                offsets.tolist(),
                firsts,
                observed.tolist(),
                expected.tolist(),
                ratios.tolist(),
                intime["z"][keep].tolist(),
                strict=True,
            )  # fmt: skip
        ]
    block = summarise(float(main["z"][0]), values).to_dict()
    block["in_time"] = in_time.to_dict()
    return block


def profile_rows(plan: Plan) -> list[dict]:
    """Relative periods t-k..t+k: observed and expected with the window moved by k (0 is the event)."""
    k_max = plan.settings.profile
    if k_max <= 0:
        return []
    rows = []
    main, time = plan.out["main"], plan.out.get("time")
    entries = [(0, main, 0)]
    if time is not None:
        where = np.flatnonzero(plan.target)
        span = int(where[-1] - where[0] + 1)  # the relative periods move by whole windows
        entries += [(int(k) // span, time, j) for j, k in enumerate(plan.time_offsets) if abs(k) <= k_max * span]
    for k, block, j in sorted(entries, key=lambda e: e[0]):
        if not block["ok"][j] or not np.isfinite(block["observed"][j]):
            continue
        rows.append({
            "offset": k,
            "observed": float(block["observed"][j]),
            "expected": float(block["pred"].expected[j]),
            "log_sd": float(block["pred"].log_sd[j]),
            "size": float(block["pred"].size[j]),
        })  # fmt: skip
    return rows
