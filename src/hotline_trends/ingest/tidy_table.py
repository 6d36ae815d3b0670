"""Readers 6 and 8: a tidy table (events, observations, ...) from CSV in any dialect or an .xlsx sheet, as rows.

input → output: a header naming the spec's columns (any case, spaces or underscores) and one row per
record → text rows for the store, with region and state names mapped to codes ("Texas" → TX,
"Washington, D.C." → DC). Excel date cells become ISO dates. Used for events files (CSV or XLSX) and
for every tidy table kept in a workbook; big plain CSVs go through ``tidy.read_tidy_csv`` (bulk path).
"""

from __future__ import annotations

from pathlib import Path

from hotline_trends.errors import UserError
from hotline_trends.ingest.base import Incoming, NotThisFormat, file_sha256, text_frame
from hotline_trends.ingest.grid import Grid, peek_grid, read_grid
from hotline_trends.ingest.regions import region_code
from hotline_trends.ingest.tidy import normalize_header, pick_spec
from hotline_trends.schema import TableSpec

# Columns holding a place name; the regions table defines codes, so its own column is left as written.
PLACE_COLUMNS = {"region", "state"}


def _header(grid: Grid) -> tuple[int, list[str], list[str]]:
    rows = grid.non_blank()
    if not rows:
        raise UserError(f"{grid.file_name}: the sheet is empty; put the header in the first row")
    line, raw = rows[0]
    raw = list(raw)
    while raw and not raw[-1].strip():
        raw.pop()
    return line, raw, [normalize_header(h) for h in raw]


def _spec(grid: Grid, table: str | None, only: str | None) -> TableSpec:
    line, raw, header = _header(grid)
    try:
        spec = pick_spec(grid.file_name, header, table or only)
    except UserError as exc:
        if only and not (set(header) & {"event_id", "start_date", "end_date"}):
            raise NotThisFormat(f"the header does not name the {only} columns") from None
        if not only and not table:
            raise NotThisFormat(str(exc)) from None
        raise
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        raise UserError(f"{grid.file_name} line {line}: the header names {', '.join(map(repr, dupes))} more than once")
    return spec


def read_tidy_table(
    path: Path, *, table: str | None = None, sheet: str | None = None, only: str | None = None, fmt: str
) -> Incoming:
    """Rows of a tidy table from CSV or XLSX; ``only`` restricts detection to one table (the events reader).

    Raises:
        NotThisFormat: the header fits no table (or not ``only``).
        UserError: the header misses a required column, or names one twice.
    """
    _spec(peek_grid(path, sheet=sheet, rows=3), table, only)
    grid = read_grid(path, sheet=sheet)
    spec = _spec(grid, table, only)
    line, raw, header = _header(grid)
    keep = {i: h for i, h in enumerate(header) if h in spec.names}
    mapped = {h for h in keep.values() if h in PLACE_COLUMNS and spec.name != "regions"}
    rows, renamed = [], 0
    for number, cells in grid.non_blank():
        if number <= line:
            continue
        values = {h: (cells[i] if i < len(cells) else "") for i, h in keep.items()}
        for column in mapped:
            code = region_code(values[column]) if values[column] else ""
            renamed += code != values[column]
            values[column] = code
        rows.append((number, values))
    if not rows:
        raise UserError(f"{path.name}: the file has a header (line {line}) but no data rows; add at least one row")
    detected = {
        "format": fmt,
        "table": spec.name,
        **grid.detected,
        "header_line": line,
        "columns": list(keep.values()),
        "ignored_columns": [r for i, r in enumerate(raw) if i not in keep and r.strip()],
        "place_names_mapped": renamed,
    }
    return Incoming(
        table=spec.name,
        file_name=path.name,
        sha256=file_sha256(path),
        reader=fmt,
        detected=detected,
        frame=text_frame(rows, list(dict.fromkeys(keep.values()))),
    )
