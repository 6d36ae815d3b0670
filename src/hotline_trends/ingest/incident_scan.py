"""One pass of DuckDB over an incident list: rows and distinct incidents per day and category.

The file is read once. Each group is a (day, category) with how many rows it had and how many distinct
incidents (rows sharing an id count once; rows without an id count each). Rows whose date cell is blank
or unreadable are kept as their own groups, so the reader can report and reject them; a second grouping
counts rows per category and area for the report. Everything after this pass works on these few
thousand groups, not on the rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from hotline_trends.errors import InputRejected, Problem
from hotline_trends.ingest.datetext import FORMATS, HOW_TO_WRITE, date_sql, detect_formats
from hotline_trends.ingest.duckscan import TextTable, record_lines, run_scan

SHOWN = 5


@dataclass(frozen=True)
class Columns:
    """Positions of the columns used (None when the file has no such column)."""

    date: int
    category: int
    id: int | None = None
    area: int | None = None


@dataclass
class Scan:
    """What the pass found: per-day groups, per-area groups, the date formats used, the rows read."""

    groups: pd.DataFrame  # day (date or NaT), category (str or NA), date_state, rows, incidents, example (an id)
    areas: pd.DataFrame  # category, area, rows
    formats: list[str]
    formats_used: int
    rows: int
    areas_counted: bool = True


def _text(i: int | None) -> str:
    return f"nullif(trim(c{i}), '')" if i is not None else "CAST(NULL AS VARCHAR)"


def scan(con: duckdb.DuckDBPyConnection, table: TextTable, columns: Columns, *, with_areas: bool) -> Scan:
    """Group the whole file; raise ``InputRejected`` (with lines) if any date cell cannot be read.

    ``with_areas`` adds rows per category and area to the same pass; a second grouping costs a third of
    the pass in a file of millions of rows, so big files go without it.
    """
    try:
        formats, used = detect_formats(con, f"SELECT c{columns.date} AS v FROM {table.scan_sql()}")
    except duckdb.Error:
        formats, used = list(FORMATS), 0  # the whole-file pass below reports what is wrong, with its line
    area = _text(columns.area) if with_areas else "CAST(NULL AS VARCHAR)"
    # The date is parsed once per row (strptime tolerates the spaces trim would take away).
    both = with_areas and columns.area is not None
    sets, by_day = ("GROUPING SETS ((day, cat, state), (cat, area))", "grouping(area)") if both else ("ALL", "1")
    frame = run_scan(
        con,
        table,
        f"""WITH src AS (SELECT c{columns.date} AS d, {_text(columns.category)} AS cat, {_text(columns.id)} AS id,
                                {area} AS area, {date_sql(f"c{columns.date}", formats)} AS day FROM {{scan}}),
                 typed AS (SELECT *, CASE WHEN day IS NOT NULL THEN 'ok' WHEN nullif(trim(d), '') IS NULL THEN 'blank'
                                          ELSE 'bad' END AS state FROM src)
            SELECT {by_day} AS by_day, day, cat, state, area, count(*) AS n,
                   count(DISTINCT id) + count(*) FILTER (WHERE id IS NULL) AS incidents,
                   min(id) FILTER (WHERE day IS NULL OR cat IS NULL) AS example
            FROM typed GROUP BY {sets}""",
    ).df()
    frame.columns = ["by_day", "day", "category", "date_state", "area", "rows", "incidents", "example"]
    groups = frame.loc[frame["by_day"] == 1].drop(columns=["by_day", "area"]).reset_index(drop=True)
    areas = frame.loc[frame["by_day"] == 0, ["category", "area", "rows"]].reset_index(drop=True)
    total = int(groups["rows"].sum())
    if (groups["date_state"] == "bad").any():
        raise _unreadable_dates(con, table, columns, date_sql("d", formats), total)
    return Scan(groups=groups, areas=areas, formats=formats, formats_used=used, rows=total, areas_counted=with_areas)


def _unreadable_dates(con, table: TextTable, columns: Columns, day: str, total: int) -> InputRejected:
    """The first unreadable date cells with their file lines (a single-threaded pass keeps the row order)."""
    found = con.execute(
        f"""SELECT rec, d FROM (SELECT row_number() OVER () AS rec, {_text(columns.date)} AS d
                                FROM {table.scan_sql(padded=True)})
            WHERE d IS NOT NULL AND {day} IS NULL ORDER BY rec LIMIT {SHOWN}"""
    ).fetchall()
    bad = con.execute(
        f"SELECT count(*) FROM {table.scan_sql(padded=True)} "
        f"WHERE {_text(columns.date)} IS NOT NULL AND {date_sql(_text(columns.date))} IS NULL"
    ).fetchone()[0]
    lines = record_lines(table, [r for r, _ in found], total=total)
    name = table.header[columns.date]
    problems = [
        Problem(f"date {value!r} cannot be read; {HOW_TO_WRITE}{_hint(value)}", lines.get(rec), name)
        for rec, value in found
    ]
    return InputRejected(table.path.name, problems, bad_rows=bad, rows_read=total)


def _hint(value: str) -> str:
    parts = value.strip().split(" ")[0].split("/")
    if len(parts) == 3 and parts[0].isdigit() and int(parts[0]) > 12 and len(parts[2]) == 4:
        return " (this one looks day first; re-export with month first or as YYYY-MM-DD)"
    return ""


def skipped_lines(con, table: TextTable, columns: Columns, where: str, *, total: int) -> list[int]:
    """File lines of the first rows matching ``where`` (over columns d, cat), for the report."""
    found = con.execute(
        f"""SELECT rec FROM (SELECT row_number() OVER () AS rec, {_text(columns.date)} AS d,
                                    {_text(columns.category)} AS cat FROM {table.scan_sql(padded=True)})
            WHERE {where} ORDER BY rec LIMIT {SHOWN}"""
    ).fetchall()
    lines = record_lines(table, [r for (r,) in found], total=total)
    return [lines[r] for (r,) in found if r in lines]
