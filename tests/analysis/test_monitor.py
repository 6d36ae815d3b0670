"""The daily monitor: false alarms stay rare on null series of every misspecified scenario, planted rises
are found, a one-day burst never alarms alone, a day's result never changes when later days arrive, and bad
requests get a sentence. Seeded; the full sizes are in bench/monitor.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hotline_trends.analysis.monitor import MonitorSettings, complete_days, monitor
from hotline_trends.analysis.monitor_baseline import BaselineSettings, expected_counts, federal_holidays
from hotline_trends.analysis.monitor_cusum import calibrate, cusum, log_ratio
from hotline_trends.analysis.monitor_simulate import latent_ar1
from hotline_trends.analysis.monitor_synthetic import SCENARIOS, simulate_daily
from hotline_trends.analysis.monitor_words import HOTLINE, OWN, POLICE, series_caveat
from hotline_trends.errors import UserError

HISTORY = 365


def _start(data: pd.DataFrame, day: int = HISTORY) -> pd.Timestamp:
    return data["date"].iloc[day]


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_false_alarms_on_null_series_stay_rare_in_every_scenario(scenario):
    years, alarms = 3, 0
    for seed in range(years):
        data, truth = simulate_daily(scenario, days=2 * HISTORY, seed=700 + seed)
        assert truth["step_day"] is None
        alarms += len(monitor(data, start=_start(data)).alarms)
    # the target is <= 1 per 365 days (bench/monitor.py measures it on 60 series a scenario); EARS C2 on
    # the same series raises several a year
    assert alarms / years <= 1.5


@pytest.mark.parametrize("seed", range(4))
def test_a_planted_lasting_rise_is_flagged_within_days(seed):
    step = HISTORY + 30 + seed
    data, truth = simulate_daily("a", days=HISTORY + 90, step_day=step, seed=seed)
    result = monitor(data, start=_start(data))
    after = [a for a in result.alarms if a["date"] >= truth["step_date"]]
    delay = (pd.Timestamp(after[0]["date"]) - pd.Timestamp(truth["step_date"])).days
    assert delay <= 6
    first = after[0]
    assert first["observed"] > first["expected"] and "Alarm on" in first["reason"]


def test_a_one_day_burst_is_marked_but_never_alarms_alone():
    data, _ = simulate_daily("a", days=HISTORY + 40, seed=3, missing=0)
    day = HISTORY + 20
    data.loc[day, "count"] = 12 * data["count"].iloc[day - 7 : day].mean()
    result = monitor(data, start=_start(data))
    row = result.days.loc[result.days["date"] == data["date"].iloc[day]].iloc[0]
    assert row["burst"] and not row["alarm"]
    assert row["evidence"] == pytest.approx(result.threshold / 2)  # a day carries at most half an alarm


def test_a_days_result_never_changes_when_later_days_arrive():
    data, _ = simulate_daily("d", days=HISTORY + 60, step_day=HISTORY + 25, seed=11)
    start = _start(data)
    early = monitor(data.iloc[: HISTORY + 30], start=start).monitored
    later = monitor(data, start=start).monitored.iloc[: len(early)]
    columns = ["date", "count", "expected", "lower", "upper", "evidence", "alarm", "burst", "status"]
    pd.testing.assert_frame_equal(early[columns].reset_index(drop=True), later[columns].reset_index(drop=True))


def test_missing_days_are_missing_not_zero_and_zeros_are_counts():
    data, _ = simulate_daily("f", days=HISTORY + 28, seed=5)
    data.loc[HISTORY + 3, "count"] = np.nan
    data = data.drop(index=HISTORY + 5)  # a day without a row at all
    result = monitor(data, start=_start(data))
    monitored = result.monitored.set_index(result.monitored["date"].dt.strftime("%Y-%m-%d"))
    gone = [data["date"].iloc[HISTORY + 3].strftime("%Y-%m-%d"), "2023-01-06"]
    assert (monitored.loc[gone, "status"] == "missing").all()
    assert monitored["count"].eq(0).sum() > 10 and (monitored["expected"] < 1).all()
    assert "missing, not zero" in result.summary


def test_the_band_follows_the_weekday_pattern_and_holidays():
    data, _ = simulate_daily("c", days=3 * HISTORY, seed=2, missing=0)
    result = monitor(data, start=_start(data, 2 * HISTORY), settings=MonitorSettings(monitor_days=365))
    days = result.monitored
    by_day = days.groupby(days["date"].dt.day_of_week)["expected"].mean()
    assert by_day[5] > 1.4 * by_day[2]  # Saturday above Wednesday, as in the data (weekday 0.3)
    holiday = federal_holidays(pd.DatetimeIndex(days["date"]))
    ordinary = days.loc[~holiday & (days["date"].dt.day_of_week < 5), "expected"].mean()
    assert days.loc[holiday & (days["date"].dt.month.isin([5, 9, 10, 11])), "expected"].mean() < 0.8 * ordinary


def test_expectations_use_only_earlier_days_and_resist_bursts():
    days = pd.date_range("2024-01-01", periods=200)
    counts = np.full(200, 20.0)
    counts[150] = 500.0  # a burst must not lift the level of the weeks after it
    expected = expected_counts(counts, days, settings=BaselineSettings())
    assert np.isnan(expected.mu[:35]).all() and not np.isnan(expected.mu[35:]).any()
    assert expected.mu[158:].max() < 21 and expected.cleaned[150] < 40


def test_too_little_history_gets_a_sentence():
    data, _ = simulate_daily("a", days=80, seed=1)
    with pytest.raises(
        UserError,
        match=r"too little history to monitor tips from 2022-02-22: .* needs about 91 days .* there are 52 \(from 2022-01-01\)",
    ):
        monitor(data, label="tips")


@pytest.mark.parametrize(
    ("start", "message"),
    [("2030-01-01", "outside tips"), ("2021-01-01", "outside tips")],
)
def test_a_first_day_outside_the_series_is_refused(start, message):
    data, _ = simulate_daily("a", days=200, seed=1)
    with pytest.raises(UserError, match=message):
        monitor(data, start=start, label="tips")


def test_an_empty_series_is_refused():
    with pytest.raises(UserError, match="no daily counts"):
        monitor(pd.DataFrame({"date": pd.to_datetime([]), "count": []}), label="tips")


def test_complete_days_fills_the_calendar_with_missing_days():
    frame = complete_days(pd.DataFrame({"date": ["2024-01-03", "2024-01-01"], "count": [2, 0]}))
    assert frame["count"].tolist()[0] == 0 and np.isnan(frame["count"].iloc[1]) and len(frame) == 3


def test_log_ratio_matches_the_negative_binomial_likelihoods():
    from scipy import stats

    y, mu, alpha = np.array([0.0, 7.0, 60.0]), np.array([5.0, 5.0, 40.0]), np.array([0.3, 0.3, 0.02])
    size = 1 / alpha
    expected = stats.nbinom.logpmf(y, size, size / (size + 1.5 * mu)) - stats.nbinom.logpmf(y, size, size / (size + mu))
    np.testing.assert_allclose(log_ratio(y, mu, alpha, rise=0.5), expected, rtol=1e-10)
    poisson = stats.poisson.logpmf(y, 1.5 * mu) - stats.poisson.logpmf(y, mu)
    np.testing.assert_allclose(log_ratio(y, mu, np.zeros(3), rise=0.5), poisson, rtol=1e-10)


def test_cusum_resets_after_an_alarm_and_skips_missing_days():
    run = cusum(np.array([2.0, np.nan, 2.0, 2.0, -1.0, 9.0, 9.0]), threshold=5)
    assert run.alarm.tolist() == [False, False, False, True, False, False, True]
    assert run.value.tolist()[:3] == [2.0, 2.0, 4.0] and run.run_start[3] == 0 and run.run_start[6] == 5


def test_calibration_keeps_the_replayed_past_under_the_target_and_rises_with_correlation():
    rng = np.random.default_rng(1)
    independent = rng.normal(-0.5, 1.0, 400)
    smooth = np.convolve(rng.normal(-0.5, 1.0, 420), np.ones(8) / np.sqrt(8), mode="valid")[:400]
    a = calibrate(independent, alarms_per_year=0.5)
    b = calibrate(smooth, alarms_per_year=0.5)
    assert a.achieved <= 0.5 and b.achieved <= 0.5 and b.threshold > a.threshold
    assert a.reachable and a.replay_days == 400 and a.block_days == 28


def test_latent_ar1_reads_correlation_and_none_from_independent_days():
    rng = np.random.default_rng(4)
    assert latent_ar1(rng.normal(size=2000))[1] < 0.05
    z = np.zeros(3000)
    for i in range(1, 3000):
        z[i] = 0.8 * z[i - 1] + rng.normal()
    rho, share = latent_ar1(z / z.std() + rng.normal(size=3000))
    assert 0.7 <= rho <= 0.9 and 0.35 <= share <= 0.65


@pytest.mark.parametrize(
    ("dataset", "metric", "expected"),
    [
        ("police_incidents", "prostitution", POLICE),
        ("fbi_ucr_ht", "actual_total", POLICE),
        ("nhth", "signals", HOTLINE),
        ("my_tipline", "tips", HOTLINE),
        ("ad_counts", "ads", OWN),
    ],
)
def test_each_series_gets_the_caveat_of_what_it_measures(dataset, metric, expected):
    assert series_caveat(dataset, metric) == expected


def test_the_result_serialises_to_plain_json():
    import json

    data, _ = simulate_daily("d", days=200, seed=9)
    payload = monitor(data).to_dict()
    text = json.dumps(payload)
    assert "NaN" not in text and len(payload["days"]) == 28
    assert {"summary", "alarms", "threshold", "calibration", "method", "caveats"} <= set(payload)


def test_counts_after_months_of_zeros_can_alarm():
    days = pd.date_range("2023-01-01", periods=330)
    counts = np.zeros(330)
    counts[310:316] = 3.0  # a week with counts after ten months without any
    result = monitor(pd.DataFrame({"date": days, "count": counts}), start=days[300])
    assert result.alarms and "2023-11-07" <= result.alarms[0]["date"] <= "2023-11-12"
    assert (result.monitored["expected"] < 0.05).iloc[:10].all()


def test_a_long_past_sets_the_level_from_its_last_two_years_only():
    data, _ = simulate_daily("a", days=2000, seed=6)
    result = monitor(data)
    assert 650 <= result.calibration.replay_days <= 730


@pytest.mark.parametrize("scenario", ["a", "b", "c", "d", "e"])
def test_a_lasting_rise_at_40_a_day_is_flagged_in_every_scenario(scenario):
    past = 2 * HISTORY if scenario == "e" else HISTORY  # (e)'s level shift sits a year before monitoring
    delays = []
    for seed in range(3):
        step = past + 30 + 5 * seed
        data, truth = simulate_daily(scenario, days=step + 30, level=40.0, step_day=step, seed=900 + seed)
        result = monitor(data, start=_start(data, past))
        after = [a["date"] for a in result.alarms if a["date"] >= truth["step_date"]]
        delays.append((pd.Timestamp(after[0]) - pd.Timestamp(truth["step_date"])).days if after else 99)
    # bench/monitor.py measures the median on 60 series a scenario; three small series stay within a week
    assert sorted(delays)[1] <= 7


def test_the_step_rule_flags_a_jump_where_days_move_together():
    data, truth = simulate_daily("b", days=HISTORY + 60, level=40.0, step_day=HISTORY + 40, seed=5)
    result = monitor(data, start=_start(data))
    assert 0.5 <= result.step["rho"] <= 0.95 and result.step["level"] > 0
    first = next(a for a in result.alarms if a["date"] >= truth["step_date"])
    assert (pd.Timestamp(first["date"]) - pd.Timestamp(truth["step_date"])).days <= 4
    rules = {a["rule"] for a in result.alarms}
    assert rules <= {"step", "cusum"}
    steps = [a for a in result.alarms if a["rule"] == "step"]
    assert all("a jump to a higher level" in a["reason"] and a["days"] >= 2 for a in steps)


def test_the_step_level_keeps_simulated_years_under_its_share_of_the_target():
    from hotline_trends.analysis.monitor_jump import crossings, jump_level, jump_statistic

    rng = np.random.default_rng(3)
    resid = rng.normal(0, 0.2, (200, 365))
    statistic, since = jump_statistic(resid, np.full(resid.shape, 0.03), rho=0.5, sigma2=0.01, rise=0.5)
    level, achieved = jump_level(statistic, alarms_per_year=0.25)
    assert achieved <= 0.25 and crossings(statistic, level).sum() <= 50
    assert crossings(statistic, level * 0.9).sum() > crossings(statistic, level).sum()
    assert since.min() >= 1  # a candidate rise spans two days at least
