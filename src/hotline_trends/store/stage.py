"""Put an incoming file's rows into the versioned table, checked: the bulk path and the checked path.

The bulk path lets DuckDB read a large plain CSV straight into the table and checks the typed rows with
one predicate. The checked path stages raw and typed columns side by side with file lines, so every
problem can be named by line and column. A bulk read that finds anything wrong is rolled back and the
file is read again by the checked path, which produces the messages.
"""

from __future__ import annotations

import duckdb

from hotline_trends.errors import InputRejected
from hotline_trends.ingest.base import LINE, Incoming
from hotline_trends.ingest.rows import read_frame
from hotline_trends.schema import TableSpec
from hotline_trends.store.casts import SQL_TYPES, cast_sql, quote_ident, sql_literal, typed_select
from hotline_trends.store.ddl import insert_into, versions_table
from hotline_trends.store.validate import bad_row_sql, bulk_safe, find_problems, raw

BULK_BYTES = 32 << 20
BULK_ENCODINGS = {"utf-8": "utf-8", "utf-8-sig": "utf-8"}


def can_bulk(spec: TableSpec, incoming: Incoming, bulk_bytes: int) -> bool:
    """Bulk-read only big, plain UTF-8 files of a table whose bad rows one predicate can count exactly."""
    layout = incoming.csv
    return (
        layout is not None
        and layout.header_line == 1
        and layout.encoding in BULK_ENCODINGS
        and bulk_safe(spec)
        and layout.path.stat().st_size >= bulk_bytes
    )


def bulk_insert(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, incoming: Incoming, ingest_id: int, overrides: dict[str, str]
) -> tuple[int, int] | None:
    """Insert every row; return ``(rows_read, duplicates_ignored)``, or None if anything needs the checked path.

    Per-row work is kept to what DuckDB's reader does anyway: dates are read as DATE, whole numbers through
    their cast, and text columns as they are. Text is then accepted only if every distinct value is
    already in canonical form (what its cast would make of it), so the result is exactly what the checked
    path would store; anything else (lowercase codes, padding, bad values) goes to the checked path.
    """
    layout = incoming.csv
    assert layout is not None
    read_types, select, raw_columns = {}, {}, []
    for i, name in enumerate(layout.columns):
        read_types[f"c{i}"] = "DATE" if name and spec.column(name).kind == "date" else "VARCHAR"
        if not name:
            continue
        kind = spec.column(name).kind
        if kind == "date":
            select[name] = f"c{i}"
        elif kind == "int":
            select[name] = cast_sql(spec.column(name), f"c{i}")
        else:
            select[name] = f"c{i}"
            raw_columns.append(name)
    for name, value in overrides.items():
        select[name] = sql_literal(value)
    columns = ", ".join(
        f"{select[c]} AS {quote_ident(c)}" if c in select else f"CAST(NULL AS {SQL_TYPES[spec.column(c).kind]})"
        for c in spec.names
    )
    types = "{" + ", ".join(f"'{n}': '{t}'" for n, t in read_types.items()) + "}"
    not_blank = " OR ".join(f"c{i} IS NOT NULL" for i in range(len(layout.columns)))
    table = versions_table(spec)
    try:
        rows_read = con.execute(
            f"""
            {insert_into(spec)}
            SELECT {columns}, {ingest_id}, NULL
            FROM read_csv({sql_literal(str(layout.path))}, header = false, skip = 1, auto_detect = false,
                          columns = {types}, delim = {sql_literal(layout.delimiter)}, quote = '"',
                          escape = '"', encoding = 'utf-8', null_padding = true, strict_mode = true)
            WHERE {not_blank}
            """
        ).fetchone()[0]
    except duckdb.Error:
        return None  # a value the reader could not parse, a row with too many fields, ...: lines needed
    mine = f"FROM {table} WHERE _ingest = {ingest_id}"
    present = incoming.present | set(overrides)
    if con.execute(f"SELECT count(*) {mine} AND ({bad_row_sql(spec, present)})").fetchone()[0]:
        return None
    distinct: dict[str, int] = {}
    for name in raw_columns:
        canonical = cast_sql(spec.column(name), quote_ident(name))
        values, odd = con.execute(
            f"""SELECT count(*), count(*) FILTER (WHERE {quote_ident(name)} IS DISTINCT FROM {canonical})
            FROM (SELECT DISTINCT {quote_ident(name)} {mine})"""
        ).fetchone()
        if odd:
            return None
        distinct[name] = values
    return _drop_repeats(con, spec, mine, rows_read, distinct)


def _drop_repeats(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, mine: str, rows_read: int, distinct: dict[str, int]
) -> tuple[int, int] | None:
    """Delete exact repeats of a key; None when a key repeats with different content (messages needed)."""
    # A key column with a single value cannot tell rows apart, so hashing it is wasted work.
    varying = [k for k in spec.key if distinct.get(k, 2) > 1] or list(spec.key)
    key = ", ".join(quote_ident(k) for k in spec.key)
    unique = con.execute(
        f"SELECT count(DISTINCT hash({', '.join(quote_ident(k) for k in varying)})) {mine}"
    ).fetchone()[0]
    if unique == rows_read:
        return rows_read, 0
    content = ", ".join(quote_ident(c) for c in spec.content)
    differing = con.execute(
        f"SELECT count(*) FROM (SELECT {key} {mine} GROUP BY {key} HAVING count(DISTINCT row({content})) > 1)"
    ).fetchone()[0]
    if differing:
        return None
    con.execute(f"DELETE {mine} AND rowid NOT IN (SELECT min(rowid) {mine} GROUP BY {key})")
    kept = con.execute(f"SELECT count(*) {mine}").fetchone()[0]
    return rows_read, rows_read - kept


def checked_insert(
    con: duckdb.DuckDBPyConnection,
    spec: TableSpec,
    incoming: Incoming,
    ingest_id: int,
    overrides: dict[str, str],
) -> tuple[int, int]:
    """Stage, check and insert; return ``(rows_read, duplicates_ignored)``.

    Raises:
        InputRejected: any row is bad; the message lists the first problems by line and column.
    """
    if incoming.frame is not None:
        frame = incoming.frame
    else:
        assert incoming.csv is not None
        frame, _blank = read_frame(incoming.csv)
    present = incoming.present | set(overrides)

    def raw_of(column: str) -> str | None:
        if column in overrides:
            return sql_literal(overrides[column])
        return quote_ident(column) if column in incoming.present else None

    raw_cols = ", ".join(f"CAST({raw_of(c)} AS VARCHAR) AS {raw(c)}" for c in sorted(present))
    con.register("_incoming_frame", frame)
    try:
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE _staged AS
            SELECT {LINE}, {raw_cols}, {typed_select(spec, raw_of)} FROM _incoming_frame"""
        )
    finally:
        con.unregister("_incoming_frame")
    rows_read = len(frame)
    bad, problems = find_problems(con, spec, "_staged", present)
    if bad:
        raise InputRejected(incoming.file_name, problems, bad_rows=bad, rows_read=rows_read)
    key = ", ".join(quote_ident(k) for k in spec.key)
    columns = ", ".join(quote_ident(c) for c in spec.names)
    inserted = con.execute(
        f"""{insert_into(spec)}
        SELECT {columns}, {ingest_id}, NULL FROM _staged
        WHERE {LINE} IN (SELECT min({LINE}) FROM _staged GROUP BY {key})"""
    ).fetchone()[0]
    con.execute("DROP TABLE _staged")
    return rows_read, rows_read - inserted
