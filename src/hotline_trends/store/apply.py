"""One ingest = one transaction: stage and check the rows, register new sources, merge, log.

Any failure anywhere rolls everything back, so the store is exactly as it was. An ingest that changes
nothing (a re-import) is not logged; a dry run is rolled back after counting.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import duckdb

from hotline_trends.errors import UserError
from hotline_trends.ingest.base import Incoming
from hotline_trends.schema import SPECS, TableSpec
from hotline_trends.store.casts import cast_sql, sql_literal
from hotline_trends.store.connection import Store, connect
from hotline_trends.store.ddl import utc_now, versions_table
from hotline_trends.store.merge import merge_new_rows
from hotline_trends.store.stage import BULK_BYTES, bulk_insert, can_bulk, checked_insert


@dataclass
class IngestReport:
    """What an ingest did (or, for a dry run, would do)."""

    file_name: str
    table: str
    format: str
    sha256: str
    detected: dict[str, Any]
    rows_read: int = 0
    added: int = 0
    revised: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    duplicates_ignored: int = 0
    sources_registered: list[str] = field(default_factory=list)
    source_id_used: str | None = None
    ingest_id: int | None = None
    dry_run: bool = False
    earlier_ingests_of_file: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def default_source_id(file_name: str) -> str:
    """Source id for a file that names none: 'user_' + the file name's stem, e.g. 'user_tipline_2024'."""
    stem = file_name.rsplit(".", 1)[0]
    return "user_" + (re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_") or "file")


def _source_override(spec: TableSpec, incoming: Incoming, source_id: str | None) -> dict[str, str]:
    if "source_id" not in spec.names or spec.name == "sources":
        if source_id:
            raise UserError(f"--source-id does not apply to the {spec.name} table")
        return {}
    if source_id is None:
        if "source_id" in incoming.present:
            return {}
        source_id = default_source_id(incoming.file_name)
    valid = duckdb.execute(f"SELECT {cast_sql(spec.column('source_id'), sql_literal(source_id))}").fetchone()[0]
    if valid is None:
        raise UserError(
            f"--source-id {source_id!r} is not a valid identifier; use letters, digits, '_', '-', '.' or ':' "
            "without spaces, like 'my_tipline_2024'"
        )
    return {"source_id": valid}


def _register_sources(con: duckdb.DuckDBPyConnection, spec: TableSpec, incoming: Incoming, ingest_id: int) -> list[str]:
    """Sources named by the new rows but not yet known: registered from the file, marked user-provided."""
    if "source_id" not in spec.names or spec.name == "sources":
        return []
    unknown = [
        r[0]
        for r in con.execute(
            f"""SELECT DISTINCT source_id FROM {versions_table(spec)}
            WHERE _ingest = ? AND source_id NOT IN (SELECT source_id FROM sources) ORDER BY 1""",
            [ingest_id],
        ).fetchall()
    ]
    today = utc_now().date().isoformat()
    for source_id in unknown:
        con.execute(
            f"INSERT INTO {versions_table(SPECS['sources'])} VALUES (?, NULL, ?, ?, ?, NULL, ?, ?, TRUE, ?, NULL)",
            [
                source_id,
                f"User file {incoming.file_name}",
                f"file:{incoming.file_name}",
                f"ingested with hotline-trends on {today}",
                "User-provided and not yet described; run: hotline-trends sources describe "
                f"{source_id} --publisher ... --location ...",
                incoming.digest(),
                ingest_id,
            ],
        )
    return unknown


def _log(con: duckdb.DuckDBPyConnection, report: IngestReport, started: datetime) -> None:
    con.execute(
        """INSERT INTO ingests VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'applied', NULL)""",
        [
            report.ingest_id,
            report.table,
            report.file_name,
            report.sha256,
            report.format,
            json.dumps(report.detected),
            report.rows_read,
            report.added,
            report.revised,
            report.unchanged,
            report.rejected,
            report.skipped,
            started,
            utc_now(),
        ],
    )


def ingest(
    store: Store,
    incoming: Incoming,
    *,
    source_id: str | None = None,
    dry_run: bool = False,
    bulk_bytes: int = BULK_BYTES,
    on_wait: Callable[[str], None] | None = None,
    timeout: float | None = None,
) -> IngestReport:
    """Check ``incoming`` and add it to the store in one transaction; nothing changes if anything is wrong.

    Args:
        store: the store to write.
        incoming: rows from a reader (``hotline_trends.ingest.read_file``).
        source_id: set (or override) the source of every row.
        dry_run: check and count, then roll back.
        bulk_bytes: files at least this big are read by DuckDB directly (tests lower it to cover that path).
        on_wait: told once if another process holds the store and we wait for it.
        timeout: seconds to wait for the store.

    Raises:
        InputRejected: bad rows (the message lists them by line and column).
        UserError: a bad option or an unreadable file.
        StoreBusy: the store stayed locked.
    """
    spec = SPECS[incoming.table]
    overrides = _source_override(spec, incoming, source_id)
    clock = time.perf_counter()
    started = utc_now()
    report = IngestReport(
        file_name=incoming.file_name,
        table=spec.name,
        format=incoming.reader,
        sha256="",
        detected=incoming.detected,
        skipped=len(incoming.skipped),
        source_id_used=overrides.get("source_id"),
        dry_run=dry_run,
    )
    with connect(store, on_wait=on_wait, timeout=timeout) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            ingest_id = con.execute("SELECT coalesce(max(ingest_id), 0) + 1 FROM ingests").fetchone()[0]
            counts = (
                bulk_insert(con, spec, incoming, ingest_id, overrides) if can_bulk(spec, incoming, bulk_bytes) else None
            )
            if counts is None:
                con.execute("ROLLBACK")
                con.execute("BEGIN TRANSACTION")
                counts = checked_insert(con, spec, incoming, ingest_id, overrides)
            report.rows_read, report.duplicates_ignored = counts
            if not report.rows_read:
                raise UserError(f"{incoming.file_name}: no data rows were found; add at least one row")
            merged = merge_new_rows(con, spec, ingest_id)
            report.added, report.revised, report.unchanged = merged.added, merged.revised, merged.unchanged
            report.sources_registered = _register_sources(con, spec, incoming, ingest_id)
            report.sha256 = incoming.digest()
            report.earlier_ingests_of_file = [
                r[0]
                for r in con.execute(
                    "SELECT ingest_id FROM ingests WHERE sha256 = ? AND status = 'applied' ORDER BY 1",
                    [report.sha256],
                ).fetchall()
            ]
            changed = bool(report.added or report.revised)
            if changed and not dry_run:
                report.ingest_id = ingest_id
                report.seconds = round(time.perf_counter() - clock, 3)
                _log(con, report, started)
                con.execute("COMMIT")
            else:
                con.execute("ROLLBACK")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    report.seconds = round(time.perf_counter() - clock, 3)
    return report
