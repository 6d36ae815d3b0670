"""Where Debian's chromium is and how it runs headless here: one place for PNG export, browser tests and
the app benchmark (never a downloaded browser)."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM_ENV = "HOTLINE_TRENDS_CHROMIUM"
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags chromium keeps trying to reach Google's hosts, which a closed
# network refuses many times over; --no-sandbox because CI runs as root.
HEADLESS_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> Path:
    """``$HOTLINE_TRENDS_CHROMIUM`` or Debian's /usr/bin/chromium (which may not exist)."""
    return Path(os.environ.get(CHROMIUM_ENV, "") or DEFAULT_CHROMIUM)
