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


def keep_absent_values(con: duckdb.DuckDBPyConnection, spec: TableSpec, ingest_id: int, absent: list[str]) -> None:
    """Give new rows the current values of columns their file does not have, so a revision never blanks them.

    An FBI file describes an agency but has no population; without this, re-describing a bundled agency
    would replace its population with nothing.
    """
    if not absent:
        return
    table = versions_table(spec)
    on_key = " AND ".join(f"n.{quote_ident(k)} = o.{quote_ident(k)}" for k in spec.key)
    sets = ", ".join(f"{quote_ident(c)} = o.{quote_ident(c)}" for c in absent)
    con.execute(
        f"""UPDATE {table} AS n SET {sets} FROM {table} AS o
        WHERE n._ingest = $id AND o._ingest <> $id AND o._replaced_by IS NULL AND {on_key}""",
        {"id": ingest_id},
    )


def drop_repeats_across_files(con: duckdb.DuckDBPyConnection, spec: TableSpec, ingest_id: int, files: list[str]) -> int:
    """Several files in one ingest: keep one of identical rows; reject a key they give different values for.

    Raises:
        InputRejected: two files give the same key different content.
    """
    from hotline_trends.errors import InputRejected, Problem

    table = versions_table(spec)
    key = ", ".join(quote_ident(k) for k in spec.key)
    content = ", ".join(quote_ident(c) for c in spec.content) or "NULL"
    clash = con.execute(
        f"""SELECT {key} FROM {table} WHERE _ingest = ? GROUP BY {key}
        HAVING count(DISTINCT row({content})) > 1 LIMIT 5""",
        [ingest_id],
    ).fetchall()
    if clash:
        problems = [
            Problem(
                f"{spec.name} key ({', '.join(map(str, row))}) is given different values by two of the files; "
                "ingest them separately or fix one"
            )
            for row in clash
        ]
        raise InputRejected(" + ".join(files), problems)
    mine = f"FROM {table} WHERE _ingest = {int(ingest_id)}"
    return con.execute(f"DELETE {mine} AND rowid NOT IN (SELECT min(rowid) {mine} GROUP BY {key})").fetchone()[0]
