"""Helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from hotline_trends.paths import REPO_ROOT
from hotline_trends.schema import SPECS
from hotline_trends.store import Store
from hotline_trends.store.read import query

DATA = Path(__file__).parent / "data"
ARTIFACTS = REPO_ROOT / "test-artifacts"
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
    """Streamlit renders after its websocket connects; wait until the script has finished running."""
    page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(500)
