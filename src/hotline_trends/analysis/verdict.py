"""The verdict words, the rules that choose them, and the plain sentence behind each.

- ``spike`` / ``drop`` only when all three hold: (1) the model's two-sided p-value is below alpha (0.05);
  (2) the host's own in-time placebos (every other non-overlapping window of the same length in its
  baseline, ``intime``) rank the event among the most unusual, two-sided empirical p <= alpha, on the same
  side; with too few placebos for that (fewer than 19 at 0.05) the answer is at most ``cannot tell``;
  (3) the event's days make up at least half of the periods tested. So a baseline fitted as Poisson (its
  dispersion could not be estimated) never makes a spike on its p-value alone, and neither does any other.
- ``no detectable change`` only when the test found nothing (p >= alpha) and the ratio's 95% interval rules
  out the effect looked for: its upper end is below 1 + that effect diluted to the periods tested (+25% over
  the window's days is +0.5% of a year).
- ``cannot tell`` otherwise, with the reason: the data could not have shown the effect; or a period did
  differ, but the event's days are too small a part of it, or the host's own other windows differ as often.
- ``insufficient data``: no test was possible; the reason says why.

Every sentence ends with what the verdict rests on: the model p-value, the event's rank among the host's
own windows, and the model checks (with what a failed check widened).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hotline_trends.analysis.intime import InTime

SPIKE, DROP, NO_CHANGE, CANNOT_TELL, INSUFFICIENT = (
    "spike",
    "drop",
    "no detectable change",
    "cannot tell",
    "insufficient data",
)
VERDICTS = (SPIKE, DROP, NO_CHANGE, CANNOT_TELL, INSUFFICIENT)
LEVEL = 0.05
POWER = 0.8
PLAUSIBLE_EFFECT = 0.25
ATTRIBUTABLE_SHARE = 0.5  # the event's days must be at least this share of the periods tested
PERIOD_WORDS = {"year": "year", "half-year": "half-year", "quarter": "quarter", "month": "month", "week": "week"}
# which rule decided: the verdict words say what, these say why
CALLED, DILUTED, FEW_PLACEBOS, PLACEBOS_DISAGREE, RULED_OUT, NOT_RULED_OUT = (
    "called",
    "diluted",
    "few placebos",
    "placebos disagree",
    "ruled out",
    "not ruled out",
)


@dataclass(frozen=True)
class Evidence:
    """What a verdict is decided on (see the module docstring)."""

    p_value: float  # the model's two-sided mid-p of the tested total (bursts at their limit), widened by checks
    ratio: float  # tested (or observed) total over expected: its side of 1 is the direction
    ratio_high: float  # upper end of the 95% interval of observed / expected
    diluted: float  # the effect looked for, diluted to the periods tested
    share: float  # the event's days over the days of the periods tested
    in_time: InTime | None  # the event among the host's own windows (None: none could be tested)
    poisson: bool = False  # the baseline is Poisson because the dispersion could not be estimated
    level: float = LEVEL
    checks_failed: list[str] = field(default_factory=list)
    widened: float = 1.0  # how much the failed checks widened the count noise's variance
    bursts: int = 0  # periods of the window counted only to their burst limit


def judge(e: Evidence) -> tuple[str, str]:
    """(verdict, which rule decided it).

    Example:
        >>> from hotline_trends.analysis.intime import rank_in_time
        >>> first = rank_in_time(3.0, [0.1 * i - 2 for i in range(39)], level=0.05, unit="7-day windows")
        >>> judge(Evidence(0.001, 1.4, 1.6, 0.25, 1.0, first))
        ('spike', 'called')
        >>> judge(Evidence(0.001, 1.9, 2.2, 0.005, 7 / 365, None))  # a year differed, not the event
        ('cannot tell', 'diluted')
        >>> judge(Evidence(0.4, 1.02, 1.2, 0.25, 1.0, first))
        ('no detectable change', 'ruled out')
    """
    if not (e.p_value < e.level):
        return (NO_CHANGE, RULED_OUT) if e.ratio_high < 1.0 + e.diluted else (CANNOT_TELL, NOT_RULED_OUT)
    if e.share < ATTRIBUTABLE_SHARE:
        return CANNOT_TELL, DILUTED
    placebo = e.in_time
    if placebo is None or not placebo.enough or placebo.p_value is None:
        return CANNOT_TELL, FEW_PLACEBOS
    up = e.ratio > 1.0
    if placebo.p_value > e.level or placebo.direction != ("up" if up else "down"):
        return CANNOT_TELL, PLACEBOS_DISAGREE
    return (SPIKE if up else DROP), CALLED


def decide(*, level: float = LEVEL, **evidence) -> str:
    """The verdict word for ``Evidence(**evidence)``.

    Example:
        >>> decide(p_value=0.4, ratio=1.02, ratio_high=1.3, diluted=0.0048, share=7 / 365, in_time=None)
        'cannot tell'
    """
    evidence.pop("mde", None)  # the detectable change explains a verdict; it does not decide one
    return judge(Evidence(level=level, **evidence))[0]


def pct(x: float) -> str:
    """A relative change as a percentage with sensible precision.

    Example:
        >>> pct(0.0048), pct(0.183), pct(2.5), pct(590.23)
        ('0.5%', '18%', '250%', '59,023%')
    """
    if x is None or not math.isfinite(x):
        return "unbounded"
    v = abs(x) * 100
    return f"{v:.1f}%" if v < 10 else f"{v:,.0f}%"


def count(x: float) -> str:
    """A count or expected count: whole numbers plain, small expectations with one decimal."""
    if x is None or not math.isfinite(x):
        return "n/a"
    x = float(x) + 0.0  # a quantile of -0.0 reads "0", not "-0"
    return f"{x:,.0f}" if abs(x) >= 10 or float(x).is_integer() else f"{x:.1f}"


def frequency_word(kind: str) -> str:
    """'annual', 'monthly', 'daily', ...

    Example:
        >>> frequency_word("year"), frequency_word("month"), frequency_word("half-year")
        ('annual', 'monthly', 'half-yearly')
    """
    return {"day": "daily", "year": "annual", "mixed": "mixed annual and sub-annual"}.get(
        kind, f"{PERIOD_WORDS.get(kind, kind)}ly"
    )


def granularity_words(kind: str, n_periods: int) -> str:
    """'the year', 'the 2 months it touches', 'those 7 days'."""
    if kind == "day":
        return f"those {n_periods} day{'s' if n_periods != 1 else ''}"
    if kind == "mixed":
        return "the periods tested"
    word = PERIOD_WORDS.get(kind, "period")
    return f"the {word}" if n_periods == 1 else f"the {n_periods} {word}s it touches"


def window_unit(kind: str, n_periods: int) -> str:
    """What the in-time placebos are, in words (plural): '7-day windows', 'months', '2-month windows'.

    Example:
        >>> window_unit("day", 7), window_unit("month", 1), window_unit("year", 2)
        ('7-day windows', 'months', '2-year windows')
    """
    word = "day" if kind == "day" else PERIOD_WORDS.get(kind, "period")
    return f"{word}s" if n_periods == 1 else f"{n_periods}-{word} windows"


def rests_on(e: Evidence) -> str:
    """What a verdict rests on, in one clause: model p, the event among its host's windows, the checks."""
    parts = [f"model p {e.p_value:.2g}"]
    if e.poisson:
        parts[0] += " (a Poisson baseline: the dispersion could not be estimated)"
    placebo = e.in_time
    if placebo is None or placebo.n == 0:
        parts.append("no other window of the host to compare with")
    elif placebo.rank is None:
        parts.append(f"{placebo.n} of {placebo.owner} {placebo.unit}")
    else:
        parts.append(
            f"the event is the {_ordinal(placebo.rank)} most unusual of {placebo.n + 1} with {placebo.owner} "
            f"{placebo.unit} (empirical p {placebo.p_value:.2g})"
        )
    if e.checks_failed:
        parts.append(
            f"checks failed: {'; '.join(e.checks_failed)} (interval and p widened, count-noise variance ×{e.widened:.2g})"
        )
    else:
        parts.append("checks passed")
    if e.bursts:
        parts.append(
            f"{e.bursts} period{'s' if e.bursts > 1 else ''} of the window beyond its burst limit counted only up to it"
        )
    return "Rests on: " + "; ".join(parts) + "."


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def reason_for(
    verdict: str,
    *,
    kind: str,
    n_periods: int,
    observed: float,
    expected: float,
    low: float,
    high: float,
    ratio: float,
    ratio_low: float,
    ratio_high: float,
    p_value: float,
    mde: float,
    diluted: float,
    window_days: int,
    effect: float = PLAUSIBLE_EFFECT,
    evidence: Evidence | None = None,
    why: str | None = None,
) -> str:
    """One plain sentence saying what the verdict is and why, then what it rests on (with ``evidence``)."""
    frequency = frequency_word(kind)
    span = granularity_words(kind, n_periods)
    numbers = f"{count(observed)} observed vs {count(expected)} expected (95% interval {count(low)}–{count(high)})"
    ratio_text = f"ratio {ratio:.2f} (95% CI {ratio_low:.2f}–{ratio_high:.2f}), p = {p_value:.3g}"
    effect_text = f"a {window_days}-day +{pct(effect)} spike would change {span} by about {pct(diluted)}"
    tail = "" if evidence is None else " " + rests_on(evidence)
    if verdict == SPIKE:
        return f"spike: {numbers}; {ratio_text}.{tail}"
    if verdict == DROP:
        return f"drop: fewer than expected, {numbers}; {ratio_text}.{tail}"
    if verdict == NO_CHANGE:
        power = (
            f"this test would detect a change of {pct(mde)} or more"
            if mde <= diluted
            else "the count was so far below expectations that the interval excludes even that rise"
        )
        return (
            f"no detectable change: {numbers}; the ratio's 95% interval ({ratio_low:.2f}–{ratio_high:.2f}) rules out "
            f"the effect looked for ({effect_text}): {power}.{tail}"
        )
    if why is None:  # the rule from the numbers alone (callers without the evidence)
        why = DILUTED if p_value < LEVEL else NOT_RULED_OUT
    direction = "above" if ratio > 1 else "below"
    if why == DILUTED:
        return (
            f"cannot tell: {span} was {direction} expected ({numbers}; p = {p_value:.3g}), but the "
            f"{window_days} days around the event are only {pct(diluted / effect)} of it: {effect_text}, and this "
            f"test can only detect changes of at least {pct(mde)}, so the difference cannot be attributed to the "
            f"event.{tail}"
        )
    if why in (FEW_PLACEBOS, PLACEBOS_DISAGREE) and evidence is not None:
        placebo = evidence.in_time
        n = 0 if placebo is None else placebo.n
        whose = "the host's own windows" if placebo is None else f"{placebo.owner} {placebo.unit}"
        if why == FEW_PLACEBOS:
            need = 19 if placebo is None else placebo.needed
            return (
                f"cannot tell: {span} was {direction} expected ({numbers}; p = {p_value:.3g}), but there are only {n} "
                f"of {whose} to compare the event with, and at least {need} are needed before its rank among them "
                f"could reach {LEVEL:g}: with so few, a result like this cannot be told from the series' usual ups "
                f"and downs.{tail}"
            )
        return (
            f"cannot tell: {span} was {direction} expected ({numbers}; p = {p_value:.3g}), but results as unusual "
            f"are common in the series' own history: among {n} of {whose} the event is not among the most unusual "
            f"{pct(LEVEL)}, so the difference is not evidence of the event.{tail}"
        )
    if not math.isfinite(mde) or mde > 10:
        return (
            f"cannot tell: the baseline expects about {count(expected)} in {span}, so only a rise of more than "
            f"tenfold would be detected at 80% power with {frequency} data — {numbers}.{tail}"
        )
    if mde > diluted:
        return (
            f"cannot tell: with {frequency} data this test could only detect changes of at least {pct(mde)}; "
            f"{effect_text} — {numbers}.{tail}"
        )
    return (
        f"cannot tell: nothing unusual ({numbers}; p = {p_value:.3g}), but the ratio's 95% interval "
        f"({ratio_low:.2f}–{ratio_high:.2f}) does not rule out the effect looked for: {effect_text}.{tail}"
    )
