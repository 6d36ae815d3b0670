"""The verdict words and the plain sentence behind each.

- ``spike``: more than the baseline allows (two-sided mid-p < 0.05, observed above expected), in a window
  the event can account for: the event's days are at least half of the periods tested, or the test could
  detect the effect looked for.
- ``drop``: fewer than the baseline allows, in such a window. (Not a spike, but a change the data did
  show; calling it "no detectable change" would be false.)
- ``no detectable change``: within the expected range, and the test could have detected the effect looked
  for (+25% over the window's days, diluted to the data's granularity).
- ``cannot tell``: the smallest change the test could detect at 80% power is larger than that effect, so
  the data could not have shown it (never "no spike"); or a year or month did differ from its baseline
  but the event's days are too small a part of it for the difference to be the event's.
- ``insufficient data``: no test was possible; the reason says why.
"""

from __future__ import annotations

import math

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


def decide(*, p_value: float, ratio: float, mde: float, diluted: float, share: float, level: float = LEVEL) -> str:
    """The verdict for a tested window; ``share`` is the event's days over the days of the periods tested.

    Example:
        >>> decide(p_value=0.4, ratio=1.02, mde=0.18, diluted=0.0048, share=7 / 365)
        'cannot tell'
        >>> decide(p_value=0.001, ratio=1.4, mde=0.18, diluted=0.25, share=1.0)
        'spike'
        >>> decide(p_value=0.001, ratio=1.9, mde=0.7, diluted=0.0048, share=7 / 365)  # a year, not the event
        'cannot tell'
    """
    resolves = mde <= diluted
    if p_value < level and (resolves or share >= ATTRIBUTABLE_SHARE):
        return SPIKE if ratio > 1 else DROP
    return NO_CHANGE if resolves else CANNOT_TELL


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
) -> str:
    """One plain sentence saying what the verdict rests on."""
    frequency = frequency_word(kind)
    span = granularity_words(kind, n_periods)
    numbers = f"{count(observed)} observed vs {count(expected)} expected (95% interval {count(low)}–{count(high)})"
    ratio_text = f"ratio {ratio:.2f} (95% CI {ratio_low:.2f}–{ratio_high:.2f}), p = {p_value:.3g}"
    effect_text = f"a {window_days}-day +{pct(effect)} spike would change {span} by about {pct(diluted)}"
    if verdict == SPIKE:
        return f"spike: {numbers}; {ratio_text}."
    if verdict == DROP:
        return f"drop: fewer than expected, {numbers}; {ratio_text}."
    if verdict == NO_CHANGE:
        return (
            f"no detectable change: {numbers}; this test would detect a change of {pct(mde)} or more, "
            f"and {effect_text}."
        )
    if p_value < LEVEL:
        direction = "above" if ratio > 1 else "below"
        return (
            f"cannot tell: {span} was {direction} expected ({numbers}; p = {p_value:.3g}), but the "
            f"{window_days} days around the event are only {pct(diluted / effect)} of it: {effect_text}, and this "
            f"test can only detect changes of at least {pct(mde)}, so the difference cannot be attributed to the event."
        )
    if not math.isfinite(mde) or mde > 10:
        return (
            f"cannot tell: the baseline expects about {count(expected)} in {span}, so only a rise of more than "
            f"tenfold would be detected at 80% power with {frequency} data — {numbers}."
        )
    return (
        f"cannot tell: with {frequency} data this test could only detect changes of at least {pct(mde)}; "
        f"{effect_text} — {numbers}."
    )
