"""A large delimited text file scanned by DuckDB, with the dialect our sniffer found and file lines on demand.

Readers of big exports (millions of incident rows) cannot walk rows in Python; they hand DuckDB the
dialect ``sniff`` detected and name columns by position (``c0``, ``c1``, ...), so odd header names never
matter. When a problem needs its file line, ``record_lines`` turns DuckDB's record numbers into lines.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from hotline_trends.errors import InputRejected, Problem, UserError
from hotline_trends.ingest.base import CsvLayout
from hotline_trends.ingest.rows import iter_records
from hotline_trends.ingest.sniff import DELIMITER_NAMES, first_lines, guess_delimiter, sniff_text

MEMORY_ENV = "HOTLINE_TRENDS_MEMORY"  # the store's own DuckDB memory cap, shared by readers
DUCKDB_ENCODINGS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "cp1252": "latin-1"}
CHUNK = 1 << 22


@dataclass(frozen=True)
class TextTable:
    """A delimited file: where its header is, its columns, and how DuckDB should read it."""

    path: Path
    encoding: str  # the Python codec the sniffer chose
    delimiter: str
    header_line: int
    header: tuple[str, ...]
    detected: dict

    def scan_sql(self, *, padded: bool = False) -> str:
        """A ``read_csv`` relation of every data row, all text, columns ``c0``..``cN``."""
        columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(self.header))) + "}"
        path = str(self.path).replace("'", "''")
        delimiter = self.delimiter.replace("'", "''")
        # Short rows need null padding, which DuckDB's parallel reader cannot combine with quoted newlines.
        extra = ", null_padding = true, parallel = false" if padded else ""
        return (
            f"read_csv('{path}', header = true, skip = {self.header_line - 1}, auto_detect = false, "
            f"columns = {columns}, delim = '{delimiter}', quote = '\"', escape = '\"', "
            f"encoding = '{DUCKDB_ENCODINGS[self.encoding]}', strict_mode = true{extra})"
        )


def scan_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for a reader: the store's memory cap (it spills beyond), and no progress bar,
    which DuckDB would print to stdout, into a --json answer."""
    con = duckdb.connect(config={"memory_limit": os.environ.get(MEMORY_ENV, "1GB")})
    con.execute("SET enable_progress_bar = false")
    return con


def open_table(path: Path) -> TextTable:
    """Sniff a text file's encoding, delimiter and header (the first non-blank line)."""
    sniff = sniff_text(path)
    header_line, lines = first_lines(path.name, sniff.sample)
    delimiter = guess_delimiter(lines)
    header = next(csv.reader([lines[0]], delimiter=delimiter))
    while header and not header[-1].strip():
        header.pop()  # spreadsheets export trailing empty columns
    header = [h.replace("\ufeff", "").strip() for h in header]
    detected = {
        "encoding": sniff.label,
        "delimiter": DELIMITER_NAMES[delimiter],
        "line_ends": sniff.newline,
        "header_line": header_line,
    }
    return TextTable(path, sniff.encoding, delimiter, header_line, tuple(header), detected)


def run_scan(
    con: duckdb.DuckDBPyConnection, table: TextTable, sql: str, *, ordered: bool = False
) -> duckdb.DuckDBPyConnection:
    """Run ``sql`` (which reads ``{scan}``); a DuckDB reading error becomes a message with its file line.

    ``ordered`` reads on one thread, so ``row_number() OVER ()`` is the record number in the file. Returns
    the connection with the result pending (``.df()``, ``.fetchall()``).
    """
    try:
        return con.execute(sql.format(scan=table.scan_sql(padded=ordered)))
    except duckdb.Error as exc:
        if "Expected Number of Columns" in str(exc) and re.search(r"Found: (\d+)", str(exc)):
            found = int(re.search(r"Found: (\d+)", str(exc)).group(1))
            if found < len(table.header) and not ordered:
                try:
                    return con.execute(sql.format(scan=table.scan_sql(padded=True)))
                except duckdb.Error as again:
                    exc = again
        raise _reading_error(table, exc) from None


def _reading_error(table: TextTable, exc: duckdb.Error) -> UserError:
    text = str(exc)
    line = re.search(r"on Line: (\d+)", text)
    where = int(line.group(1)) if line else None
    if "Expected Number of Columns" in text:
        found = re.search(r"Found: (\d+)", text)
        what = (
            f"the row has {found.group(1) if found else 'more'} fields but the header has {len(table.header)}; a "
            f"text field probably contains the delimiter {table.delimiter!r} without quotes around it"
        )
    elif "unicode" in text.lower() or "encod" in text.lower():
        what = "bytes that are not valid text in the file's encoding; save the whole file as 'CSV UTF-8'"
    else:
        first = text.splitlines()[0] if text else "unknown error"
        what = f"the file cannot be read as a table here ({first}); check that it is a plain CSV export"
    return InputRejected(table.path.name, [Problem(what, line=where)])


def record_lines(table: TextTable, records: list[int], *, total: int) -> dict[int, int]:
    """File lines of DuckDB records (1-based, counting rows after the header; blank lines are not records).

    When the file has one line per record (no quoted line breaks, no blank lines), record r sits on line
    header_line + r and counting line ends suffices; otherwise the file is read up to the last record asked.
    """
    if not records:
        return {}
    layout = CsvLayout(table.path, table.encoding, table.delimiter, table.header_line, table.header, ())
    if _line_count(table.path) - table.header_line == total:
        return {r: table.header_line + r for r in records}
    wanted, found, number = set(records), {}, 0
    for line, fields in iter_records(layout):
        if not fields:
            continue  # a blank line: DuckDB skips it too
        number += 1
        if number in wanted:
            found[number] = line
            if len(found) == len(wanted):
                break
    return found


def _line_count(path: Path) -> int:
    """Lines in the file (a last line without a line end counts; CR-only files count their CRs)."""
    lines, last, crs = 0, b"", 0
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            lines += block.count(b"\n")
            crs += block.count(b"\r")
            last = block[-1:]
    if not lines and crs:
        lines = crs
    return lines + (0 if last in (b"\n", b"\r") else 1)
