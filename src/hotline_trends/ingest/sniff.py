"""Tell what a file is: binary or text, its encoding (from the whole file), delimiter and line ends."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from hotline_trends.errors import UserError
from hotline_trends.ingest.limits import Limits, current
from hotline_trends.ingest.textscan import scan_text

SAMPLE_BYTES = 1 << 16
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
MAGIC = {
    b"PK\x03\x04": "a zip archive (an .xlsx workbook is one)",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\xd0\xcf\x11\xe0": "an old Excel/Office file (.xls)",
    b"SQLite format 3": "an SQLite database",
    b"\x1f\x8b": "a gzip archive",
}


@dataclass(frozen=True)
class TextSniff:
    """How to read a text file, decided from the whole file, and its first bytes as text."""

    encoding: str  # a Python codec name: 'utf-8', 'utf-8-sig' or 'cp1252'
    bom: bool
    newline: str  # 'LF', 'CRLF' or 'CR'
    sample: str

    @property
    def label(self) -> str:
        if self.encoding == "cp1252":
            return "Latin-1 (Windows-1252)"
        return "UTF-8 with BOM" if self.bom else "UTF-8"


def binary_kind(head: bytes) -> str | None:
    """A phrase naming a binary file type, or None when the bytes look like text."""
    for magic, what in MAGIC.items():
        if head.startswith(magic):
            return what
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16 text"
    if b"\x00" in head:
        return "a binary file"
    return None


def sniff_text(path: Path) -> TextSniff:
    """Encoding and line ends of a text file, checked over the whole file (see ``textscan``).

    Raises:
        UserError: the file is empty, binary, UTF-16, has a NUL byte or an over-long line anywhere, or mixes
            two encodings.
    """
    stat = path.stat()
    return _sniff(path.resolve(), stat.st_size, stat.st_mtime_ns, current())


# Readers tried one after another each ask; the whole-file scan runs once per file version and limits.
@lru_cache(maxsize=16)
def _sniff(path: Path, size: int, mtime_ns: int, limits: Limits) -> TextSniff:
    with open(path, "rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    if not head.strip():
        raise UserError(f"{path.name}: the file is empty; export the table again with its header and rows")
    kind = binary_kind(head)
    if kind == "UTF-16 text":
        raise UserError(f"{path.name}: the file is UTF-16 text; save it as 'CSV UTF-8' and ingest it again")
    if kind:
        raise UserError(
            f"{path.name}: this looks like {kind}, not a text table; save the data as CSV "
            "(comma, semicolon or tab separated) and ingest that file"
        )
    bom = head.startswith(codecs.BOM_UTF8)
    body = head[3:] if bom else head
    # The newline kind decides how lines are counted in the scan's messages.
    crlf, cr = b"\r\n" in body, b"\r" in body
    newline = "CRLF" if crlf else ("CR" if cr else "LF")
    encoding = scan_text(path, bom=bom, newline=newline, limits=limits)
    if encoding == "cp1252":
        sample = body.decode("cp1252", errors="replace")
    else:
        # The sample may end inside a character; the scan proved the whole file is valid UTF-8.
        sample = codecs.getincrementaldecoder("utf-8")().decode(body, final=False)
    return TextSniff(
        encoding="utf-8-sig" if bom and encoding == "utf-8" else encoding, bom=bom, newline=newline, sample=sample
    )


def check_first_line(path: Path, sniff: TextSniff, delimiter: str) -> None:
    """When the first line is longer than the sample, count its cells over the whole line (1M columns -> error)."""
    if "\n" in sniff.sample or "\r" in sniff.sample or path.stat().st_size <= SAMPLE_BYTES:
        return
    limits = current()
    with open(path, encoding=sniff.encoding, errors="replace", newline="") as handle:
        line = handle.readline(limits.line_bytes)
    cells = line.count(delimiter) + 1  # an upper bound on the fields (quoted delimiters count too)
    if cells > limits.columns:
        cells = len(next(csv.reader([line], delimiter=delimiter)))
    if cells > limits.columns:
        raise UserError(
            f"{path.name} line 1: the row has {cells:,} cells; at most {limits.columns:,} are read (Excel's own "
            "limit). Check the delimiter, or keep only the columns you need"
        )


def shown_names(names: list[str], *, at_most: int = 10) -> str:
    """'a, b, c' or 'a, b, ... and 990 more': a header echoed in a message stays one readable line."""
    head = ", ".join(names[:at_most])
    return head + (f", ... and {len(names) - at_most:,} more" if len(names) > at_most else "")


def guess_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the header line into the most fields, checked against the next lines."""
    best, best_count = ",", 0
    for delim in DELIMITERS:
        counts = [len(next(csv.reader(io.StringIO(line), delimiter=delim))) for line in lines[:5] if line.strip()]
        if not counts:
            continue
        # A real delimiter gives the same field count on every line; prefer it over a stray one in text.
        consistent = counts.count(counts[0]) == len(counts)
        score = counts[0] * (2 if consistent else 1)
        if counts[0] > 1 and score > best_count:
            best, best_count = delim, score
    return best


def first_lines(file_name: str, sample: str, n: int = 6) -> tuple[int, list[str]]:
    """The 1-based line number of the first non-blank line and up to ``n`` lines from there."""
    lines = sample.splitlines()
    for i, line in enumerate(lines):
        if line.strip().strip(",;\t|").strip():
            return i + 1, lines[i : i + n]
    raise UserError(f"{file_name}: the file has only blank lines; export the table again with its header")
