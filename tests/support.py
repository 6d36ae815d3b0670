"""Helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
from streamlit.testing.v1 import AppTest

from hotline_trends.paths import REPO_ROOT
from hotline_trends.schema import SPECS
from hotline_trends.store import Store
from hotline_trends.store.read import query

DATA = Path(__file__).parent / "data"
ARTIFACTS = REPO_ROOT / "test-artifacts"
# the browser tests' dashboard server writes its stderr here (one file per pytest-xdist worker)
SERVER_LOG = ARTIFACTS / f"streamlit-server-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def snapshot(store: Store) -> dict[str, pd.DataFrame]:
    """Every version of every table plus the ingest log, in a stable order, for before/after comparisons."""
    result = {}
    for spec in SPECS.values():
        frame = query(store, f"SELECT * FROM {spec.name}_v")
        result[spec.name] = frame.sort_values(list(frame.columns), na_position="first").reset_index(drop=True)
    result["ingests"] = query(store, "SELECT * FROM ingests ORDER BY ingest_id")
    return result


def assert_unchanged(before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]) -> None:
    assert before.keys() == after.keys()
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)


def non_local(urls: list[str]) -> list[str]:
    return [
        u
        for u in urls
        if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).hostname not in LOCAL_HOSTS
    ]


def screenshot(page, name: str, *, height: int = 2400) -> Path:
    """Save a tall screenshot: Streamlit scrolls inside its own container, so full_page alone shows one screen."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    width = page.viewport_size["width"] if page.viewport_size else 1400
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(800)
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_app(page) -> None:
    """Wait until the script has run to the end and the page shows its title.

    Streamlit marks its root with ``data-test-script-state`` ('initial' before the websocket connects, then
    'running' and 'notRunning'), and draws skeletons while the code of a widget type is still loading;
    waiting for 'notRunning', a heading and no skeleton never catches the page half-drawn.
    """
    page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.getAttribute('data-test-script-state') === 'notRunning'
                && document.querySelector('h1') !== null
                && !document.querySelector('[data-testid="stStatusWidget"]')
                && !document.querySelector('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]');
        }""",
        timeout=90_000,
    )
    page.wait_for_timeout(300)


def page_app(module: str, query: dict[str, str] | None = None) -> AppTest:
    """One dashboard page run on its own (the router registers callables, which AppTest cannot switch to)."""
    script = (
        "import streamlit as st\n"
        "st.set_page_config(page_title='Hotline Trends', layout='wide')\n"
        f"from hotline_trends.pages import {module}\n"
        f"{module}.run()\n"
    )
    app = AppTest.from_string(script, default_timeout=120)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    return app.run()


def query_value(app: AppTest, key: str) -> str | None:
    """A query parameter as one string (AppTest may hold a list)."""
    value = app.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def download_bytes(app: AppTest, key: str, managers: list) -> bytes:
    """The bytes a download button would send; deferred ones are generated as a click would.

    ``managers`` are the media file managers of the runs (the ``downloads`` fixture records them); the last
    one holds the files of the last run.
    """
    button = next(b for b in app.get("download_button") if b.key == key)
    manager = managers[-1]
    url = manager.execute_deferred(button.proto.deferred_file_id) if button.proto.deferred_file_id else button.proto.url
    stored = manager.read_file(url.rsplit("/", 1)[1].split(".")[0])
    assert stored is not None, f"no file behind download button {key}"
    return stored.content


TRACEBACK = "Traceback (most recent call last)"
# Elements whose protos hold data (arrow tables, figure JSON), not text a page writes: not scanned for tracebacks.
DATA_ELEMENTS = {"dataframe", "arrow_data_frame", "table", "plotly_chart", "download_button"}


def elements(node) -> list:
    """Every element under an AppTest node (blocks opened), in page order."""
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        return [e for child in children.values() for e in elements(child)]
    return [node]


def page_problems(app: AppTest) -> list[str]:
    """What a page shows that it never should: exceptions, the guard's apology, a traceback in any text."""
    from hotline_trends.pages.guard import APOLOGY

    found = []
    for element in elements(app._tree):
        if element.type == "exception":
            found.append(f"exception: {element.message} {''.join(element.stack_trace)[-1500:]}")
        elif element.type not in DATA_ELEMENTS:
            text = str(element.proto)
            if APOLOGY in text or TRACEBACK in text:
                found.append(f"{element.type}: {text[:1500]}")
    return found
