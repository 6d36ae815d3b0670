"""The briefing's blocks (``brief_doc``) as one Markdown or one self-contained HTML file.

Images are embedded as base64 PNG data (no file beside the export, nothing fetched). Text from files is
escaped in both: ``safe_text.inert`` for Markdown, ``html.escape`` for HTML. The project's own prose (the
research notes) keeps its bold, italics, code and bullet lists.
"""

from __future__ import annotations

import base64
import html
import re

from hotline_trends.exports.brief_doc import Block
from hotline_trends.safe_text import inert

STYLE = (
    "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#262730;line-height:1.45}"
    "table{border-collapse:collapse;margin:1em 0;font-size:.85em}td,th{border:1px solid #ccc;padding:4px 6px;"
    "vertical-align:top;text-align:left}th{background:#f3f3f3}img{max-width:100%}"
)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _cell_md(text: str) -> str:
    return inert(text) or " "


def to_markdown(blocks: list[Block], images: dict[str, bytes]) -> str:
    """One Markdown document; images inline as data URIs."""
    out = []
    for block in blocks:
        kind = block[0]
        if kind in ("h1", "h2"):
            out.append(("# " if kind == "h1" else "## ") + inert(block[1]))
        elif kind == "p":
            out.append(inert(block[1]))
        elif kind == "list":
            out.append("\n".join(f"- {inert(item)}" for item in block[1]) or "- none")
        elif kind == "table":
            header, rows = block[1], block[2]
            lines = ["| " + " | ".join(_cell_md(h) for h in header) + " |", "|" + "---|" * len(header)]
            lines += ["| " + " | ".join(_cell_md(c) for c in row) + " |" for row in rows]
            out.append("\n".join(lines))
        elif kind == "image" and block[1] in images:
            out.append(f"![{inert(block[2])}]({_data_uri(images[block[1]])})")
        elif kind == "prose":
            out.append(block[1].strip())
    return "\n\n".join(out) + "\n"


def to_text(blocks: list[Block]) -> str:
    """Plain text for a terminal: nothing escaped (a terminal renders no markup), tables as ' | ' rows."""
    out = []
    for block in blocks:
        kind = block[0]
        if kind in ("h1", "h2"):
            out.append(block[1].upper() if kind == "h1" else f"== {block[1]} ==")
        elif kind in ("p", "prose"):
            out.append(block[1].strip())
        elif kind == "list":
            out.append("\n".join(f"- {item}" for item in block[1]) or "- none")
        elif kind == "table":
            out.append("\n".join(" | ".join(str(c) for c in row) for row in [block[1], *block[2]]))
    return "\n\n".join(out) + "\n"


def _prose_html(text: str) -> str:
    """The project's Markdown prose (paragraphs, bullets, **bold**, *italic*, `code`) as HTML, all escaped."""
    return "".join(_paragraph_html(part) for part in re.split(r"\n\s*\n", text.strip()) if part.strip())


def _paragraph_html(text: str) -> str:
    items, current = [], []
    for line in text.strip().splitlines():
        if line.startswith("- ") and current:
            items.append(" ".join(current))
            current = []
        current.append(line[2:] if line.startswith("- ") else line.strip())
    items.append(" ".join(current))
    if text.strip().startswith("- "):
        return "<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>"
    return "<p>" + _inline(" ".join(items)) + "</p>"


def _inline(text: str) -> str:
    text = html.escape(text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"\*([^*]+)\*", r"<em>\1</em>", text)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", text)


def to_html(blocks: list[Block], images: dict[str, bytes], *, title: str) -> str:
    """One self-contained HTML page (inline style, images as data URIs, no script, no external URL)."""
    e = html.escape
    body = []
    for block in blocks:
        kind = block[0]
        if kind in ("h1", "h2"):
            body.append(f"<{kind}>{e(block[1])}</{kind}>")
        elif kind == "p":
            body.append(f"<p>{e(block[1])}</p>")
        elif kind == "list":
            body.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in block[1]) + "</ul>")
        elif kind == "table":
            head = "".join(f"<th>{e(h)}</th>" for h in block[1])
            rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in block[2])
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif kind == "image" and block[1] in images:
            body.append(f'<p><img alt="{e(block[2])}" src="{_data_uri(images[block[1]])}"></p>')
        elif kind == "prose":
            body.append(_prose_html(block[1]))
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>'
        f"<style>{STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
