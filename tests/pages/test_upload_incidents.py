"""The Data page's incident-list form: columns pre-set from the header, a preview of what the reader found,
an all-or-nothing ingest, and user text that never becomes markup."""

from __future__ import annotations

import hashlib

import pytest
from incident_export import sf_export
from streamlit.testing.v1 import AppTest
from support import assert_unchanged, page_app, snapshot

from hotline_trends.store.read import observations

pytestmark = pytest.mark.app

DATASET = "sf_upload_test"
MAPPING = "Prostitution=prostitution, Human Trafficking (A), Commercial Sex Acts=ht_commercial_sex"


def _facts(app: AppTest) -> dict[str, str]:
    table = next(df.value for df in app.dataframe if list(df.value.columns) == ["detected", "value"])
    return dict(table.values.tolist())


def _open(content: bytes, name: str = "Police_Department_Incident_Reports.csv") -> tuple[AppTest, str]:
    app = page_app("data_sources")
    app.file_uploader(key="incidents_file").set_value((name, content, "text/csv")).run()
    return app, hashlib.sha256(content).hexdigest()[:12]


def test_an_sf_export_is_mapped_previewed_and_added(store, tmp_path):
    path = tmp_path / "sf.csv"
    truth = sf_export(path, seed=11)
    app, key = _open(path.read_bytes())
    assert not app.exception
    assert app.selectbox(key=f"incidents_date_{key}").value == "Incident Date"
    assert app.selectbox(key=f"incidents_category_{key}").value == "Incident Category"
    assert app.text_input(key=f"incidents_region_{key}").value == "ori:CA03801"
    app.text_input(key=f"incidents_categories_{key}").set_value(MAPPING)
    app.text_input(key=f"incidents_dataset_{key}").set_value(DATASET).run()
    assert not app.exception
    facts = _facts(app)
    assert facts["columns used"].startswith("date: Incident Date, category: Incident Category, id: Incident ID")
    assert facts["range counted"] == "2025-01-06..2025-03-16" and facts["days"] == "70"
    assert facts["rows skipped"] == "blank date: 1"
    per = next(df.value for df in app.dataframe if "counted" in df.value.columns)
    expected = truth.groupby("category")["incidents"].sum()
    assert dict(zip(per["category"], per["counted"], strict=True)) == {
        c: expected[c] for c in ("Prostitution", "Human Trafficking (A), Commercial Sex Acts")
    }
    assert any(
        t.value == f"Adds 140 new and 0 revised daily counts to dataset {DATASET}, region ori:CA03801, metrics "
        "ht_commercial_sex, prostitution."
        for t in app.text
    )
    before = len(observations(store))
    app.button(key="incidents_add").click().run()
    assert not app.exception
    assert any("added to the store as ingest #" in s.value for s in app.success)
    added = observations(store, dataset=DATASET)
    assert len(observations(store)) == before + 2 * 70  # two metrics, every day of the range
    days = truth.loc[truth["category"] == "Prostitution"].set_index("day")["incidents"]
    result = added.loc[added["metric"] == "prostitution"].set_index("period_start")["value"]
    assert result.sum() == days.sum() and (result.reindex(days.index) == days).all()
    assert (result.drop(days.index) == 0).all()  # a day without a row is 0


def test_a_bad_mapping_says_what_is_wrong_and_changes_nothing(store, tmp_path):
    path = tmp_path / "sf.csv"
    sf_export(path, seed=12)
    before = snapshot(store)
    app, key = _open(path.read_bytes())
    app.text_input(key=f"incidents_categories_{key}").set_value("Prostitution is a metric").run()
    assert not app.exception
    assert any("cannot be added" in e.value for e in app.error)
    assert any("VALUE=metric" in c.value for c in app.code)
    assert not [b for b in app.button if b.key == "incidents_add"]
    assert_unchanged(before, snapshot(store))


def test_categories_from_the_file_are_never_rendered_as_markup(store, tmp_path):
    hostile = "<img src=x onerror=alert(1)> **bold** [link](http://example.com)"
    text = f"Incident Date,Incident Category,Incident ID\n2025/01/01,{hostile},1\n2025/01/02,Prostitution,2\n"
    app, _ = _open(text.encode(), name="<b>list</b>.csv")
    assert not app.exception
    markdown = [m.value for m in [*app.markdown, *app.caption, *app.success, *app.error, *app.info]]
    assert not [m for m in markdown if "onerror" in m or "**bold**" in m or "<b>list" in m]
    per = next(df.value for df in app.dataframe if "counted" in df.value.columns)
    assert hostile in set(per["category"])  # shown as plain text in a table
