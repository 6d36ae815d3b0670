"""Exports a newsroom can use: who published each row and where, and a citation line on every PNG."""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from hotline_trends.charts import Chart
from hotline_trends.charts.base import annotation_text, finish, with_citation, wrapped
from hotline_trends.exports.bundle import citation
from hotline_trends.pages import exporting
from hotline_trends.publishers import with_publishers

SOURCES = pd.DataFrame(
    {
        "source_id": ["nhth_a", "nhth_b", "census_x"],
        "publisher": ["Polaris", "Polaris", "U.S. Census Bureau"],
        "location": ["https://a.example/p", None, "https://census.example/t"],
    }
)


def _chart() -> Chart:
    figure = finish(go.Figure(go.Bar(x=[1], y=[2])), title="T", source="Source: Polaris", processing="as published")
    data = pd.DataFrame(
        {
            "region": ["FL", "TX", "CA", "NY"],
            "value": [10, 20, 30, 40],
            "source_id": ["nhth_a", "nhth_a; census_x", None, "not_described"],
            "reliability": ["high", "high", "", "low"],
        }
    )
    return Chart(figure=figure, data=data, slug="t", title="T", sources=("nhth_a", "census_x"), processing="p")


def test_every_csv_row_names_its_publisher_and_location_beside_its_source_id():
    result = list(csv.reader(io.StringIO(exporting.export_csv(_chart(), sources=SOURCES, suppress=False).decode())))
    assert result[0] == ["region", "value", "source_id", "publisher", "location", "reliability"]
    assert result[1:] == [
        ["FL", "10", "nhth_a", "Polaris", "https://a.example/p", "high"],
        ["TX", "20", "nhth_a; census_x", "Polaris; U.S. Census Bureau", "https://a.example/p; https://census.example/t", "high"],
        ["CA", "30", "", "", "", ""],
        ["NY", "40", "not_described", "", "", "low"],
    ]  # fmt: skip


def test_a_source_without_a_location_or_publisher_leaves_the_cell_blank_or_says_so():
    frame = pd.DataFrame({"source_id": ["nhth_b", "x"], "reliability": ["high", "high"]})
    sources = pd.concat([SOURCES, pd.DataFrame({"source_id": ["x"], "publisher": [None], "location": [None]})])
    result = with_publishers(frame, sources)
    assert result[["publisher", "location"]].values.tolist() == [["Polaris", ""], ["publisher not stated", ""]]


def test_the_png_carries_the_citation_line_and_the_screen_figure_is_unchanged(monkeypatch):
    chart = _chart()
    before = chart.figure.to_json()
    drawn = []
    monkeypatch.setattr(exporting, "render_png", lambda figure: drawn.append(figure) or b"png")
    assert exporting.export_png(chart, version="abcdef0123456789") == b"png"
    line = citation(chart, version="abcdef0123456789", today=date.today())
    source = annotation_text(drawn[0])
    source = source.replace("<br>", " ")  # the note is wrapped to the chart's width at spaces
    assert source.startswith("Source: Polaris") and source.endswith(line)
    grown = 15 * (wrapped(line).count("<br>") + 1)  # a line of 15 px for each line the citation wraps to
    assert drawn[0].layout.height == chart.figure.layout.height + grown
    assert drawn[0].layout.margin.b == chart.figure.layout.margin.b + grown
    assert chart.figure.to_json() == before


def test_a_figure_without_a_source_note_gets_the_citation_as_one():
    cited = with_citation(go.Figure(), "Hotline Trends, “T”, exported 2026-01-01")
    assert annotation_text(cited) == "Hotline Trends, “T”, exported 2026-01-01"
