"""Upload round trip on the Data page, driven by AppTest's own file_uploader (Streamlit 1.67)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from support import DATA, assert_unchanged, page_app, snapshot

from hotline_trends.store.read import observations, query

pytestmark = pytest.mark.app


def _upload(name: str, content: bytes, mime: str = "text/csv") -> AppTest:
    app = page_app("data_sources")
    app.file_uploader(key="upload_file").set_value((name, content, mime)).run()
    return app


# st.dataframe keeps no user key in AppTest unless it is selectable, so tables are found by their columns.
SIGNATURES = {
    "upload_detected": ["detected", "value"],
    "upload_problems": ["kind", "line", "column", "problem"],
    "upload_preview_observations": ["dataset", "region", "period_start", "period_end", "metric", "value", "_line"],
}


def _frame(app: AppTest, key: str):
    return next(df.value for df in app.dataframe if list(df.value.columns) == SIGNATURES[key])


def test_upload_shows_detected_preview_problems_then_adds(store):
    content = (DATA / "wide" / "good" / "by_metric_year_column.csv").read_bytes()
    app = _upload("by_metric_year_column.csv", content)
    app.text_input(key="upload_dataset").set_value("my_tipline").run()
    assert not app.exception
    detected = dict(_frame(app, "upload_detected").values.tolist())
    assert (detected["format"], detected["layout"], detected["delimiter"]) == ("wide", "one column per metric", "comma")
    preview = _frame(app, "upload_preview_observations")
    assert {"region", "metric", "value"} <= set(preview.columns) and len(preview) == 7
    problems = _frame(app, "upload_problems")
    assert problems["problem"].str.contains("'Total' row is a sum").any()
    assert observations(store, dataset="my_tipline").empty  # nothing written before the button
    app.button(key="upload_add").click().run()
    assert not app.exception
    assert any("Added to the store as ingest #" in s.value for s in app.success)
    rows = observations(store, dataset="my_tipline")
    assert sorted(rows["region"].unique()) == ["DC", "FL", "PR", "TX"] and len(rows) == 7
    datasets = app.dataframe[0].value  # the page's datasets table now includes the upload
    assert "my_tipline" in set(datasets["dataset"])
    saved = list((store.uploads_dir).glob("*/by_metric_year_column.csv"))
    assert len(saved) == 1 and saved[0].read_bytes() == content


def test_a_rejected_upload_lists_problems_and_changes_nothing(store):
    before = snapshot(store)
    app = _upload("tips.csv", b"State,2023,2024\nTexas,1204,987\nNarnia,5,6\n")
    app.text_input(key="upload_dataset").set_value("my_tipline").run()
    app.text_input(key="upload_metric").set_value("tips").run()
    assert not app.exception
    problems = _frame(app, "upload_problems")
    assert problems.values.tolist()[0][:3] == ["rejected", 3, "region"]
    assert "Narnia" in problems["problem"].iloc[0]
    assert [e.value for e in app.error][0].startswith("This file cannot be added")
    assert not [b for b in app.button if b.key == "upload_add"]
    assert_unchanged(before, snapshot(store))


def test_user_text_is_never_rendered_as_markdown(store):
    app = _upload("x.csv", b"State,2024\n<b>**bold**</b> [link](http://example.com),5\n")
    app.text_input(key="upload_dataset").set_value("d").run()
    app.text_input(key="upload_metric").set_value("m").run()
    rendered = " ".join(m.value for m in app.markdown)
    assert "**bold**" not in rendered and "example.com" not in rendered


def test_a_calendar_upload_lists_events_that_need_a_state(store):
    app = _upload("calendar.ics", (DATA / "ical" / "good" / "calendar.ics").read_bytes(), "text/calendar")
    assert not app.exception
    problems = _frame(app, "upload_problems")
    needs = problems[problems["kind"] == "needs a state"]
    assert needs["problem"].str.contains("events assign online-summit-").all() and len(needs) == 1
    app.button(key="upload_add").click().run()
    flagged = query(store, "SELECT event_id FROM events WHERE flag IS NOT NULL")
    assert flagged["event_id"].str.startswith("online-summit-").all() and len(flagged) == 1


def test_the_page_states_the_upload_limit(store):
    app = page_app("data_sources")
    assert any("Files up to" in c.value and "MB" in c.value and "maxUploadSize" in c.value for c in app.caption)


# One file per format that needs no option: each goes through the page to the store.
FORMATS = [
    ("hotline_table/good/page.html", "hotline-table", "text/html"),
    ("hotline_page/good/texas.html", "hotline-page", "text/html"),
    ("fbi_cde/good/plain.csv", "fbi-cde", "text/csv"),
    ("census/good/NST-EST2024-ALLDATA.csv", "census-nst", "text/csv"),
    ("events/good/events.xlsx", "events", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("tidy/good/plain.xlsx", "tidy-xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
]


@pytest.mark.parametrize(("name", "fmt", "mime"), FORMATS, ids=[f[1] for f in FORMATS])
def test_every_format_can_be_uploaded(store, name, fmt, mime):
    app = _upload(name.split("/")[-1], (DATA / name).read_bytes(), mime)
    assert not app.exception
    assert dict(_frame(app, "upload_detected").values.tolist())["format"] == fmt
    app.button(key="upload_add").click().run()
    assert any("Added to the store as ingest #" in s.value for s in app.success)
