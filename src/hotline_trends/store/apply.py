"""One ingest = one transaction: stage and check the rows, register new sources, merge, log.

An ingest is one file, or several tables read together (an FBI file gives agencies and observations; a
``fetch`` gives several pages): all of them are added under one ingest id, tables in dependency order,
so a failure anywhere changes nothing and ``ingests remove`` takes all of them back at once. The work
happens on a private copy of the store that is published only when the ingest changed something
(``store/staging.py``), so any failure, or a kill, leaves the store exactly as it was and readers never
wait. An ingest that changes nothing (a re-import) is not logged; a dry run is rolled back after counting.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import duckdb

from hotline_trends.errors import UserError
from hotline_trends.ingest.base import Incoming
from hotline_trends.paths import BUNDLED_TABLES
from hotline_trends.schema import SPECS, TableSpec
from hotline_trends.store.casts import cast_sql, sql_literal
from hotline_trends.store.connection import Store
from hotline_trends.store.ddl import insert_into, utc_now, versions_table
from hotline_trends.store.merge import drop_repeats_across_files, keep_absent_values, merge_new_rows
from hotline_trends.store.stage import BULK_BYTES, bulk_insert, can_bulk, checked_insert
from hotline_trends.store.staging import writing


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
    # One entry per table when an ingest holds several (FBI: agencies + observations).
    tables: list[dict[str, Any]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# Pages show it as it is: the source's own id is beside it, and the Data page has the form that describes it
# (the CLI's `sources describe ID` says the same).
NOT_DESCRIBED = (
    "User-provided and not yet described: describe it on the Data & sources page or with `sources describe`."
)


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
            f"{insert_into(SPECS['sources'])} VALUES (?, NULL, ?, ?, ?, NULL, ?, ?, TRUE, ?, NULL)",
            [
                source_id,
                f"User file {incoming.file_name}",
                f"file:{incoming.file_name}",
                f"ingested with hotline-trends on {today}",
                NOT_DESCRIBED,
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


def _ordered(incoming: Incoming | Sequence[Incoming]) -> list[Incoming]:
    """Parts in dependency order (sources before agencies before observations), stable within a table."""
    parts = [incoming] if isinstance(incoming, Incoming) else list(incoming)
    if not parts:
        raise UserError("nothing to ingest: no tables were read")
    rank = {name: i for i, name in enumerate(BUNDLED_TABLES)}
    return sorted(parts, key=lambda p: rank[p.table])


def _digest(parts: list[Incoming]) -> str:
    """The file's sha256; for several files, the sha256 of their sorted digests."""
    digests = sorted({p.digest() for p in parts})
    return digests[0] if len(digests) == 1 else hashlib.sha256("\n".join(digests).encode()).hexdigest()


def _detected(parts: list[Incoming]) -> dict[str, Any]:
    if len({id(p.detected) for p in parts}) == 1:
        return parts[0].detected
    return {"files": [{"file": p.file_name, "reader": p.reader, **p.detected} for p in parts]}


def _add_table(
    con: duckdb.DuckDBPyConnection,
    spec: TableSpec,
    parts: list[tuple[Incoming, dict[str, str]]],
    ingest_id: int,
    bulk_bytes: int,
    alone: bool,
) -> dict[str, Any]:
    """Stage, check and merge every part of one table; returns its counts."""
    rows_read = duplicates = 0
    for incoming, overrides in parts:
        counts = None
        if alone and can_bulk(spec, incoming, bulk_bytes):
            counts = bulk_insert(con, spec, incoming, ingest_id, overrides)
            if counts is None:  # the bulk read found something to explain: start over on the checked path
                con.execute("ROLLBACK")
                con.execute("BEGIN TRANSACTION")
        if counts is None:
            counts = checked_insert(con, spec, incoming, ingest_id, overrides)
        rows_read += counts[0]
        duplicates += counts[1]
    if len(parts) > 1:
        duplicates += drop_repeats_across_files(con, spec, ingest_id, [p.file_name for p, _ in parts])
    for incoming, overrides in parts:
        if incoming.keep_absent:
            absent = [c for c in spec.content if c not in incoming.present and c not in overrides]
            keep_absent_values(con, spec, ingest_id, absent)
    merged = merge_new_rows(con, spec, ingest_id)
    registered = _register_sources(con, spec, parts[0][0], ingest_id)
    return {
        "table": spec.name,
        "rows_read": rows_read,
        "duplicates_ignored": duplicates,
        "added": merged.added,
        "revised": merged.revised,
        "unchanged": merged.unchanged,
        "sources_registered": registered,
    }


def ingest(
    store: Store,
    incoming: Incoming | Sequence[Incoming],
    *,
    source_id: str | None = None,
    dry_run: bool = False,
    bulk_bytes: int = BULK_BYTES,
    on_wait: Callable[[str], None] | None = None,
    timeout: float | None = None,
    label: str | None = None,
) -> IngestReport:
    """Check ``incoming`` and add it to the store in one transaction; nothing changes if anything is wrong.

    Args:
        store: the store to write (created if missing).
        incoming: rows from a reader (``hotline_trends.ingest.read_file``), or several tables read together
            (``read_tables``); they share one ingest id.
        source_id: set (or override) the source of every row.
        dry_run: check and count, then roll back.
        bulk_bytes: files at least this big are read by DuckDB directly (tests lower it to cover that path).
        on_wait: told once if another write to the store is under way and we wait for it.
        timeout: seconds to wait for another writer.
        label: the name logged for an ingest of several files (default: the first file's name).

    Raises:
        InputRejected: bad rows (the message lists them by line and column).
        UserError: a bad option or an unreadable file.
        StoreBusy: another writer held the store for ``timeout`` seconds.
    """
    with writing(store, on_wait=on_wait, timeout=timeout) as draft:
        report = ingest_into(
            draft.con, incoming, source_id=source_id, dry_run=dry_run, bulk_bytes=bulk_bytes, label=label
        )
        if report.ingest_id is not None:
            draft.keep()
    return report


def ingest_into(
    con: duckdb.DuckDBPyConnection,
    incoming: Incoming | Sequence[Incoming],
    *,
    source_id: str | None = None,
    dry_run: bool = False,
    bulk_bytes: int = BULK_BYTES,
    label: str | None = None,
) -> IngestReport:
    """``ingest`` on an open write connection (a ``writing`` draft): one transaction, committed when it
    changes something and it is not a dry run. ``build`` runs several in one draft."""
    parts = _ordered(incoming)
    overrides = [_source_override(SPECS[p.table], p, source_id) for p in parts]
    clock = time.perf_counter()
    started = utc_now()
    tables = list(dict.fromkeys(p.table for p in parts))
    report = IngestReport(
        file_name=label or parts[0].file_name,
        table="+".join(tables),
        format="+".join(dict.fromkeys(p.reader for p in parts)),
        sha256="",
        detected=_detected(parts),
        skipped=sum(p.rows_skipped for p in parts),
        source_id_used=next((o["source_id"] for o in overrides if o.get("source_id")), None),
        dry_run=dry_run,
        files=list(dict.fromkeys(p.file_name for p in parts)),
    )
    con.execute("BEGIN TRANSACTION")
    try:
        # fetchall: a half-read result would block registering a frame on this connection (DuckDB 2)
        ingest_id = con.execute("SELECT coalesce(max(ingest_id), 0) + 1 FROM ingests").fetchall()[0][0]
        for table in tables:
            group = [(p, o) for p, o in zip(parts, overrides, strict=True) if p.table == table]
            report.tables.append(_add_table(con, SPECS[table], group, ingest_id, bulk_bytes, len(parts) == 1))
        for key in ("rows_read", "duplicates_ignored", "added", "revised", "unchanged"):
            setattr(report, key, sum(t[key] for t in report.tables))
        report.sources_registered = [s for t in report.tables for s in t.pop("sources_registered")]
        if not report.rows_read:
            raise UserError(f"{report.file_name}: no data rows were found; add at least one row")
        report.sha256 = _digest(parts)
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
    if len(report.tables) == 1:
        report.tables = []  # one table: the top-level counts say it all
    return report
