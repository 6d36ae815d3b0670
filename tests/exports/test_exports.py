"""CSV exports are safe to open in a spreadsheet and say where every row came from; bundles are complete,
reproducible and carry the data version; PNGs render offline with the vendored map."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from hotline_trends.charts import Chart
from hotline_trends.chromium import chromium_path
from hotline_trends.exports import png as png_export
from hotline_trends.exports.bundle import bundle_zip, data_version, methods_md, sha256
from hotline_trends.exports.table import FORMULA_STARTS, csv_bytes, neutralise, suppress_small
from hotline_trends.store.read import ingests, sources


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": ["FL", "TX", "VT", "RI"],
            "value": [550, 2, 1, 0],
            "rate_per_100k": [2.67, 0.01, 0.16, 0.0],
            "source_id": ["nhth_rossthorn_2012_2016"] * 4,
            "reliability": ["high"] * 4,
            "note": ['=HYPERLINK("https://e.vil")', "+1", "-2 adjustment", "@SUM(A1)"],
        }
    )


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_that_a_spreadsheet_would_run_is_neutralised(start):
    frame = pd.DataFrame({"note": [f"{start}cmd", "fine"], "value": [-1, 2]})
    result = neutralise(frame)
    assert result["note"].tolist() == [f"'{start}cmd", "fine"]
    assert result["value"].tolist() == [-1, 2]  # numbers are numbers, not formulas


def test_csv_export_neutralises_and_keeps_sources():
    result = pd.read_csv(io.BytesIO(csv_bytes(_frame())), dtype=str, keep_default_na=False)
    assert result["note"].tolist() == ['\'=HYPERLINK("https://e.vil")', "'+1", "'-2 adjustment", "'@SUM(A1)"]
    assert result["value"].tolist() == ["550", "2", "1", "0"]
    assert set(result["source_id"]) == {"nhth_rossthorn_2012_2016"}


def test_suppression_shows_one_and_two_as_less_than_three_and_hides_their_rates():
    result = pd.read_csv(io.BytesIO(csv_bytes(_frame(), suppress=True)), dtype=str, keep_default_na=False)
    assert result["value"].tolist() == ["550", "<3", "<3", "0"]
    assert result["rate_per_100k"].tolist() == ["2.67", "", "", "0"]
    assert result["suppressed"].tolist() == ["False", "True", "True", "False"]


def test_suppression_leaves_frames_without_counts_alone():
    frame = pd.DataFrame({"region": ["FL"], "values": [2]})
    assert suppress_small(frame)["values"].tolist() == [2]


def test_an_export_without_source_or_reliability_is_refused():
    with pytest.raises(ValueError, match="source_id, reliability; missing: reliability"):
        csv_bytes(pd.DataFrame({"value": [1], "source_id": ["x"]}))


def _chart() -> Chart:
    figure = go.Figure(go.Scatter(x=[2015, 2016], y=[1, 2]))
    return Chart(
        figure=figure,
        data=_frame(),
        slug="test-chart",
        title="Cases, 2016 <b>bold</b>",
        sources=("nhth_rossthorn_2012_2016", "census_v2019", "unknown_source"),
        processing="per 100,000 residents (Census vintage 2019)",
        method="A test chart.",
        parameters={"dataset": "nhth", "year": 2016},
        caveats=("Hotline counts measure help-seeking.",),
    )


def test_methods_md_says_method_parameters_caveats_sources_citation_and_version(bundled_store):
    version = data_version(ingests(bundled_store))
    text = methods_md(
        _chart(),
        sources=sources(bundled_store),
        version=version,
        csv_sha256="abc",
        suppressed=True,
        today=date(2026, 1, 2),
    )
    for expected in ("## Method", "A test chart.", "Processing: per 100,000 residents", "- year: 2016", "## Caveats"):
        assert expected in text
    assert "help-seeking" in text and "is not a comprehensive report on the" in text  # Polaris statement
    assert "| census_v2019 | U.S. Census Bureau |" in text
    assert "| unknown_source | (not described in the store) |" in text
    assert f"store ingest log sha256: `{version}`" in text and "CSV sha256: `abc`" in text
    assert f"data version {version[:12]}, exported 2026-01-02" in text
    assert "suppressed in the CSV (1–2 shown as <3): yes" in text
    assert "<b>" not in text  # text from files is inert in Markdown


def test_the_data_version_changes_with_the_ingest_log_only(bundled_store):
    log = ingests(bundled_store)
    assert data_version(log) == data_version(log.sample(frac=1, random_state=3))
    changed = log.assign(
        removed_at=log["removed_at"].where(log["ingest_id"] != log["ingest_id"].max(), pd.Timestamp("2026-01-01"))
    )
    assert data_version(changed) != data_version(log)
    assert len(data_version(log)) == 64


def test_the_bundle_holds_csv_png_and_methods_and_is_reproducible():
    csv = csv_bytes(_frame())
    first = bundle_zip(slug="test-chart", csv=csv, png=b"\x89PNG fake", methods="# m\n")
    second = bundle_zip(slug="test-chart", csv=csv, png=b"\x89PNG fake", methods="# m\n")
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert sorted(archive.namelist()) == ["methods.md", "test-chart.csv", "test-chart.png"]
        assert archive.read("test-chart.csv") == csv
        assert sha256(archive.read("test-chart.csv")) == sha256(csv)


needs_chromium = pytest.mark.skipif(not chromium_path().exists(), reason="needs /usr/bin/chromium")


@pytest.mark.slow
@needs_chromium
def test_a_map_renders_to_png_from_the_vendored_topojson():
    figure = go.Figure(go.Choropleth(locations=["FL", "TX"], z=[1, 2], locationmode="USA-states"))
    figure.update_geos(scope="usa")
    result = png_export.render_png(figure, width=500, scale=1)
    assert result[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(result[16:20], "big"), int.from_bytes(result[20:24], "big")
    assert (width, height) == (500, 500)
    assert png_export.topojson_url().startswith("file://") and (png_export.STATIC_DIR / "usa_110m.json").exists()


@pytest.mark.slow
@needs_chromium
def test_png_rendering_cannot_reach_the_network(monkeypatch):
    """With the topojson pointed at the CDN plotly would use by default, the render fails: nothing leaves."""
    monkeypatch.setattr(png_export, "topojson_url", lambda: "https://cdn.plot.ly/un/")
    monkeypatch.setattr(png_export, "TIMEOUT_SECONDS", 30)
    figure = go.Figure(go.Choropleth(locations=["FL"], z=[1], locationmode="USA-states"))
    figure.update_geos(scope="usa")
    with pytest.raises(Exception, match="topojson"):
        png_export.render_png(figure, width=300, scale=1)


def test_png_export_says_how_to_fix_a_missing_browser(monkeypatch, tmp_path):
    monkeypatch.setenv(png_export.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    with pytest.raises(png_export.PngUnavailable, match="apt-get install chromium"):
        png_export.chromium()
