"""Shared fixtures: a bundled store built once per session, throwaway copies for tests that write."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

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
