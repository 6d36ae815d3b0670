"""What every page shares: the caveat line, cached loaders keyed on the store's version, URL state.

``st.cache_data`` lives only here, at the UI edge. Loaders take the store version token, so a CLI ingest
(which changes the store's files) shows up on the next rerun without a restart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from hotline_trends.store import Store
from hotline_trends.store import read as store_read

CAVEAT = (
    "Hotline counts measure help-seeking (who contacted the hotline), not how much trafficking occurs. "
    "2012–2016 state figures count calls; from 2017 the hotline counts signals. Police counts depend on "
    "which agencies reported."
)


def store() -> Store:
    return Store.default()


def caveat() -> None:
    st.caption(f"⚠️ {CAVEAT}")


def require_store() -> Store | None:
    """The store, or None after telling the user how to build it."""
    current = store()
    if not current.exists():
        st.info(
            "The store has not been built yet. Run `make run` (or `hotline-trends build`) to load the "
            "bundled public data, then reload this page."
        )
        return None
    return current


@st.cache_data(show_spinner="Loading from the store…", max_entries=64)
def load(name: str, version: str, **kwargs: Any) -> pd.DataFrame:
    """A cached ``hotline_trends.store.read`` call; ``version`` is only part of the cache key."""
    del version
    return getattr(store_read, name)(store(), **kwargs)


def loaded(name: str, **kwargs: Any) -> pd.DataFrame:
    return load(name, store().version(), **kwargs)


def select_param(label: str, options: Sequence[Any], *, key: str, default: Any = None, help: str | None = None) -> Any:
    """A selectbox whose choice lives in the URL (``?key=value``), so a copied link restores the view."""
    options = list(options)
    if not options:
        return None
    wanted = st.query_params.get(key, default)
    if wanted not in options:
        wanted = default if default in options else options[0]
    value = st.selectbox(label, options, index=options.index(wanted), key=f"param_{key}", help=help)
    st.query_params[key] = value
    return value


SOURCE_COLUMNS = ["source_id", "publisher", "title", "location", "terms", "caveat"]


def sources_table(source_ids: Sequence[str], sources: pd.DataFrame, *, label: str = "Sources") -> None:
    """Name every source behind what is shown, with publisher, location and terms.

    Shown as a table, never as Markdown: titles may come from user files and must not render as links,
    images or HTML.
    """
    used = sources[sources["source_id"].isin(list(source_ids))][SOURCE_COLUMNS]
    if used.empty:
        st.caption(f"{label}: none recorded for this selection.")
        return
    with st.expander(f"{label} ({len(used)}): publisher, location, terms", expanded=len(used) <= 3):
        st.dataframe(
            used,
            hide_index=True,
            column_config={"location": st.column_config.TextColumn("location")},
        )
