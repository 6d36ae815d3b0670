"""The Plan page: the briefing for the next Super Bowl by default (choices in the URL), its sections, the
Markdown/HTML downloads with their charts."""

from __future__ import annotations

import base64

import pytest
from support import download_bytes, page_app, page_problems, query_value

from hotline_trends.exports import brief_export

pytestmark = pytest.mark.app
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


def test_the_plan_page_briefs_the_next_super_bowl(store, downloads, monkeypatch):
    monkeypatch.setattr(brief_export, "render_png", lambda figure: PIXEL)  # chromium is tested elsewhere
    app = page_app("plan", {"event": "super-bowl-2027"})
    assert page_problems(app) == []
    assert query_value(app, "event") == "super-bowl-2027" and query_value(app, "series") == "nhth:cases"
    headings = [h.value for h in app.subheader]
    assert headings[:3] == [
        "The host and the series the store holds for it",
        "What data you could collect would show",
        "What past Super Bowl events showed",
    ]
    assert "Checklist: data to collect, from whom, in which layout" in headings
    series = app.dataframe[0].value
    assert {"nhth", "police_incidents"} <= set(series["dataset"])
    assert any("Pooled verdict on nhth cases" in i.value for i in app.info)
    html = download_bytes(app, "plan-html", downloads).decode()
    assert "Briefing: Super Bowl LXI (61)" in html and html.count("data:image/png;base64,") == 2
    markdown = download_bytes(app, "plan-md", downloads).decode()
    assert markdown.startswith("# Briefing: Super Bowl LXI (61)")
