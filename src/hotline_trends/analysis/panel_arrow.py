"""A panel straight from a Parquet file of tidy rows: DuckDB reads it, Arrow batches fill the matrix.

``panel.panel_from_regions`` needs the rows as a pandas frame (tens of bytes a row as Python-side
columns); for the tens of millions of rows of every agency's daily counts over ten years that frame alone
outgrows the machine. Here DuckDB filters the file and hands over Arrow record batches, whose region codes
and period positions are computed vectorised and scattered into the (regions × periods) matrix: the rows
never exist as Python objects, and memory is the matrix plus one batch.

The result is the panel ``panel_from_regions`` builds from the same rows (a test checks it). Files that
need its row-by-row decisions (several sources for one period, rows of another period kind) are handed to
it instead, so the answer never differs; only the memory does.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hotline_trends.analysis.panel import Panel, grid, panel_from_regions
from hotline_trends.analysis.periods import period_kind

BATCH_ROWS = 1 << 20


def panel_from_parquet(
    path: str | Path, *, dataset: str, metric: str, kind: str | None = None, threads: int | None = None
) -> Panel | None:
    """``panel_from_regions`` of the tidy rows in the Parquet file ``path``, without loading them as a frame.

    Args:
        path: a Parquet file with the observation columns (dataset, region, period_start, period_end, metric,
            value, source_id; reliability optional).
        dataset, metric, kind: as for ``panel_from_regions``.
        threads: DuckDB threads (None: DuckDB's default).

    Example:
        >>> import tempfile
        >>> from hotline_trends.analysis.synthetic import simulate
        >>> data, _ = simulate(n_regions=3, n_periods=40, seed=1)
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     data.to_parquet(f"{tmp}/rows.parquet")
        ...     panel = panel_from_parquet(f"{tmp}/rows.parquet", dataset="synthetic", metric="count")
        >>> panel.values.shape, panel.regions
        ((3, 40), ['R00000', 'R00001', 'R00002'])
    """
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # a long read would draw one on stdout
    if threads is not None:
        con.execute(f"SET threads = {int(threads)}")
    con.execute(  # a view cannot take parameters: the three strings go in as quoted literals
        "CREATE TEMP VIEW rows AS SELECT region, period_start, period_end, value, source_id "
        f"FROM read_parquet({_quoted(str(path))}) WHERE dataset = {_quoted(dataset)} "
        f"AND metric = {_quoted(metric)} AND region NOT LIKE 'ori:%' AND region <> 'US'"
    )
    pairs = con.execute(
        "SELECT period_start, period_end, count(*) AS n FROM rows GROUP BY ALL ORDER BY period_start, period_end"
    ).df()
    if pairs.empty:
        return None
    kinds = period_kind(pd.to_datetime(pairs["period_start"]), pd.to_datetime(pairs["period_end"]))
    rows_per_kind = pairs["n"].groupby(kinds.to_numpy()).sum().drop("other", errors="ignore")
    chosen = kind if kind else (str(rows_per_kind.idxmax()) if len(rows_per_kind) else None)
    if chosen is None or chosen == "other" or not (kinds == chosen).any():
        return None
    if not (kinds == chosen).all():  # rows of another kind: left out with a note, as the frame path does
        return _by_frame(con, path, dataset=dataset, metric=metric, kind=kind)
    starts = pd.to_datetime(pairs["period_start"])
    periods = grid(starts.min(), starts.max(), chosen)
    regions = con.execute("SELECT DISTINCT region FROM rows ORDER BY region").df()["region"].astype(str).tolist()
    values, filled, n_rows = _scatter(con, regions, periods["period_start"].to_numpy("datetime64[ns]"))
    if int(np.count_nonzero(filled)) != n_rows:  # a period with more than one row: sources to choose between
        return _by_frame(con, path, dataset=dataset, metric=metric, kind=kind)
    sources: dict[str, list[str]] = {}
    for region, source in con.execute("SELECT DISTINCT region, source_id FROM rows ORDER BY ALL").fetchall():
        sources.setdefault(str(region), []).append(str(source))
    processing = f"{dataset} {metric} as published, one value per region and {chosen}"
    return Panel(dataset, metric, chosen, periods, regions, values, sources, processing, [])


def _scatter(con, regions: list[str], starts: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """The matrix of values, which cells a row filled, and how many rows there were."""
    values = np.full((len(regions), len(starts)), np.nan)
    filled = np.zeros(values.shape, bool)
    flat_values, flat_filled = values.reshape(-1), filled.reshape(-1)
    lookup = pa.array(regions, type=pa.string())
    n_rows = 0
    reader = con.sql("SELECT region, period_start, value FROM rows").to_arrow_reader(BATCH_ROWS)
    for batch in reader:
        row = pc.index_in(batch.column(0).cast(pa.string()), value_set=lookup).to_numpy(zero_copy_only=False)
        when = batch.column(1).cast(pa.timestamp("ns")).to_numpy(zero_copy_only=False)
        col = np.searchsorted(starts, when)
        cell = row.astype(np.int64) * len(starts) + col
        flat_values[cell] = batch.column(2).cast(pa.float64()).to_numpy(zero_copy_only=False)
        flat_filled[cell] = True
        n_rows += batch.num_rows
    return values, filled, n_rows


def _by_frame(con, path, *, dataset: str, metric: str, kind: str | None) -> Panel | None:
    """The rows as a frame, through ``panel_from_regions``: for the files that need its choices."""
    frame = con.execute(
        "SELECT * FROM read_parquet($path) WHERE dataset = $dataset AND metric = $metric",
        {"path": str(path), "dataset": dataset, "metric": metric},
    ).df()
    return panel_from_regions(frame, dataset=dataset, metric=metric, kind=kind)


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
