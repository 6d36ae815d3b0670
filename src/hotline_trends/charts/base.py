"""What every chart shares: the ``Chart`` record, safe text, the source line and the common layout."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from hotline_trends.charts import palette
from hotline_trends.vocabulary import UPLOAD_MARK, upload_label

POLARIS_STATEMENT = (
    "The data displayed in this report was generated based on limited criteria from calls received by the "
    "National Human Trafficking Resource Center (NHTRC) hotline. This is not a comprehensive report on the "
    "scale or scope of human trafficking on a state or national level. These statistics may be subject to "
    "change."
)


def statement(dataset: str) -> str:
    """Polaris asks that reproduced hotline statistics carry its statement; other datasets carry none."""
    return POLARIS_STATEMENT if dataset == "nhth" else ""


# Plotly does not wrap text, and a chart beside the sidebar at 1024 px is about NARROWEST px wide: the source
# note (12 px, about 5.5 px a character) starts at the plot's left edge and is wrapped to the width right of
# it, titles (17 px, anchored to the figure's edge) at TITLE_WRAP and x-axis titles (13 px) to the plot area,
# so nothing runs off the figure on a laptop screen or in the 1100 px export.
NARROWEST = 560
PLOT_LEFT = 70
TITLE_WRAP = 58
WRAP = int((NARROWEST - PLOT_LEFT - 30) / 5.5)
NOTE_LINE = 16  # px per line of the 12 px source note
TITLE_LINE = 21  # px per extra line of a 17 px title
AXIS_LINE = 16  # px per extra line of an x-axis title
AXIS = {
    "gridcolor": "#ebebeb",
    "linecolor": "#bdbdbd",
    "zerolinecolor": "#d0d0d0",
    "ticks": "outside",
    "tickcolor": "#bdbdbd",
}
# No plotly template: a template of any size expands into a full Template object (about 5 kB per figure) and
# makes copying a figure (the page cache does it on every rerun) some 30 times slower. The house look is
# set on the layout and axes instead.
LAYOUT = {"paper_bgcolor": "white", "plot_bgcolor": "white", "colorway": palette.SERIES}


@dataclass
class Chart:
    """A figure with everything needed to show, export and cite it.

    ``data`` holds the rows behind the figure and always has ``source_id`` and ``reliability`` columns (empty
    when a row is derived here, e.g. a sum); ``processing`` is one sentence on how the figure was made.
    """

    figure: go.Figure
    data: pd.DataFrame
    slug: str
    title: str
    sources: tuple[str, ...]
    processing: str
    method: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)
    caveats: tuple[str, ...] = ()
    geo: bool = False
    notice: str = ""  # shown next to the chart on a page (e.g. what police counts measure); also in its footnote


def plain(text: object) -> str:
    """Text made inert for plotly, which renders a subset of HTML (links, bold, ...) in titles and hovers.

    Example:
        >>> plain("<a href='x'>Bowl</a> & co")
        "&lt;a href='x'&gt;Bowl&lt;/a&gt; &amp; co"
    """
    return html.escape("" if text is None else str(text), quote=False)


def wrapped(text: str, *, width: int = WRAP) -> str:
    """Escaped text broken into lines with ``<br>`` (plotly does not wrap annotations itself)."""
    return "<br>".join(textwrap.wrap(plain(text), width=width)) if text else ""


def source_line(source_ids: Iterable[str], sources: pd.DataFrame) -> str:
    """'Source: <publisher> (n publications), ...' for the given ids; ids without a record are named.

    Example:
        >>> src = pd.DataFrame({"source_id": ["a", "b", "c"], "publisher": ["Census", "Polaris", "Polaris"]})
        >>> source_line(["c", "b", "a", "zz"], src)
        'Source: Polaris (2 publications); Census; zz (not described)'
    """
    ids = sorted({str(s) for s in source_ids if isinstance(s, str) and s})
    if not ids:
        return "Source: none recorded"
    known = sources.loc[sources["source_id"].isin(ids)]
    publishers = known.assign(publisher=who_published(known))[["source_id", "publisher"]]
    counts = (
        publishers.groupby("publisher", sort=False)["source_id"].nunique().sort_values(ascending=False, kind="stable")
    )
    parts = [name if n == 1 else f"{name} ({n} publications)" for name, n in counts.items()]
    parts += [f"{s} (not described)" for s in ids if s not in set(known["source_id"])]
    return "Source: " + "; ".join(parts)


def who_published(sources: pd.DataFrame) -> pd.Series:
    """Each source's publisher, or 'your upload: <description>' for a file the user added through the form."""
    named = sources["publisher"].fillna("publisher not stated")
    if "retrieved_via" not in sources:
        return named
    yours = sources["retrieved_via"] == UPLOAD_MARK
    labels = [upload_label(t, p) for t, p in zip(sources["title"], sources["publisher"], strict=True)]
    return named.where(~yours.fillna(False).astype(bool), pd.Series(labels, index=sources.index, dtype="str"))


def series_name(default: str, source_ids: Iterable[str], sources: pd.DataFrame) -> str:
    """``default``, or the upload's label (escaped for plotly) when every source of a series is the user's own."""
    ids = {str(s) for s in source_ids if isinstance(s, str) and s}
    known = sources.loc[sources["source_id"].isin(ids)]
    if not ids or len(known) != len(ids) or "retrieved_via" not in known:
        return default
    if not (known["retrieved_via"] == UPLOAD_MARK).fillna(False).all():
        return default
    return plain("; ".join(sorted(set(who_published(known)))))


def finish(
    figure: go.Figure,
    *,
    title: str,
    source: str,
    processing: str,
    footnote: str = "",
    height: int = 460,
    legend_right: bool = False,
    plot_left: int = PLOT_LEFT,
) -> go.Figure:
    """Give a figure its title, the source and processing lines, and the house layout (returns it).

    The source annotation is named 'source' so tests and exports can find it; all text is escaped. A long
    legend goes to the right (``legend_right``) so it never runs into the title. ``plot_left`` is the left
    margin (wider for long category labels); the note and x-axis titles are wrapped to the width right of it.
    """
    room = NARROWEST - plot_left - 30
    width = int(room / 5.5)
    lines = [wrapped(source, width=width), wrapped("Processing: " + processing, width=width)]
    if footnote:
        lines.append(wrapped(footnote, width=width))
    note = "<br>".join(line for line in lines if line)
    n_lines = note.count("<br>") + 1
    heading = wrapped(title, width=TITLE_WRAP)
    extra_title = heading.count("<br>")
    extra_axis = _wrap_x_titles(figure, width=int(room / 6.6))
    figure.add_annotation(
        name="source",
        text=note,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-62 - AXIS_LINE * extra_axis,  # below the x-axis title
        align="left",
        showarrow=False,
        font={"size": 12, "color": "#555555"},
    )
    figure.update_layout(
        title={
            "text": heading,
            "x": 0,
            "xref": "container",
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 14, "l": 12},
            "font": {"size": 17},
        },
        template="none",
        **LAYOUT,
        font={"family": palette.FONT, "size": 13, "color": "#262730"},
        height=height + NOTE_LINE * n_lines + TITLE_LINE * extra_title + AXIS_LINE * extra_axis,
        margin={
            "l": plot_left,
            "r": 30,
            "t": 80 + TITLE_LINE * extra_title,
            "b": 78 + NOTE_LINE * n_lines + AXIS_LINE * extra_axis,
        },
        legend=(
            {"orientation": "v", "yanchor": "top", "y": 1.0, "x": 1.02, "xanchor": "left"}
            if legend_right
            else {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "xanchor": "left"}
        ),
        hoverlabel={"font": {"family": palette.FONT}},
    )
    figure.update_xaxes(showgrid=True, **AXIS)
    figure.update_yaxes(showgrid=True, **AXIS)
    figure.update_geos(bgcolor="white", lakecolor="white", landcolor=palette.MISSING, subunitcolor="white")
    return figure


def _wrap_x_titles(figure: go.Figure, *, width: int) -> int:
    """Break long x-axis titles into lines (their text is already plotly-safe); returns the most extra lines."""
    extra = 0
    for name in [k for k in figure.layout.to_plotly_json() if k.startswith("xaxis")]:
        axis = figure.layout[name]
        text = axis.title.text if axis.title and axis.title.text else ""
        if len(text) > width and "<br>" not in text:
            lines = textwrap.wrap(text, width=width)
            axis.title.text = "<br>".join(lines)
            extra = max(extra, len(lines) - 1)
    return extra


def annotation_text(figure: go.Figure, name: str = "source") -> str:
    """The text of a named annotation ('' when there is none)."""
    return next((a.text for a in figure.layout.annotations if a.name == name), "")


def hover_fields(frame: pd.DataFrame, columns: Mapping[str, str]) -> tuple[list[list[str]], str]:
    """Escaped ``customdata`` and a hover template showing ``label: value`` lines for the given columns."""
    names = list(columns)
    data = [[plain(v) if pd.notna(v) else "–" for v in row] for row in frame[names].itertuples(index=False)]
    template = "<br>".join(f"{label}: %{{customdata[{i}]}}" for i, label in enumerate(columns.values()))
    return data, template + "<extra></extra>"


def with_citation(figure: go.Figure, line: str) -> go.Figure:
    """A copy of ``figure`` with ``line`` (the citation) under its source note, the figure grown to fit it.

    Exports carry it so a PNG pasted on its own still says where it came from; the figure on screen is unchanged.
    """
    cited = go.Figure(figure)
    text = wrapped(line)
    extra = 15 * (text.count("<br>") + 1)
    notes = [a for a in cited.layout.annotations if a.name == "source"]
    if notes:
        notes[0].text = f"{notes[0].text}<br>{text}"
    else:
        cited.add_annotation(
            name="source", text=text, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
            yshift=-62, align="left", showarrow=False, font={"size": 11, "color": "#555555"},
        )  # fmt: skip
    bottom = cited.layout.margin.b if cited.layout.margin.b is not None else 80
    cited.update_layout(height=int(cited.layout.height or 500) + extra, margin={"b": bottom + extra})
    return cited
