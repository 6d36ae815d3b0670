"""PNG of a figure, rendered by kaleido in Debian's chromium, offline.

Kaleido (1.x) loads plotly.js from the installed plotly package (a local file). Three settings keep the
render off the network:

- ``mathjax=False``: kaleido would otherwise add MathJax from a CDN to its page;
- ``topojson``: maps read the vendored ``static/usa_110m.json`` through a ``file://`` URL (chromium runs with
  ``--allow-file-access-from-files``), the same file the dashboard serves to the browser;
- ``proxy_server``: chromium is pointed at a closed local port, so any request that would leave the machine
  fails instead (loopback and ``file://`` do not use the proxy).
"""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go

from hotline_trends.chromium import CHROMIUM_ENV, chromium_path
from hotline_trends.paths import STATIC_DIR

DEAD_PROXY = "127.0.0.1:9"  # the discard port: nothing listens there, so proxied requests fail at once
WIDTH = 1100
SCALE = 2
TIMEOUT_SECONDS = 60


class PngUnavailable(RuntimeError):
    """PNG export cannot run here (no chromium); the message says how to fix it."""


def chromium() -> Path:
    """The browser kaleido drives: ``$HOTLINE_TRENDS_CHROMIUM`` or Debian's /usr/bin/chromium."""
    path = chromium_path()
    if not path.is_file():
        raise PngUnavailable(
            f"PNG export needs chromium at {path}: install it (apt-get install chromium) or set {CHROMIUM_ENV}."
        )
    return path


def topojson_url() -> str:
    """``file://`` URL of the folder holding usa_110m.json, ending in '/' as plotly.js expects."""
    return STATIC_DIR.resolve().as_uri() + "/"


def render_png(figure: go.Figure, *, width: int = WIDTH, scale: float = SCALE) -> bytes:
    """PNG bytes of ``figure`` at ``width`` CSS pixels (its own layout height) times ``scale``.

    Raises:
        PngUnavailable: chromium is missing.
        kaleido.errors.KaleidoError (or a subclass): plotly.js could not draw the figure.
    """
    import kaleido  # imported here: starting the app should not pay for it

    height = int(figure.layout.height or 500)
    return kaleido.calc_fig_sync(
        figure,
        opts={"format": "png", "width": width, "height": height, "scale": scale},
        topojson=topojson_url(),
        kopts={"path": str(chromium()), "mathjax": False, "proxy_server": DEAD_PROXY, "timeout": TIMEOUT_SECONDS},
    )
