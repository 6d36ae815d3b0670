"""Daily police series: weekly sums that add up, ±60 days on the Event chart, and the enforcement caveat on
every chart and export of a police series (and on nothing else)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from monitor_helpers import add_daily

from hotline_trends.analysis import api
from hotline_trends.charts.base import annotation_text
from hotline_trends.charts.event import AROUND_DAYS, controls_chart, expected_chart, placebo_chart
from hotline_trends.charts.region import series_chart
from hotline_trends.charts.weekly import WEEKLY_LABEL, weekly_sums
from hotline_trends.exports.table import csv_bytes
from hotline_trends.police_words import COLUMN, ENFORCEMENT, PROSTITUTION, police_caveat
from hotline_trends.store import read

SF = "ori:CA03801"


def _daily(seed: int) -> pd.DataFrame:
    """Two metrics of seeded daily counts, with days missing at random (weeks then have fewer days)."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2024-02-07", "2024-06-19", freq="D")  # starts on a Wednesday, ends on a Wednesday
    frames = []
    for metric, mean in (("a", 3.0), ("b", 0.4)):
        frame = pd.DataFrame({"period_start": days, "value": rng.poisson(mean, len(days)).astype(float)})
        frames.append(frame.loc[rng.random(len(days)) > 0.1].assign(metric=metric, source_id=f"src_{metric}"))
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_weekly_sums_equal_the_daily_values_summed(seed):
    daily = _daily(seed)
    result = weekly_sums(daily)
    for row in result.itertuples(index=False):
        inside = daily.loc[
            (daily["metric"] == row.metric) & daily["period_start"].between(row.period_start, row.period_end)
        ]
        assert row.value == inside["value"].sum()
        assert row.days_with_value == len(inside) and row.complete == (len(inside) == 7)
        assert row.period_start.day_of_week == 0 and (row.period_end - row.period_start).days == 6
    expected = daily.groupby("metric")["value"].sum()
    assert result.groupby("metric")["value"].sum().to_dict() == expected.to_dict()
    assert not result.loc[[0], "complete"].item()  # the series starts on a Wednesday: a part week


def test_the_region_chart_draws_a_daily_series_as_weekly_sums_with_the_days_on_zoom(bundled_store):
    rows = read.observations(bundled_store, region=SF, metric="prostitution")
    chart = series_chart(
        rows, place="San Francisco", dataset="police_incidents", events=rows.iloc[0:0], breaks=[],
        sources=read.sources(bundled_store), slug="sf",
    )  # fmt: skip
    weekly = [t for t in chart.figure.data if WEEKLY_LABEL in _name(t)]
    daily = [t for t in chart.figure.data if ": days (right axis" in _name(t)]
    assert len(weekly) == len(daily) == 1 and daily[0].yaxis == "y2"
    assert chart.figure.layout.xaxis.rangeslider.visible
    assert WEEKLY_LABEL in chart.figure.layout.yaxis.title.text
    assert len(daily[0].x) == (rows["period_start"].max() - rows["period_start"].min()).days + 1
    sums = chart.data.loc[chart.data["period_kind"] == WEEKLY_LABEL]
    days = chart.data.loc[chart.data["period_kind"] == "day"]
    assert sums["value"].sum() == days["value"].sum() == rows["value"].sum()
    drawn = [v for v in weekly[0].y if v is not None and v == v]
    assert drawn == sums["value"].tolist()
    assert set(sums["reliability"]) == {"derived here"}


def _caveat_everywhere(chart, caveat: str) -> None:
    assert caveat in chart.notice
    assert caveat in chart.caveats
    text = annotation_text(chart.figure).replace("<br>", " ")
    assert all(word in text for word in ("Police-recorded counts measure enforcement", "stings"))
    exported = pd.read_csv(io.BytesIO(csv_bytes(chart.data)))
    assert set(exported[COLUMN]) == {caveat}


def test_police_charts_say_what_the_counts_measure_and_others_do_not(bundled_store):
    sources = read.sources(bundled_store)
    rows = read.observations(bundled_store, region=SF)
    police = series_chart(
        rows, place="San Francisco", dataset="police_incidents", events=rows.iloc[0:0], breaks=[], sources=sources,
        slug="sf",
    )  # fmt: skip
    _caveat_everywhere(police, police_caveat("police_incidents", "prostitution"))
    assert PROSTITUTION in police.notice
    traffic = series_chart(
        rows.loc[rows["metric"] != "prostitution"], place="San Francisco", dataset="police_incidents",
        events=rows.iloc[0:0], breaks=[], sources=sources, slug="sf",
    )  # fmt: skip
    assert traffic.notice == ENFORCEMENT
    # an agency's own list under a name of the user's: still police-recorded
    own = series_chart(
        rows.assign(dataset="my_list"), place="San Francisco", dataset="my_list", events=rows.iloc[0:0], breaks=[],
        sources=sources, slug="own",
    )  # fmt: skip
    _caveat_everywhere(own, police_caveat("my_list", "prostitution", SF))
    hotline = read.observations(bundled_store, region="TX", dataset="nhth")
    plain = series_chart(
        hotline, place="Texas", dataset="nhth", events=hotline.iloc[0:0], breaks=[], sources=sources, slug="tx"
    )
    assert plain.notice == "" and COLUMN not in plain.data
    assert "enforcement" not in annotation_text(plain.figure)


@pytest.fixture(scope="module")
def daily_results(bundled_store, tmp_path_factory) -> dict:
    """One event on a seeded daily state series, once under a tip-line name and once under a police one."""
    from hotline_trends.store import Store

    tmp = tmp_path_factory.mktemp("daily-event")
    store = Store(tmp / "store")
    store.root.mkdir()
    store.db_path.write_bytes(bundled_store.db_path.read_bytes())
    # seeds whose simulated days (the shared scenarios leave about 2% of days missing) have none around July
    add_daily(store, tmp, days=300, seed=31)
    add_daily(store, tmp, days=300, seed=40, dataset="police_incidents", metric="prostitution")
    frames = {
        "observations": read.observations(store),
        "events": read.table(store, "events"),
        "agencies": read.table(store, "agencies"),
    }
    out = {}
    for dataset, metric in (("test_tipline", "tips"), ("police_incidents", "prostitution")):
        result = api.analyse(**frames, event_id="mlb-all-star-2024", dataset=dataset, metric=metric)
        rows = read.observations(store, dataset=dataset, metric=metric, region="TX")
        out[dataset] = (result, rows, read.sources(store))
    return out


def test_the_event_chart_draws_60_days_either_side_of_a_daily_window_with_the_band(daily_results):
    result, rows, sources = daily_results["test_tipline"]
    assert result.frequency == "day" and len(result.series) == 300  # the result keeps every day
    chart = expected_chart(result, rows=rows, sources=sources)
    start, end = pd.Timestamp(result.window["start"]), pd.Timestamp(result.window["end"])
    shown = pd.to_datetime(chart.data["period_start"])
    assert shown.min() == start - pd.Timedelta(days=AROUND_DAYS)
    assert shown.max() == end + pd.Timedelta(days=AROUND_DAYS)
    assert len(chart.data) == (end - start).days + 1 + 2 * AROUND_DAYS
    band = chart.figure.data[0]
    assert band.fill == "toself" and len(band.y) == 2 * chart.data["expected"].notna().sum() > 0
    assert f"{AROUND_DAYS} days before and after the window" in annotation_text(chart.figure).replace("<br>", " ")
    assert chart.notice == "" and COLUMN not in chart.data


def test_every_event_chart_and_export_of_a_police_series_carries_the_caveat(daily_results):
    result, rows, sources = daily_results["police_incidents"]
    caveat = police_caveat("police_incidents", "prostitution")
    charts = [
        expected_chart(result, rows=rows, sources=sources),
        controls_chart(result, sources=sources),
        placebo_chart(result, sources=sources),
    ]
    drawn = [c for c in charts if c is not None]
    assert len(drawn) >= 2
    for chart in drawn:
        _caveat_everywhere(chart, caveat)


def test_a_week_without_any_day_breaks_the_weekly_line(bundled_store):
    days = pd.date_range("2025-01-06", periods=28, freq="D")
    rows = pd.DataFrame(
        {
            "dataset": "police_incidents",
            "region": SF,
            "metric": "prostitution",
            "period_start": days,
            "period_end": days,
            "value": 1.0,
            "source_id": "s",
            "reliability": "high",
            "note": "",
        }
    ).drop(index=range(7, 14))  # the second week has no row at all
    chart = series_chart(
        rows, place="SF", dataset="police_incidents", events=rows.iloc[0:0], breaks=[], sources=read.sources(bundled_store),
        slug="gap",
    )  # fmt: skip
    weekly = next(t for t in chart.figure.data if WEEKLY_LABEL in _name(t))
    assert [None if v != v else v for v in weekly.y] == [7.0, None, 7.0, 7.0]
    assert weekly.connectgaps is False


def _name(trace) -> str:
    """A trace's legend entry as one line (long entries are wrapped with <br> at spaces)."""
    return (trace.name or "").replace("<br>", " ")
