"""A saved web page as a sequence of headings, text blocks and tables, each with its source line.

Parsed by libxml2's HTML parser (through lxml, whose tokenizer follows HTML5), which closes what HTML lets
a page leave open: rows and cells without ``</tr>`` / ``</td>``, paragraphs ended by the next block. The
parser streams events to a small collector (no tree is built), fed one line at a time so every event
knows its line. Scripts, styles and templates are dropped; ``<br>`` and block elements end a text block,
so sentences from different blocks never run together. A page over ``Limits.page_bytes`` is refused
before it is read, and its tables may hold at most ``Limits.page_cells`` cells.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from hotline_trends.errors import UserError
from hotline_trends.ingest.limits import Limits, check_time, current, size_text
from hotline_trends.ingest.sniff import sniff_text

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "caption"}
BLOCKS = {"p", "div", "li", "section", "article", "header", "footer", "br", "dt", "dd", "main", "nav", "ul", "ol"}
SKIP = {"script", "style", "template", "noscript", "svg", "head"}
CELLS = {"td", "th"}
# No backtracking: '[^>]' cannot run past the tag, and the whole search is within the first 4 KB.
META_CHARSET = re.compile(rb"<meta[^>]{0,512}?charset=[\"']?([A-Za-z0-9_-]{1,40})", re.IGNORECASE)


@dataclass
class Piece:
    """One heading, text block or table of a page. ``rows`` is set for tables (cells as text)."""

    kind: str  # 'heading', 'text' or 'table'
    line: int
    text: str = ""
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def looks_like_html(sample: str) -> bool:
    """True when the start of a text file is markup (a doctype, <html>, or a <table>), after any comments.

    Example:
        >>> looks_like_html("<!-- saved from url=(0040)https://example.org --> <html><body>")
        True
        >>> looks_like_html("a,b")
        False
    """
    head = _after_comments(sample[:16384]).lower()
    return head.startswith(("<!doctype html", "<html", "<table", "<?xml")) or bool(
        re.search(r"<(html|body|table|h[1-6])[\s>]", head[:2048])
    )


def _after_comments(text: str) -> str:
    """The text after any leading comments and blanks (browsers and servers put "<!-- saved from ... -->" first).

    A loop of ``str.find`` rather than a regular expression: an unclosed ``<!--`` repeated costs linear time.
    """
    pos = 0
    while True:
        while pos < len(text) and text[pos] in "\ufeff \r\n\t":
            pos += 1
        if not text.startswith("<!--", pos):
            return text[pos:]
        end = text.find("-->", pos + 4)
        if end < 0:
            return ""
        pos = end + 3


def decode_page(path: Path, *, limits: Limits | None = None) -> tuple[str, str]:
    """The page's text and the encoding used: a BOM, then the <meta charset>, then what the whole file is.

    Raises:
        UserError: the page is over ``Limits.page_bytes``, or fails the whole-file text checks (``sniff_text``).
    """
    check_page_size(path, limits or current(), what="page")
    sniff = sniff_text(path)
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8 with BOM"
    declared = META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            return data.decode(name), name.upper() + " (declared by the page)"
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode(sniff.encoding, errors="replace"), sniff.label


def check_page_size(path: Path, limits: Limits, *, what: str) -> None:
    """Refuse a file that is parsed as a whole (a page, a calendar) when it is over ``limits.page_bytes``."""
    size = path.stat().st_size
    if size > limits.page_bytes:
        raise UserError(
            f"{path.name}: the {what} is {size_text(size)}; a {what} over {size_text(limits.page_bytes)} is not read "
            "(a hotline statistics page is well under 1 MB). Save just the table or events you need as CSV and "
            "ingest that"
        )


def clean(text: str) -> str:
    """Collapse whitespace (including non-breaking spaces) to single spaces."""
    return " ".join(text.replace("\u00a0", " ").split())


class _PageCollector:
    """lxml parser target: turns start/end/data events into pieces. ``line`` is the line being fed."""

    def __init__(self, limits: Limits, file_name: str) -> None:
        self.limits, self.file_name = limits, file_name
        self.line = 1
        self._cursor = 1  # the line where the last event happened: text after it starts there
        self.cells = 0
        self.pieces: list[Piece] = []
        self._skip = 0
        self._text: list[str] = []
        self._text_line = 0
        self._heading: list[str] | None = None
        self._heading_line = 0
        self._tables: list[Piece] = []
        self._row: list[str] | None = None
        self._row_line = 0
        self._cell: list[str] | None = None

    def start(self, tag: str, attrib: dict) -> None:
        self._cursor = self.line
        tag = tag.lower()
        if tag in SKIP:
            self._skip += 1
            return
        if tag == "table":
            self._flush()
            self._tables.append(Piece("table", self.line))
        elif tag == "tr" and self._tables:
            self._row, self._row_line = [], self.line
        elif tag in CELLS and self._row is not None:
            self._cell = []
        elif tag in HEADINGS:
            self._flush()
            self._heading, self._heading_line = [], self.line
        elif tag in BLOCKS and self._cell is None and self._heading is None:
            self._flush()

    def end(self, tag: str) -> None:
        self._cursor = self.line
        tag = tag.lower()
        if tag in SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if tag in CELLS and self._cell is not None and self._row is not None:
            self._row.append(clean(" ".join(self._cell)))
            self._cell = None
            self._count_cell()
        elif tag == "tr" and self._row is not None and self._tables:
            if any(self._row):
                self._tables[-1].rows.append((self._row_line, self._row))
            self._row = None
        elif tag == "table" and self._tables:
            table = self._tables.pop()
            self.pieces.append(table)
        elif tag in HEADINGS and self._heading is not None:
            text = clean(" ".join(self._heading))
            if text:
                self.pieces.append(Piece("heading", self._heading_line, text))
            self._heading = None
        elif tag in BLOCKS and self._cell is None and self._heading is None:
            self._flush()

    def data(self, data: str) -> None:
        # Text is reported when the parser reaches the next tag; it began where the last event was.
        start = self._cursor + data[: len(data) - len(data.lstrip())].count("\n")
        self._cursor += data.count("\n")
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._heading is not None:
            self._heading.append(data)
        elif data.strip():
            if not self._text:
                self._text_line = start
            self._text.append(data)

    def _count_cell(self) -> None:
        self.cells += 1
        if self.cells > self.limits.page_cells:
            raise UserError(
                f"{self.file_name} line {self.line}: the page's tables have more than {self.limits.page_cells:,} "
                "cells, the most a page is read with; save just the table you need as CSV and ingest that"
            )

    def _flush(self) -> None:
        text = clean(" ".join(self._text))
        if text:
            self.pieces.append(Piece("text", self._text_line, text))
        self._text = []

    def close(self) -> list[Piece]:
        self._flush()
        return self.pieces


def page_pieces(markup: str, *, file_name: str = "the page") -> list[Piece]:
    """Headings, text blocks and tables of a page, in page order.

    Example:
        >>> [(p.kind, p.text or p.rows) for p in page_pieces("<h2>In 2024</h2><p>Hi<br>there</p><table><tr><td>TX<td>1</table>")]
        [('heading', 'In 2024'), ('text', 'Hi'), ('text', 'there'), ('table', [(1, ['TX', '1'])])]

    Raises:
        UserError: the tables hold more than ``Limits.page_cells`` cells, the read's time is up, or the parser
            gives up on the markup.
    """
    from lxml import etree

    collector = _PageCollector(current(), file_name)
    parser = etree.HTMLParser(target=collector, no_network=True, remove_comments=True)
    try:
        for number, line in enumerate(markup.split("\n"), start=1):
            collector.line = number
            parser.feed(line + "\n")
            if number % 2048 == 0:
                check_time(number)
        return parser.close()
    except etree.LxmlError as exc:
        raise UserError(f"{file_name}: the page could not be parsed as HTML ({exc}); save it again") from None
