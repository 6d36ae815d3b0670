"""Shared fixtures: a bundled store built once per session, throwaway copies for tests that write."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from monitor_helpers import add_daily, without_daily

from hotline_trends.cli import main
from hotline_trends.paths import STORE_ENV
from hotline_trends.store import Store
from hotline_trends.store.build import build


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The store built from data/*.csv. Read-only: tests that write use ``store``."""
    store = Store(tmp_path_factory.mktemp("bundled"))
    build(store)
    return store


@pytest.fixture
def store(bundled_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A private copy of the bundled store, also made the default via $HOTLINE_TRENDS_STORE."""
    copy = Store(tmp_path / "store")
    copy.root.mkdir()
    shutil.copy2(bundled_store.db_path, copy.db_path)
    monkeypatch.setenv(STORE_ENV, str(copy.root))
    return copy


@pytest.fixture
def empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    fresh = Store(tmp_path / "empty-store")
    monkeypatch.setenv(STORE_ENV, str(fresh.root))
    return fresh


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run the CLI in-process: ``cli("query", "--region", "FL")``."""

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def no_daily(tmp_path, monkeypatch):
    """The bundled tables without their daily rows (the San Francisco police days), as the default store."""
    store = without_daily(tmp_path)
    monkeypatch.setenv(STORE_ENV, str(store.root))
    return store


@pytest.fixture
def daily(store, tmp_path):
    """The bundled store plus a seeded daily series with a lasting +50% rise on 2024-08-13."""
    return add_daily(store, tmp_path, days=240, step_day=225, seed=9)
