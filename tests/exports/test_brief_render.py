"""The briefing's Markdown, HTML and text writers: user text escaped everywhere, the project's prose kept,
images embedded, nothing an offline reader would fetch."""

from __future__ import annotations

from hotline_trends.exports.brief_render import to_html, to_markdown, to_text
from hotline_trends.pages.methods_text import RESEARCH

HOSTILE = "<img src=x onerror=alert(1)> ![p](http://e.vil/p.png) | **bold**"
BLOCKS = [
    ("h1", f"Briefing: {HOSTILE}"),
    ("p", HOSTILE),
    ("list", [HOSTILE]),
    ("table", ["event", "why"], [[HOSTILE, "a|b"]]),
    ("image", "curve", "the curve"),
    ("prose", RESEARCH),
]
PNG = b"\x89PNG\r\n\x1a\nfake"


def test_html_escapes_user_text_keeps_the_prose_and_embeds_images():
    result = to_html(BLOCKS, {"curve": PNG}, title=HOSTILE)
    assert "<img src=x" not in result and "&lt;img src=x onerror=alert(1)&gt;" in result
    assert result.count("<img ") == 1 and 'src="data:image/png;base64,' in result
    assert "<script" not in result and "<link" not in result and 'src="http' not in result
    assert result.count("<li><strong>") == 3  # the three studies, with their authors in bold
    assert "<p>None of these studies used hotline counts" in result  # its own paragraph, not in a bullet


def test_markdown_makes_user_text_inert_and_keeps_the_prose():
    result = to_markdown(BLOCKS, {"curve": PNG})
    assert "<img" not in result and "![p](http" not in result and "\\!\\[p\\]" in result
    assert "| a\\|b |" in result  # a cell cannot break the table
    assert "![the curve](data:image/png;base64," in result
    assert "- **Huang, X., Yoder, B. R." in result


def test_text_is_plain_and_leaves_out_images():
    result = to_text(BLOCKS)
    assert result.startswith("BRIEFING: ") and HOSTILE in result and "base64" not in result
