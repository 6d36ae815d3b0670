"""Validation against planted truth: calibration under the null, power for planted spikes, honest misses,
on series drawn from the model and on series that break it the ways real ones do (``synthetic.SCENARIOS``).

Quick, seeded versions run in ``make test``; the ``slow`` ones use more runs, and ``bench/study.py`` prints
the scenario table at full sizes (2,000 null series for (a), 500 for each other scenario and planted rise).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hotline_trends.analysis.event import analyse_event
from hotline_trends.analysis.eventplan import EventSpec
from hotline_trends.analysis.panel import Panel, grid
from hotline_trends.analysis.synthetic import evaluate, scenario, simulate
from hotline_trends.analysis.validation import ar1_oracle, score
from hotline_trends.analysis.windows import make_window

MONTHLY = {"kind": "month", "n_periods": 72, "level": (20, 200), "alpha": (0.01, 0.1), "margin_days": 60}
DAILY = {"kind": "day", "n_periods": 730, "margin_days": 120}


def _false_positive_rate(n: int, *, seed: int, config: dict) -> float:
    data, truth = simulate(n_regions=n, planted_share=0.0, seed=seed, **config)
    scored = evaluate(data, truth)
    assert (truth["effect"] == 0).all()
    return float(scored["significant"].mean())


def test_null_monthly_series_with_trend_and_seasonality_are_calibrated_quick():
    assert 0.02 <= _false_positive_rate(300, seed=21, config=MONTHLY) <= 0.10


def test_null_daily_series_are_calibrated_quick():
    assert 0.02 <= _false_positive_rate(150, seed=22, config=DAILY) <= 0.10


@pytest.mark.slow
def test_null_series_are_calibrated_within_3_to_7_percent():
    monthly = _false_positive_rate(2000, seed=23, config=MONTHLY)
    daily = _false_positive_rate(600, seed=24, config=DAILY)
    assert 0.03 <= monthly <= 0.07
    assert 0.03 <= daily <= 0.08  # 600 runs: a slightly wider band


def _scored(n: int, *, seed: int, level: tuple[float, float]):
    data, truth = simulate(n_regions=n, planted_share=0.5, level=level, seed=seed, **DAILY)
    return evaluate(data, truth)


def test_planted_week_long_spikes_on_national_scale_daily_series_are_found_quick():
    """Daily counts at the scale of the national hotline (about 80-140 signals a day in 2020-2023)."""
    scored = _scored(120, seed=31, level=(80, 140))
    planted, null = scored[scored["effect"] > 0], scored[scored["effect"] == 0]
    assert len(planted) > 30 and len(null) > 30
    recall = planted["detected"].mean()
    false_alarms = null["detected"].mean()
    precision = planted["detected"].sum() / max(scored["detected"].sum(), 1)
    assert recall >= 0.8
    assert false_alarms <= 0.1
    assert precision >= 0.85


@pytest.mark.slow
def test_planted_spikes_are_found_at_least_80_percent_of_the_time():
    scored = _scored(600, seed=32, level=(80, 140))
    assert scored.loc[scored["effect"] > 0, "detected"].mean() >= 0.8
    assert scored.loc[scored["effect"] == 0, "detected"].mean() <= 0.05


def test_on_state_scale_daily_series_a_missed_spike_is_cannot_tell_not_no_change():
    """About 6-12 signals a day (a large state): a +25% week is often below what the data can show."""
    scored = _scored(120, seed=33, level=(6, 12))
    missed = scored[(scored["effect"] > 0) & ~scored["detected"]]
    assert len(missed) > 10
    assert (missed["verdict"] == "cannot tell").mean() >= 0.9
    # "no detectable change" now means the ratio's interval rules the +25% out, which is right for a null
    # event well below its expectation; for a planted rise it is a false statement (the interval missed the
    # truth), which a 95% interval makes about 2.5% of the time
    planted = scored[scored["effect"] > 0]
    assert (planted["verdict"] == "no detectable change").mean() <= 0.05


# Seeded, moderate sizes: a null share this far from 5% would be a real miscalibration, not chance (the
# full-size table is in bench/study.py and the README).
@pytest.mark.parametrize("key", list("abcdef"))
def test_null_events_on_series_that_break_the_model_are_rarely_called(key):
    row = score(key, n_null=150, seed=300)
    assert row["null_called"] <= 0.09


@pytest.mark.parametrize("key", ["g", "h"])
def test_where_the_rules_allow_no_call_the_model_p_alone_never_makes_one(key):
    """(g) ten months give nine placebos (19 are needed) and a week is a quarter of a month; (h) a week is 2%
    of a year. Their model p-values fall below 0.05 more often than 5% (a Poisson fallback on overdispersed
    counts; a handful of years), and each such event is 'cannot tell' for one of those reasons."""
    scored = evaluate(*scenario(key, n_regions=200, seed=301))
    assert scored["significant"].mean() > 0.05
    assert not scored["verdict"].isin(["spike", "drop"]).any()
    assert scored.loc[scored["significant"], "rule"].isin(["few placebos", "diluted"]).all()


def test_a_poisson_baseline_never_calls_a_spike_on_its_p_value_alone():
    start = pd.Timestamp("2015-01-01")
    values = np.array([[12, 9, 15, 60, 11, 14, 8, 13, 10, 12.0]])  # April five times the rest
    panel = Panel("d", "m", "month", grid(start, start + pd.DateOffset(months=9), "month"), ["R0"], values,
                  {"R0": ["s"]}, "test")  # fmt: skip
    april = (pd.Timestamp("2015-04-01"), pd.Timestamp("2015-04-30"))
    spec = EventSpec(
        event_id="e", name="E", event_type="e", type_label="E", start=april[0], end=april[1], host="R0",
        host_label="R0", window=make_window(*april, days_before=0, days_after=0),
    )  # fmt: skip
    result = analyse_event(panel, spec)
    assert result.model["family"] == "Poisson" and result.p_value < 1e-6
    assert result.verdict == "cannot tell" and result.rule == "few placebos"
    assert "a Poisson baseline" in result.reason and "only 9 of the host's own months" in result.reason


@pytest.mark.parametrize(("key", "effect", "target"), [("a", 0.25, 0.8), ("c", 0.25, 0.7), ("d", 0.25, 0.7),
                                                        ("b", 0.6, 0.8), ("c", 0.6, 0.8), ("d", 0.6, 0.8)])  # fmt: skip
def test_planted_rises_at_national_scale_are_called_spike(key, effect, target):
    scored = evaluate(*scenario(key, n_regions=80, effect=effect, seed=302))
    assert scored["detected"].mean() >= target


def test_under_correlated_days_a_25_percent_week_is_often_missed_but_never_denied():
    """(b): the issue's 70% is not reached (about 45% at full size; see the README). A miss is 'cannot tell',
    or 'no detectable change' only as often as a 95% interval misses its truth."""
    scored = evaluate(*scenario("b", n_regions=80, effect=0.25, seed=303))
    assert 0.3 <= scored["detected"].mean() < 0.7
    assert (scored["verdict"] == "no detectable change").mean() <= 0.05


def test_sparse_series_whose_negative_binomial_fits_fail_all_get_a_poisson_baseline():
    """Sparse series (f) whose negative-binomial fits fail are refitted as Poisson, each on its own (a group
    stays in the fitting loop until all of it converges, so one that never did failed the others with it:
    R00209 and R00231 did before nbfit computed the information at every step, and the three others of this
    batch were then 'insufficient data' with them). Now every one of the five gets a baseline."""
    data, truth = scenario("f", n_regions=300, seed=200)
    hard = ["R00011", "R00059", "R00065", "R00209", "R00231"]
    data, truth = data[data["region"].isin(hard)], truth[truth["region"].isin(hard)]
    scored = evaluate(data, truth).set_index("region")
    assert (scored.loc[hard, "verdict"] != "insufficient data").all()


def test_under_correlated_days_even_a_test_told_the_truth_finds_a_25_percent_week_only_about_3_times_in_4():
    """(b)'s +25% target (70%): a test of the window's total that knows its exact variance finds about 58%
    (the README has the full-size figures); generalised least squares that also knows the correlation and
    reads the days around the window about 75%; the verdicts, which must estimate all of it, about 48%."""
    result = ar1_oracle(n=200, seed=3)
    assert 0.45 <= result["total"] <= 0.7
    assert 0.65 <= result["gls"] <= 0.85
    assert result["gls"] > result["total"] + 0.1
