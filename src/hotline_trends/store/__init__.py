"""The local store: versioned tables in one DuckDB file, written only through checked transactions."""

from hotline_trends.store.apply import IngestReport, ingest
from hotline_trends.store.connection import Store, reading
from hotline_trends.store.staging import connect, writing

__all__ = ["IngestReport", "Store", "connect", "ingest", "reading", "writing"]
