"""An uploaded file's name on the Data page: plain text, stored safely, whatever the browser sends."""

from __future__ import annotations

import pytest
from support import elements, page_app, page_problems

pytestmark = pytest.mark.app

CONTENT = b"State,2024\nTexas,5\n"
# what the browser sends -> the name kept (and shown)
NAMES = {
    "image link": ("![x](probe-image.png) **bold** <b>x.csv", "![x](probe-image.png) **bold** <b>x.csv"),
    "NUL": ("a\x00b.csv", "ab.csv"),
    "200 CJK": ("観" * 200 + ".csv", "観" * 57 + "….csv"),
    "controls": ("\x1b[31mred\u202e.csv", "[31mred.csv"),
}


@pytest.mark.parametrize("case", list(NAMES))
def test_an_uploaded_name_is_text_and_kept_under_a_safe_name(store, case):
    name, kept = NAMES[case]
    app = page_app("data_sources")
    app.file_uploader(key="upload_file").set_value((name, CONTENT, "text/csv")).run()
    assert not app.exception and page_problems(app) == []
    saved = [p for p in store.uploads_dir.glob("*/*")]
    assert len(saved) == 1 and saved[0].read_bytes() == CONTENT and saved[0].name == kept
    # shown in a code block (plain text), never in Markdown
    assert f"uploads/{saved[0].parent.name}/{kept}" in [c.value for c in app.code]
    markdown = [
        e for e in elements(app._tree) if e.type in ("markdown", "caption", "success", "info", "warning", "error")
    ]
    assert not [e.value for e in markdown if "probe-image" in e.value or kept in e.value]
