"""Text from user files (notes, source titles, publishers) shows as typed: never as Markdown, HTML or a
spreadsheet formula, on the pages, in the figures and in the exports."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from support import download_bytes, page_app

from hotline_trends.ingest import read_file
from hotline_trends.store import ingest
from hotline_trends.store.describe import describe_source

pytestmark = pytest.mark.app
NOTE = '=HYPERLINK("https://e.vil") ![p](https://e.vil/p.png)'
TITLE = "[click me](https://e.vil/x) <img src=https://e.vil/i.png>"


@pytest.fixture
def hostile(store, tmp_path):
    path = tmp_path / "tips.csv"
    pd.DataFrame(
        {
            "dataset": ["tipline"] * 2,
            "region": ["FL", "FL"],
            "period_start": ["2024-01-01", "2024-02-01"],
            "period_end": ["2024-01-31", "2024-02-29"],
            "metric": ["tips", "tips"],
            "value": [1, 40],
            "source_id": ["user_tips"] * 2,
            "reliability": ["high", "high"],
            "note": [NOTE, "fine"],
        }
    ).to_csv(path, index=False)
    ingest(store, read_file(path))
    describe_source(store, "user_tips", {"publisher": "<b>Tip line</b>", "location": "upload", "title": TITLE})
    return store


def test_the_region_page_keeps_file_text_inert(hostile, downloads):
    app = page_app("region", {"level": "state", "state": "FL", "metrics": "cases,tips"})
    assert not app.exception
    rendered = " ".join(e.value for e in [*app.markdown, *app.caption, *app.info])
    assert "](https://e.vil" not in rendered and "<img" not in rendered
    tipline = next(
        c for c in app.get("plotly_chart") if "tipline" in json.loads(c.proto.spec)["layout"]["title"]["text"]
    )
    spec = json.loads(tipline.proto.spec)
    hovers = json.dumps(spec["data"])
    assert "<b>Tip line" not in json.dumps(spec["layout"]["annotations"])
    assert "![p](https" in hovers  # shown as typed in the hover (plotly does not render Markdown)
    tables = [df.value for df in app.dataframe if {"title", "source_id"} <= set(df.value.columns)]
    sources = [t for t in tables if "user_tips" in set(t["source_id"])]
    assert sources and TITLE in set(sources[0]["title"])  # a table cell: shown as typed
    charts = [json.loads(c.proto.spec)["layout"]["title"]["text"].replace("<br>", " ") for c in app.get("plotly_chart")]
    index = next(i for i, title in enumerate(charts) if "tipline" in title)
    exported = pd.read_csv(io.BytesIO(download_bytes(app, f"region-{index}-csv", downloads)), keep_default_na=False)
    assert exported.loc[exported["value"].astype(str) == "1", "note"].tolist() == ["'" + NOTE]


def test_a_dataset_without_annual_state_values_says_what_is_missing(hostile):
    app = page_app("overview", {"dataset": "tipline", "metric": "tips"})
    assert not app.exception
    assert any("no annual value for any state" in i.value and "hotline-trends ingest" in i.value for i in app.info)


EVENT = '=HYPERLINK("https://e.vil") <b>Fest</b> ![p](https://e.vil/p.png)'


@pytest.fixture
def hostile_event(store, tmp_path):
    path = tmp_path / "events.csv"
    pd.DataFrame(
        {
            "event_id": ["evil-fest-2016", "evil-fest-2018"],
            "name": [EVENT, EVENT],
            "category": ["festival"] * 2,
            "start_date": ["2016-03-01", "2018-03-01"],
            "end_date": ["2016-03-03", "2018-03-03"],
            "city": ["[Miami](https://e.vil)"] * 2,
            "state": ["FL"] * 2,
            "source_id": ["user_events"] * 2,
        }
    ).to_csv(path, index=False)
    ingest(store, read_file(path))
    return store


def test_the_event_pages_keep_event_names_inert(hostile_event, downloads):
    app = page_app("event", {"event": "evil-fest-2016", "series": "nhth:cases"})
    assert not app.exception
    rendered = " ".join(e.value for e in [*app.markdown, *app.caption, *app.info, *app.subheader])
    assert "](https://e.vil" not in rendered and "<b>" not in rendered
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"].replace("<br>", " ") for c in app.get("plotly_chart")]
    assert titles and all(t.startswith('=HYPERLINK("https://e.vil") &lt;b&gt;Fest&lt;/b&gt;') for t in titles)
    study = page_app("event_types", {"type": "evil-fest", "series": "nhth:cases"})
    assert not study.exception
    exported = pd.read_csv(io.BytesIO(download_bytes(study, "types-1-csv", downloads)))
    assert exported["name"].tolist() == ["'" + EVENT] * 2
