"""The briefing as a file: Markdown or HTML with its charts as PNG images (kaleido + Debian chromium)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from hotline_trends.analysis.brief import Briefing
from hotline_trends.charts.brief_chart import power_curve_chart
from hotline_trends.charts.study import events_chart
from hotline_trends.exports.brief_doc import CURVE_IMAGE, PAST_IMAGE, blocks
from hotline_trends.exports.brief_render import to_html, to_markdown, to_text
from hotline_trends.exports.png import render_png

FORMATS = ("md", "html")


def charts(b: Briefing, *, sources: pd.DataFrame) -> dict:
    """The briefing's charts by image name (the past events' chart only when some were tested)."""
    out = {CURVE_IMAGE: power_curve_chart(b.curve)}
    past = events_chart(b.past, sources=sources) if b.past is not None else None
    if past is not None:
        out[PAST_IMAGE] = past
    return out


def export(b: Briefing, *, fmt: str, sources: pd.DataFrame, version: str, today: date, png=None) -> str:
    """The whole briefing as one ``fmt`` ('md' or 'html') document, charts embedded as PNG."""
    png = png or render_png  # looked up per call, so tests can stand in for chromium
    images = {name: png(chart.figure) for name, chart in charts(b, sources=sources).items()}
    doc = blocks(b, version=version, today=today, images=tuple(images))
    if fmt == "html":
        return to_html(doc, images, title=f"Briefing: {b.event['name']}")
    return to_markdown(doc, images)


def text(b: Briefing, *, version: str, today: date) -> str:
    """The briefing as plain text without images (what ``brief`` prints)."""
    return to_text(blocks(b, version=version, today=today))
