"""Hotline Trends dashboard: a router only. Pages live in src/hotline_trends/pages."""

import streamlit as st

from hotline_trends.pages import data_sources

st.set_page_config(page_title="Hotline Trends", page_icon="📈", layout="wide")

pages = [
    st.Page(data_sources.run, title="Data & sources", url_path="data", icon="🗂️", default=True),
]
st.navigation(pages).run()
