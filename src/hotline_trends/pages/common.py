"""What every page shares: the caveat line, cached loaders keyed on the store's version, URL state.

``st.cache_data`` lives only here, at the UI edge. Loaders take the store version token, so a CLI ingest
(which changes the store's files) shows up on the next rerun without a restart.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from hotline_trends.safe_text import inert
from hotline_trends.store import Store
from hotline_trends.store import read as store_read

T = TypeVar("T")

CAVEAT = (
    "Hotline counts measure help-seeking (who contacted the hotline), not how much trafficking occurs. "
    "2012–2016 state figures count calls; from 2017 the hotline counts signals. Police counts depend on "
    "which agencies reported."
)


def store() -> Store:
    return Store.default()


def caveat() -> None:
    st.caption(f"⚠️ {CAVEAT}")


def page_header(title: str, help_text: str) -> None:
    """Title, a short help text and the caveat line; the sidebar keeps the caveat visible while scrolling."""
    st.title(title, anchor=False)  # no "link to heading" stop between the skip link and the page's controls
    st.write(help_text)
    caveat()
    with st.sidebar:
        st.caption(f"⚠️ {CAVEAT}")


def topojson_url() -> str:
    """Where the browser finds the vendored usa_110m.json: Streamlit's static route, under any base path."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static/" if base else "/app/static/"


def plotly_config(*, geo: bool) -> dict[str, Any]:
    """plotly.js config for every chart; geo charts get the local topojson so maps draw offline."""
    config: dict[str, Any] = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}
    if geo:
        config["topojsonURL"] = topojson_url()
    return config


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
def load(reader: str, version: str, **kwargs: Any) -> pd.DataFrame:
    """A cached ``hotline_trends.store.read.<reader>`` call; ``version`` is only part of the cache key."""
    del version
    return getattr(store_read, reader)(store(), **kwargs)


def loaded(reader: str, **kwargs: Any) -> pd.DataFrame:
    """``store.read.<reader>(store, **kwargs)``, cached until the store changes (e.g. ``loaded("table", name="regions")``)."""
    return load(reader, store().version(), **kwargs)


_BUILDERS: dict[str, Callable[..., Any]] = {}


def cached_per_version(func: Callable[..., T]) -> Callable[..., T]:
    """Decorator for a page's builder (keyword arguments only): computed once per store version and arguments.

    Pages decorate the functions that turn loaded frames into charts, so a rerun that changes nothing
    costs a cache hit instead of rebuilding figures. The arguments must be small values (text, numbers,
    tuples); the result is copied on every hit, so callers may use it freely.
    """
    name = f"{func.__module__}.{func.__qualname__}"
    _BUILDERS[name] = func

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> T:
        return _built(name, store().version(), **kwargs)

    return wrapper


@st.cache_data(show_spinner=False, max_entries=128)
def _built(name: str, version: str, **kwargs: Any) -> Any:
    del version
    return _BUILDERS[name](**kwargs)


def select_param(
    label: str,
    options: Sequence[Any],
    *,
    key: str,
    default: Any = None,
    help: str | None = None,
    format_func: Callable[[Any], str] = str,
    width: int | str = "stretch",
) -> Any:
    """A selectbox whose choice lives in the URL (``?key=value``), so a copied link restores the view.

    Options are matched with the URL as text, so integer options (years) round-trip too.
    """
    options = list(options)
    if not options:
        st.query_params.pop(key, None)
        return None
    texts = [str(o) for o in options]
    asked = st.query_params.get(key, None)
    wanted = asked
    if wanted not in texts:
        wanted = nearest_option(asked, texts, default=str(default) if str(default) in texts else texts[0])
    value = st.selectbox(
        label, options, index=texts.index(wanted), key=f"param_{key}", help=help, format_func=format_func, width=width
    )
    if asked is not None and asked not in texts:
        st.caption(inert(kept_note(label, asked, value, format_func=format_func, options=options)))
    st.query_params[key] = str(value)
    return value


def nearest_option(asked: str | None, texts: list[str], *, default: str) -> str:
    """The option to keep when ``asked`` is no longer offered: the nearest number (the later one on a tie) when
    the options are numbers (years), else ``default``.

    Example:
        >>> nearest_option("2012", ["2024", "2019", "2017", "2013"], default="2024")
        '2013'
        >>> nearest_option("cases", ["signals"], default="signals")
        'signals'
    """
    try:
        target = float(asked) if asked is not None else None
        numbers = [float(t) for t in texts]
    except ValueError:
        return default
    if target is None:
        return default
    best = min(range(len(texts)), key=lambda i: (abs(numbers[i] - target), -numbers[i]))
    return texts[best]


def kept_note(label: str, asked: str, value: Any, *, format_func: Callable[[Any], str], options: Sequence[Any]) -> str:
    """A short note that a choice was replaced because the other choices no longer offer it."""
    matching = [o for o in options if str(o) == asked]
    try:
        before = format_func(asked)
    except Exception:  # noqa: BLE001 — a label function may not know a value that is no longer offered
        before = None
    before = before if isinstance(before, str) and before and not matching else asked
    after = format_func(value)
    nearest = " (the nearest)" if str(before).replace(".", "").isdigit() else ""
    return f"{label}: {before} is not available for this choice, so it shows {after}{nearest} instead."


def radio_param(
    label: str,
    options: Sequence[str],
    *,
    key: str,
    default: str | None = None,
    help: str | None = None,
    format_func: Callable[[Any], str] = str,
) -> str:
    """Horizontal radio buttons whose choice lives in the URL, like :func:`select_param`."""
    options = list(options)
    wanted = st.query_params.get(key, None)
    if wanted not in options:
        wanted = default if default in options else options[0]
    value = st.radio(
        label,
        options,
        index=options.index(wanted),
        key=f"param_{key}",
        help=help,
        horizontal=True,
        format_func=format_func,
    )
    st.query_params[key] = value
    return value


def multiselect_param(
    label: str,
    options: Sequence[str],
    *,
    key: str,
    default: Sequence[str] = (),
    help: str | None = None,
    format_func: Callable[[str], str] = str,
) -> list[str]:
    """A multiselect kept in the URL as ``?key=a,b`` (``?key=`` for none, so an empty choice survives too)."""
    options = list(options)
    raw = st.query_params.get(key, None)
    wanted = [v for v in raw.split(",") if v in options] if raw is not None else [d for d in default if d in options]
    value = st.multiselect(label, options, default=wanted, key=f"param_{key}", help=help, format_func=format_func)
    st.query_params[key] = ",".join(value)
    return value


def text_param(label: str, *, key: str, placeholder: str = "", help: str | None = None) -> str:
    """A text box kept in the URL as ``?key=text`` (left out of the URL while empty)."""
    value = st.text_input(
        label, value=st.query_params.get(key, ""), key=f"param_{key}", placeholder=placeholder, help=help
    )
    if value:
        st.query_params[key] = value
    else:
        st.query_params.pop(key, None)
    return value


def toggle_param(label: str, *, key: str, default: bool = False, help: str | None = None) -> bool:
    """An on/off switch kept in the URL as ``?key=1`` or ``?key=0``."""
    raw = st.query_params.get(key, None)
    wanted = raw == "1" if raw in ("0", "1") else default
    value = st.toggle(label, value=wanted, key=f"param_{key}", help=help)
    st.query_params[key] = "1" if value else "0"
    return value


# the publisher first; the id last, as the key that matches a row of an export (ids are not for reading)
SOURCE_COLUMNS = ["publisher", "title", "location", "terms", "caveat", "source_id"]


def sources_table(
    source_ids: Sequence[str], sources: pd.DataFrame, *, label: str = "Sources", expanded: bool | None = None
) -> None:
    """Name every source behind what is shown, with publisher, location and terms.

    Shown as a table, never as Markdown: titles may come from user files and must not render as links,
    images or HTML.
    """
    used = sources[sources["source_id"].isin(list(source_ids))][SOURCE_COLUMNS]
    if used.empty:
        st.caption(f"{inert(label)}: none recorded for this selection.")
        return
    open_ = len(used) <= 3 if expanded is None else expanded
    with st.expander(f"{label} ({len(used)}): publisher, location, terms", expanded=open_):
        from hotline_trends.pages.readable import readable  # readable imports this module

        st.dataframe(
            readable(used),  # '–' where a user's source has no publisher or terms yet, never 'None'/'nan'
            hide_index=True,
            column_config={"location": st.column_config.TextColumn("location")},
        )
