"""Daily monitoring: false alarms on null series and delay to flag a lasting +50% rise, per scenario.

    python bench/monitor.py [--null N] [--steps M] [--seed S] [--quick]

For every scenario of ``analysis.monitor_synthetic`` (the monitor's own model, a latent AR(1) with
rho = 0.8, weekday/holiday/season effects, one-day x6 bursts on ~1 day in 60, overdispersion, sparse
counts, and all of them at once), seeded series with their truth:

- ``--null`` series of 730 days (365 of history, 365 monitored): false alarms per 365 monitored days
  (target <= 1), with the CDC's EARS C2 on the same days for comparison (7-day baseline, 2-day gap,
  alarm above mean + 3 sd);
- ``--steps`` series at 40 a day with a lasting +50% rise starting 28-55 days into monitoring (not for the
  sparse scenario): the delay from the rise's first day to the first alarm on or after it (0 = flagged on
  that day; target median <= 3 days), and the share flagged within 7 days.

Prints one row per scenario; the last line is ``ratio=<false alarms per 365 days, worst scenario> target=1``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ratio_line  # noqa: E402

from hotline_trends.analysis.monitor import monitor  # noqa: E402
from hotline_trends.analysis.monitor_synthetic import SCENARIOS, simulate_daily  # noqa: E402

TARGET_FALSE_ALARMS = 1.0  # per 365 null days
TARGET_DELAY = 3.0  # median days after the rise began
HISTORY = 365


def ears_c2(counts: np.ndarray, first: int) -> int:
    """Alarms of EARS C2 from day ``first`` on: baseline days t-9..t-3, alarm when (y - mean) / sd > 3."""
    alarms = 0
    for t in range(first, len(counts)):
        base = counts[t - 9 : t - 2]
        base = base[~np.isnan(base)]
        if np.isnan(counts[t]) or len(base) < 3:
            continue
        sd = max(base.std(ddof=1), 0.2 * max(base.mean(), 1.0))  # a floor, as EARS implementations use
        alarms += (counts[t] - base.mean()) / sd > 3
    return int(alarms)


def null_row(scenario: str, *, n: int, seed: int) -> dict:
    alarms, ears, thresholds, bursts = 0, 0, [], 0
    for i in range(n):
        data, _ = simulate_daily(scenario, days=2 * HISTORY, seed=seed + i)
        result = monitor(data, start=data["date"].iloc[HISTORY])
        alarms += len(result.alarms)
        bursts += int(result.monitored["burst"].sum())
        thresholds.append(result.threshold)
        ears += ears_c2(data["count"].to_numpy(), HISTORY)
    return {
        "false alarms /365 d": alarms / n,
        "EARS C2 /365 d": ears / n,
        "bursts marked /365 d": bursts / n,
        "median threshold": float(np.median(thresholds)),
    }


def step_row(scenario: str, *, n: int, seed: int) -> dict:
    if scenario == "sparse":
        return {"median delay (d)": np.nan, "flagged <= 7 d": np.nan}
    delays = []
    for i in range(n):
        step = HISTORY + 28 + int(np.random.default_rng(seed + i).integers(0, 28))
        data, truth = simulate_daily(scenario, days=HISTORY + 120, level=40.0, step_day=step, seed=seed + 50_000 + i)
        result = monitor(data, start=data["date"].iloc[HISTORY])
        after = [a["date"] for a in result.alarms if a["date"] >= truth["step_date"]]
        delays.append((pd.Timestamp(after[0]) - pd.Timestamp(truth["step_date"])).days if after else np.inf)
    delays = np.array(delays, float)
    return {"median delay (d)": float(np.median(delays)), "flagged <= 7 d": float(np.mean(delays <= 7))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--null", type=int, default=60, help="null series per scenario (60)")
    parser.add_argument("--steps", type=int, default=60, help="series with a +50%% rise per scenario (60)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="12 null and 12 step series per scenario")
    args = parser.parse_args()
    n_null, n_steps = (12, 12) if args.quick else (args.null, args.steps)
    rows = []
    for k, scenario in enumerate(SCENARIOS):
        started = time.perf_counter()
        seed = args.seed + 100_000 * k
        row = {
            "scenario": scenario,
            **null_row(scenario, n=n_null, seed=seed),
            **step_row(scenario, n=n_steps, seed=seed),
        }
        row["seconds"] = time.perf_counter() - started
        rows.append(row)
        print(f"  {scenario}: done in {row['seconds']:.0f} s", file=sys.stderr, flush=True)
    table = pd.DataFrame(rows)
    print(f"Daily monitoring benchmark: {n_null} null series x 365 monitored days and {n_steps} series with a")
    print("lasting +50% rise at 40 a day, per scenario (delay: days from the rise's first day to the alarm).")
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:.2f}".format):
        print(table.to_string(index=False))
    for scenario, text in SCENARIOS.items():
        print(f"  {scenario}: {text}")
    worst = table.loc[table["false alarms /365 d"].idxmax()]
    model = table.set_index("scenario").loc["model"]
    print(
        f"worst false-alarm rate: {worst['false alarms /365 d']:.2f} per 365 days ({worst['scenario']}; target <= "
        f"{TARGET_FALSE_ALARMS:g}); median delay on the model: {model['median delay (d)']:.1f} days (target <= "
        f"{TARGET_DELAY:g}); scenarios within the delay target: "
        + ", ".join(table.loc[table["median delay (d)"] <= TARGET_DELAY, "scenario"])
    )
    print(ratio_line(float(worst["false alarms /365 d"]), TARGET_FALSE_ALARMS))


if __name__ == "__main__":
    main()
