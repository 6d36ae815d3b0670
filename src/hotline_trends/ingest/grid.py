"""A table as people keep it, CSV (any dialect) or an Excel sheet, as rows of text cells with their line.

Readers of spreadsheet-like files (wide tables, hotline tables, FBI and Census downloads, events) start
from a ``Grid`` so that they all accept the same dialects and report them the same way. Cells are text,
as written: numbers keep their thousands separators and the store reads them, so every reader shares
one set of rules and messages.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

from hotline_trends.errors import UserError
from hotline_trends.ingest.base import CsvLayout
from hotline_trends.ingest.limits import Limits, check_time, current, size_text
from hotline_trends.ingest.rows import iter_records
from hotline_trends.ingest.sniff import (
    DELIMITER_NAMES,
    DELIMITERS,
    SAMPLE_BYTES,
    binary_kind,
    check_first_line,
    sniff_text,
)

XLSX = "xlsx"
TEXT = "text"
T = TypeVar("T")


def file_kind(path: Path) -> str:
    """``'text'`` or ``'xlsx'``; a clear error for an empty file or any other binary file.

    Raises:
        UserError: the file is empty, a zip that is not a workbook, or another binary format.
    """
    with open(path, "rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    if not head.strip():
        raise UserError(f"{path.name}: the file is empty; export the table again with its header and rows")
    if head.startswith(b"PK\x03\x04"):
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                if "xl/workbook.xml" in archive.namelist():
                    check_zip(path.name, archive.infolist(), current())
                    return XLSX
        raise UserError(
            f"{path.name}: this looks like a zip archive (an .xlsx workbook is one) but it is not an Excel "
            "workbook that can be opened; save the data as .xlsx or as CSV and ingest that file"
        )
    if binary_kind(head):
        sniff_text(path)  # raises the shared message for binary and UTF-16 files
    return TEXT


def check_zip(file_name: str, parts: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse a workbook whose parts would expand to an absurd size, before anything is expanded.

    The sizes come from the zip's directory; ``zipfile`` never inflates a part past its stated size, so a
    part that lies about it fails its checksum instead of filling memory.
    """
    if len(parts) > limits.zip_parts:
        raise UserError(
            f"{file_name}: the workbook holds {len(parts):,} files, more than the {limits.zip_parts:,} a workbook "
            "is read with; save the sheet you need as a new .xlsx or as CSV"
        )
    total = sum(p.file_size for p in parts)
    if total > limits.zip_bytes:
        raise UserError(
            f"{file_name}: the workbook would expand to {size_text(total)} (from {size_text(sum(p.compress_size for p in parts))}), "
            f"over the {size_text(limits.zip_bytes)} a workbook may expand to; nothing was read. Save the sheet you "
            "need as CSV and ingest that"
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > limits.zip_ratio_from and ratio > limits.zip_ratio:
            raise UserError(
                f"{file_name}: the workbook part {part.filename} would expand {ratio:,.0f} times (to "
                f"{size_text(part.file_size)}), over the {limits.zip_ratio}x a real sheet compresses by; this is a "
                "zip bomb or a damaged file, and nothing was read. Save the sheet you need as CSV and ingest that"
            )


@dataclass
class Grid:
    """Rows of text cells, each with its file line (CSV) or sheet row number (Excel)."""

    file_name: str
    rows: list[tuple[int, list[str]]]
    detected: dict[str, Any] = field(default_factory=dict)

    def non_blank(self) -> list[tuple[int, list[str]]]:
        return [(line, cells) for line, cells in self.rows if any(c.strip() for c in cells)]


def read_grid(path: Path, *, sheet: str | None = None) -> Grid:
    """Read a CSV/TSV (encoding and delimiter detected) or one sheet of an .xlsx workbook.

    Example:
        >>> from hotline_trends.paths import bundled_file
        >>> grid = read_grid(bundled_file("regions"))
        >>> grid.rows[0], grid.detected["delimiter"]
        ((1, ['region', 'name', 'kind', 'source_id']), 'comma')
    """
    if file_kind(path) == XLSX:
        return _read_sheet(path, sheet)
    if sheet:
        raise UserError(f"{path.name}: --sheet applies to Excel workbooks; this is a text file")
    sniff = sniff_text(path)
    delimiter = guess_grid_delimiter(sniff.sample)
    layout = CsvLayout(path=path, encoding=sniff.encoding, delimiter=delimiter, header_line=0, header=(), columns=())
    budget = _CellBudget(path.name, current())
    rows = [(line, [f.strip() for f in budget.take(line, fields)]) for line, fields in iter_records(layout)]
    detected = {
        "encoding": sniff.label,
        "delimiter": DELIMITER_NAMES[delimiter],
        "line_ends": sniff.newline,
    }
    return Grid(file_name=path.name, rows=rows, detected=detected)


def peek_grid(path: Path, *, sheet: str | None = None, rows: int = 30) -> Grid:
    """The first rows only (from the sniffed sample of a text file), so a reader can decline a big file cheaply."""
    if file_kind(path) == XLSX:
        grid = _read_sheet(path, sheet, limit=rows)
    else:
        sniff = sniff_text(path)
        delimiter = guess_grid_delimiter(sniff.sample)
        check_first_line(path, sniff, delimiter)
        lines = sniff.sample.splitlines()[:rows]
        parsed = csv.reader(lines, delimiter=delimiter)
        budget = _CellBudget(path.name, current())
        grid = Grid(
            path.name, [(i, [f.strip() for f in budget.take(i, fields)]) for i, fields in enumerate(parsed, start=1)]
        )
    return grid


class _CellBudget:
    """Counts the cells a reader holds in memory; a clear error past the row width or the total."""

    def __init__(self, file_name: str, limits: Limits) -> None:
        self.file_name, self.limits, self.cells = file_name, limits, 0

    def take(self, line: int, cells: Sequence[T]) -> Sequence[T]:
        limits = self.limits
        if len(cells) > limits.columns:
            raise UserError(
                f"{self.file_name} line {line}: the row has {len(cells):,} cells; at most {limits.columns:,} are "
                "read (Excel's own limit). Check the delimiter, or keep only the columns you need"
            )
        self.total(line, self.cells + len(cells))
        if line % 1024 == 0:
            check_time(line)
        return cells

    def total(self, line: int, cells: int) -> None:
        self.cells = cells
        if cells > self.limits.grid_cells:
            raise UserError(
                f"{self.file_name} line {line}: more than {self.limits.grid_cells:,} cells (rows x columns), the "
                "most this reader holds at once; nothing was added. Keep only the rows and columns you need, or "
                "save the data as a tidy CSV (read in bulk, without this limit)"
            )


def guess_grid_delimiter(sample: str) -> str:
    """The delimiter giving the most lines with the same number (> 1) of fields, among the first lines.

    Unlike a header-only guess this tolerates a title line above the table ("Signals ... in 2024").
    """
    lines = [line for line in sample.splitlines()[:40] if line.strip()][:12]
    if len(lines) > 1 and len(sample) >= SAMPLE_BYTES - 1:
        lines = lines[:-1]  # the sample may end inside the last line
    best, best_score = ",", 0
    for delim in DELIMITERS:
        counts = Counter(len(next(csv.reader(io.StringIO(line), delimiter=delim))) for line in lines)
        width, times = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        score = times * width if width > 1 else 0
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_sheet(path: Path, sheet: str | None, *, limit: int | None = None) -> Grid:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise UserError(f"{path.name}: the workbook could not be opened ({exc}); save it again from Excel") from None
    budget = _CellBudget(path.name, current())
    try:
        names = book.sheetnames
        chosen = _pick_sheet(path.name, names, sheet)
        rows = []
        for number, cells in enumerate(book[chosen].iter_rows(max_row=limit), start=1):
            budget.take(number, cells)
            rows.append((number, [cell_text(c.value, getattr(c, "number_format", "")) for c in cells]))
    except UserError:
        raise
    except Exception as exc:  # a damaged sheet fails while its rows are read, in many ways
        raise UserError(f"{path.name}: the sheet could not be read ({exc}); save it again from Excel") from None
    finally:
        book.close()
    width = max((len(cells) for _, cells in rows), default=0)
    budget.total(len(rows), width * len(rows))  # rows are padded to the widest one
    rows = [(n, cells + [""] * (width - len(cells))) for n, cells in rows]
    return Grid(
        file_name=path.name, rows=rows, detected={"workbook": "Excel (.xlsx)", "sheet": chosen, "sheets": names}
    )


def _pick_sheet(file_name: str, names: list[str], sheet: str | None) -> str:
    if not sheet:
        return names[0]
    if sheet in names:
        return sheet
    lowered = {n.lower().strip(): n for n in names}
    if sheet.lower().strip() in lowered:
        return lowered[sheet.lower().strip()]
    if sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return names[int(sheet) - 1]
    raise UserError(f"{file_name}: there is no sheet {sheet!r}; the sheets are {', '.join(map(repr, names))}")


def cell_text(value: Any, number_format: str = "") -> str:
    """A spreadsheet cell as the text a person sees: 1733.0 -> '1733', a date -> '2024-02-11', 0.1 as % -> '10%'.

    Example:
        >>> cell_text(1733.0), cell_text(0.1046, "0.00%"), cell_text(datetime(2024, 2, 11)), cell_text(None)
        ('1733', '10.46%', '2024-02-11', '')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        if "%" in (number_format or ""):
            return f"{value * 100:.10g}%"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    return str(value).strip()
