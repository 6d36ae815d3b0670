"""SQL that turns a raw text column into its typed value, or NULL when the text is empty or invalid.

The same expressions serve the bulk path and the checked path, so both accept exactly the same input.
"""

from __future__ import annotations

from collections.abc import Callable

from hotline_trends.schema import Column, TableSpec

SQL_TYPES = {
    "text": "VARCHAR",
    "id": "VARCHAR",
    "code": "VARCHAR",
    "region": "VARCHAR",
    "int": "BIGINT",
    "date": "DATE",
    "enum": "VARCHAR",
    "bool": "BOOLEAN",
}

IDENT_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.:-]*"
CODE_PATTERN = "[a-z][a-z0-9_]*"
# Whole numbers, optionally with thousands separators ("1,733"); a decimal comma is not accepted.
INT_PATTERN = "-?[0-9]+"
INT_THOUSANDS_PATTERN = "-?[0-9]{1,3}(,[0-9]{3})+"
TRUE_WORDS = ("true", "yes", "1", "y", "t")
FALSE_WORDS = ("false", "no", "0", "n", "f")


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def cast_sql(column: Column, raw: str | None = None) -> str:
    """SQL expression casting the raw text column (default: the column's own name) to its type."""
    t = f"NULLIF(trim({raw or quote_ident(column.name)}), '')"
    kind = column.kind
    if kind == "text":
        return t
    if kind == "id":
        return f"(CASE WHEN regexp_full_match({t}, '{IDENT_PATTERN}') THEN {t} END)"
    if kind == "code":
        return f"(CASE WHEN regexp_full_match(lower({t}), '{CODE_PATTERN}') THEN lower({t}) END)"
    if kind == "region":
        return f"(CASE WHEN lower({t}) LIKE 'ori:%' THEN 'ori:' || upper(substr({t}, 5)) ELSE upper({t}) END)"
    if kind == "int":
        return (
            f"(CASE WHEN regexp_full_match({t}, '{INT_PATTERN}') THEN TRY_CAST({t} AS BIGINT) "
            f"WHEN regexp_full_match({t}, '{INT_THOUSANDS_PATTERN}') "
            f"THEN TRY_CAST(replace({t}, ',', '') AS BIGINT) END)"
        )
    if kind == "date":
        # DuckDB's own date grammar (year first: 2024-01-31, 2024/01/31, 2024-1-31), which its CSV reader
        # also uses, so a bulk read and a checked read accept exactly the same dates.
        return f"TRY_CAST({t} AS DATE)"
    if kind == "enum":
        # Membership is a rule (validate.enum_rules), so a bad value stays visible to the bulk check.
        return f"lower({t})"
    if kind == "bool":
        yes = ", ".join(f"'{w}'" for w in TRUE_WORDS)
        no = ", ".join(f"'{w}'" for w in FALSE_WORDS)
        return f"(CASE WHEN lower({t}) IN ({yes}) THEN TRUE WHEN lower({t}) IN ({no}) THEN FALSE END)"
    raise ValueError(f"unknown column kind {kind!r}")


def typed_select(spec: TableSpec, raw_of: Callable[[str], str | None]) -> str:
    """SELECT list casting every spec column from the raw SQL text ``raw_of(name)`` (None: a typed NULL)."""
    parts = []
    for col in spec.columns:
        source = raw_of(col.name)
        expr = cast_sql(col, source) if source else f"CAST(NULL AS {SQL_TYPES[col.kind]})"
        parts.append(f"{expr} AS {quote_ident(col.name)}")
    return ", ".join(parts)


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def invalid_message(column: Column, raw: str) -> str:
    """Why a non-empty raw value did not cast, and how to write it instead."""
    kind, shown = column.kind, repr(raw)
    name = column.name
    if kind == "int":
        text = raw.strip()
        if text.replace(".", "", 1).lstrip("-").isdigit():
            return f"{name} {shown} is not a whole number; counts must be whole numbers like 12 or 1,733"
        return f"{name} {shown} is not a number; write a whole number like 12 or 1,733"
    if kind == "date":
        text = raw.strip()
        if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit():
            return f"{name} {shown} is not a real calendar date; check the month and day"
        return f"{name} {shown} is not a date in ISO form; write YYYY-MM-DD, e.g. {column.example or '2024-01-31'}"
    if kind == "enum":
        return f"{name} {shown} is not one of {', '.join(column.choices)}"
    if kind == "code":
        return (
            f"{name} {shown} is not a valid name; use lowercase letters, digits and underscores"
            f" like {column.example or 'my_tipline'!r}"
        )
    if kind == "id":
        return (
            f"{name} {shown} is not a valid identifier; use letters, digits, '_', '-', '.' or ':' "
            f"without spaces, like {column.example or 'my_source_2024'!r}"
        )
    if kind == "bool":
        return f"{name} {shown} is not yes/no; write true or false"
    return f"{name} {shown} is not valid"
