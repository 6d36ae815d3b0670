"""The Monitor page: the empty state on a store without daily series, a stored daily series (numbers, alarms with their
reasons, the chart with its band, downloads with sources, choices in the URL) and an uploaded file (shown,
monitored, never stored; a bad file gets its lines listed)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from monitor_helpers import DATASET, METRIC, REGION
from streamlit.testing.v1 import AppTest
from support import assert_unchanged, download_bytes, page_app, query_value, snapshot

from hotline_trends.analysis.monitor_synthetic import simulate_daily

pytestmark = pytest.mark.app

STORED = {"source": "store", "dataset": DATASET, "metric": METRIC, "region": REGION, "from": "2024-08-01"}


def _metrics(app) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def _figure(app) -> dict:
    return json.loads(app.get("plotly_chart")[0].proto.spec)


def _csv(data: pd.DataFrame) -> bytes:
    shown = data.assign(date=data["date"].dt.strftime("%Y-%m-%d"), count=data["count"].astype("Int64"))
    return shown.to_csv(index=False).encode()


def _upload(name: str, content: bytes, query: dict | None = None) -> AppTest:
    app = page_app("monitor", {"source": "upload", **(query or {})})
    app.file_uploader(key="monitor_file").set_value((name, content, "text/csv")).run()
    return app


def test_without_daily_series_the_page_says_how_to_add_one(no_daily):
    app = page_app("monitor")
    assert not app.exception
    assert [t.value for t in app.title] == ["Monitor"]
    assert any("holds no daily series yet" in i.value and "Data & sources" in i.value for i in app.info)
    assert not app.get("plotly_chart")
    assert "How the alarm works" in [s.value for s in app.subheader]
    assert any("Höhle, M. & Paul, M. (2008)" in c.value for c in app.caption)


def test_a_stored_series_shows_its_alarms_band_and_reasons(daily):
    app = page_app("monitor", STORED)
    assert not app.exception
    metrics = _metrics(app)
    assert metrics["Days monitored"] == "27" and metrics["Alarms"] == "2" and metrics["One-day bursts"] == "3"
    assert app.error[0].value.startswith("test_tipline tips TX, 27 days monitored (2024-08-01 to 2024-08-27): 2 alarms")
    alarms = next(df.value for df in app.dataframe if "reason" in df.value.columns)
    assert alarms["date"].tolist() == ["2024-08-15", "2024-08-22"]
    assert alarms["reason"].iloc[0].startswith("Alarm on 2024-08-15: from 2024-08-13 to 2024-08-15 (3 days)")
    figure = _figure(app)
    assert (
        figure["layout"]["title"]["text"].replace("<br>", " ")
        == "test_tipline tips TX: daily counts against their expected band"
    )
    names = [trace["name"] for trace in figure["data"]]
    assert names == ["expected, 95% band", "expected", "count", "one-day burst (not an alarm alone)", "alarm"]
    assert any("Hotline counts measure help-seeking" in c.value for c in app.caption)


def test_the_choices_live_in_the_url_and_a_link_restores_them(daily):
    app = page_app("monitor", {"source": "store", "dataset": DATASET})
    assert not app.exception
    assert app.selectbox(key="param_dataset").value == DATASET
    assert query_value(app, "region") == REGION and query_value(app, "from") == "2024-07-31"
    app.selectbox(key="param_rise").set_value("1.0").run()
    assert not app.exception and query_value(app, "rise") == "1.0"
    restored = page_app("monitor", {**STORED, "from": "2024-08-10", "alarms": "0.25"})
    assert restored.date_input(key="param_from").value.isoformat() == "2024-08-10"
    assert _metrics(restored)["Days monitored"] == "18"


def test_the_chart_csv_holds_every_shown_day_with_its_source(daily, downloads):
    app = page_app("monitor", STORED)
    result = pd.read_csv(io.BytesIO(download_bytes(app, "monitor-csv", downloads)))
    assert {"date", "count", "expected", "lower", "upper", "evidence", "alarm", "burst", "source_id"} <= set(
        result.columns
    )
    assert (result["source_id"] == "synthetic_test_tipline").all() and (result["reliability"] == "derived here").all()
    assert result["date"].iloc[-1] == "2024-08-27" and result["alarm"].sum() == 2


def test_an_uploaded_file_is_monitored_shown_as_text_and_never_stored(store):
    data, _ = simulate_daily("d", days=200, seed=4)
    before = snapshot(store)
    app = _upload("**tips** <b>.csv", _csv(data))
    assert not app.exception
    assert "File: **tips** <b>.csv" in [t.value for t in app.text]
    assert " ".join(m.value for m in app.markdown).count("**tips**") == 0
    assert _metrics(app)["Days monitored"] == "28"
    source = next(a["text"] for a in _figure(app)["layout"]["annotations"] if a.get("name") == "source").replace(
        "<br>", " "
    )
    assert "the uploaded file **tips** &lt;b&gt;.csv (not stored)" in source
    assert_unchanged(before, snapshot(store))
    assert not store.uploads_dir.exists() or not any(store.uploads_dir.iterdir())


def test_the_tidy_copy_of_an_upload_reads_back_as_daily_observations(store, downloads):
    data, _ = simulate_daily("a", days=150, seed=2)
    app = _upload("tips.csv", _csv(data))
    app.text_input(key="monitor_keep_region").set_value("TX").run()
    tidy = pd.read_csv(io.BytesIO(download_bytes(app, "monitor_keep_csv", downloads)))
    assert (tidy["period_start"] == tidy["period_end"]).all() and (tidy["region"] == "TX").all()
    assert len(tidy) == int(data["count"].notna().sum()) and (tidy["source_id"] == "user_tips").all()


def test_a_bad_upload_lists_its_lines_and_stores_nothing(store):
    before = snapshot(store)
    app = _upload("tips.csv", b"date,count\n2024-01-01,3\n2024-01-02,three\n")
    assert not app.exception
    assert app.error[0].value.startswith("This file cannot be read as daily counts; nothing was stored")
    assert "tips.csv line 3, column 'count': 'three' is not a count" in app.code[0].value
    assert not app.get("plotly_chart")
    assert_unchanged(before, snapshot(store))


def test_an_upload_with_too_little_history_says_so(store):
    data, _ = simulate_daily("a", days=60, seed=2)
    app = _upload("short.csv", _csv(data))
    assert not app.exception
    assert any("too little history to monitor short.csv" in w.value for w in app.warning)


def test_the_methods_page_explains_the_monitor_with_its_references(store):
    app = page_app("methods", {"section": "monitor"})
    assert not app.exception
    text = " ".join(m.value for m in app.markdown)
    assert "negative-binomial CUSUM" in text and "police counts measure enforcement" in text
    assert "Computational Statistics & Data Analysis* 52(9)" in text and "Künsch" in text
