"""A saved web page as a sequence of headings, text blocks and tables, each with its source line.

Uses the standard library's ``html.parser`` (no lxml needed). Scripts, styles and templates are dropped;
``<br>`` and block elements end a text block, so sentences from different blocks never run together.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "caption"}
BLOCKS = {"p", "div", "li", "section", "article", "header", "footer", "br", "dt", "dd", "main", "nav", "ul", "ol"}
SKIP = {"script", "style", "template", "noscript", "svg", "head"}
CELLS = {"td", "th"}


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
    # Browsers and servers put comments first ("<!-- saved from url=... -->", a licence header).
    head = re.sub(r"<!--.*?-->", "", sample[:16384], flags=re.S).lstrip("\ufeff \r\n\t").lower()
    return head.startswith(("<!doctype html", "<html", "<table", "<?xml")) or bool(
        re.search(r"<(html|body|table|h[1-6])[\s>]", head[:2048])
    )


def decode_page(path: Path) -> tuple[str, str]:
    """The page's text and the encoding used: a BOM, then the <meta charset>, then UTF-8, else Windows-1252."""
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8 with BOM"
    declared = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", data[:4096], re.IGNORECASE)
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            return data.decode(name), name.upper() + " (declared by the page)"
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Latin-1 (Windows-1252)"


def clean(text: str) -> str:
    """Collapse whitespace (including non-breaking spaces) to single spaces."""
    return " ".join(text.replace("\u00a0", " ").split())


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
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

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP:
            self._skip += 1
            return
        if tag == "table":
            self._flush()
            self._tables.append(Piece("table", self.getpos()[0]))
        elif tag == "tr" and self._tables:
            self._row, self._row_line = [], self.getpos()[0]
        elif tag in CELLS and self._row is not None:
            self._cell = []
        elif tag in HEADINGS:
            self._flush()
            self._heading, self._heading_line = [], self.getpos()[0]
        elif tag in BLOCKS and self._cell is None and self._heading is None:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if tag in CELLS and self._cell is not None and self._row is not None:
            self._row.append(clean(" ".join(self._cell)))
            self._cell = None
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

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._heading is not None:
            self._heading.append(data)
        elif data.strip():
            if not self._text:
                self._text_line = self.getpos()[0]
            self._text.append(data)

    def _flush(self) -> None:
        text = clean(" ".join(self._text))
        if text:
            self.pieces.append(Piece("text", self._text_line, text))
        self._text = []

    def close(self) -> None:
        super().close()
        self._flush()


def page_pieces(markup: str) -> list[Piece]:
    """Headings, text blocks and tables of a page, in page order.

    Example:
        >>> [(p.kind, p.text or p.rows) for p in page_pieces("<h2>In 2024</h2><p>Hi<br>there</p><table><tr><td>TX</td></tr></table>")]
        [('heading', 'In 2024'), ('text', 'Hi'), ('text', 'there'), ('table', [(1, ['TX'])])]
    """
    parser = _PageParser()
    parser.feed(markup)
    parser.close()
    return parser.pieces
