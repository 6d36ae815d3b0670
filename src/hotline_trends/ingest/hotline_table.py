"""Reader 1: the hotline's "Signals and cases by State in 2024" table, from a saved page or a CSV/XLSX copy.

input → output: a page (or sheet) holding one or more tables with a ``State`` column and count columns
(``Signals received``, ``Cases identified``, ...), each under a heading naming its year → one nhth
observation per state, year and count column. ``% of total`` columns are shares, not counts: they are
reported as ignored, never stored. A "Total" row is skipped and reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hotline_trends.errors import Problem, UserError
from hotline_trends.ingest.base import Incoming, NotThisFormat, rows_incoming
from hotline_trends.ingest.grid import TEXT, file_kind, read_grid
from hotline_trends.ingest.html_text import Piece, decode_page, looks_like_html, page_pieces
from hotline_trends.ingest.regions import is_total, region_code
from hotline_trends.ingest.sniff import sniff_text
from hotline_trends.ingest.words import heading_year, hotline_metric, no_count, year_period

FORMAT = "hotline-table"
STATE_HEADERS = {"state", "states", "state territory", "state or territory", "location", "region", "jurisdiction"}
COLUMNS = ["dataset", "region", "period_start", "period_end", "metric", "value"]


@dataclass
class Table:
    """One table found: where, its year and heading, and its rows (line, cells)."""

    line: int
    header: list[str]
    heading: str | None
    year: int | str | None
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def header_roles(header: list[str]) -> tuple[int, dict[int, str], list[str]] | None:
    """(state column, {column: metric}, ignored headers) when ``header`` is a hotline table header, else None."""
    keys = [" ".join(h.lower().replace("/", " ").split()) for h in header]
    state = next((i for i, k in enumerate(keys) if k in STATE_HEADERS), None)
    metrics = {i: m for i, h in enumerate(header) if i != state and (m := hotline_metric(h))}
    if state is None or not metrics:
        return None
    ignored = [h for i, h in enumerate(header) if i != state and i not in metrics and h.strip()]
    return state, metrics, ignored


def _is_hotline_header(header: list[str]) -> bool:
    """A spreadsheet header in the hotline's own words, so a generic 'State, Signals' sheet stays 'wide'."""
    words = " ".join(header).lower()
    return header_roles(header) is not None and (
        "% of total" in words or "signals received" in words or "cases identified" in words
    )


def _tables_in_page(pieces: list[Piece]) -> list[Table]:
    tables, context = [], None
    for piece in pieces:
        if piece.kind in ("heading", "text") and len(piece.text) < 200 and heading_year(piece.text) is not None:
            context = piece.text
        if piece.kind != "table":
            continue
        for i, (line, cells) in enumerate(piece.rows):
            if header_roles(cells):
                year = heading_year(context) if context else None
                tables.append(Table(line, cells, context, year, piece.rows[i + 1 :]))
                break
        context = None  # a heading belongs to the table right after it
    return tables


def _tables_in_grid(rows: list[tuple[int, list[str]]], *, hotline_words: bool) -> list[Table]:
    tables: list[Table] = []
    title: str | None = None
    current: Table | None = None
    for line, cells in rows:
        filled = [c for c in cells if c.strip()]
        if not filled:
            continue
        is_header = _is_hotline_header(cells) if hotline_words else header_roles(cells) is not None
        if is_header:
            current = Table(line, cells, title, heading_year(title) if title else None)
            tables.append(current)
            title = None
        elif len(filled) == 1 and heading_year(filled[0]) is not None:
            title, current = filled[0], None
        elif current is not None:
            current.rows.append((line, cells))
    return tables


def _observations(path: Path, tables: list[Table], year_option: int | None) -> tuple[list, list[Problem], list]:
    out, skipped, found = [], [], []
    for table in tables:
        year = table.year if isinstance(table.year, int) else year_option
        if table.year == "all-time":
            skipped.append(Problem(f"table under {table.heading!r} is an all-time total, not a year", table.line))
            continue
        if year is None:
            raise UserError(
                f"{path.name} line {table.line}: found the table ({', '.join(table.header)}) but no year in a "
                "heading above it; the heading should read like 'Signals and cases by State in 2024', or pass --year"
            )
        state, metrics, ignored = header_roles(table.header)  # type: ignore[misc]
        start, end = year_period(year)
        kept = 0
        for line, cells in table.rows:
            name = cells[state] if state < len(cells) else ""
            if header_roles(cells):
                continue
            if is_total(name):
                skipped.append(Problem(f"'{name}' row is a sum of the rows above, not a region; skipped", line))
                continue
            kept += 1
            for column, metric in metrics.items():
                value = cells[column] if column < len(cells) else ""
                if no_count(value):
                    continue
                out.append(
                    (line, dict(zip(COLUMNS, ["nhth", region_code(name), start, end, metric, value], strict=True)))
                )
        found.append(
            {
                "year": year,
                "heading": table.heading,
                "line": table.line,
                "rows": kept,
                "metrics": sorted(set(metrics.values())),
                "ignored_columns": ignored,
            }
        )
    return out, skipped, found


def read_hotline_table(path: Path, *, sheet: str | None = None, year: int | None = None) -> Incoming:
    """Read every hotline statistics table of a saved page (HTML) or a CSV/XLSX copy of it.

    Raises:
        NotThisFormat: no table with a State column and hotline count columns.
        UserError: a table has no year in its heading (and no ``--year``).
    """
    kind = file_kind(path)
    if kind == TEXT and looks_like_html(sniff_text(path).sample):
        markup, encoding = decode_page(path)
        tables = _tables_in_page(page_pieces(markup, file_name=path.name))
        detected = {"source": "HTML page", "encoding": encoding}
    else:
        if kind == TEXT and not _is_hotline_header_in(sniff_text(path).sample):
            raise NotThisFormat("no 'State' / 'Signals received' / 'Cases identified' table header")
        grid = read_grid(path, sheet=sheet)
        tables = _tables_in_grid(grid.non_blank(), hotline_words=True)
        detected = {"source": "spreadsheet copy of the table", **grid.detected}
    if not tables:
        raise NotThisFormat("no table with a 'State' column and 'Signals'/'Cases' count columns")
    rows, skipped, found = _observations(path, tables, year)
    if not rows:
        raise UserError(f"{path.name}: the hotline table(s) hold no counts for a single year; nothing to add")
    detected = {
        "format": FORMAT,
        "table": "observations",
        **detected,
        "tables_found": len(found),
        "years": sorted({t["year"] for t in found}),
        "tables": found,
        "ignored_columns": sorted({c for t in found for c in t["ignored_columns"]}),
        "rows_skipped": len(skipped),
    }
    return rows_incoming(
        path, table="observations", reader=FORMAT, detected=detected, rows=rows, columns=COLUMNS, skipped=skipped
    )


def _is_hotline_header_in(sample: str) -> bool:
    lowered = sample.lower()
    return "state" in lowered and ("signals received" in lowered or "cases identified" in lowered)
