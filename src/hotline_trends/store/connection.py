"""The store on disk, and how it is read: from the published file, read-only, never waiting for a writer.

The store is one DuckDB file that is never written in place. A writer works on a private copy and swaps
it in whole with ``os.replace`` (``store/staging.py``), so the file at ``hotline.duckdb`` is always a
complete store. A reader attaches whatever file is published when it starts, read-only: it takes no lock
a writer waits for, and a writer takes none it waits for. A read that began before a swap finishes on the
old file (POSIX keeps an unlinked file's data until it is closed); the next read sees the new one.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from hotline_trends.errors import StoreMissing
from hotline_trends.paths import STORE_ENV, store_dir

MEMORY_ENV = "HOTLINE_TRENDS_MEMORY"
STAGE_PREFIX = ".hotline.duckdb.stage-"


def duckdb_config() -> dict[str, str]:
    return {"memory_limit": os.environ.get(MEMORY_ENV, "1GB")}


@dataclass(frozen=True)
class Store:
    """A store directory: the DuckDB file, the writers' lock file and saved uploads.

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
    def lock_path(self) -> Path:
        return self.root / "hotline.lock"

    @property
    def uploads_dir(self) -> Path:
        return self.root / "uploads"

    def exists(self) -> bool:
        return self.db_path.exists()

    def version(self) -> str:
        """A token that changes whenever a writer publishes; cheap, takes no lock (the UI's cache key).

        Every publish is a new file, so its inode and mtime change even when its size does not.
        """
        try:
            st = self.db_path.stat()
        except FileNotFoundError:
            return "-"
        return f"{st.st_ino}:{st.st_mtime_ns}:{st.st_size}"

    def missing(self) -> StoreMissing:
        return StoreMissing(
            f"there is no store at {self.root}; build it with: hotline-trends build "
            f"(or set {STORE_ENV} to a store that exists)"
        )


# One in-memory DuckDB per process to attach published files to: attaching costs milliseconds where a new
# database instance costs a hundred. Each read attaches the file under its own name and detaches it after,
# so a read never reuses a file a writer has since replaced (a plain read-only connect would: DuckDB caches
# open databases by path).
_host: tuple[int, duckdb.DuckDBPyConnection] | None = None
_host_lock = threading.Lock()
_names = itertools.count()


def _cursor() -> duckdb.DuckDBPyConnection:
    global _host
    with _host_lock:
        if _host is None or _host[0] != os.getpid():  # a forked child gets its own
            _host = (os.getpid(), duckdb.connect(":memory:", config=duckdb_config()))
        return _host[1].cursor()


def _attach(cur: duckdb.DuckDBPyConnection, store: Store, name: str) -> None:
    """Attach the published file; retry briefly while a store from an older version settles its WAL."""
    path = str(store.db_path).replace("'", "''")
    deadline = time.monotonic() + 10
    while True:
        try:
            cur.execute(f"ATTACH '{path}' AS {name} (READ_ONLY)")
            return
        except duckdb.IOException as exc:
            if not store.exists():
                raise store.missing() from None
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _current_schema(cur: duckdb.DuckDBPyConnection) -> bool:
    from hotline_trends.store.ddl import schema_fingerprint

    try:
        found = cur.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except duckdb.CatalogException:
        return False
    return bool(found) and found[0] == schema_fingerprint()


@contextmanager
def reading(store: Store) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only cursor on the store as last published; never waits for a writer.

    A store written by an older version is upgraded first (a write, so that once it waits for a
    running ingest). Raises ``StoreMissing`` (and creates nothing) when there is no store.
    """
    for attempt in range(2):
        cur = _cursor()
        name = f"published_{next(_names)}"
        try:
            _attach(cur, store, name)
            cur.execute(f"USE {name}")
            if attempt == 0 and not _current_schema(cur):
                upgrade = True
            else:
                upgrade = False
                yield cur
        finally:
            try:
                cur.execute("USE memory")
                cur.execute(f"DETACH DATABASE IF EXISTS {name}")
            finally:
                cur.close()
        if not upgrade:
            return
        from hotline_trends.store.staging import writing

        with writing(store) as draft:  # the schema is brought up to date on the copy
            draft.keep()
