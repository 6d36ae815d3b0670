"""Browser tests: the real app served by Streamlit, driven by Playwright in Debian's chromium (never a
downloaded browser). Without /usr/bin/chromium they skip, except under CI=true where they fail."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from support import SERVER_LOG

from hotline_trends.chromium import HEADLESS_FLAGS as FLAGS
from hotline_trends.chromium import chromium_path
from hotline_trends.paths import REPO_ROOT, STORE_ENV

CHROMIUM = chromium_path()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": FLAGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}, "accept_downloads": True}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(store_dir: Path, log_path: Path | None = None) -> Iterator[str]:
    """The dashboard on a free local port, reading the store in ``store_dir``; yields its URL.

    Its stderr goes to ``log_path`` (default: next to the store).
    """
    port = _free_port()
    env = {**os.environ, STORE_ENV: str(store_dir)}
    # The server's log goes to a file: a pipe nobody reads would stall the server once it filled up.
    log_path = log_path or store_dir.parent / f"streamlit-{port}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("w+b")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO_ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log.seek(0)
                raise RuntimeError(f"streamlit did not start: {log.read().decode()[-2000:]}") from None
            time.sleep(0.3)
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def dashboard_server():
    """``serve``: start another dashboard on a store of the test's own (``with dashboard_server(dir) as url``)."""
    return serve


@pytest.fixture(scope="session")
def app_url(bundled_store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard on a free local port, on a private copy of the bundled store."""
    store_dir = tmp_path_factory.mktemp("browser-store")
    shutil.copy2(bundled_store.db_path, store_dir / "hotline.duckdb")
    with serve(store_dir, SERVER_LOG) as url:
        yield url


@pytest.fixture
def requests_seen(page) -> list[str]:
    """Every URL the page requests, to prove nothing leaves the machine."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen
