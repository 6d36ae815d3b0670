"""Frames in, plotly figures out; no streamlit, no store access.

Every builder returns a :class:`~hotline_trends.charts.base.Chart`: the figure plus the data behind it
(with ``source_id`` and ``reliability``), the sources it used and one sentence on how it was processed, so a
page can show, export and cite it without recomputing anything.
"""

from hotline_trends.charts.base import Chart

__all__ = ["Chart"]
