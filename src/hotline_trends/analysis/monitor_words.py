"""The monitor's sentences: why a day alarmed, the summary, the method in plain words and the caveats."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

REFERENCES = (
    "Höhle, M. & Paul, M. (2008). Count data regression charts for the monitoring of surveillance time "
    "series. Computational Statistics & Data Analysis 52(9), 4357–4368 (the negative-binomial CUSUM; "
    "algo.glrnb / algo.cusum in the R package surveillance).",
    "Fricker, R. D., Hegler, B. L. & Dunfee, D. A. (2008). Comparing syndromic surveillance detection "
    "methods: EARS' versus a CUSUM-based methodology. Statistics in Medicine 27(17), 3407–3429, "
    "doi:10.1002/sim.3197 (a CUSUM on model-based predictions beat the CDC's EARS C1–C3).",
    "Künsch, H. R. (1989). The jackknife and the bootstrap for general stationary observations. Annals of "
    "Statistics 17(3), 1217–1241 (the moving-block bootstrap that sets the threshold).",
    "Noufaily, A., Enki, D. G., Farrington, P., Garthwaite, P., Andrews, N. & Charlett, A. (2013). An "
    "improved algorithm for outbreak detection in multiple surveillance systems. Statistics in Medicine "
    "32(7), 1206–1222 (down-weighting past outbreaks in the baseline, as the capping here does).",
    "Willsky, A. S. & Jones, H. L. (1976). A generalized likelihood ratio approach to the detection and "
    "estimation of jumps in linear systems. IEEE Transactions on Automatic Control 21(1), 108–112 (the "
    "likelihood ratio for a step on the innovations of a Kalman filter: the step rule).",
    "Lai, T. L. (1998). Information bounds and quick detection of parameter changes in stochastic systems. "
    "IEEE Transactions on Information Theory 44(7), 2917–2929 (window-limited likelihood-ratio detection "
    "for dependent observations).",
)

POLICE = (
    "Police counts measure enforcement: a sting or a sweep produces a burst of arrests or incidents on one "
    "day, and a rise can mean more policing, not more trafficking."
)
HOTLINE = (
    "Hotline counts measure help-seeking: a rise can come from awareness campaigns or promotion around an "
    "event, not from more trafficking."
)
OWN = (
    "These counts measure what the process that recorded them records (who reports, who is counted); a rise "
    "can come from a change in that process."
)


def series_caveat(dataset: str, metric: str = "") -> str:
    """What a daily series measures, from its dataset and metric names (police, hotline or one's own)."""
    words = f"{dataset} {metric}".lower()
    if any(w in words for w in ("police", "ucr", "nibrs", "arrest", "incident", "offense", "actual_")):
        return POLICE
    if any(w in words for w in ("nhth", "hotline", "signal", "call", "tip")):
        return HOTLINE
    return OWN


def _day(value: Any) -> str:
    return pd.Timestamp(value).date().isoformat()


def _pct(observed: float, expected: float) -> str:
    return f"{observed / expected - 1:+.0%}" if expected > 0 else "n/a"


def alarm_reason(days: pd.DataFrame, row: int, *, threshold: float, step_level: float = np.inf) -> dict[str, Any]:
    """One alarm: the run of days behind it, their observed and expected totals, and a sentence."""
    run = days.iloc[int(days["run_start"].iloc[row]) : row + 1]
    seen = run.loc[run["count"].notna()]
    observed, expected = float(seen["count"].sum()), float(seen["expected"].sum())
    bursts = [_day(d) for d in run.loc[run["burst"], "date"]]
    date, first = _day(days["date"].iloc[row]), _day(run["date"].iloc[0])
    span = f"from {first} to {date} ({len(run)} days)" if len(run) > 1 else f"on {date} alone"
    step = "rule" in days and days["rule"].iloc[row] == "step"
    why = (
        f"a jump to a higher level that this series' own day-to-day drift rarely makes (the step rule, level "
        f"{step_level:.1f})"
        if step
        else f"a rise that reached the alarm level ({threshold:.1f})"
    )
    sentence = (
        f"Alarm on {date}: {span} the count was {observed:.0f} against {expected:.0f} expected "
        f"({_pct(observed, expected)}), {why}."
    )
    if bursts:
        sentence += (
            f" It includes one-day burst(s) on {', '.join(bursts)}, each counted as at most half the evidence an "
            "alarm needs: check whether a single action explains them."
        )
    return {
        "date": date,
        "run_start": first,
        "days": len(run),
        "rule": "step" if step else "cusum",
        "observed": observed,
        "expected": expected,
        "ratio": observed / expected if expected > 0 else None,
        "bursts": bursts,
        "reason": sentence,
    }


def summary(monitored: pd.DataFrame, alarms: list[dict], *, label: str) -> str:
    """One paragraph a planner can read out: how many days, alarms, bursts and gaps."""
    first, last = _day(monitored["date"].iloc[0]), _day(monitored["date"].iloc[-1])
    n = len(monitored)
    head = f"{label}, {n} day{'s' if n != 1 else ''} monitored ({first} to {last}): "
    if alarms:
        dates = ", ".join(a["date"] for a in alarms[:5]) + (" …" if len(alarms) > 5 else "")
        head += f"{len(alarms)} alarm{'s' if len(alarms) != 1 else ''} ({dates}); a lasting rise beyond what the past allows."
    else:
        head += "no alarm; no lasting rise beyond what this series' past allows."
    bursts = int(monitored["burst"].sum())
    if bursts:
        head += (
            f" {bursts} single day{'s' if bursts != 1 else ''} far above expected (one-day burst"
            f"{'s' if bursts != 1 else ''}: not an alarm by itself)."
        )
    missing = int((monitored["status"] == "missing").sum())
    if missing:
        head += f" {missing} day{'s' if missing != 1 else ''} without a count (missing, not zero)."
    return head


def method_text(calibration, *, settings) -> str:
    """The method in plain words, with the numbers of this run."""
    b = settings.baseline
    return (
        f"Each day's expected count comes from the days before it: the weekday pattern and federal holidays "
        f"from up to {b.pattern_days} days, the level from the last {b.level_days} (a {b.guard_days}-day gap "
        "is left so a rise that has just begun does not raise its own expectation); a day's own spread "
        "(negative binomial) gives the 95% band. A day above its band is not an alarm — about 1 day in 40 is, "
        "by chance. The alarm adds up evidence over days (a negative-binomial CUSUM, Höhle & Paul 2008): each "
        f"day adds how much better 'counts are {settings.rise:+.0%} above expected' explains it than 'as "
        "expected' (ordinary days subtract), never more than half the alarm level, so one extraordinary day "
        f"cannot alarm alone. The alarm level ({calibration.threshold:.1f}) is set on this series' own past: "
        f"its {calibration.replay_days} days before monitoring were cut into {calibration.block_days}-day "
        f"blocks and reshuffled into {calibration.years} synthetic years; at this level they alarm "
        f"{calibration.achieved:.2f} times a year (its share of the target: at most "
        f"{settings.alarms_per_year * (1 - settings.jump_share):.2g}). Days that move together, holidays the model "
        "misses and bursts in the past all raise the level. A second rule watches for a jump: where days move "
        "together, a stretch of high days is common but a sudden step to a higher level is not, so each day is "
        "also predicted from the days just before it (a Kalman filter of the correlation read from the past) "
        f"and the likelihood ratio of a {settings.rise:+.0%} step begun in the last {settings.jump_window} days "
        "(at least two days) is compared with a level set on years simulated from the fitted model and never "
        "reached by the past itself (Willsky & Jones 1976; Lai 1998); it has the rest of the target "
        f"({settings.alarms_per_year * settings.jump_share:.2g} a year)."
    )


def caveats(monitored: pd.DataFrame, calibration, *, settings, series_caveat: str) -> list[str]:
    out = [series_caveat] if series_caveat else []
    out.append(
        "Only rises are monitored. The rule is tuned to a lasting rise of about "
        f"{settings.rise:+.0%}; smaller rises take longer to flag and a rise confined to one day shows as a "
        "burst, not an alarm."
    )
    out.append(
        "An alarm says the counts rose beyond what this series' own past makes likely; it does not say why "
        "(an event, a campaign, a change in recording or enforcement)."
    )
    if not calibration.reachable:
        out.append(
            "The series' past rose so often that no alarm level kept false alarms under the target: treat its "
            "alarms as weak evidence."
        )
    if calibration.replay_days < 182:
        out.append(
            f"The alarm level rests on only {calibration.replay_days} days of past; with less than half a year "
            "of history, false alarms may be more frequent than the target."
        )
    no_base = int((monitored["status"] == "no baseline").sum())
    if no_base:
        out.append(
            f"{no_base} monitored day(s) had too few earlier days with counts for a baseline and were not judged."
        )
    if np.nanmax(monitored["expected"].to_numpy(), initial=0) < 1:
        out.append("Below one count a day, only several counts close together can raise an alarm.")
    return out
