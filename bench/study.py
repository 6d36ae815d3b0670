"""Pooled-study speed and memory, plus calibration and power against planted truth.

    python bench/study.py [--regions N] [--years Y] [--events E] [--seed S] [--runs K] [--quick]

Writes seeded synthetic daily counts (3,000 regions x 10 years by default) with 200 event windows, then in
separate processes (the fastest of ``--runs`` fresh ones for each of the two timed sides) times, from the
panel of counts (its building from tidy rows is timed and printed
apart), (1) the pooled study (`analysis.study.run_study`: panel, batched fits of every host, 3 other regions
and the 2 neighbouring windows per event (1,200 fits), every in-time placebo window of every host (about
520 each, one scoring step from the host's fit), model checks, bursts, controls, verdicts, pooling), (2) a
per-region statsmodels loop doing the same fits (`NegativeBinomial(...).fit()` on each job's periods; the
in-time placebos are extra work of the study's that the loop does not do), and (3) one grouped sum over
the same data. Prints both ratios and each process's peak memory; then the calibration of the model
p-value on 2,000 null monthly series, and the validation under misspecification: the scenario table of
``analysis.validation`` (null events called spike/drop in each scenario (a)-(h) of
``synthetic.SCENARIOS``, 2,000 series for (a) and 500 for each other; planted +25% and +60% seven-day
rises at national scale called spike under (a)-(d), 500 each). The last line is
`ratio=<speed-up over statsmodels> target=50`.
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

from hotline_trends.analysis.validation import table, text  # noqa: E402

TARGET_SPEEDUP = 50.0
TARGET_VS_SUM = 5.0
SPACE, PROFILE = 3, 1  # other regions and neighbouring windows (t-1, t+1) per event: fits 6 x 200 = 1,200

SETUP = """
import sys, time, warnings
import numpy as np, pandas as pd
from hotline_trends.analysis.eventplan import Settings, plan_event
from hotline_trends.analysis.panel import panel_from_regions
from hotline_trends.analysis.synthetic import specs
data = pd.read_parquet(sys.argv[1])
truth = pd.read_parquet(sys.argv[2])
settings = Settings(max_space=int(sys.argv[3]), profile=int(sys.argv[4]), max_candidates=20, series_span=0)
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
in_time = sum(((e.placebo or {}).get("in_time") or {}).get("n", 0) for e in result.events)
report(seconds=seconds, panel_seconds=panel_seconds, fit_seconds=sum(fit_seconds), events=len(result.events), placebos=placebos,
       in_time=in_time, verdict=result.verdict)
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
from hotline_trends.analysis.validation import score
n_monthly, n_a, n_other, n_power = (int(v) for v in sys.argv[1:5])
started = time.perf_counter()
monthly = dict(kind="month", n_periods=72, level=(20, 200), alpha=(0.01, 0.1), margin_days=60)
m = evaluate(*simulate(n_regions=n_monthly, planted_share=0.0, seed=101, **monthly))
rows = [score(key, n_null=n_a if key == "a" else n_other, n_power=n_power, seed=200 + 10 * i)
        for i, key in enumerate("abcdefgh")]
report(seconds=time.perf_counter() - started, fpr_monthly=float(m["significant"].mean()), n_monthly=len(m),
       spike_rate_monthly=float(m["verdict"].isin(["spike", "drop"]).mean()), rows=rows)
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
    validation = ("300", "300", "100", "100") if args.quick else ("2000", "2000", "500", "500")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        data, truth, rows = write_data(
            Path(tmp), regions=args.regions, years=args.years, events=args.events, seed=args.seed
        )
        print(f"data: {args.regions} regions x {args.years} years daily = {rows:,} rows, {args.events} events "
              f"({time.perf_counter() - started:.1f} s to write)", flush=True)  # fmt: skip
        paths = (str(data), str(truth), str(SPACE), str(PROFILE))
        env = single_threaded()
        ours, times = best_of(OURS, paths, env=env, runs=args.runs)
        print(f"pooled study: {ours['seconds']:.2f} s, the best of {times} ({ours['events']} events, "
              f"{ours['placebos']} placebos of which {ours['in_time']} in-time windows; {ours['fit_seconds']:.2f} s "
              "of it fitting and predictive statistics), "
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
    print(f"calibration of the model p-value: {checks['fpr_monthly']:.3f} of {checks['n_monthly']} null monthly "
          f"series below 0.05 (target 0.03-0.07); called spike or drop {checks['spike_rate_monthly']:.3f}")  # fmt: skip
    print(f"validation under misspecification ({checks['seconds']:.0f} s):")
    print(text(table(checks["rows"])))
    print(f"study / grouped sum: {vs_sum:.1f}x (target <= {TARGET_VS_SUM:g})")
    print(f"speed-up over the statsmodels loop: {speedup:.1f}x for the whole study (target >= {TARGET_SPEEDUP:g}); "
          f"{fits_only:.1f}x counting only the study's fitting")  # fmt: skip
    print(ratio_line(speedup, TARGET_SPEEDUP))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
