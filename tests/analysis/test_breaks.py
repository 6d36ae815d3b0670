"""The registered breaks apply where they should and nowhere else; a level shift the registry does not
know is found in a daily baseline and the baseline kept to the event's side of it."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from hotline_trends.analysis.breaks import BREAKS, SHIFT_BLOCK, Shift, breaks_for, find_shift, shift_side
from hotline_trends.analysis.event import analyse_event
from hotline_trends.analysis.panel import panel_from_regions
from hotline_trends.analysis.synthetic import SCENARIOS, simulate, specs

SHIFTED = {k: v for k, v in SCENARIOS["e"].config.items() if k != "level_shift"}


@pytest.mark.parametrize(
    ("dataset", "start", "end", "rates", "expected"),
    [
        ("nhth", date(2012, 1, 1), date(2016, 12, 31), False, []),
        ("nhth", date(2012, 1, 1), date(2024, 12, 31), False, ["nhth-calls-to-signals-2017"]),
        (
            "nhth",
            date(2012, 1, 1),
            date(2024, 12, 31),
            True,
            ["nhth-calls-to-signals-2017", "census-vintage-2019-2020"],
        ),
        ("nhth", date(2024, 1, 1), date(2026, 6, 30), False, ["nhth-operator-change-2025-09-22"]),
        ("fbi_ucr_ht", date(2013, 1, 1), date(2020, 12, 31), False, []),
        ("fbi_ucr_ht", date(2013, 1, 1), date(2020, 12, 31), True, ["census-vintage-2019-2020"]),
    ],
)
def test_breaks_inside_a_span(dataset, start, end, rates, expected):
    result = [b.break_id for b in breaks_for(dataset=dataset, metric="cases", start=start, end=end, rates=rates)]
    assert result == expected


def test_every_break_says_where_it_is_documented():
    assert all(b.basis and b.description and b.title for b in BREAKS)


# A level shift the registry does not know (a reporting change), found in a daily baseline's residuals.


def _ar1(rng, n: int, rho: float) -> np.ndarray:
    x = np.empty(n)
    x[0] = rng.normal()
    for t in range(1, n):
        x[t] = rho * x[t - 1] + rng.normal(0.0, np.sqrt(1 - rho * rho))
    return x


@pytest.mark.parametrize("rho", [0.0, 0.8])
def test_a_shift_is_rarely_found_where_there_is_none_even_when_days_are_correlated(rho):
    rng = np.random.default_rng(41)
    used = np.ones(840, bool)
    found = [find_shift(_ar1(rng, 840, rho), used) is not None for _ in range(400)]
    # Andrews' asymptotic 1% value: about 2% with these 30 blocks of 28 days (nearly independent blocks even
    # when the days are correlated); in the residuals of fitted baselines, with their trend taken out, fewer
    assert np.mean(found) <= 0.03


def test_a_shift_is_found_and_placed_within_two_blocks():
    """A shift of 1 (Pearson units: a 17% step at 100 a day with the dispersion of scenario (a)) is about three
    standard deviations of a block's mean residual here."""
    rng = np.random.default_rng(42)
    found, placed = [], []
    for _ in range(200):
        at = int(rng.integers(100, 740))
        r = _ar1(rng, 840, 0.5)
        r[at:] += rng.choice([-1.0, 1.0])
        used = rng.random(840) > 0.05  # a few days missing or left out as bursts
        shift = find_shift(r, used)
        found.append(shift is not None)
        placed.append(shift is not None and abs(shift.at - at) <= 2 * SHIFT_BLOCK)
    assert np.mean(found) >= 0.98 and np.mean(placed) >= 0.95


def test_too_short_a_baseline_is_not_looked_at():
    r = np.r_[np.zeros(200), np.full(200, 5.0)]
    assert find_shift(r, np.ones(400, bool)) is None  # 14 blocks: fewer than SHIFT_MIN_BLOCKS


def _days(n: int) -> pd.DataFrame:
    start = pd.Series(pd.date_range("2015-01-01", periods=n, freq="D"))
    return pd.DataFrame({"period_start": start, "period_end": start})


@pytest.mark.parametrize(
    ("window", "at", "kept"),
    [((700, 707), 308, "after"), ((100, 107), 504, "before"), ((300, 310), 308, None), ((800, 807), 600, "short")],
)
def test_the_baseline_keeps_the_event_s_side_of_a_found_shift_when_that_side_holds_a_year(window, at, kept):
    n = 900
    target = np.zeros(n, bool)
    target[window[0] : window[1]] = True
    used = ~target
    shift = Shift(at=at, wald=40.0, size=0.5)
    keep, record = shift_side(shift, target, used, _days(n))
    assert record["break_id"] == "found-level-shift" and record["title"] and record["basis"]
    if kept is None or kept == "short":
        assert keep is None and record["action"].startswith("not applied")
        assert "periods_dropped" not in record
    else:
        assert keep[window[0]] and (keep[: shift.at].all() if kept == "before" else keep[shift.at :].all())
        assert record["periods_dropped"] == int((used & ~keep).sum()) > 0
        assert record["on"] == str((pd.Timestamp("2015-01-01") + pd.Timedelta(days=shift.at)).date())


def test_an_event_a_year_after_a_reporting_change_is_tested_on_its_own_side_only():
    data, truth = simulate(n_regions=4, level_shift=(0.25, 0.3), **SHIFTED, seed=5)
    scored = {}
    panel = panel_from_regions(data, dataset="synthetic", metric="count")
    for spec in specs(truth):
        result = analyse_event(panel, spec)
        found = [b for b in result.breaks if b["break_id"] == "found-level-shift"]
        assert len(found) == 1 and "periods_dropped" in found[0]
        on = pd.Timestamp(found[0]["on"])
        shift_day = pd.Timestamp(spec.start) - pd.Timedelta(days=365)
        assert abs((on - shift_day).days) <= SHIFT_BLOCK
        windows = [p for p in result.placebo["values"] if p["kind"] == "time"]
        assert len(windows) >= 19 and all(pd.Timestamp(p["period_start"]) >= on for p in windows)
        scored[spec.event_id] = result.verdict
    assert len(scored) == 4
    # the same series without the shift: nothing found
    data, truth = simulate(n_regions=4, **SHIFTED, seed=5)
    panel = panel_from_regions(data, dataset="synthetic", metric="count")
    for spec in specs(truth):
        result = analyse_event(panel, spec)
        assert not [b for b in result.breaks if b["break_id"] == "found-level-shift"]
