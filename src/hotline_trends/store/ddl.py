"""Tables of the store, made from the specs: every table keeps all revisions of every row.

``<table>_v`` holds every version with the ingest that wrote it (``_ingest``) and the ingest that replaced
it (``_replaced_by``, NULL while current). The view ``<table>`` shows the current rows.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import duckdb

from hotline_trends.schema import SPECS, TableSpec
from hotline_trends.store.casts import SQL_TYPES, quote_ident

# Times in the ingest log are UTC.

INGESTS_DDL = """
CREATE TABLE IF NOT EXISTS ingests (
    ingest_id INTEGER PRIMARY KEY,
    table_name VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR,
    reader VARCHAR NOT NULL,
    detected JSON,
    rows_read BIGINT NOT NULL,
    added BIGINT NOT NULL,
    revised BIGINT NOT NULL,
    unchanged BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    skipped BIGINT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL,
    removed_at TIMESTAMP
)
"""


def utc_now() -> datetime:
    """Now in UTC without a zone: the log's TIMESTAMP columns are UTC by convention."""
    return datetime.now(UTC).replace(tzinfo=None)


def versions_table(spec: TableSpec) -> str:
    return f"{spec.name}_v"


def insert_into(spec: TableSpec) -> str:
    """``INSERT INTO <table>_v (columns..., _ingest, _replaced_by)``: by name, because a store upgraded in
    place has a new spec column after ``_replaced_by``, so a positional insert would shift every value."""
    cols = ", ".join(quote_ident(c) for c in spec.names)
    return f"INSERT INTO {versions_table(spec)} ({cols}, _ingest, _replaced_by)"


def table_ddl(spec: TableSpec) -> str:
    cols = ", ".join(f"{quote_ident(c.name)} {SQL_TYPES[c.kind]}" for c in spec.columns)
    return f"CREATE TABLE IF NOT EXISTS {versions_table(spec)} ({cols}, _ingest INTEGER NOT NULL, _replaced_by INTEGER)"


def view_ddl(spec: TableSpec) -> str:
    cols = ", ".join(quote_ident(c) for c in spec.names)
    return f"CREATE OR REPLACE VIEW {spec.name} AS SELECT {cols} FROM {versions_table(spec)} WHERE _replaced_by IS NULL"


def schema_fingerprint() -> str:
    """Changes whenever a spec gains a column or changes a type, so existing stores get upgraded."""
    text = INGESTS_DDL + "".join(table_ddl(spec) for spec in SPECS.values())
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _add_missing_columns(con: duckdb.DuckDBPyConnection, spec: TableSpec) -> None:
    """A store built before a spec gained columns gets them (empty for existing rows); nothing is dropped."""
    table = versions_table(spec)
    existing = {
        r[0]
        for r in con.execute(
            f"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}'"
        ).fetchall()
    }
    for column in spec.columns:
        if column.name not in existing:
            con.execute(f"ALTER TABLE {table} ADD COLUMN {quote_ident(column.name)} {SQL_TYPES[column.kind]}")


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables and views of a new store, or add what newer specs need to an older one."""
    fingerprint = schema_fingerprint()
    has_meta = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'").fetchone()[0]
    if has_meta:
        found = con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if found and found[0] == fingerprint:
            return
    con.execute("BEGIN TRANSACTION")
    con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute(INGESTS_DDL)
    for spec in SPECS.values():
        con.execute(table_ddl(spec))
        _add_missing_columns(con, spec)
        con.execute(view_ddl(spec))
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", [fingerprint])
    con.execute("COMMIT")
