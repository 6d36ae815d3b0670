"""The Data page's counts form: a plain date,tips file + dataset, metric, region and a description → a check →
Add → the Region page shows it as "your upload: ..." → describe its source → Undo. Errors in plain words."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from support import assert_unchanged, page_app, snapshot

from hotline_trends.store.read import observations, sources

pytestmark = pytest.mark.app

TIPS = b"date,tips\n2024-03-01,12\n2024-03-02,9\n2024-03-03,\n2024-03-04,15\n"


def _fill(app: AppTest, content: bytes, *, region: str = "TX", description: str = "Houston tip log") -> AppTest:
    app.file_uploader(key="simple_upload_file").set_value(("tips.csv", content, "text/csv"))
    app.text_input(key="simple_upload_dataset").set_value("Houston tip line")
    app.text_input(key="simple_upload_metric").set_value("tips")
    app.selectbox(key="simple_upload_region").set_value(region)
    app.text_input(key="simple_upload_description").set_value(description)
    return app.run()


def _texts(app: AppTest) -> str:
    parts = [e.value for e in [*app.markdown, *app.caption, *app.error, *app.success, *app.info, *app.text]]
    parts += [str(df.value.to_dict("list")) for df in app.dataframe]
    return "\n".join(str(p) for p in parts)


def test_a_date_tips_file_is_checked_added_shown_as_yours_described_and_undone(store):
    before = snapshot(store)
    app = _fill(page_app("data_sources"), TIPS)
    assert not app.exception
    assert observations(store, dataset="houston_tip_line").empty  # nothing written before the button
    detected = next(df.value for df in app.dataframe if list(df.value.columns) == ["found", "value"])
    assert dict(detected.values.tolist())["count column"] == "tips"
    app.button(key="simple_upload_add").click().run()
    assert not app.exception
    rows = observations(store, dataset="houston_tip_line")
    assert rows["value"].tolist() == [12, 9, 15] and set(rows["metric"]) == {"tips"}
    assert any("your upload: Houston tip log" in t.value for t in app.text)

    region = page_app("region", {"state": "TX"})
    assert not region.exception
    names = [trace.name for chart in region.get("plotly_chart") for trace in _figure(chart).data]
    # a daily upload is drawn as weekly sums: its legend entries add what they show after the name
    assert any((n or "").replace("<br>", " ").startswith("tips: your upload: Houston tip log") for n in names)
    notes = " ".join(_annotations(region))
    assert "your upload: Houston tip log" in notes and "publisher not stated" not in notes

    app.selectbox(key="simple_upload_describe_source").set_value(rows["source_id"].iloc[0])
    app.text_input(key="simple_upload_publisher").set_value("Houston HTRT")
    app.text_input(key="simple_upload_location").set_value("https://example.org/tips")
    app.text_input(key="simple_upload_terms").set_value("CC BY 4.0")
    app.button(key="FormSubmitter:simple_upload_describe-Save the description").click().run()
    assert not app.exception
    described = sources(store).set_index("source_id").loc[rows["source_id"].iloc[0]]
    assert (described["publisher"], described["terms"]) == ("Houston HTRT", "CC BY 4.0")

    app.button(key="simple_upload_undo").click().run()
    assert not app.exception
    assert observations(store, dataset="houston_tip_line").empty
    after = snapshot(store)
    assert after.pop("ingests")["status"].tolist().count("removed") == 1  # kept in the log, marked removed
    before.pop("ingests")
    # Undo takes back the counts; the description is an ingest of its own and stays (with no counts citing it)
    for table in ("observations", "regions", "events", "population", "agencies"):
        assert_unchanged({table: before[table]}, {table: after[table]})


def test_a_bad_file_lists_its_problems_in_plain_words_and_changes_nothing(store):
    before = snapshot(store)
    app = _fill(page_app("data_sources"), b"date,tips\n03/01/2024,1\n2024-03-02,many\n")
    assert not app.exception
    problems = next(df.value for df in app.dataframe if list(df.value.columns) == ["line", "column", "problem"])
    assert problems["line"].tolist() == [2, 3]
    assert "write dates as YYYY-MM-DD" in problems["problem"].iloc[0]
    text = _texts(app)
    assert "--" not in text.split("Add your own counts")[-1].split("Add your own data")[0]  # no CLI flags here
    assert_unchanged(before, snapshot(store))


def test_a_description_with_markup_is_shown_as_text(store):
    app = _fill(page_app("data_sources"), TIPS, description="<img src=x onerror=alert(1)> **bold**")
    app.button(key="simple_upload_add").click().run()
    assert not app.exception
    assert any(t.value == "Shown in charts as: your upload: <img src=x onerror=alert(1)> **bold**" for t in app.text)
    assert all("<img" not in m.value for m in app.markdown)


def _figure(element):
    import plotly.io as pio

    return pio.from_json(element.proto.spec)


def _annotations(app: AppTest) -> list[str]:
    return [a.text for chart in app.get("plotly_chart") for a in _figure(chart).layout.annotations]
