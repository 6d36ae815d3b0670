"""Where things live. Imports nothing from the package so that every module can use it."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data"
STATIC_DIR = REPO_ROOT / "static"
STORE_ENV = "HOTLINE_TRENDS_STORE"

# The bundled tables, in the order a build must read them: later tables refer to earlier ones
# (observations name regions, agencies and sources).
BUNDLED_TABLES = ("sources", "regions", "agencies", "population", "events", "observations")


def store_dir() -> Path:
    """The store directory: ``$HOTLINE_TRENDS_STORE`` if set, else ``data/store`` in the repository."""
    configured = os.environ.get(STORE_ENV, "").strip()
    return Path(configured).expanduser().resolve() if configured else DATA_DIR / "store"


def bundled_file(table: str) -> Path:
    """Path of a bundled table, e.g. ``bundled_file("events")`` -> ``data/events.csv``."""
    return DATA_DIR / f"{table}.csv"
