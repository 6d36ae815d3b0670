"""Find every bad row of a staged input and say, per row, what is wrong and how to fix it.

A staged table has ``_line`` (the file line), ``raw_<column>`` (the text as read) and the typed columns.
The checks are the column casts, required columns, the spec's rules and duplicate keys.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from hotline_trends.errors import Problem
from hotline_trends.schema import Rule, TableSpec
from hotline_trends.store.casts import invalid_message, quote_ident

MAX_LISTED = 50
CASTING_KINDS = {"id", "code", "int", "date", "bool"}


def raw(name: str) -> str:
    return quote_ident(f"raw_{name}")


def enum_rules(spec: TableSpec) -> list[Rule]:
    """Membership rules for enum columns (their cast only lower-cases, so the bulk path can check them)."""
    return [
        Rule(
            c.name,
            f"{quote_ident(c.name)} NOT IN ({', '.join(repr(x) for x in c.choices)})",
            f"{c.name} {{value!r}} is not one of {', '.join(c.choices)}",
        )
        for c in spec.columns
        if c.kind == "enum"
    ]


def bad_row_sql(spec: TableSpec, present: set[str]) -> str:
    """Predicate true for a bad typed row; exact for specs whose optional columns never fail a cast."""
    parts = [f"{quote_ident(c)} IS NULL" for c in spec.required if c in present]
    parts += [f"({r.bad_sql})" for r in (*spec.rules, *enum_rules(spec)) if r.column in present]
    return " OR ".join(parts) or "FALSE"


def bulk_safe(spec: TableSpec) -> bool:
    """True when a NULL in a typed optional column can only mean 'empty', so ``bad_row_sql`` is exact."""
    return all(c.required or c.kind not in CASTING_KINDS for c in spec.columns)


@dataclass(frozen=True)
class _Check:
    column: str
    where: str
    message: str  # format string with {value}


def _checks(spec: TableSpec, present: set[str]) -> list[_Check]:
    checks: list[_Check] = []
    for col in spec.columns:
        if col.name not in present:
            continue
        typed, text = quote_ident(col.name), raw(col.name)
        blank = f"({text} IS NULL OR trim({text}) = '')"
        if col.kind in CASTING_KINDS:
            checks.append(_Check(col.name, f"NOT {blank} AND {typed} IS NULL", ""))
        if col.required:
            checks.append(_Check(col.name, blank, f"{col.name} is empty; every {spec.row_label} needs one"))
    for rule in (*spec.rules, *enum_rules(spec)):
        if rule.column in present:
            checks.append(_Check(rule.column, f"({rule.bad_sql})", rule.message))
    return checks


def _duplicates_sql(spec: TableSpec, staged: str) -> str:
    """Lines whose key repeats an earlier line's key with different content; ``value`` is the first line."""
    key = ", ".join(quote_ident(k) for k in spec.key)
    content = ", ".join(quote_ident(c) for c in spec.content) or "NULL"
    no_null_key = " AND ".join(f"{quote_ident(k)} IS NOT NULL" for k in spec.key)
    return f"""
        SELECT s._line, -1 AS check_no, CAST(f._line AS VARCHAR) AS value
        FROM (SELECT *, row({content}) AS _c FROM {staged} WHERE {no_null_key}) s
        JOIN (
            SELECT {key}, arg_min(_line, _line) AS _line, arg_min(row({content}), _line) AS _c
            FROM {staged} WHERE {no_null_key} GROUP BY {key} HAVING count(*) > 1
        ) f USING ({key})
        WHERE s._line <> f._line AND s._c IS DISTINCT FROM f._c
    """


def _duplicate_message(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, staged: str, line: int, first: int
) -> tuple[str, str | None]:
    cols = list(spec.content)
    select = ", ".join(f"CAST({quote_ident(c)} AS VARCHAR)" for c in cols)
    mine = con.execute(f"SELECT {select} FROM {staged} WHERE _line = ?", [line]).fetchone()
    theirs = con.execute(f"SELECT {select} FROM {staged} WHERE _line = ?", [first]).fetchone()
    differing = next((i for i, (a, b) in enumerate(zip(mine, theirs, strict=True)) if a != b), 0)
    column = cols[differing]
    return (
        f"the same key ({', '.join(spec.key)}) as line {first} but a different {column} "
        f"({theirs[differing]!r} there, {mine[differing]!r} here); keep one row per key, or give the rows "
        "different source_ids if two sources disagree",
        column,
    )


def find_problems(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, staged: str, present: set[str]
) -> tuple[int, list[Problem]]:
    """Number of bad rows and the problems of the first ones (by line), duplicate keys included."""
    checks = _checks(spec, present)
    selects = [
        f"SELECT _line, {i} AS check_no, CAST({raw(c.column)} AS VARCHAR) AS value FROM {staged} WHERE {c.where}"
        for i, c in enumerate(checks)
    ]
    if spec.content:
        selects.append(_duplicates_sql(spec, staged))
    union = " UNION ALL ".join(selects)
    count = con.execute(f"SELECT count(DISTINCT _line) FROM ({union})").fetchone()[0]
    if not count:
        return 0, []
    rows = con.execute(f"SELECT * FROM ({union}) ORDER BY _line, check_no = -1, check_no LIMIT {MAX_LISTED}").fetchall()
    problems = []
    for line, check_no, value in rows:
        if check_no == -1:
            text, column = _duplicate_message(con, spec, staged, line, int(value))
            problems.append(Problem(text, line=line, column=column))
            continue
        check = checks[check_no]
        message = check.message.format(value=value) if check.message else ""
        text = message or invalid_message(spec.column(check.column), value or "")
        problems.append(Problem(text, line=line, column=check.column))
    return count, problems
