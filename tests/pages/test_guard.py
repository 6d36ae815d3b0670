"""Every page runs in one guard: a UserError is its sentence, anything else a short apology with what to
report; the traceback goes to the server log, never to the page."""

from __future__ import annotations

import logging
import re

import pytest
from streamlit.testing.v1 import AppTest
from support import TRACEBACK, elements, page_problems

from hotline_trends.pages.guard import APOLOGY
from hotline_trends.paths import REPO_ROOT

pytestmark = pytest.mark.app

SCRIPT = """
import streamlit as st
from hotline_trends.errors import UserError
from hotline_trends.pages.guard import guarded

def run():
    st.title("Boom")
    kind = st.query_params.get("kind")
    if kind == "bug":
        [][1]  # an IndexError, as a page bug would raise
    if kind == "user":
        raise UserError("unknown region 'ZZ'; use a **USPS** code ![x](http://example.com/x.png)")
    if kind == "stop":
        st.stop()
    st.write("the end")

guarded(run)()
"""


def _run(kind: str) -> AppTest:
    app = AppTest.from_string(SCRIPT, default_timeout=30)
    app.query_params["kind"] = kind
    return app.run()


def _ours(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "hotline_trends.dashboard"]


def _texts(app: AppTest) -> str:
    return "\n".join(str(e.proto) for e in elements(app._tree))


def test_an_unexpected_error_is_a_short_apology_and_the_traceback_goes_to_the_log(caplog):
    with caplog.at_level(logging.ERROR, logger="hotline_trends.dashboard"):
        app = _run("bug")
    assert not app.exception
    assert [e.value for e in app.error] == [APOLOGY]
    report = app.code[0].value
    assert re.fullmatch(
        r"page: __main__\nlink: \?kind=bug\ntime: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\nreference: [0-9a-f]{8}\n"
        r"error: IndexError",
        report,
    ), report
    assert TRACEBACK not in _texts(app) and "list index out of range" not in _texts(app)
    assert [e.value for e in app.markdown if e.value == "the end"] == []
    (record,) = _ours(caplog)
    reference = report.split("reference: ")[1].split("\n")[0]
    assert reference in record.getMessage() and "kind=bug" in record.getMessage()
    assert record.exc_info and record.exc_info[0] is IndexError
    assert page_problems(app)  # the sweep's check sees it


def test_a_user_error_is_its_plain_sentence(caplog):
    with caplog.at_level(logging.ERROR, logger="hotline_trends.dashboard"):
        app = _run("user")
    assert not app.exception and not app.error and not _ours(caplog)
    (warning,) = app.warning
    assert "unknown region 'ZZ'" in warning.value
    assert "![x](" not in warning.value and "**USPS**" not in warning.value  # shown as typed, not as Markdown
    assert page_problems(app) == []


@pytest.mark.parametrize("kind", ["stop", "none"])
def test_streamlit_control_flow_and_plain_pages_pass_through(kind):
    app = _run(kind)
    assert not app.exception and not app.error and not app.warning
    assert ("the end" in [m.value for m in app.markdown]) is (kind == "none")


def test_the_router_runs_every_page_in_the_guard(store, monkeypatch, caplog):
    from hotline_trends.pages import overview

    def broken() -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(overview, "run", broken)
    with caplog.at_level(logging.ERROR, logger="hotline_trends.dashboard"):
        app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60).run()
    assert not app.exception
    assert [e.value for e in app.error] == [APOLOGY]
    assert app.code[0].value.startswith("page: Overview\n") and "error: RuntimeError" in app.code[0].value
    assert TRACEBACK not in _texts(app) and len(_ours(caplog)) == 1
