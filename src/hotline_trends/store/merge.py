"""Fold an ingest's new rows into a versioned table: unchanged rows vanish, changed ones become revisions."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from hotline_trends.schema import TableSpec
from hotline_trends.store.casts import quote_ident
from hotline_trends.store.ddl import versions_table


@dataclass(frozen=True)
class MergeCounts:
    added: int
    revised: int
    unchanged: int


def merge_new_rows(con: duckdb.DuckDBPyConnection, spec: TableSpec, ingest_id: int) -> MergeCounts:
    """Compare rows written by ``ingest_id`` with the current rows of the same keys.

    Identical rows are deleted again (a re-import changes nothing); rows whose content differs replace the
    current row, which is kept with ``_replaced_by = ingest_id`` so it can still be listed and restored.
    """
    table = versions_table(spec)
    new = con.execute(f"SELECT count(*) FROM {table} WHERE _ingest = ?", [ingest_id]).fetchone()[0]
    others = con.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE _replaced_by IS NULL AND _ingest <> ? LIMIT 1)",
        [ingest_id],
    ).fetchone()[0]
    if not new or not others:
        return MergeCounts(added=new, revised=0, unchanged=0)
    on_key = " AND ".join(f"n.{quote_ident(k)} = o.{quote_ident(k)}" for k in spec.key)
    same = " AND ".join(f"n.{quote_ident(c)} IS NOT DISTINCT FROM o.{quote_ident(c)}" for c in spec.content) or "TRUE"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _matches AS
        SELECT n.rowid AS new_row, o.rowid AS old_row, ({same}) AS same
        FROM {table} n JOIN {table} o ON {on_key}
        WHERE n._ingest = $ingest AND o._ingest <> $ingest AND o._replaced_by IS NULL
        """,
        {"ingest": ingest_id},
    )
    unchanged, revised = con.execute(
        "SELECT count(*) FILTER (WHERE same), count(*) FILTER (WHERE NOT same) FROM _matches"
    ).fetchone()
    con.execute(
        f"DELETE FROM {table} WHERE _ingest = ? AND rowid IN (SELECT new_row FROM _matches WHERE same)",
        [ingest_id],
    )
    con.execute(
        f"UPDATE {table} SET _replaced_by = ? WHERE rowid IN (SELECT old_row FROM _matches WHERE NOT same)",
        [ingest_id],
    )
    con.execute("DROP TABLE _matches")
    return MergeCounts(added=new - unchanged - revised, revised=revised, unchanged=unchanged)
