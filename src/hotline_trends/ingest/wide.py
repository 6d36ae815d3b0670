"""Reader 5: wide spreadsheets as people keep them (CSV in any dialect, or an .xlsx sheet) → observations.

input → output: one row per region and either one column per year ("State, 2019, 2020, 2021"; the metric
from ``--metric`` or a ``Metric`` column) or one column per metric ("State, Signals, Cases"; the year
from a ``Year`` column, a title line like "Tip line 2024", or ``--year``) → one observation per region,
year and metric. The dataset is ``--dataset`` or a ``Dataset`` column. Region names may be USPS codes or
full names in any case ("Washington, D.C."). A "Total" row is skipped and reported; empty or suppressed
cells give no row (no row is not a zero); percent and text columns are reported as ignored.
"""

from __future__ import annotations

import re
from pathlib import Path

from hotline_trends.errors import Problem, UserError
from hotline_trends.ingest.base import Incoming, NotThisFormat, rows_incoming
from hotline_trends.ingest.grid import Grid, peek_grid, read_grid
from hotline_trends.ingest.regions import is_total, lookup, region_code
from hotline_trends.ingest.tidy import normalize_header, pick_spec
from hotline_trends.ingest.words import heading_year, hotline_metric, is_percent_header, no_count, year_period

FORMAT = "wide"
REGION_HEADERS = {"state", "states", "region", "state_name", "name", "jurisdiction", "location", "place"}
REGION_HEADERS |= {"state_or_territory", "state_territory", "territory", "usps", "state_code", "area"}
TEXT_HEADERS = {"note", "notes", "comment", "comments", "source", "sources", "abbreviation", "abbr", "fips", "rank"}
YEAR_HEADER = re.compile(r"\D{0,4}((?:19|20)\d{2})\D{0,3}")
COLUMNS = ["dataset", "region", "period_start", "period_end", "metric", "value"]


def _year_column(header: str) -> int | None:
    match = YEAR_HEADER.fullmatch(header.strip())
    return int(match.group(1)) if match and not is_percent_header(header) else None


def _layout(cells: list[str], region_hint: bool) -> dict | None:
    """Roles of the header's columns, or None when the row is not a wide header."""
    keys = [normalize_header(c) for c in cells]
    region = next((i for i, k in enumerate(keys) if k in REGION_HEADERS), None)
    if region is None and region_hint and cells and not cells[0].strip():
        region = 0  # a blank corner cell above a column of region names
    if region is None:
        return None
    roles = {"region": region, "years": {}, "metrics": {}, "ignored": [], "year": None, "metric": None, "dataset": None}
    for i, (cell, key) in enumerate(zip(cells, keys, strict=True)):
        if i == region or not cell.strip():
            continue
        if key in ("year", "metric", "dataset"):
            roles[key] = i
        elif (year := _year_column(cell)) is not None:
            roles["years"][i] = year
        elif is_percent_header(cell) or key in TEXT_HEADERS or key in REGION_HEADERS:
            roles["ignored"].append(cell)
        else:
            roles["metrics"][i] = hotline_metric(cell) or key
    return roles if roles["years"] or roles["metrics"] else None


def _find_header(grid: Grid) -> tuple[int, list[str], dict, list[str]] | None:
    rows = grid.non_blank()
    for n, (line, cells) in enumerate(rows[:10]):
        below = [c[0] for _, c in rows[n + 1 : n + 8] if c]
        hint = sum(lookup(c) is not None for c in below) >= max(1, len(below) // 2)
        roles = _layout(cells, hint)
        if roles:
            titles = [c for _, row in rows[:n] for c in row if c.strip()]
            return line, cells, roles, titles
    return None


def _cell_getter(cells: list[str]):
    return lambda i: cells[i].strip() if i is not None and i < len(cells) else ""


# Column names only a tidy table has: a header with one of them is a (perhaps broken) tidy file, whose
# own reader gives the better message.
TIDY_ONLY = {"period_start", "period_end", "value", "source_id", "reliability", "event_id", "start_date", "vintage"}


def _is_tidy(cells: list[str]) -> bool:
    if {normalize_header(c) for c in cells} & TIDY_ONLY:
        return True
    try:
        pick_spec("", [normalize_header(c) for c in cells if c.strip()], None)
    except UserError:
        return False
    return True


def read_wide(
    path: Path,
    *,
    sheet: str | None = None,
    dataset: str | None = None,
    metric: str | None = None,
    year: int | None = None,
) -> Incoming:
    """Observations from a wide table (years or metrics as columns).

    Raises:
        NotThisFormat: no header with a region column and year or metric columns (or a tidy header).
        UserError: the file does not say its dataset, metric or year and no option gave it.
    """
    peeked = _find_header(peek_grid(path, sheet=sheet))
    if peeked is None or _is_tidy(peeked[1]):
        raise NotThisFormat("no header with a State/Region column and one column per year or per metric")
    grid = read_grid(path, sheet=sheet)
    found = _find_header(grid)
    if found is None:
        raise NotThisFormat("no header with a State/Region column and one column per year or per metric")
    header_line, header, roles, titles = found
    places = [
        *[(t, "a title line above the header") for t in titles],
        (grid.detected.get("sheet", ""), "the sheet name"),
    ]
    title_year, year_source = next(
        ((y, where) for t, where in places if isinstance(y := heading_year(t), int)), (None, "")
    )
    by_year = bool(roles["years"])
    if by_year and roles["metric"] is None and not metric:
        raise UserError(
            f"{path.name} line {header_line}: the file has one column per year but does not say which metric "
            "the numbers count; pass --metric NAME (e.g. --metric tips) or add a 'Metric' column"
        )
    if not by_year and roles["year"] is None and not (year or title_year):
        raise UserError(
            f"{path.name} line {header_line}: the file has one column per metric but does not say which year; "
            "pass --year 2024, add a 'Year' column, or put the year in a title line above the header"
        )
    if roles["dataset"] is None and not dataset:
        raise UserError(
            f"{path.name}: the file does not say which dataset its numbers belong to; pass --dataset NAME "
            "(e.g. --dataset my_tipline) or add a 'Dataset' column"
        )
    rows, skipped, empty = [], [], 0
    for line, cells in grid.non_blank():
        if line <= header_line:
            continue
        cell = _cell_getter(cells)
        name = cell(roles["region"])
        if is_total(name):
            skipped.append(Problem(f"'{name}' row is a sum of the rows above, not a region; skipped", line))
            continue
        row_dataset = cell(roles["dataset"]) or dataset or ""
        row_year = cell(roles["year"]) or str(year or title_year or "")
        columns = roles["years"] if by_year else roles["metrics"]
        for i, label in columns.items():
            value = cell(i)
            if no_count(value):
                empty += 1
                continue
            when = label if by_year else row_year
            start, end = year_period(int(when)) if str(when).isdigit() else (str(when), str(when))
            what = (cell(roles["metric"]) or metric or "") if by_year else label
            values = [row_dataset, region_code(name), start, end, what, value]
            rows.append((line, dict(zip(COLUMNS, values, strict=True))))
    if not rows:
        raise UserError(f"{path.name}: the table has a header (line {header_line}) but no counts; add rows")
    detected = {
        "format": FORMAT,
        "table": "observations",
        **grid.detected,
        "header_line": header_line,
        "layout": "one column per year" if by_year else "one column per metric",
        "region_column": header[roles["region"]] or "(first column)",
        "years": sorted({int(r["period_start"][:4]) for _, r in rows if r["period_start"][:4].isdigit()}),
        "metrics": sorted({r["metric"] for _, r in rows}),
        "dataset": sorted({r["dataset"] for _, r in rows}),
        # In a year-per-column table, other number columns (population, ...) are not the metric asked for.
        "ignored_columns": roles["ignored"] + ([header[i] for i in roles["metrics"]] if by_year else []),
        "rows_skipped": len(skipped),
        "empty_cells": empty,
    }
    if not by_year and roles["year"] is None:
        detected["year_from"] = "--year" if year else year_source
    return rows_incoming(
        path, table="observations", reader=FORMAT, detected=detected, rows=rows, columns=COLUMNS, skipped=skipped
    )
