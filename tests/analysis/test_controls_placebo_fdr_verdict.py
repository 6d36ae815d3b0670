"""Difference in differences worked by hand, control choice, placebo ranks, q-values and verdict words."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from hotline_trends.analysis.controls import choose_controls, did
from hotline_trends.analysis.fdr import bh_qvalues
from hotline_trends.analysis.intime import rank_in_time
from hotline_trends.analysis.placebo import summarise
from hotline_trends.analysis.verdict import Evidence, decide, judge, reason_for

# A tiny table: 4 comparison periods, then the event period.
HOST = np.array([10, 12, 8, 10, 15.0])
CONTROL_A = np.array([20, 22, 18, 20, 22.0])
CONTROL_B = np.array([5, 5, 5, 5, 5.0])
COMPARISON = np.array([True, True, True, True, False])


def test_difference_in_differences_worked_by_hand():
    # host: 15 in the window vs 40/4 = 10 per comparison period -> 1.5
    # A: 22 vs 80/4 = 20 -> 1.1; B: 5 vs 5 -> 1.0; index with weights 0.5/0.5 = 1.05
    # DiD = 1.5 / 1.05 = 1.428571...
    result = did(
        HOST, np.vstack([CONTROL_A, CONTROL_B]), np.array([0.5, 0.5]), comparison=COMPARISON, window=~COMPARISON
    )
    assert result.host_ratio == pytest.approx(1.5)
    assert result.control_ratios.tolist() == pytest.approx([1.1, 1.0])
    assert result.control_index == pytest.approx(1.05)
    assert result.ratio == pytest.approx(1.5 / 1.05)
    # Poisson delta method: var log host ratio = 1/15 + 1/40; var index = .25*1.1^2*(1/22+1/80) + .25*1*(1/5+1/20)
    var_index = 0.25 * 1.1**2 * (1 / 22 + 1 / 80) + 0.25 * (1 / 5 + 1 / 20)
    se = np.sqrt(1 / 15 + 1 / 40 + var_index / 1.05**2)
    assert result.low == pytest.approx(1.5 / 1.05 * np.exp(-1.959964 * se), rel=1e-6)
    assert result.high == pytest.approx(1.5 / 1.05 * np.exp(1.959964 * se), rel=1e-6)


def test_overdispersion_widens_the_did_interval():
    narrow = did(HOST, CONTROL_A[None, :], np.array([1.0]), comparison=COMPARISON, window=~COMPARISON)
    wide = did(
        HOST,
        CONTROL_A[None, :],
        np.array([1.0]),
        comparison=COMPARISON,
        window=~COMPARISON,
        host_alpha=0.1,
        control_alphas=np.array([0.1]),
    )
    assert wide.ratio == narrow.ratio
    assert wide.high - wide.low > narrow.high - narrow.low


def test_controls_are_the_best_correlated_complete_regions_weighted_by_correlation():
    rng = np.random.default_rng(3)
    host = 50 + 10 * np.sin(np.arange(13))
    similar = host * 2 + rng.normal(0, 1, 13)
    unrelated = 50 + rng.normal(0, 10, 13)
    gappy = similar.copy()
    gappy[3] = np.nan
    values = np.vstack([host, similar, unrelated, gappy])
    comparison = np.arange(13) < 12
    result = choose_controls(
        values, host=0, comparison=comparison, window=~comparison, candidates=np.array([1, 2, 3]), k=1
    )
    assert result.rows.tolist() == [1]
    assert result.weights.tolist() == [1.0]
    assert "best correlated" in result.rule


def test_named_controls_get_equal_weights_and_few_periods_mean_all_complete_regions():
    values = np.vstack([HOST, CONTROL_A, CONTROL_B])
    named = choose_controls(
        values, host=0, comparison=COMPARISON, window=~COMPARISON, candidates=np.array([1, 2]), named=np.array([2, 1])
    )
    assert named.rows.tolist() == [2, 1] and named.weights.tolist() == [0.5, 0.5]
    auto = choose_controls(values, host=0, comparison=COMPARISON, window=~COMPARISON, candidates=np.array([1, 2]))
    assert auto.rows.tolist() == [1, 2] and "too few to pick controls by correlation" in auto.rule


def test_placebo_p_value_and_rank():
    placebos = [{"z": z} for z in (0.1, -0.5, 2.5, 1.0)]
    result = summarise(2.0, placebos)
    assert (result.p_value, result.rank, result.n) == (2 / 5, 2, 4)
    assert summarise(1.0, []).p_value is None


def test_q_values_equal_statsmodels_benjamini_hochberg():
    p = np.array([0.001, 0.2, 0.03, 0.04, 0.5, 0.012])
    result = bh_qvalues(p)
    expected = multipletests(p, method="fdr_bh")[1]
    np.testing.assert_allclose(result, expected)
    with_missing = bh_qvalues([0.01, None, 0.04])
    assert np.isnan(with_missing[1]) and with_missing[2] == pytest.approx(0.04)


# The event among 39 of its host's own windows: the most unusual above or below (two-sided empirical p
# 0.025), a middling one, or the most unusual of only 16 (too few to reach 0.05).
FIRST_OF_40 = rank_in_time(3.0, np.linspace(-2, 2, 39), level=0.05, unit="7-day windows")
LAST_OF_40 = rank_in_time(-3.0, np.linspace(-2, 2, 39), level=0.05, unit="7-day windows")
MIDDLING = rank_in_time(1.0, np.linspace(-2, 2, 39), level=0.05, unit="7-day windows")
FIRST_OF_16 = rank_in_time(3.0, np.linspace(-2, 2, 15), level=0.05, unit="7-day windows")


# The cases of the old two-argument rule keep their verdicts once the host's own windows agree (a spike or
# drop now also needs them) and the ratio's interval is given (no detectable change now needs it to rule
# the effect out); the later cases are the new rules.
@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"p_value": 0.01, "ratio": 1.3, "ratio_high": 1.6, "diluted": 0.25, "share": 1.0, "in_time": FIRST_OF_40},
            "spike",
        ),
        (
            {"p_value": 0.01, "ratio": 0.7, "ratio_high": 0.9, "diluted": 0.25, "share": 1.0, "in_time": LAST_OF_40},
            "drop",
        ),
        (
            {"p_value": 0.4, "ratio": 1.05, "ratio_high": 1.2, "diluted": 0.25, "share": 1.0, "in_time": MIDDLING},
            "no detectable change",
        ),
        (
            {"p_value": 0.4, "ratio": 1.05, "ratio_high": 1.35, "diluted": 0.25, "share": 1.0, "in_time": MIDDLING},
            "cannot tell",
        ),
        (
            {
                "p_value": 0.001,
                "ratio": 1.9,
                "ratio_high": 2.3,
                "diluted": 0.005,
                "share": 0.02,
                "in_time": FIRST_OF_40,
            },
            "cannot tell",
        ),
        # the new rules: too few placebos, placebos that do not rank it, the other direction, a Poisson baseline
        (
            {"p_value": 0.001, "ratio": 1.5, "ratio_high": 1.8, "diluted": 0.25, "share": 1.0, "in_time": FIRST_OF_16},
            "cannot tell",
        ),
        (
            {"p_value": 0.001, "ratio": 1.5, "ratio_high": 1.8, "diluted": 0.25, "share": 1.0, "in_time": MIDDLING},
            "cannot tell",
        ),
        (
            {"p_value": 0.001, "ratio": 1.5, "ratio_high": 1.8, "diluted": 0.25, "share": 1.0, "in_time": LAST_OF_40},
            "cannot tell",
        ),
        (
            {
                "p_value": 0.001,
                "ratio": 1.5,
                "ratio_high": 1.8,
                "diluted": 0.25,
                "share": 1.0,
                "in_time": None,
                "poisson": True,
            },
            "cannot tell",
        ),
        (
            {"p_value": 1e-9, "ratio": 1.5, "ratio_high": 1.8, "diluted": 0.25, "share": 0.49, "in_time": FIRST_OF_40},
            "cannot tell",
        ),
        # no detectable change needs the interval to rule the effect out, whatever the test's power
        (
            {"p_value": 0.6, "ratio": 0.99, "ratio_high": 1.26, "diluted": 0.25, "share": 1.0, "in_time": MIDDLING},
            "cannot tell",
        ),
        (
            {"p_value": 0.6, "ratio": 0.99, "ratio_high": 1.24, "diluted": 0.25, "share": 1.0, "in_time": None},
            "no detectable change",
        ),
    ],
)
def test_verdicts(kwargs, expected):
    assert decide(**kwargs) == expected


def test_every_reason_names_what_it_rests_on():
    evidence = Evidence(0.003, 1.4, 1.7, 0.25, 1.0, FIRST_OF_40)
    verdict, why = judge(evidence)
    result = reason_for(
        verdict, kind="day", n_periods=7, observed=140, expected=100, low=82, high=119, ratio=1.4, ratio_low=1.15,
        ratio_high=1.7, p_value=0.003, mde=0.18, diluted=0.25, window_days=7, evidence=evidence, why=why,
    )  # fmt: skip
    assert result.startswith("spike: 140 observed vs 100 expected")
    assert result.endswith(
        "Rests on: model p 0.003; the event is the 1st most unusual of 40 with the host's own 7-day windows "
        "(empirical p 0.025); checks passed."
    )
    few = Evidence(0.003, 1.4, 1.7, 0.25, 1.0, FIRST_OF_16, poisson=True, checks_failed=["lag-1 autocorrelation"])
    verdict, why = judge(few)
    result = reason_for(
        verdict, kind="day", n_periods=7, observed=140, expected=100, low=82, high=119, ratio=1.4, ratio_low=1.15,
        ratio_high=1.7, p_value=0.003, mde=0.18, diluted=0.25, window_days=7, evidence=few, why=why,
    )  # fmt: skip
    assert verdict == "cannot tell" and "only 15 of the host's own 7-day windows" in result
    assert "at least 19 are needed" in result and "a Poisson baseline" in result
    assert "checks failed: lag-1 autocorrelation" in result


def test_a_cannot_tell_reason_names_the_detectable_change_and_the_diluted_effect():
    result = reason_for(
        "cannot tell", kind="year", n_periods=1, observed=104, expected=100, low=80, high=121, ratio=1.04,
        ratio_low=0.8, ratio_high=1.3, p_value=0.7, mde=0.18, diluted=0.25 * 7 / 365, window_days=7,
    )  # fmt: skip
    assert result.startswith("cannot tell: with annual data this test could only detect changes of at least 18%")
    assert "a 7-day +25% spike would change the year by about 0.5%" in result
