"""Open the store, waiting politely while another process (a CLI ingest, the dashboard) holds it.

DuckDB lets one process at a time open a database file for writing. Every connection here is short-lived,
so a reader or writer that finds the file locked waits and retries, saying so once, instead of failing.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from hotline_trends.errors import StoreBusy
from hotline_trends.paths import store_dir

DEFAULT_WAIT_SECONDS = 60.0
TIMEOUT_ENV = "HOTLINE_TRENDS_LOCK_TIMEOUT"
MEMORY_ENV = "HOTLINE_TRENDS_MEMORY"


@dataclass(frozen=True)
class Store:
    """A store directory: the DuckDB file plus saved uploads.

    Example:
        >>> Store(Path("/tmp/ht")).db_path
        PosixPath('/tmp/ht/hotline.duckdb')
    """

    root: Path

    @classmethod
    def default(cls) -> Store:
        """The store named by ``$HOTLINE_TRENDS_STORE``, else ``data/store``."""
        return cls(store_dir())

    @property
    def db_path(self) -> Path:
        return self.root / "hotline.duckdb"

    @property
    def uploads_dir(self) -> Path:
        return self.root / "uploads"

    def exists(self) -> bool:
        return self.db_path.exists()

    def version(self) -> str:
        """A token that changes whenever the store's files change; cheap, takes no lock (for UI caches)."""
        parts = []
        for path in (self.db_path, self.db_path.with_name(self.db_path.name + ".wal")):
            try:
                st = path.stat()
                parts.append(f"{st.st_mtime_ns}:{st.st_size}")
            except FileNotFoundError:
                parts.append("-")
        return "/".join(parts)


def _lock_holder(message: str) -> str:
    match = re.search(r"PID (\d+)", message)
    return f"process {match.group(1)}" if match else "another process"


def wait_seconds() -> float:
    try:
        return float(os.environ.get(TIMEOUT_ENV, DEFAULT_WAIT_SECONDS))
    except ValueError:
        return DEFAULT_WAIT_SECONDS


@contextmanager
def connect(
    store: Store,
    *,
    timeout: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the store with its schema in place, closed on exit.

    Args:
        store: which store to open (created if missing).
        timeout: seconds to keep retrying while another process holds the file (default 60, or
            ``$HOTLINE_TRENDS_LOCK_TIMEOUT``).
        on_wait: called once with a human message when we start waiting.

    Raises:
        StoreBusy: the file stayed locked for ``timeout`` seconds.
    """
    from hotline_trends.store.ddl import ensure_schema

    limit = wait_seconds() if timeout is None else timeout
    store.root.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + limit
    delay, told = 0.05, False
    config = {"memory_limit": os.environ.get(MEMORY_ENV, "1GB")}
    while True:
        try:
            con = duckdb.connect(str(store.db_path), config=config)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            holder = _lock_holder(str(exc))
            if time.monotonic() >= deadline:
                raise StoreBusy(
                    f"the store {store.db_path} is in use by {holder} and stayed locked for {limit:.0f} s; "
                    f"wait for it to finish (or close it) and try again, or raise {TIMEOUT_ENV}"
                ) from None
            if not told and on_wait:
                on_wait(f"The store is in use by {holder}; waiting up to {limit:.0f} s for it…")
                told = True
            time.sleep(delay)
            delay = min(delay * 1.5, 1.0)
    try:
        ensure_schema(con)
        yield con
    finally:
        con.close()
