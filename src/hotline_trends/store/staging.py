"""Writers: one at a time, each on a private copy of the store that is swapped in whole when it succeeds.

A write (an ingest, a build, a removal) takes ``hotline.lock`` (``flock``: the kernel releases it when
the process ends, however it ends), copies the published file to a staging file, works there, checkpoints
it and publishes it with ``os.replace``, which is atomic: readers see the old store or the new one, never
a mix, and never wait. A writer killed at any moment leaves the published file as it was and at worst a
staging file, which the next writer deletes (it holds the lock, so no one else can be using it).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from hotline_trends.errors import StoreBusy
from hotline_trends.store.connection import STAGE_PREFIX, Store, duckdb_config

DEFAULT_WAIT_SECONDS = 60.0
TIMEOUT_ENV = "HOTLINE_TRENDS_LOCK_TIMEOUT"


def wait_seconds() -> float:
    try:
        return float(os.environ.get(TIMEOUT_ENV, DEFAULT_WAIT_SECONDS))
    except ValueError:
        return DEFAULT_WAIT_SECONDS


@dataclass
class Draft:
    """A writer's copy of the store: ``con`` writes to it; ``keep()`` asks for it to be published."""

    con: duckdb.DuckDBPyConnection
    path: Path
    publish: bool = field(default=False)

    def keep(self) -> None:
        self.publish = True


def _holder(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 64).decode(errors="replace").strip()
    return f"process {text}" if text.isdigit() else "another process"


@contextmanager
def write_lock(
    store: Store, *, timeout: float | None = None, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the store's writer lock; wait up to ``timeout`` seconds for another writer, then ``StoreBusy``."""
    limit = wait_seconds() if timeout is None else timeout
    store.root.mkdir(parents=True, exist_ok=True)
    fd = os.open(store.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + limit
        delay, told = 0.02, False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(fd)
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        f"another write to the store {store.root} ({holder}) did not finish within {limit:.0f} s; "
                        f"wait for it and try again, or raise {TIMEOUT_ENV}"
                    ) from None
                if not told and on_wait:
                    on_wait(
                        f"Another write to the store is under way ({holder}); waiting up to {limit:.0f} s for it "
                        "(reading the store is not affected)…"
                    )
                    told = True
                time.sleep(delay)
                delay = min(delay * 1.5, 0.5)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def clear_stale_stages(store: Store) -> list[Path]:
    """Delete staging files left by killed writers. Call only while holding the writer lock."""
    stale = sorted(store.root.glob(STAGE_PREFIX + "*"))
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def _settle_wal(store: Store) -> None:
    """A store last written by an older version may have a WAL beside it: fold it in, in place, once.

    Copying the file without its WAL would lose what the WAL holds. A checkpoint is DuckDB's own crash-safe
    operation; readers retry for the moment it holds the file.
    """
    wal = store.db_path.with_name(store.db_path.name + ".wal")
    if not wal.exists():
        return
    deadline = time.monotonic() + wait_seconds()
    while True:
        try:
            con = duckdb.connect(str(store.db_path), config=duckdb_config())
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(stage: Path, store: Store) -> None:
    """Swap a checkpointed staging file in as the store, durably."""
    if stage.with_name(stage.name + ".wal").exists():
        raise RuntimeError(f"{stage} still has a WAL; refusing to publish a store that is not checkpointed")
    _fsync(stage)
    os.replace(stage, store.db_path)
    _fsync(store.root)


@contextmanager
def writing(
    store: Store, *, timeout: float | None = None, on_wait: Callable[[str], None] | None = None
) -> Iterator[Draft]:
    """A write session on a private copy of the store (schema in place), published only if ``keep()``-ed.

    Use it as ``with writing(store) as draft: draft.con.execute(...); draft.keep()``.

    Raises:
        StoreBusy: another writer held the store for ``timeout`` seconds (default 60, or
            ``$HOTLINE_TRENDS_LOCK_TIMEOUT``).
    """
    from hotline_trends.store.ddl import ensure_schema

    with write_lock(store, timeout=timeout, on_wait=on_wait):
        clear_stale_stages(store)
        stage = store.root / f"{STAGE_PREFIX}{os.getpid()}"
        if store.exists():
            _settle_wal(store)
            shutil.copyfile(store.db_path, stage)
        try:
            con = duckdb.connect(str(stage), config=duckdb_config())
            draft = Draft(con=con, path=stage)
            try:
                ensure_schema(con)
                yield draft
                if draft.publish:
                    con.execute("CHECKPOINT")
            finally:
                con.close()
            if draft.publish:
                publish(stage, store)
        finally:
            _remove(stage)


@contextmanager
def connect(store: Store, **kwargs) -> Iterator[duckdb.DuckDBPyConnection]:
    """A write connection whose changes are published when the block ends without an error."""
    with writing(store, **kwargs) as draft:
        yield draft.con
        draft.keep()
