"""Police series say what they measure next to the chart, in its PNG, its CSV and its methods note.

``marked`` is called by every chart builder that can draw a police-recorded series: the caveat goes into
the figure's source annotation (so a PNG carries it), a column of the data behind the chart (so a CSV
carries it on every row), the chart's caveats (methods.md) and its ``notice`` (the page's caption).
"""

from __future__ import annotations

from hotline_trends.charts.base import Chart, wrapped
from hotline_trends.police_words import COLUMN

LINE_PX = 15  # height of one line of the source annotation (see ``base.finish``)


def marked(chart: Chart, caveat: str) -> Chart:
    """``chart`` with the police caveat added everywhere it is shown or exported (unchanged when '')."""
    if not caveat or chart.notice == caveat:
        return chart
    note = next((a for a in chart.figure.layout.annotations if a.name == "source"), None)
    text = "<b>" + wrapped(caveat) + "</b>"
    if note is not None:
        note.text = f"{note.text}<br>{text}"
        lines = text.count("<br>") + 1
        layout = chart.figure.layout
        chart.figure.update_layout(
            height=(layout.height or 460) + LINE_PX * lines, margin={"b": (layout.margin.b or 80) + LINE_PX * lines}
        )
    data = chart.data.copy()
    data[COLUMN] = caveat
    chart.data = data
    chart.caveats = (caveat, *[c for c in chart.caveats if c != caveat])
    chart.notice = caveat
    return chart
