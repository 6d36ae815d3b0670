"""A big synthetic tidy CSV for tests that need an ingest to take a while (seeded; never shown as real).

Daily counts for every bundled state and police agency, region-major (``n`` rows spread over as few days
as that takes), dataset ``busy_test``. DuckDB writes it, so 3M rows take seconds.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from hotline_trends.paths import bundled_file

DATASET = "busy_test"


def write_busy_csv(path: Path, *, rows: int, seed: int = 16, dataset: str = DATASET) -> dict[str, int]:
    """Write ``rows`` valid observations to ``path``; returns how many places and days they span."""
    con = duckdb.connect()
    regions, agencies = str(bundled_file("regions")), str(bundled_file("agencies"))
    con.execute(
        f"""CREATE TEMP TABLE places AS
        SELECT row_number() OVER (ORDER BY region) - 1 AS k, region FROM (
            SELECT region FROM read_csv('{regions}', all_varchar = true)
            WHERE length(region) = 2 AND region <> 'US'
            UNION ALL SELECT 'ori:' || ori FROM read_csv('{agencies}', all_varchar = true))"""
    )
    places = con.execute("SELECT count(*) FROM places").fetchone()[0]
    days = -(-rows // places)
    con.execute(
        f"""COPY (
            SELECT '{dataset}' AS dataset, p.region,
                   DATE '2015-01-01' + CAST(i % {days} AS INTEGER) AS period_start,
                   DATE '2015-01-01' + CAST(i % {days} AS INTEGER) AS period_end,
                   'tips' AS metric, CAST(hash(i, {int(seed)}) % 50 AS BIGINT) AS value,
                   '{dataset}' AS source_id, 'high' AS reliability
            FROM range({int(rows)}) t(i) JOIN places p ON p.k = i // {days}
            ORDER BY i
        ) TO '{path}' (HEADER)"""
    )
    con.close()
    return {"places": places, "days": days}
