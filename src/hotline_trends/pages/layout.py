"""Text that wraps instead of being cut: Streamlit shortens metric labels and values, widget labels and button
labels with an ellipsis when a column is narrow (1024 px with the sidebar open). A fixed style sheet (no
user text) lets them wrap onto another line, so every number and label can be read whole.
"""

from __future__ import annotations

import streamlit as st

WRAP_TEXT = """
<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *,
[data-testid="stWidgetLabel"], [data-testid="stWidgetLabel"] *,
[data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"],
[data-testid="stBaseButton-primary"] [data-testid="stMarkdownContainer"],
[data-testid="stMarkdownContainer"].stMarkdownEllipsis {
  white-space: normal !important;
  overflow: visible !important;
  text-overflow: clip !important;
  overflow-wrap: anywhere;
}
[data-testid="stMetricValue"] { font-size: clamp(1.3rem, 2.2vw, 2.25rem); line-height: 1.2; }
/* a table a person reads (reasons in full) fits the column: its cells wrap instead of running past the page */
[data-testid="stTable"] table { table-layout: fixed; width: 100%; }
[data-testid="stTable"] th, [data-testid="stTable"] td { overflow-wrap: anywhere; }
</style>
"""


def wrap_text() -> None:
    """Add the style sheet to the page (call once per run, before the page draws)."""
    st.html(WRAP_TEXT)
