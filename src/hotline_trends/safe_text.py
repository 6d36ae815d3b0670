"""Text from files (source titles, event names, uploaded labels) made inert before it reaches Markdown.

Streamlit's Markdown (and any viewer of an exported methods.md) would turn such text into links, images
that load from the network, HTML, colour directives, LaTeX, code or table breaks. Escaped, it shows as typed
and ordinary prose stays readable (parentheses, colons and full stops are left alone).
"""

from __future__ import annotations

import re

import pandas as pd

# Characters that start inline markup anywhere: escapes, code, emphasis, links/images ([ ] !), tables (|),
# strikethrough (~) and LaTeX ($). Streamlit's colour directives need '[' too. '_' is left alone: inside a
# word (source ids) it is never emphasis, and escaping it would litter ids with backslashes.
INLINE = re.compile(r"([\\`*\[\]!|~$])")
# Characters that make a block (heading, list, quote) only at the very start of the text.
BLOCK_START = re.compile(r"^(\s*)([#+\->]|\d+[.)])")
# GitHub-flavoured Markdown turns bare URLs and e-mail addresses into links ("autolinks").
AUTOLINK = re.compile(r"(?i)\b(https?|ftp)(:)|\b(www)(\.)|(@)(?=[\w-]+\.\w)")


def inert(value: object) -> str:
    """Escape Markdown markup and HTML in ``value``; whitespace (newlines too) collapses to single spaces.

    Example:
        >>> inert("![x](http://e.vil/p.png) <b>|</b> :red[hi] $x$")
        '\\\\!\\\\[x\\\\](http\\\\://e.vil/p.png) &lt;b&gt;\\\\|&lt;/b&gt; :red\\\\[hi\\\\] \\\\$x\\\\$'
        >>> inert("# Title"), inert("1. item"), inert("per 100,000 (vintage 2024): fine.")
        ('\\\\# Title', '1\\\\. item', 'per 100,000 (vintage 2024): fine.')
    """
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = INLINE.sub(r"\\\1", text)
    text = AUTOLINK.sub(lambda m: "".join((g if g not in (":", ".", "@") else "\\" + g) for g in m.groups() if g), text)
    match = BLOCK_START.match(text)
    if match:
        lead, mark = match.groups()
        escaped = mark[:-1] + "\\" + mark[-1] if mark[0].isdigit() else "\\" + mark
        text = lead + escaped + text[match.end() :]
    return text
