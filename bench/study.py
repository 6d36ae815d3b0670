"""Pooled-study speed and memory, plus calibration and power against planted truth.

    python bench/study.py [--regions N] [--years Y] [--events E] [--seed S] [--runs K] [--quick]

Writes seeded synthetic daily counts (3,000 regions x 10 years by default) with 200 event windows, then in
separate processes (the fastest of ``--runs`` fresh ones for each of the two timed sides) times, from the
panel of counts (its building from tidy rows is timed and printed
apart), (1) the pooled study (`analysis.study.run_study`: panel, batched fits of every
host, 3 space and 2 time placebos per event (1,000 placebos), controls, verdicts, pooling), (2) a
per-region statsmodels loop doing the same fits (`NegativeBinomial(...).fit()` on each job's periods), and
(3) one grouped sum over the same data. Prints both ratios and each process's peak memory; then the
calibration (false-positive rate at alpha = 0.05 on at least 2,000 null monthly series with trend and
seasonality, and on null daily series) and the power for planted +25% seven-day spikes on national-scale
daily series, scored against the truth. The last line is `ratio=<speed-up over statsmodels> target=50`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ratio_line, run_child  # noqa: E402

TARGET_SPEEDUP = 50.0
TARGET_VS_SUM = 5.0
SPACE, TIME = 3, 2  # placebos per event: 5 x 200 events = 1,000

SETUP = """
import sys, time, warnings
import numpy as np, pandas as pd
from hotline_trends.analysis.eventplan import Settings, plan_event
from hotline_trends.analysis.panel import panel_from_regions
from hotline_trends.analysis.synthetic import specs
data = pd.read_parquet(sys.argv[1])
truth = pd.read_parquet(sys.argv[2])
settings = Settings(max_space=int(sys.argv[3]), max_time=int(sys.argv[4]), max_candidates=20, series_span=0)
"""

OURS = (
    SETUP
    + """
from hotline_trends.analysis import study as study_module
from hotline_trends.analysis.study import run_study
fit_seconds = []
fit_plans = study_module.fit_plans
def timed_fit_plans(plans):
    begun = time.perf_counter()
    fit_plans(plans)
    fit_seconds.append(time.perf_counter() - begun)
study_module.fit_plans = timed_fit_plans  # to report how much of the study is fitting
started = time.perf_counter()
panel = panel_from_regions(data, dataset="synthetic", metric="count")
panel_seconds = time.perf_counter() - started
started = time.perf_counter()
result = run_study([(panel, s, None) for s in specs(truth)], event_type="synthetic", label="Synthetic",
                   dataset="synthetic", metric="count", settings=settings)
seconds = time.perf_counter() - started
placebos = sum((e.placebo or {}).get("n", 0) for e in result.events)
report(seconds=seconds, panel_seconds=panel_seconds, fit_seconds=sum(fit_seconds), events=len(result.events), placebos=placebos,
       verdict=result.verdict)
"""
)

STATSMODELS = (
    SETUP
    + """
from statsmodels.discrete.discrete_model import NegativeBinomial
panel = panel_from_regions(data, dataset="synthetic", metric="count")
jobs = []
for spec in specs(truth):  # the same jobs the study fits (planning is not timed)
    plan = plan_event(panel, spec, settings)
    X = plan.design.X
    jobs += [(panel.values[r], X, m) for r, m in zip(plan.main_rows, plan.main_mask)]
    jobs += [(panel.values[plan.host_row], X, m) for m in plan.time_masks]
warnings.simplefilter("ignore")
started = time.perf_counter()
for y, X, mask in jobs:
    keep = mask & np.isfinite(y)
    NegativeBinomial(y[keep], X[keep]).fit(disp=0)
report(seconds=time.perf_counter() - started, fits=len(jobs))
"""
)

GROUPED_SUM = """
import sys, time
import pandas as pd
data = pd.read_parquet(sys.argv[1])
times = []
for _ in range(3):  # the best of three: the sum's time varies run to run; its best is the hardest target
    started = time.perf_counter()
    sums = data.groupby("region")["value"].sum()
    times.append(time.perf_counter() - started)
report(seconds=min(times), groups=len(sums))
"""

VALIDATION = """
import sys, time
from hotline_trends.analysis.synthetic import evaluate, simulate
n_monthly, n_daily, n_power = (int(v) for v in sys.argv[1:4])
monthly = dict(kind="month", n_periods=72, level=(20, 200), alpha=(0.01, 0.1), margin_days=60)
daily = dict(kind="day", n_periods=730, margin_days=120)
started = time.perf_counter()
m = evaluate(*simulate(n_regions=n_monthly, planted_share=0.0, seed=101, **monthly))
d = evaluate(*simulate(n_regions=n_daily, planted_share=0.0, seed=102, **daily))
p = evaluate(*simulate(n_regions=n_power, planted_share=0.5, level=(80, 140), seed=103, **daily))
s = evaluate(*simulate(n_regions=n_power, planted_share=0.5, level=(6, 12), seed=104, **daily))
planted, null = p[p["effect"] > 0], p[p["effect"] == 0]
missed = s[(s["effect"] > 0) & ~s["detected"]]
report(
    seconds=time.perf_counter() - started,
    fpr_monthly=float(m["significant"].mean()), n_monthly=len(m), spike_rate_monthly=float(m["detected"].mean()),
    fpr_daily=float(d["significant"].mean()), n_daily=len(d), spike_rate_daily=float(d["detected"].mean()),
    recall=float(planted["detected"].mean()), n_planted=len(planted), false_alarms=float(null["detected"].mean()),
    precision=float(planted["detected"].sum() / max(p["detected"].sum(), 1)), mde_median=float(p["mde"].median()),
    state_recall=float(s.loc[s["effect"] > 0, "detected"].mean()),
    state_missed_cannot_tell=float((missed["verdict"] == "cannot tell").mean()) if len(missed) else None,
)
"""


def write_data(folder: Path, *, regions: int, years: int, events: int, seed: int) -> tuple[Path, Path, int]:
    from hotline_trends.analysis.synthetic import simulate

    data, truth = simulate(
        n_regions=regions, n_periods=int(years * 365.25), kind="day", event_regions=events, planted_share=0.5, seed=seed
    )
    data_path, truth_path = folder / "data.parquet", folder / "truth.parquet"
    data.to_parquet(data_path, index=False)
    truth.to_parquet(truth_path, index=False)
    return data_path, truth_path, len(data)


def best_of(code: str, paths: tuple[str, ...], *, env: dict[str, str], runs: int) -> tuple[dict, str]:
    """The fastest of ``runs`` fresh processes, and every time in seconds (as text).

    This machine's speed varies by a fifth from one run to the next; the fastest of a few runs is the least
    noisy estimate of what the code costs, and both sides of the ratio are measured the same way.
    """
    reports = [run_child(code, *paths, env=env) for _ in range(runs)]
    best = min(reports, key=lambda r: r["seconds"])
    return best, " / ".join(f"{r['seconds']:.2f}" for r in reports)


def single_threaded() -> dict[str, str]:
    """Every child with one BLAS thread: equal footing, and no oversubscription of a shared machine (a
    statsmodels fit of small matrices slows several-fold when its BLAS threads compete with others)."""
    env = dict(os.environ)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = "1"
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regions", type=int, default=3000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per timing; the fastest counts")
    parser.add_argument("--quick", action="store_true", help="a smaller run (under a minute)")
    args = parser.parse_args()
    if args.quick:
        args.regions, args.years, args.events = 300, 4, 40
    validation = ("500", "150", "120") if args.quick else ("2000", "600", "400")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        data, truth, rows = write_data(
            Path(tmp), regions=args.regions, years=args.years, events=args.events, seed=args.seed
        )
        print(f"data: {args.regions} regions x {args.years} years daily = {rows:,} rows, {args.events} events "
              f"({time.perf_counter() - started:.1f} s to write)", flush=True)  # fmt: skip
        paths = (str(data), str(truth), str(SPACE), str(TIME))
        env = single_threaded()
        ours, times = best_of(OURS, paths, env=env, runs=args.runs)
        print(f"pooled study: {ours['seconds']:.2f} s, the best of {times} ({ours['events']} events, "
              f"{ours['placebos']} placebos; {ours['fit_seconds']:.2f} s of it fitting and predictive statistics), "
              f"peak {ours['peak_mb']:.0f} MB; building the panel from the tidy rows took another "
              f"{ours['panel_seconds']:.2f} s", flush=True)  # fmt: skip
        reference, times = best_of(STATSMODELS, paths, env=env, runs=args.runs)
        print(f"statsmodels loop: {reference['seconds']:.2f} s, the best of {times}, for {reference['fits']} fits "
              f"({1000 * reference['seconds'] / reference['fits']:.1f} ms a fit), peak {reference['peak_mb']:.0f} MB",
              flush=True)  # fmt: skip
        grouped = run_child(GROUPED_SUM, str(data), env=env)
        print(f"grouped sum: {grouped['seconds']:.3f} s (best of 3), peak {grouped['peak_mb']:.0f} MB", flush=True)
    checks = run_child(VALIDATION, *validation, env=single_threaded())
    # Both timings start from the panel (one matrix of counts): the statsmodels loop is handed each job's
    # series, and the study's own panel-building time is printed above, not hidden.
    speedup = reference["seconds"] / ours["seconds"]
    fits_only = reference["seconds"] / ours["fit_seconds"]
    vs_sum = ours["seconds"] / grouped["seconds"]
    print(f"calibration: false-positive rate at alpha=0.05 {checks['fpr_monthly']:.3f} over {checks['n_monthly']} "
          f"null monthly series (target 0.03-0.07), {checks['fpr_daily']:.3f} over {checks['n_daily']} null daily "
          f"series; 'spike' verdicts {checks['spike_rate_monthly']:.3f} / {checks['spike_rate_daily']:.3f}")  # fmt: skip
    print(f"power: planted +25% 7-day spikes on national-scale daily series found {checks['recall']:.3f} of "
          f"{checks['n_planted']} (target >= 0.8); false alarms {checks['false_alarms']:.3f}, precision "
          f"{checks['precision']:.3f}, median MDE {checks['mde_median']:.3f}; state-scale series: found "
          f"{checks['state_recall']:.3f}, misses called 'cannot tell' {checks['state_missed_cannot_tell']:.3f}")  # fmt: skip
    print(f"study / grouped sum: {vs_sum:.1f}x (target <= {TARGET_VS_SUM:g})")
    print(f"speed-up over the statsmodels loop: {speedup:.1f}x for the whole study (target >= {TARGET_SPEEDUP:g}); "
          f"{fits_only:.1f}x counting only the study's fitting")  # fmt: skip
    print(ratio_line(speedup, TARGET_SPEEDUP))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
