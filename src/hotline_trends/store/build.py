"""Build (or refresh) the store from the bundled tables in ``data/``.

Each bundled file is an ordinary ingest, so a rebuild is harmless: unchanged files change nothing, a
changed bundled file becomes revisions, and whatever a user ingested stays. All of them run on one
private copy of the store, published once at the end together with a completion marker (the digest of
the bundled files, in ``meta``): a build that is killed publishes nothing, and ``needs_build`` trusts
only the marker, never a file's age.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import duckdb

from hotline_trends.ingest.tidy import read_tidy_csv
from hotline_trends.paths import BUNDLED_TABLES, bundled_file
from hotline_trends.store.apply import IngestReport, ingest_into
from hotline_trends.store.connection import Store, reading
from hotline_trends.store.staging import writing

MARKER = "built_from"


def bundled_digest() -> str:
    """sha256 over the bundled tables' names and contents: what a finished build records last."""
    digest = hashlib.sha256()
    for table in BUNDLED_TABLES:
        digest.update(f"{table}\n".encode())
        digest.update(hashlib.sha256(bundled_file(table).read_bytes()).hexdigest().encode())
    return digest.hexdigest()


def _marker(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        found = con.execute("SELECT value FROM meta WHERE key = ?", [MARKER]).fetchone()
    except duckdb.CatalogException:
        return None
    return found[0] if found else None


def build(store: Store, *, progress: Callable[[str], None] | None = None) -> list[IngestReport]:
    """Ingest every bundled table, in dependency order, and mark the build complete; one report per file.

    Nothing is published unless every file went in: the marker is written last, in the same copy.
    """
    reports = []
    digest = bundled_digest()
    with writing(store, on_wait=progress) as draft:
        for table in BUNDLED_TABLES:
            path = bundled_file(table)
            if progress:
                progress(f"reading {path.name}")
            reports.append(ingest_into(draft.con, read_tidy_csv(path, table=table)))
        changed = any(r.ingest_id is not None for r in reports)
        if changed or _marker(draft.con) != digest:
            draft.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [MARKER, digest])
            draft.keep()
    return reports


def stale_reason(store: Store) -> str | None:
    """Why the store needs a build, or None when it holds the completion marker of the current data."""
    if not store.exists():
        return "there is no store yet"
    with reading(store) as con:
        marker = _marker(con)
    if marker is None:
        return "the store records no finished build (the last one may have been interrupted)"
    if marker != bundled_digest():
        return "data/*.csv changed since the last finished build"
    return None


def needs_build(store: Store) -> bool:
    """True unless the store holds the completion marker of a build from the current bundled files."""
    return stale_reason(store) is not None
