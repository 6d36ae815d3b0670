"""Hotline Trends dashboard: a router only. Pages live in src/hotline_trends/pages."""

import streamlit as st

from hotline_trends.pages import data_sources, event, event_types, methods, monitor, overview, plan, region
from hotline_trends.pages.guard import run_guarded
from hotline_trends.pages.layout import wrap_text

st.set_page_config(page_title="Hotline Trends", page_icon="📈", layout="wide")
wrap_text()

pages = [
    st.Page(overview.run, title="Overview", url_path="overview", icon=":material/map:", default=True),
    st.Page(region.run, title="Region", url_path="region", icon=":material/location_on:"),
    st.Page(event.run, title="Event", url_path="event", icon=":material/event:"),
    st.Page(event_types.run, title="Event types", url_path="event-types", icon=":material/stacked_bar_chart:"),
    st.Page(monitor.run, title="Monitor", url_path="monitor", icon=":material/monitor_heart:"),
    st.Page(plan.run, title="Plan", url_path="plan", icon=":material/checklist:"),
    st.Page(data_sources.run, title="Data & sources", url_path="data", icon=":material/database:"),
    st.Page(methods.run, title="Methods & caveats", url_path="methods", icon=":material/menu_book:"),
]
run_guarded(st.navigation(pages))
