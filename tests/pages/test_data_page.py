"""The Data & sources page runs on the bundled store, shows sources beside data, the ingest log, and keeps
its view in the URL."""

from __future__ import annotations

import pytest
from support import page_app, query_value

pytestmark = pytest.mark.app


def test_the_page_lists_datasets_coverage_sources_and_ingests(store):
    app = page_app("data_sources")
    assert not app.exception
    assert [t.value for t in app.title] == ["Data & sources"]
    datasets = app.dataframe[0].value
    assert {"nhth", "fbi_ucr_ht"} <= set(datasets["dataset"])
    assert any("help-seeking" in c.value for c in app.caption)
    source_tables = [df.value for df in app.dataframe if "terms" in df.value.columns]
    assert source_tables, "sources with their terms must appear next to the coverage"
    assert "nhth_rossthorn_2012_2016" in set(source_tables[0]["source_id"])
    every_source = next(df.value for df in app.dataframe if "retrieved_via" in df.value.columns)
    assert {"publisher", "location", "terms", "caveat"} <= set(every_source.columns)
    log = next(df.value for df in app.dataframe if "ingest_id" in df.value.columns)
    assert set(log["file_name"]) >= {"observations.csv", "sources.csv", "events.csv"}


def test_choosing_a_metric_changes_the_coverage_and_the_url(store):
    app = page_app("data_sources")
    before = app.dataframe[1].value
    app.selectbox(key="param_metric").set_value("calls").run()
    after = app.dataframe[1].value
    assert query_value(app, "metric") == "calls"
    assert not before.equals(after)


def test_a_url_restores_the_view(store):
    app = page_app("data_sources", {"dataset": "fbi_ucr_ht", "metric": "actual_total", "sources": "census"})
    assert not app.exception
    assert app.selectbox(key="param_dataset").value == "fbi_ucr_ht"
    assert app.selectbox(key="param_metric").value == "actual_total"
    every_source = next(df.value for df in app.dataframe if "retrieved_via" in df.value.columns)
    assert set(every_source["source_id"]) == {"census_v2019", "census_v2024"}


def test_filtering_sources_keeps_the_filter_in_the_url(store):
    app = page_app("data_sources")
    app.text_input(key="param_sources").input("Polaris").run()
    every_source = next(df.value for df in app.dataframe if "retrieved_via" in df.value.columns)
    assert query_value(app, "sources") == "Polaris"
    assert (every_source["publisher"].str.contains("Polaris")).all() and len(every_source) > 10


@pytest.mark.parametrize("module", ["data_sources", "overview", "region"])
def test_an_empty_store_says_how_to_fill_it(empty_store, module):
    app = page_app(module)
    assert not app.exception
    assert any("hotline-trends build" in i.value for i in app.info)


def test_the_city_police_series_show_their_coverage_and_sources(store):
    app = page_app("data_sources", {"dataset": "police_incidents", "metric": "prostitution"})
    assert not app.exception
    datasets = app.dataframe[0].value
    police = datasets.loc[datasets["dataset"] == "police_incidents"].set_index("metric")
    assert police.loc["prostitution", "rows"] == 1693 and police.loc["ht_total", "rows"] == 50
    matrix = app.dataframe[1].value
    # Daily agency rows count in their state, lowercase: none covers a year as one value.
    assert matrix.index.tolist() == ["CA"] and set(matrix.loc["CA"]) == {"m"}
    assert list(matrix.columns) == [2022, 2023, 2024, 2025, 2026]
    source_tables = [df.value for df in app.dataframe if "terms" in df.value.columns]
    assert set(source_tables[0]["source_id"]) == {"sfpd_incidents_datasf_wg3w_h783"}
