"""Reader for the tidy tables (observations, events, sources, regions, agencies, population) as CSV.

Any common dialect: comma, semicolon, tab or pipe; UTF-8 with or without BOM, or Latin-1; CRLF; blank
lines; headers in any case. The rows themselves are checked by the store, so every reader shares one set
of rules and messages.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from hotline_trends.errors import UserError
from hotline_trends.ingest.base import CsvLayout, Incoming, NotThisFormat, sha256_in_background
from hotline_trends.ingest.sniff import (
    DELIMITER_NAMES,
    check_first_line,
    first_lines,
    guess_delimiter,
    shown_names,
    sniff_text,
)
from hotline_trends.schema import SPECS, TableSpec

# source_id may come from --source-id or be registered from the file, so a file need not have it.
SUPPLIABLE = {"source_id"}
MIN_HEADER_SHARE = 0.5


def normalize_header(text: str) -> str:
    """'Period Start ' -> 'period_start'; 'ï»¿dataset' (a stray BOM) -> 'dataset'."""
    text = text.replace("\ufeff", "").replace("ï»¿", "")
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def missing_required(spec: TableSpec, header: set[str]) -> list[str]:
    return [c for c in spec.required if c not in header and c not in SUPPLIABLE]


def pick_spec(file_name: str, header: list[str], table: str | None) -> TableSpec:
    """The table whose columns the header names; a message naming the missing columns otherwise."""
    names = set(header)
    candidates = [SPECS[table]] if table else list(SPECS.values())
    fitting = [
        s
        for s in candidates
        if not missing_required(s, names) and (table or len(names & set(s.names)) >= MIN_HEADER_SHARE * len(names))
    ]
    if fitting:
        return max(fitting, key=lambda s: len(names & set(s.names)))
    closest = max(candidates, key=lambda s: len(names & set(s.names)) / len(s.names))
    if not names & set(closest.names):
        tables = "; ".join(f"{s.name}: {', '.join(s.required)}" for s in candidates)
        raise NotThisFormat(
            f"{file_name} line 1: the header ({shown_names(header)}) names none of the columns this reader "
            f"knows. A tidy table needs these columns ({tables}); rename the header or use --format"
        )
    missing = missing_required(closest, names)
    if not missing:
        # Every required column is there; the file was refused because most of its columns are not this table's.
        unknown = [h for h in header if h and h not in closest.names]
        shown = ", ".join(repr(h) for h in unknown[:8]) + (f" and {len(unknown) - 8} more" if len(unknown) > 8 else "")
        raise UserError(
            f"{file_name} line 1: the header has the {closest.name} columns but also {len(unknown)} column"
            f"{'s' if len(unknown) != 1 else ''} the {closest.name} table does not have ({shown}), more than its "
            f"own; pass --format {closest.name}-csv to read it as {closest.name} (the other columns are ignored "
            "and reported), or remove them"
        )
    raise UserError(
        f"{file_name} line 1: missing required column{'s' if len(missing) > 1 else ''} "
        f"{', '.join(repr(m) for m in missing)} for {closest.name}; the header has "
        f"{shown_names(header)}. Add the column (each {closest.row_label} needs {', '.join(closest.required)})"
    )


def read_tidy_csv(path: Path, *, table: str | None = None) -> Incoming:
    """Detect the dialect and the table of a tidy CSV; rows are read later by the store.

    Example:
        >>> from hotline_trends.paths import bundled_file
        >>> incoming = read_tidy_csv(bundled_file("events"))
        >>> incoming.table, incoming.detected["delimiter"]
        ('events', 'comma')
    """
    sniff = sniff_text(path)
    header_line, lines = first_lines(path.name, sniff.sample)
    delimiter = guess_delimiter(lines)
    check_first_line(path, sniff, delimiter)
    raw_header = next(csv.reader([lines[0]], delimiter=delimiter))
    while raw_header and not raw_header[-1].strip():
        raw_header.pop()  # spreadsheets often export trailing empty columns
    header = [normalize_header(h) for h in raw_header]
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        raise UserError(
            f"{path.name} line {header_line}: the header names {', '.join(map(repr, dupes))} more than once; "
            "keep one column of each name"
        )
    spec = pick_spec(path.name, header, table)
    columns = tuple(h if h in spec.names else None for h in header)
    if not any(not _blank(line, delimiter) for line in lines[1:]):
        _require_data_rows(path, header_line, sniff.encoding, delimiter)
    detected = {
        "format": "tidy-csv",
        "table": spec.name,
        "encoding": sniff.label,
        "delimiter": DELIMITER_NAMES[delimiter],
        "line_ends": sniff.newline,
        "header_line": header_line,
        "columns": [h for h in header if h in spec.names],
        "ignored_columns": [raw for raw, h in zip(raw_header, header, strict=True) if h not in spec.names],
    }
    layout = CsvLayout(
        path=path,
        encoding=sniff.encoding,
        delimiter=delimiter,
        header_line=header_line,
        header=tuple(raw_header),
        columns=columns,
    )
    return Incoming(
        table=spec.name,
        file_name=path.name,
        sha256=sha256_in_background(path),
        reader="tidy-csv",
        detected=detected,
        csv=layout,
    )


def _blank(line: str, delimiter: str) -> bool:
    """A line of nothing but whitespace and delimiters (spreadsheets write ',,,,' for empty rows)."""
    return not line.replace(delimiter, "").strip()


def _require_data_rows(path: Path, header_line: int, encoding: str, delimiter: str) -> None:
    """Raise when nothing but blank lines follows the header (the sample may simply have ended)."""
    with open(path, encoding=encoding, errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if number > header_line and not _blank(line, delimiter):
                return
    raise UserError(f"{path.name}: the file has a header (line {header_line}) but no data rows; add at least one row")
