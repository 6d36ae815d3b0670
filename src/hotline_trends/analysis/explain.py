"""What a verdict means, in plain words: why this verdict, what it does not mean, what would settle it.

Generated from the result object alone (``EventResult`` or a ``StudyResult``'s pooled result), so every event
and every series gets words that match its own numbers and the rule that decided (``verdict.judge``). The
page shows ``Explanation``; nothing here is written for one event.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from hotline_trends.analysis.explain_terms import EVENT_TERMS, STUDY_TERMS, glossary
from hotline_trends.analysis.results import EventResult, StudyResult
from hotline_trends.analysis.verdict import (
    CALLED,
    DILUTED,
    DROP,
    FEW_PLACEBOS,
    INSUFFICIENT,
    LEVEL,
    NO_CHANGE,
    NOT_RULED_OUT,
    PLACEBOS_DISAGREE,
    RULED_OUT,
    SPIKE,
    count,
    granularity_words,
    pct,
)

RESEARCH_LINK = "methods?section=research"  # the Methods page's research section, relative to the app's root


@dataclass(frozen=True)
class Explanation:
    """Plain sentences for one verdict; ``reconcile`` is set when strong-looking numbers sit beside a verdict
    that is not a spike or a drop, and says why they do not contradict it."""

    verdict: str
    why: list[str]
    not_meaning: list[str]
    settle: list[str]
    reconcile: str | None = None
    terms: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Facts:
    verdict: str
    rule: str | None
    dataset: str
    span: str  # "the year", "the 2 months it touches", "the periods tested"
    observed: float | None
    expected: float | None
    ratio: float | None
    ratio_high: float | None
    p_value: float | None
    mde: float | None
    effect: dict
    in_time: dict
    reason: str
    place: str = "the host region"


def _span(kind: str, periods: list[dict]) -> str:
    """'the year 2013', 'the 2 months it touches', ..."""
    words = granularity_words(kind, max(1, len(periods)))
    if kind == "year" and len(periods) == 1 and periods[0].get("period_start"):
        return f"{words} {str(periods[0]['period_start'])[:4]}"
    return words


def _facts(result: EventResult, place: str | None = None) -> _Facts:
    periods = (result.window or {}).get("periods") or []
    span = _span(result.frequency or "period", periods)
    high = result.ratio_interval[1] if result.ratio_interval else None
    return _Facts(
        result.verdict, result.rule, result.dataset, span, result.observed, result.expected, result.ratio, high,
        result.p_value, result.mde, result.effect or {}, (result.placebo or {}).get("in_time") or {}, result.reason,
        place or result.host,
    )  # fmt: skip


def _study_facts(study: StudyResult) -> _Facts:
    p = study.pooled or {}
    high = (p.get("ratio_interval") or [None, None])[1]
    return _Facts(
        study.verdict, p.get("rule"), study.dataset, "the hosts' periods the events touch", p.get("observed"),
        p.get("expected"), p.get("ratio"), high, p.get("p_value"), p.get("mde"), p.get("effect") or {},
        p.get("in_time") or {}, study.reason,
    )  # fmt: skip


def _rule(f: _Facts) -> str | None:
    """The deciding rule; results made without one get the rule their numbers imply."""
    if f.rule or f.verdict == INSUFFICIENT:
        return f.rule
    if f.verdict in (SPIKE, DROP):
        return CALLED
    if f.verdict == NO_CHANGE:
        return RULED_OUT
    return DILUTED if (f.p_value is not None and f.p_value < LEVEL) else NOT_RULED_OUT


def _measures(dataset: str) -> str:
    if dataset == "nhth":
        return (
            "Hotline counts measure help-seeking (who contacted the hotline, which rises with awareness and "
            "promotion), not how much trafficking occurs."
        )
    if dataset.startswith(("fbi", "police")):
        return (
            "Police counts measure enforcement: one sting before an event is a burst of arrests, and fewer "
            "reports can mean fewer officers on the case, not less trafficking."
        )
    return "The counts measure what their source counted (see its description on the Data & sources page)."


def _was(span: str) -> str:
    """'was' for one period, 'were' for several ('those 7 days', 'the 2 months it touches')."""
    several = span.startswith("those") or span.split(" ")[1:2] != [] and span.split(" ")[1].isdigit()
    return "were" if several or "periods" in span else "was"


def _what_happened(f: _Facts) -> str:
    direction = "higher" if (f.ratio or 1.0) > 1 else "lower"
    return (
        f"{f.span.capitalize()} {_was(f.span)} {direction} than the host's own history predicts: {count(f.observed)} "
        f"against about {count(f.expected)} (observed / expected {f.ratio:.2f}, p = {f.p_value:.2g})."
    )


def _placebo_words(t: dict) -> str:
    if not t.get("n"):
        return "there was no other window of the host to compare it with"
    if t.get("rank") is None:
        return f"it could not be ranked among {t['owner']} {t['n']} other {t['unit']}"
    return (
        f"among {t['owner']} {t['unit']} it ranks {t['rank']} of {t['of']} (1 = the most unusual; "
        f"empirical p = {t['p_value']:.2g})"
    )


def _why(f: _Facts, rule: str | None) -> list[str]:
    looked, days = f.effect.get("looked_for", 0.25), f.effect.get("days")
    diluted = f.effect.get("at_granularity")
    share = diluted / looked if diluted and looked else None
    t = f.in_time
    if f.verdict == INSUFFICIENT or f.observed is None:
        return [f"No test was possible: {f.reason.removeprefix('insufficient data: ')}"]
    if rule == CALLED:
        return [
            _what_happened(f),
            f"Three things agree, which is what '{f.verdict}' needs: the model finds a difference this large "
            f"unlikely by chance; {_placebo_words(t)}; and the event's days are {pct(share)} of the periods tested.",
        ]
    if rule == RULED_OUT:
        return [
            f"Nothing unusual: {count(f.observed)} against about {count(f.expected)} expected. The ratio's 95% "
            f"interval ends at {f.ratio_high:.2f}, below the {1 + diluted:.3f} that a {days}-day rise of "
            f"+{pct(looked)} would have made {f.span}, so a rise that large would most likely have shown."
        ]
    if rule == DILUTED:
        return [
            _what_happened(f),
            f"But the {days} days around the event are only {pct(share)} of {f.span}: even a +{pct(looked)} rise "
            f"on those days would move {f.span} by about {pct(diluted)}. It was {pct(abs(f.ratio - 1))} "
            f"{'above' if f.ratio > 1 else 'below'} expected, far more than the event's days could make, so it comes from the rest of "
            f"{f.span} (or a baseline that missed a trend), and it cannot be pinned on the event.",
        ]
    if rule == FEW_PLACEBOS:
        return [
            _what_happened(f),
            f"But {_placebo_words(t)}, and at least {t.get('needed', 19)} windows are needed before the event "
            f"could stand out at {LEVEL:g}: with so few, a result like this cannot be told from the series' "
            "usual ups and downs.",
        ]
    if rule == PLACEBOS_DISAGREE:
        return [
            _what_happened(f),
            f"But {_placebo_words(t)}: differences this large are common in the series' own history, so this "
            "one is not evidence of the event.",
        ]
    if f.mde is None or not math.isfinite(f.mde) or f.mde > 10:
        power = "only a more than tenfold rise would have been detected"
    elif f.mde > (diluted or 0):
        power = f"the test could only detect changes of at least {pct(f.mde)}"
    else:
        power = f"the ratio's 95% interval reaches {f.ratio_high:.2f}, which does not rule that out"
    return [
        f"Nothing unusual showed ({count(f.observed)} against about {count(f.expected)}, p = {f.p_value:.2g}), but "
        f"that is weak evidence: a {days}-day +{pct(looked)} rise would move {f.span} by about {pct(diluted)}, "
        f"and {power}. A real rise of that size would most likely have gone unseen."
    ]


def _not_meaning(f: _Facts) -> list[str]:
    if f.verdict in (SPIKE, DROP):
        first = (
            f"It does not show that trafficking {'rose' if f.verdict == SPIKE else 'fell'}, nor that the event "
            "caused the change: something else in the same period (a campaign, a new law, a police operation) "
            "could have."
        )
    elif f.verdict == NO_CHANGE:
        first = (
            "It does not prove the event had no effect: a smaller or more local rise could hide in these counts. "
            "It says a rise of the size looked for would most likely have shown."
        )
    else:
        first = (
            "It does not mean there was no spike, and it does not mean there was one: these data cannot say either way."
        )
    return [first, _measures(f.dataset)]


def _settle(f: _Facts, rule: str | None) -> list[str]:
    finer = (
        "Daily or weekly counts for the host city around the event and the same weeks of other years (police "
        "reports, a task force's tip-line log, counts of online ads): with 19 or more comparable weeks the "
        "event's week can stand out on its own. The Data & sources page takes such a file."
    )
    pooled = "Many events of the same type pooled (the Event types page), so small effects can add up."
    if f.verdict in (SPIKE, DROP):
        return [
            "The same result at other events of this type (Event types page), and a check of what else happened "
            "in the host region then.",
            finer,
        ]
    if rule == PLACEBOS_DISAGREE:
        return [pooled, finer]
    return [finer, pooled]


def _reconcile(result: EventResult, place: str | None) -> str | None:
    """Why a small p-value, a DiD or a placebo rank does not contradict a verdict that is not a spike or drop."""
    if result.verdict in (SPIKE, DROP, INSUFFICIENT) or result.p_value is None:
        return None
    did, placebo = result.did or {}, result.placebo or {}
    strong = []
    if result.p_value < LEVEL:
        strong.append(f"the model's p = {result.p_value:.2g}")
    if did.get("p_value") is not None and did["p_value"] < LEVEL:
        strong.append(f"the difference in differences' p = {did['p_value']:.2g}")
    if placebo.get("rank") and placebo.get("p_value") is not None and placebo["p_value"] <= LEVEL:
        strong.append(f"rank {placebo['rank']} of {placebo['n'] + 1} among all placebos")
    if not strong:
        return None
    f = _facts(result, place)
    t = f.in_time
    diluted, looked = f.effect.get("at_granularity"), f.effect.get("looked_for", 0.25)
    share = pct(diluted / looked) if diluted and looked else "an unknown share"
    rank = (
        f"rank {t['rank']} of {t['of']} (empirical p = {t['p_value']:.2g}; at least {t.get('needed', 19)} windows "
        "are needed to reach 0.05)"
        if t.get("rank")
        else "no rank (too few windows)"
    )
    return (
        f"{', '.join(strong).capitalize()}: these do not contradict '{result.verdict}'. They all say that "
        f"{f.span} in {f.place} {_was(f.span)} unusual — against its own trend, against control regions, against other "
        "regions in the same period. They cannot say when within that period the difference arose. The "
        "verdict asks whether it was the event, and rests on two things these numbers do not show: the share of "
        f"the tested periods that the event's days make up ({share}; at least 50% is needed) and the event's "
        f"place among the host's own other {t.get('unit', 'windows')} (the in-time placebos): {rank}. The rank "
        "among all placebos mixes in other regions on the same dates, which shows the host was unusual that "
        "period, not why."
    )


def explain(result: EventResult, *, place: str | None = None) -> Explanation:
    """Plain words for one event's verdict; ``place`` names the host (its code when not given).

    Example:
        >>> from hotline_trends.analysis.results import EventResult
        >>> r = EventResult("e", {}, "nhth", "cases", None, "state", [], "FL", "insufficient data",
        ...                 "insufficient data: no value covers the window.", {"days": 7})
        >>> explain(r).why
        ['No test was possible: no value covers the window.']
    """
    f = _facts(result, place)
    rule = _rule(f)
    return Explanation(
        f.verdict, _why(f, rule), _not_meaning(f), _settle(f, rule), _reconcile(result, place), glossary(EVENT_TERMS)
    )


def explain_study(study: StudyResult) -> Explanation:
    """Plain words for a pooled verdict over every event of a type."""
    f = _study_facts(study)
    rule = _rule(f)
    tested = (study.pooled or {}).get("n_events") or 0
    why = _why(f, rule) if f.observed is not None else [f"No event could be tested: {study.reason}"]
    why.insert(0, f"{tested} of {len(study.events)} events could be tested and are added together here.")
    settle = [s for s in _settle(f, rule) if "Event types page" not in s] + [
        "More events of this type with finer data: each one that can be tested narrows the pooled interval."
    ]
    return Explanation(f.verdict, why, _not_meaning(f), settle, None, glossary(STUDY_TERMS))
