"""The local store: versioned tables in one DuckDB file, written only through checked transactions."""

from hotline_trends.store.apply import IngestReport, ingest
from hotline_trends.store.connection import Store, connect

__all__ = ["IngestReport", "Store", "connect", "ingest"]
