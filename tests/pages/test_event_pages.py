"""The Event and Event types pages: verdict with its numbers, the expected band, controls and placebos, the
pooled profile with q-values; the choice lives in the URL; downloads carry the data behind each chart."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from support import download_bytes, page_app, query_value

from hotline_trends.analysis import api
from hotline_trends.store.read import observations, table

pytestmark = pytest.mark.app


def _titles(app) -> list[str]:
    return [
        json.loads(chart.proto.spec)["layout"]["title"]["text"].replace("<br>", " ")
        for chart in app.get("plotly_chart")
    ]


def _metrics(app) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def test_the_event_page_opens_on_super_bowl_xlvii_and_says_cannot_tell(store):
    app = page_app("event")
    assert not app.exception
    assert [t.value for t in app.title] == ["Event"]
    assert app.selectbox(key="param_event").value == "super-bowl-2013"
    assert "Verdict: cannot tell" in [s.value for s in app.subheader]
    assert _metrics(app) == {
        "Observed": "112",
        "Expected": "59",
        "Observed / expected": "1.89",
        "Smallest detectable change": "70%",
    }
    assert _titles(app) == [
        "Super Bowl XLVII (47): LA: trafficking cases identified by the hotline, observed vs expected",
        "Super Bowl XLVII (47): the host against control regions",
        "Super Bowl XLVII (47): the event among placebos",
    ]
    band = json.loads(app.get("plotly_chart")[0].proto.spec)["data"][0]
    assert band["fill"] == "toself" and band["name"] == "expected, 95% interval"


def test_searching_narrows_the_events_and_the_url_restores_the_choice(store):
    app = page_app("event")
    app.text_input(key="param_find").set_value("arlington 2015").run()
    assert not app.exception
    options = app.selectbox(key="param_event").options
    assert options and all("Arlington" in o for o in options)
    assert query_value(app, "find") == "arlington 2015"
    restored = page_app(
        "event", {"find": "arlington 2015", "event": "cfp-championship-2015", "series": "fbi_ucr_ht:actual_total"}
    )
    assert not restored.exception
    assert restored.selectbox(key="param_event").value == "cfp-championship-2015"
    assert restored.selectbox(key="param_series").value == "fbi_ucr_ht:actual_total"
    assert "Verdict: cannot tell" in [s.value for s in restored.subheader]
    assert any("monthly data" in box.value for box in restored.info)


def test_a_search_without_matches_says_how_to_find_or_add_events(store):
    app = page_app("event", {"find": "no such event anywhere"})
    assert not app.exception
    assert any("No event matches" in i.value and "hotline-trends ingest" in i.value for i in app.info)
    assert not app.get("plotly_chart")


def test_an_event_without_data_is_insufficient_data_with_its_reason(store):
    app = page_app("event", {"event": "super-bowl-2007", "series": "nhth:cases"})
    assert not app.exception
    assert "Verdict: insufficient data" in [s.value for s in app.subheader]
    assert any("no year value covers the window" in i.value for i in app.info)
    assert not app.get("plotly_chart")


def test_the_expected_chart_csv_is_the_analysis_series_with_its_sources(store, downloads):
    app = page_app("event", {"event": "super-bowl-2013", "series": "nhth:cases"})
    result = pd.read_csv(io.BytesIO(download_bytes(app, "event-0-csv", downloads)))
    expected = api.analyse(
        observations=observations(store, dataset="nhth"), events=table(store, "events"),
        agencies=table(store, "agencies"), event_id="super-bowl-2013", dataset="nhth", metric="cases",
    ).series  # fmt: skip
    for column in ("observed", "expected", "lower", "upper"):
        pd.testing.assert_series_equal(result[column], expected[column], check_names=False, check_dtype=False)
    published = observations(store, dataset="nhth", metric="cases", region="LA")
    in_2013 = published.loc[pd.to_datetime(published["period_start"]) == "2013-01-01", "source_id"]
    row_2013 = result.loc[result["period_start"] == "2013-01-01"].iloc[0]
    assert set(row_2013["source_id"].split("; ")) == set(in_2013)
    assert {"source_id", "reliability"} <= set(result.columns)


def test_the_event_types_page_pools_super_bowls_with_q_values(store):
    app = page_app("event_types")
    assert not app.exception
    assert [t.value for t in app.title] == ["Event types"]
    assert "Pooled verdict: cannot tell" in [s.value for s in app.subheader]
    assert _metrics(app)["Events tested"] == "8 of 22"  # Super Bowls 2007-2028, LXI and LXII upcoming
    assert _metrics(app)["Observed / expected (pooled)"] == "0.96"
    table_ = next(t.value for t in app.table if "q (Benjamini–Hochberg)" in t.value.columns)
    assert len(table_) == 22 and (table_["q (Benjamini–Hochberg)"] != "–").sum() == 8
    assert any("would by chance alone" in m.value for m in app.markdown)
    assert _titles(app)[0] == "Super Bowl: pooled relative-time profile (trafficking cases identified by the hotline)"


def test_choosing_another_type_changes_the_study_and_the_url(store):
    app = page_app("event_types")
    app.selectbox(key="param_type").set_value("ncaa-final-four").run()
    assert not app.exception
    assert query_value(app, "type") == "ncaa-final-four"
    table_ = next(t.value for t in app.table if "q (Benjamini–Hochberg)" in t.value.columns)
    assert table_["event"].str.contains("Final Four").all()
