"""Take an ingest back: delete what it added, restore what it revised, keep it in the log as removed."""

from __future__ import annotations

import duckdb

from hotline_trends.errors import UserError
from hotline_trends.schema import SPECS
from hotline_trends.store.casts import quote_ident
from hotline_trends.store.connection import Store
from hotline_trends.store.ddl import utc_now, versions_table
from hotline_trends.store.staging import writing

# (table, column) -> (referenced table, its key): rows that would be left pointing at nothing.
REFERENCES = {
    ("observations", "source_id"): ("sources", "source_id"),
    ("events", "source_id"): ("sources", "source_id"),
    ("population", "source_id"): ("sources", "source_id"),
    ("agencies", "source_id"): ("sources", "source_id"),
    ("regions", "source_id"): ("sources", "source_id"),
    ("observations", "region"): ("regions", "region"),
    ("agencies", "state"): ("regions", "region"),
}


def _dangling(con: duckdb.DuckDBPyConnection, ingest_id: int) -> list[str]:
    """References from other ingests' current rows to rows this ingest added (which removal would delete)."""
    found = []
    for (table, column), (target, key) in REFERENCES.items():
        rows = con.execute(
            f"""SELECT DISTINCT r.{quote_ident(column)} FROM {versions_table(SPECS[table])} r
            WHERE r._replaced_by IS NULL AND r._ingest <> $id
              AND r.{quote_ident(column)} IN (
                  SELECT t.{quote_ident(key)} FROM {versions_table(SPECS[target])} t
                  WHERE t._ingest = $id AND t._replaced_by IS NULL
                    AND NOT EXISTS (SELECT 1 FROM {versions_table(SPECS[target])} p
                                    WHERE p._replaced_by = $id AND p.{quote_ident(key)} = t.{quote_ident(key)}))
            LIMIT 5""",
            {"id": ingest_id},
        ).fetchall()
        found += [f"{table}.{column} = {r[0]!r}" for r in rows]
    return found


def remove_ingest(store: Store, ingest_id: int, *, confirm: bool = False) -> dict[str, int]:
    """Undo ingest ``ingest_id``; returns rows deleted and restored per table.

    Raises:
        UserError: ``confirm`` is False, the ingest is unknown or already removed, or other data depends
            on rows it added; ``StoreMissing`` if there is no store.
    """
    if not store.exists():
        raise store.missing()
    if not confirm:
        raise UserError(
            f"removing ingest {ingest_id} deletes the rows it added and restores the ones it revised; "
            "repeat with --yes to do it"
        )
    counts: dict[str, int] = {}
    with writing(store) as draft:
        con = draft.con
        con.execute("BEGIN TRANSACTION")
        try:
            row = con.execute("SELECT status FROM ingests WHERE ingest_id = ?", [ingest_id]).fetchone()
            if row is None:
                raise UserError(f"there is no ingest {ingest_id}; list them with: hotline-trends ingests")
            if row[0] != "applied":
                raise UserError(f"ingest {ingest_id} was already removed")
            dangling = _dangling(con, ingest_id)
            if dangling:
                raise UserError(
                    f"ingest {ingest_id} added rows that later data still refers to ({'; '.join(dangling)}); "
                    "remove those later ingests first"
                )
            for spec in SPECS.values():
                table = versions_table(spec)
                on_key = " AND ".join(f"x.{quote_ident(k)} = {table}.{quote_ident(k)}" for k in spec.key)
                restored = con.execute(
                    f"""UPDATE {table} SET _replaced_by = (
                        SELECT x._replaced_by FROM {table} x WHERE x._ingest = $id AND {on_key})
                    WHERE _replaced_by = $id""",
                    {"id": ingest_id},
                ).fetchone()[0]
                deleted = con.execute(f"DELETE FROM {table} WHERE _ingest = ?", [ingest_id]).fetchone()[0]
                counts[f"{spec.name}_deleted"] = deleted
                counts[f"{spec.name}_restored"] = restored
            con.execute(
                "UPDATE ingests SET status = 'removed', removed_at = ? WHERE ingest_id = ?",
                [utc_now(), ingest_id],
            )
            con.execute("COMMIT")
            draft.keep()
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return counts
