"""The plain words of every verdict kind come from the result's own numbers and the rule that decided it."""

from __future__ import annotations

import re

import pytest

from hotline_trends.analysis.explain import explain, explain_study
from hotline_trends.analysis.explain_terms import TERMS
from hotline_trends.analysis.results import EventResult, StudyResult

WEEK_OF_YEAR = {"looked_for": 0.25, "days": 7, "at_granularity": 0.25 * 7 / 365, "period_days": 365}
WEEK_OF_WEEKS = {"looked_for": 0.25, "days": 7, "at_granularity": 0.25, "period_days": 7}
WORDS_NEVER_SHOWN = re.compile(r"\b(None|nan|NaN|inf)\b")


def _in_time(n: int, rank: int, *, direction: str = "up", unit: str = "7-day windows") -> dict:
    return {"n": n, "rank": rank, "of": n + 1, "p_value": rank / (n + 1), "direction": direction,
            "enough": n >= 19, "needed": 19, "unit": unit, "owner": "the host's own"}  # fmt: skip


def _result(verdict: str, rule: str | None, **numbers) -> EventResult:
    kind = numbers.pop("kind", "day")
    periods = [{"period_start": "2013-01-01", "period_end": "2013-12-31"}] if kind == "year" else [{}] * 7
    values = {"observed": 140.0, "expected": 100.0, "interval": [80.0, 122.0], "ratio": 1.4,
              "ratio_interval": [1.15, 1.7], "p_value": 0.001, "mde": 0.2,
              "effect": WEEK_OF_YEAR if kind == "year" else WEEK_OF_WEEKS,
              "placebo": {"rank": 1, "n": 54, "p_value": 0.018, "in_time": _in_time(40, 1)},
              "did": {"ratio": 1.3, "interval": [1.05, 1.6], "p_value": 0.01}}  # fmt: skip
    values.update(numbers)
    return EventResult(
        "e-2013", {"name": "E"}, "nhth", "cases", kind, "state", ["LA"], "LA", verdict, f"{verdict}: reason.",
        {"days": 7, "periods": periods}, rule=rule, **values,
    )  # fmt: skip


def _all_text(explanation) -> str:
    parts = [*explanation.why, *explanation.not_meaning, *explanation.settle, explanation.reconcile or ""]
    return " ".join(parts)


CASES = {
    "spike": (_result("spike", "called"), ["1.40", "ranks 1 of 41", "Three things agree"]),
    "drop": (
        _result(
            "drop",
            "called",
            observed=60.0,
            ratio=0.6,
            ratio_interval=[0.45, 0.8],
            placebo={"in_time": _in_time(40, 1, direction="down")},
        ),
        ["lower", "0.60", "fell"],
    ),  # fmt: skip
    "no detectable change": (
        _result(
            "no detectable change", "ruled out", observed=101.0, ratio=1.01, ratio_interval=[0.9, 1.12], p_value=0.8
        ),
        ["ends at 1.12", "does not prove"],
    ),  # fmt: skip
    "cannot tell, diluted": (
        _result(
            "cannot tell",
            "diluted",
            kind="year",
            observed=112.0,
            expected=59.2,
            ratio=1.89,
            ratio_interval=[1.33, 2.73],
            p_value=0.00044,
            mde=0.7,
        ),
        ["The year 2013 was higher", "only 1.9% of the year 2013", "about 0.5%", "cannot be pinned on the event"],
    ),  # fmt: skip
    "cannot tell, few placebos": (
        _result("cannot tell", "few placebos", placebo={"rank": 1, "n": 6, "p_value": 0.14, "in_time": _in_time(6, 1)}),
        ["ranks 1 of 7", "at least 19 windows are needed"],
    ),  # fmt: skip
    "cannot tell, placebos disagree": (
        _result(
            "cannot tell",
            "placebos disagree",
            placebo={"rank": 9, "n": 40, "p_value": 0.22, "in_time": _in_time(40, 9)},
        ),
        ["ranks 9 of 41", "common in the series' own history"],
    ),  # fmt: skip
    "cannot tell, not ruled out (underpowered)": (
        _result(
            "cannot tell",
            "not ruled out",
            kind="year",
            p_value=0.3,
            mde=0.4,
            ratio=1.1,
            ratio_interval=[0.8, 1.5],
            did={"ratio": 1.0, "p_value": 0.6},
            placebo={},
        ),
        ["at least 40%", "gone unseen"],
    ),  # fmt: skip
    "cannot tell, not ruled out (interval too wide)": (
        _result(
            "cannot tell",
            "not ruled out",
            p_value=0.3,
            mde=0.1,
            ratio=1.1,
            ratio_interval=[0.9, 1.4],
            did=None,
            placebo={},
        ),
        ["reaches 1.40", "does not rule that out"],
    ),  # fmt: skip
    "insufficient data": (
        EventResult(
            "e",
            {},
            "fbi_ucr_ht",
            "actual_total",
            None,
            "state",
            [],
            "LA",
            "insufficient data",
            "insufficient data: no month value covers the window.",
            {"days": 7},
        ),
        ["No test was possible: no month value covers the window.", "enforcement"],
    ),  # fmt: skip
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_verdict_kind_is_explained_from_its_own_numbers(case):
    result, expected = CASES[case]
    explanation = explain(result, place="Louisiana")
    text = _all_text(explanation)
    for words in expected:
        assert words in text, f"{case}: {words!r} not in {text!r}"
    assert explanation.why and explanation.not_meaning and explanation.settle
    assert not WORDS_NEVER_SHOWN.search(text), text
    assert explanation.verdict == result.verdict


def test_the_reconcile_box_explains_strong_numbers_beside_cannot_tell():
    result, _ = CASES["cannot tell, diluted"]
    box = explain(result, place="Louisiana").reconcile
    assert box is not None
    for words in ("p = 0.00044", "p = 0.01", "rank 1 of 55 among all placebos", "in Louisiana",
                  "(1.9%; at least 50% is needed)", "rank 1 of 41"):  # fmt: skip
        assert words in box, words


@pytest.mark.parametrize("case", ["spike", "drop", "insufficient data", "cannot tell, not ruled out (underpowered)"])
def test_no_reconcile_box_where_nothing_looks_contradictory(case):
    assert explain(CASES[case][0]).reconcile is None


def test_a_result_without_its_rule_gets_the_rule_its_numbers_imply():
    result, _ = CASES["cannot tell, diluted"]
    result.rule = None
    assert "cannot be pinned on the event" in " ".join(explain(result).why)


def test_the_glossary_defines_every_word_in_one_line():
    explanation = explain(CASES["spike"][0])
    assert {"mid-p", "α (alpha)", "difference in differences", "placebo rank", "dispersion", "autocorrelation"} <= set(
        explanation.terms
    )
    assert all("\n" not in d and d.endswith(".") for d in TERMS.values())
    study = explain_study(_study())
    assert {"q-value", "Benjamini–Hochberg"} <= set(study.terms)


def _study() -> StudyResult:
    pooled = {"n_events": 2, "observed": 210.0, "expected": 200.0, "ratio": 1.05, "ratio_interval": [0.9, 1.2],
              "p_value": 0.5, "mde": 0.3, "effect": WEEK_OF_YEAR, "in_time": _in_time(99, 40), "rule": "not ruled out"}  # fmt: skip
    events = [CASES["spike"][0], CASES["insufficient data"][0], CASES["cannot tell, diluted"][0]]
    return StudyResult("t", "Type", "nhth", "cases", events, pooled, [], "cannot tell", "cannot tell: x.", [], "", [])


def test_a_pooled_verdict_says_how_many_events_were_added_together():
    explanation = explain_study(_study())
    assert explanation.why[0] == "2 of 3 events could be tested and are added together here."
    assert "at least 30%" in explanation.why[1]
    assert not any("Event types page" in s for s in explanation.settle)
    assert not WORDS_NEVER_SHOWN.search(_all_text(explanation))
