"""Build (or refresh) the store from the bundled tables in ``data/``.

Each bundled file is an ordinary ingest, so a rebuild is harmless: unchanged files change nothing, a
changed bundled file becomes revisions, and whatever a user ingested stays.
"""

from __future__ import annotations

from collections.abc import Callable

from hotline_trends.ingest.tidy import read_tidy_csv
from hotline_trends.paths import BUNDLED_TABLES, bundled_file
from hotline_trends.store.apply import IngestReport, ingest
from hotline_trends.store.connection import Store


def build(store: Store, *, progress: Callable[[str], None] | None = None) -> list[IngestReport]:
    """Ingest every bundled table, in dependency order; returns one report per file."""
    reports = []
    for table in BUNDLED_TABLES:
        path = bundled_file(table)
        if progress:
            progress(f"reading {path.name}")
        reports.append(ingest(store, read_tidy_csv(path, table=table)))
    return reports


def needs_build(store: Store) -> bool:
    """True when the store is missing or older than any bundled file."""
    if not store.exists():
        return True
    built = store.db_path.stat().st_mtime
    return any(bundled_file(t).stat().st_mtime > built for t in BUNDLED_TABLES)
