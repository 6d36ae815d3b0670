"""Look at a file's first bytes and tell what it is: binary or text, encoding, delimiter, line ends."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from hotline_trends.errors import UserError

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
    """What the first bytes of a text file say about how to read it."""

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
    """Encoding and line ends of a text file; a clear error for empty or binary files."""
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
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        sample = decoder.decode(head[3:] if bom else head, final=False)
        encoding = "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError:
        # Spreadsheet exports on Windows are cp1252, a superset of Latin-1 for printable text.
        sample = head.decode("cp1252", errors="replace")
        encoding = "cp1252"
    newline = "CRLF" if "\r\n" in sample else ("CR" if "\r" in sample else "LF")
    return TextSniff(encoding=encoding, bom=bom, newline=newline, sample=sample)


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
