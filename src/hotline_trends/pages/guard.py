"""Every page runs inside one guard: a mistake the user can fix is its plain sentence, anything else a short
apology saying what to report; the traceback goes to the server log, never to the page.

``app.py`` runs the page ``st.navigation`` chose with :func:`run_guarded`. Streamlit's own control flow (``st.stop``,
``st.rerun``, a page switch) raises ``BaseException`` subclasses, which pass through untouched.
"""

from __future__ import annotations

import functools
import logging
import secrets
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from hotline_trends.errors import UserError
from hotline_trends.safe_text import inert

log = logging.getLogger("hotline_trends.dashboard")
if not log.handlers:  # Streamlit configures only its own loggers; make sure the server log gets ours
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)

APOLOGY = (
    "Sorry, this page hit an error it did not expect, so it stopped here. Nothing in the store was changed. "
    "Please report it to whoever runs this dashboard (or as an issue of the Hotline Trends project), with the "
    "lines below: the page, the link with your choices, the time and the reference. The details are in the "
    "server log under that reference."
)


def run_guarded(page: Any) -> None:
    """Run a ``st.Page`` (as ``st.navigation`` returns it) inside :func:`guarded`, reported by its title."""
    guarded(page.run, page=str(getattr(page, "title", "") or "page"))()


def guarded(run: Callable[[], None], *, page: str | None = None) -> Callable[[], None]:
    """``run`` (a page) that never shows a traceback: a ``UserError`` is shown as its sentence, any other
    exception as :data:`APOLOGY` with a report to copy, its traceback logged with the same reference.

    ``page`` names the page in the report (default: the module of ``run``).
    """
    page = page or run.__module__.rsplit(".", 1)[-1]

    @functools.wraps(run)
    def wrapper() -> None:
        try:
            run()
        except UserError as problem:
            st.warning(inert(str(problem)))
        except Exception as error:  # noqa: BLE001 — the last line of defence of a page
            reference = secrets.token_hex(4)
            when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
            link = _link()
            log.exception("page %s failed (reference %s, %s, link %s)", page, reference, when, link)
            st.error(APOLOGY)
            st.code(
                f"page: {page}\nlink: {link}\ntime: {when}\nreference: {reference}\nerror: {type(error).__name__}",
                language=None,
            )

    return wrapper


def _link() -> str:
    """The page's address with the user's choices (the query parameters), as well as it can be known."""
    try:
        base = st.context.url or ""
    except Exception:  # noqa: BLE001 — outside a browser session (tests) there is no URL
        base = ""
    query = urlencode(st.query_params.to_dict())
    return f"{base}?{query}" if query else (base or "(no URL)")
