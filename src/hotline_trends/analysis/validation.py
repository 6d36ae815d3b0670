"""Validation under misspecification: each scenario of ``synthetic.SCENARIOS`` scored against its truth.

For every scenario: the share of null events (no planted effect) called ``spike`` or ``drop`` (target 5% ± 2
percentage points at alpha = 0.05), and for the national-scale scenarios the share of planted +25% and +60%
seven-day rises called ``spike``. ``tests/analysis/test_validation.py`` runs it at moderate sizes;
``bench/study.py`` at the full ones (at least 2,000 null series for (a) and 500 for each other scenario).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from hotline_trends.analysis.synthetic import NATIONAL, SCENARIOS, evaluate, scenario

POWER_EFFECTS = (0.25, 0.6)
NULL_TARGET = (0.03, 0.07)
POWER_TARGETS = {("a", 0.25): 0.8, **{(k, 0.25): 0.7 for k in "bcd"}, **{(k, 0.6): 0.8 for k in "bcd"}}


def score(key: str, *, n_null: int, n_power: int = 0, seed: int = 0) -> dict:
    """One scenario's row: null share called spike/drop (and by model p alone), and power if it is scored."""
    started = time.perf_counter()
    null = evaluate(*scenario(key, n_regions=n_null, seed=seed))
    row = {
        "scenario": key,
        "title": SCENARIOS[key].title,
        "n_null": len(null),
        "null_called": float(null["verdict"].isin(["spike", "drop"]).mean()),
        "null_model_p": float(null["significant"].mean()),
        "null_verdicts": null["verdict"].value_counts().to_dict(),
        # of the null events with model p < 0.05, the share no rule could let through: too few of the host's
        # own windows, or the event's days too small a part of the periods tested
        "null_blocked": float(null.loc[null["significant"], "rule"].isin(["few placebos", "diluted"]).mean())
        if null["significant"].any()
        else 0.0,
    }
    if SCENARIOS[key].power and n_power:
        for i, effect in enumerate(POWER_EFFECTS):
            planted = evaluate(*scenario(key, n_regions=n_power, effect=effect, seed=seed + 1 + i))
            row[f"power_{effect:g}"] = float(planted["detected"].mean())
            row[f"n_power_{effect:g}"] = len(planted)
    row["seconds"] = time.perf_counter() - started
    return row


def table(rows: list[dict]) -> pd.DataFrame:
    """The scenario table with each target and whether it is met."""
    frame = pd.DataFrame(rows)
    frame["null_ok"] = frame["null_called"].between(*NULL_TARGET)
    for effect in POWER_EFFECTS:
        column = f"power_{effect:g}"
        if column not in frame:
            frame[column] = np.nan
        targets = frame["scenario"].map(lambda k, e=effect: POWER_TARGETS.get((k, e), np.nan))
        frame[f"target_{effect:g}"] = targets
        frame[f"{column}_ok"] = np.where(targets.notna(), frame[column] >= targets, np.nan)
    return frame


def text(frame: pd.DataFrame) -> str:
    """The table as plain text (``bench/study.py`` prints it; the README keeps a copy)."""
    lines = [
        "scenario | null series | called spike/drop (target 3-7%) | model p < 0.05 | +25% called spike | "
        "+60% called spike",
        "---|---|---|---|---|---",
    ]
    for row in frame.to_dict(orient="records"):
        power = []
        for effect in POWER_EFFECTS:
            value, target = row[f"power_{effect:g}"], row[f"target_{effect:g}"]
            if pd.isna(value):
                power.append("–")
            else:
                n = int(row[f"n_power_{effect:g}"])
                mark = "" if pd.isna(target) else (" ✓" if value >= target else f" ✗ (target {target:.0%})")
                power.append(f"{value:.1%} of {n}{mark}")
        mark = " ✓" if row["null_ok"] else " ✗"
        if row["null_called"] == 0 and row["null_blocked"] == 1.0:
            mark = " (by design, not a miss of the target: no call possible, too few own windows or a week in a month or a year)"
        lines.append(
            f"({row['scenario']}) {row['title']} | {row['n_null']} | {row['null_called']:.1%}{mark} | "
            f"{row['null_model_p']:.1%} | " + " | ".join(power)
        )
    return "\n".join(lines)


def ar1_oracle(
    *, n: int = 2000, effect: float = 0.25, rho: float = 0.8, days: int = 7, pad: int = 60, seed: int = 0
) -> dict:
    """How often two tests that are told the truth would find a planted rise under scenario (b).

    Each run draws a level (``NATIONAL``) and a dispersion as (b) does, the latent AR(1) and Poisson counts
    over ``days`` with ``pad`` days either side, and a rise of ``effect`` on the window's days. Both tests
    know the daily means, the dispersion and ``rho`` (none of which a real test knows) and test two-sided at
    5%: ``total``, the window's total against its exact null variance; ``gls``, generalised least squares of
    log(count / mean) on the window's days, with the latent AR(1) and the count noise as its covariance (it
    reads the days around the window, which share their latent level). Neither applies the placebo rule.
    """
    from scipy import linalg, stats

    rng = np.random.default_rng(seed)
    alpha = SCENARIOS["b"].config.get("alpha", (0.01, 0.03))
    T = days + 2 * pad
    w = np.zeros(T)
    w[pad : pad + days] = 1.0
    lag = np.abs(np.subtract.outer(np.arange(T), np.arange(T)))
    z = stats.norm.ppf(0.975)
    found_total, found_gls = [], []
    for _ in range(n):
        mu = np.exp(rng.uniform(*np.log(NATIONAL)))
        s2 = np.log1p(np.exp(rng.uniform(*np.log(alpha))))
        x = np.empty(T)
        x[0] = rng.normal(0.0, np.sqrt(s2))
        for t in range(1, T):
            x[t] = rho * x[t - 1] + rng.normal(0.0, np.sqrt(s2 * (1 - rho * rho)))
        y = rng.poisson(mu * np.exp(x - s2 / 2) * (1 + effect * w))
        variance = days * mu + mu * mu * np.expm1(s2 * rho ** lag[:days, :days]).sum()
        found_total.append((y[w > 0].sum() - days * mu) / np.sqrt(variance) > z)
        weights = linalg.solve(s2 * rho**lag + np.eye(T) / mu, w, assume_a="pos")
        centred = np.log(np.maximum(y, 0.5) / mu) + s2 / 2 + 1 / (2 * mu)  # less its null mean, to 2nd order
        found_gls.append(weights @ centred / np.sqrt(w @ weights) > z)
    return {"n": n, "effect": effect, "total": float(np.mean(found_total)), "gls": float(np.mean(found_gls))}
