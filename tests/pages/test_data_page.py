"""The first page runs on the bundled store, shows sources beside data, and keeps its view in the URL."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from hotline_trends.paths import REPO_ROOT

pytestmark = pytest.mark.app
APP = str(REPO_ROOT / "app.py")


def _run(query: dict[str, str] | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    return app.run()


def test_the_page_lists_datasets_coverage_and_sources(store):
    app = _run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Data & sources"]
    datasets = app.dataframe[0].value
    assert {"nhth", "fbi_ucr_ht"} <= set(datasets["dataset"])
    assert any("help-seeking" in c.value for c in app.caption)
    source_tables = [df.value for df in app.dataframe if "terms" in df.value.columns]
    assert source_tables, "sources with their terms must appear next to the coverage"
    assert "nhth_rossthorn_2012_2016" in set(source_tables[0]["source_id"])


def test_choosing_a_metric_changes_the_coverage_and_the_url(store):
    app = _run()
    before = app.dataframe[1].value
    app.selectbox(key="param_metric").set_value("calls").run()
    after = app.dataframe[1].value
    assert app.query_params["metric"] == ["calls"] or app.query_params["metric"] == "calls"
    assert not before.equals(after)


def test_a_url_restores_the_view(store):
    app = _run({"dataset": "fbi_ucr_ht", "metric": "actual_total"})
    assert not app.exception
    assert app.selectbox(key="param_dataset").value == "fbi_ucr_ht"
    assert app.selectbox(key="param_metric").value == "actual_total"


def test_an_empty_store_says_how_to_fill_it(empty_store):
    app = _run()
    assert not app.exception
    assert any("hotline-trends build" in i.value for i in app.info)
