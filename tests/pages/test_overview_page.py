"""The Overview page: map, ranking, national trend and coverage on the bundled store, kept in the URL, with
downloads that hold the data behind each chart."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pytest
from support import download_bytes, page_app, query_value

from hotline_trends.chromium import chromium_path
from hotline_trends.paths import REPO_ROOT
from hotline_trends.store.read import query

pytestmark = pytest.mark.app


def _charts(app) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def _titles(app) -> list[str]:
    return [spec["layout"]["title"]["text"].replace("<br>", " ") for spec in _charts(app)]


def test_the_overview_shows_map_ranking_trend_and_coverage(store):
    app = page_app("overview")
    assert not app.exception
    assert [t.value for t in app.title] == ["Overview"]
    assert any("help-seeking" in c.value for c in app.caption)
    titles = _titles(app)
    assert len(titles) == 3
    assert titles[0].startswith("Trafficking cases identified by the hotline, 2024")
    assert titles[1].startswith("National trend") and titles[2].startswith("Coverage")
    map_config = json.loads(app.get("plotly_chart")[0].proto.config)
    assert map_config["topojsonURL"] == "/app/static/"  # the vendored file, never the CDN
    ranking = next(df.value for df in app.dataframe if "rank" in df.value.columns)
    assert ranking["rank"].iloc[0] == "1" and len(ranking) == 51


def test_choosing_a_year_redraws_the_map_and_updates_the_url(store):
    app = page_app("overview")
    before = _charts(app)[0]
    app.selectbox(key="param_year").set_value(2016).run()
    after = _charts(app)[0]
    assert query_value(app, "year") == "2016"
    assert after["layout"]["title"]["text"].startswith("Trafficking cases identified by the hotline, 2016")
    assert before["data"][0]["z"] != after["data"][0]["z"]


def test_a_url_restores_the_view(store):
    query = {"dataset": "fbi_ucr_ht", "metric": "actual_total", "year": "2019", "measure": "per100k", "region": "TX"}
    app = page_app("overview", query)
    assert not app.exception
    assert app.selectbox(key="param_dataset").value == "fbi_ucr_ht"
    assert app.selectbox(key="param_metric").value == "actual_total"
    assert app.selectbox(key="param_year").value == 2019
    assert app.radio(key="param_measure").value == "per100k"
    assert app.selectbox(key="param_region").value == "TX"
    assert any("Texas" in m.value and "per 100,000 residents" in m.value for m in app.markdown)
    colorbar = _charts(app)[0]["data"][0]["colorbar"]["title"]["text"]
    assert (
        colorbar == "police: actual offenses (commercial sex + involuntary servitude) per 100,000 residents, per year"
    )


def test_florida_ranks_third_by_2016_cases_in_the_citable_sentence(store):
    app = page_app("overview", {"year": "2016", "region": "FL"})
    expected = (
        "**Florida ranks 3rd of 51 states and DC with a value by trafficking cases identified by the hotline in "
        "2016 (count).**"
    )
    assert expected in [m.value for m in app.markdown]


def test_the_map_csv_holds_the_values_with_source_and_reliability(store, downloads):
    app = page_app("overview", {"year": "2016"})
    result = pd.read_csv(io.BytesIO(download_bytes(app, "map-csv", downloads)), dtype={"value": "Int64"})
    expected = query(
        store,
        "SELECT region, value FROM observations WHERE dataset='nhth' AND metric='cases' AND region='FL' "
        "AND period_start='2016-01-01' AND period_end='2016-12-31'",
    )
    fl = result.loc[result["region"] == "FL"].iloc[0]
    assert fl["value"] == expected["value"].iloc[0]
    assert {"source_id", "reliability", "candidates", "other_values"} <= set(result.columns)
    assert result["source_id"].notna().all()


def test_suppression_in_the_url_shows_small_counts_as_less_than_three(store, downloads):
    app = page_app("overview", {"year": "2012", "suppress": "1"})
    assert app.toggle(key="param_suppress").value is True
    result = pd.read_csv(io.BytesIO(download_bytes(app, "map-csv", downloads)), dtype=str, keep_default_na=False)
    small = query(
        store,
        "SELECT region FROM observations WHERE dataset='nhth' AND metric='cases' AND year(period_start)=2012 "
        "AND value BETWEEN 1 AND 2",
    )
    assert set(result.loc[result["value"] == "<3", "region"]) == set(small["region"])
    assert not result["value"].isin(["1", "2"]).any()


@pytest.mark.slow
@pytest.mark.skipif(not chromium_path().exists(), reason="needs /usr/bin/chromium")
def test_the_bundle_holds_csv_png_and_methods(store, downloads):
    app = page_app("overview", {"year": "2016"})
    bundle = download_bytes(app, "map-zip", downloads)
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        names = sorted(archive.namelist())
        assert names == ["map-nhth-cases-2016-count.csv", "map-nhth-cases-2016-count.png", "methods.md"]
        assert archive.read("map-nhth-cases-2016-count.png")[:8] == b"\x89PNG\r\n\x1a\n"
        methods = archive.read("methods.md").decode()
    assert "## Citation" in methods and "- year: 2016" in methods and "store ingest log sha256" in methods
    png = download_bytes(app, "map-png", downloads)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000


def test_the_router_opens_on_the_overview_with_every_page_listed(store):
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120).run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Overview"]
    pages = [p.get("page_name") for p in app._registered_pages.values()]  # what st.navigation registered
    assert pages == [
        "Overview", "Region", "Event", "Event types", "Monitor", "Plan", "Data & sources", "Methods & caveats"
    ]  # fmt: skip


def test_a_dataset_of_police_agencies_only_points_to_them_and_shows_its_coverage(store):
    app = page_app("overview", {"dataset": "police_incidents", "metric": "prostitution"})
    assert not app.exception
    info = " ".join(i.value for i in app.info)
    assert "San Francisco Police Department (CA, day)" in info and "Region page" in info
    coverage = _charts(app)
    assert len(coverage) == 1 and coverage[0]["layout"]["title"]["text"].startswith("Coverage")
