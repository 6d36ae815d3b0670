"""The 'Add an event' form: adds with the same checks as an events file, shows problems in plain words,
keeps typed text inert, and takes the event back."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest
from support import assert_unchanged, snapshot

from hotline_trends.store.read import query

pytestmark = pytest.mark.app
SCRIPT = "from hotline_trends.pages.add_event import add_event_section\nadd_event_section()\n"
HOSTILE = "<b>Race</b> [click](https://e.vil) <img src=https://e.vil/i.png>"


def _fill(app: AppTest, **fields) -> AppTest:
    for key, value in fields.items():
        widget = f"add_event_{key}"
        if key in ("start", "end"):
            app.date_input(key=widget).set_value(value)
        elif key == "state":
            app.selectbox(key=widget).set_value(value)
        else:
            app.text_input(key=widget).input(value)
    next(b for b in app.button if b.label == "Add event").click()
    return app.run()


def _rendered(app: AppTest) -> str:
    return " ".join(str(e.value) for e in [*app.markdown, *app.caption, *app.success, *app.error, *app.info])


def test_the_form_adds_an_event_and_takes_it_back(store):
    app = AppTest.from_string(SCRIPT, default_timeout=60).run()
    app = _fill(
        app, id="river-race-2027", name=HOSTILE, start=date(2027, 6, 5), end=date(2027, 6, 6), city="Austin",
        state="TX", type="Boat race",
    )  # fmt: skip
    assert not app.exception
    row = query(store, "SELECT * FROM events WHERE event_id = 'river-race-2027'").iloc[0]
    assert (row["name"], row["state"], row["event_type"]) == (HOSTILE, "TX", "Boat race")
    assert "Added as ingest #" in _rendered(app)
    assert "<img" not in _rendered(app) and "](https://e.vil" not in _rendered(app)
    next(b for b in app.button if b.key == "add_event_undo").click()
    app = app.run()
    assert not app.exception
    assert query(store, "SELECT * FROM events WHERE event_id = 'river-race-2027'").empty


def test_the_form_lists_every_problem_per_field_and_changes_nothing(store):
    before = snapshot(store)
    app = AppTest.from_string(SCRIPT, default_timeout=60).run()
    app = _fill(app, id="my race", name="", start=date(2027, 6, 5), end=date(2027, 6, 1), attendance="lots")
    assert not app.exception
    assert "was not added; the store is unchanged" in " ".join(e.value for e in app.error)
    problems = next(df.value for df in app.dataframe if list(df.value.columns) == ["field", "problem"])
    assert {"Event id", "Name", "Last day", "Attendance"} <= set(problems["field"])
    assert problems["problem"].str.contains("is before start_date").any()
    assert_unchanged(before, snapshot(store))


def test_a_taken_id_is_explained(store):
    app = AppTest.from_string(SCRIPT, default_timeout=60).run()
    app = _fill(app, id="super-bowl-2027", name="Mine", start=date(2027, 2, 14), end=date(2027, 2, 14))
    problems = next(df.value for df in app.dataframe if list(df.value.columns) == ["field", "problem"])
    assert problems["problem"].str.contains("already an event 'super-bowl-2027'").all()
