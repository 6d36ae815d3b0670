"""Methods & caveats: what the data are and are not, how the dashboard and the analyses treat them, the
registered breaks, and the research on big events."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hotline_trends.analysis.breaks import BREAKS
from hotline_trends.charts.base import POLARIS_STATEMENT
from hotline_trends.pages import methods_text as text
from hotline_trends.pages.common import page_header, radio_param

HELP = "How to read every number on this dashboard, and what it cannot tell you."
SECTIONS = {
    "hotline": "Hotline data",
    "police": "Police data",
    "rates": "Rates",
    "handling": "How this dashboard treats values",
    "analysis": "Event analysis methods",
    "monitor": "Daily monitoring",
    "breaks": "Breaks",
    "research": "Research on big events",
}

PROSE = {
    "police": text.POLICE,
    "rates": text.RATES,
    "handling": text.HANDLING,
    "analysis": text.EVENT_METHODS + text.PLACES,
    "monitor": text.MONITOR,
    "research": text.RESEARCH,
}


def _breaks_table() -> pd.DataFrame:
    rows = [
        {
            "from": b.on.isoformat(),
            "title": b.title,
            "datasets": ", ".join(b.datasets) or "all",
            "applies to": b.applies_to,
            "what changed": b.description,
            "documented in": b.basis,
        }
        for b in BREAKS
    ]
    return pd.DataFrame(rows)


def _section(name: str) -> None:
    if name == "hotline":
        st.markdown(text.HOTLINE)
        st.markdown("**The statement Polaris asks reproduced hotline statistics to carry:**")
        st.caption(POLARIS_STATEMENT)
    elif name == "breaks":
        st.write(
            "Dates after which a series measures something else. A baseline never spans one, and charts mark "
            "them with a dashed line."
        )
        st.dataframe(_breaks_table(), hide_index=True)
    else:
        st.markdown(PROSE[name])


def run() -> None:
    page_header("Methods & caveats", HELP)
    name = radio_param("Section", list(SECTIONS), key="section", format_func=SECTIONS.get)
    st.subheader(SECTIONS[name])
    _section(name)
