"""Ingest speed and memory: a seeded synthetic tidy CSV into a temporary store vs DuckDB's raw bulk read.

    python bench/ingest.py [--rows N] [--seed S] [--quick]
    python bench/ingest.py --incidents [--rows N] [--seed S] [--quick]   (an incident export: bench/incidents.py)

Writes the file (10M rows by default: daily counts for every bundled state and police agency), then in
separate processes (1) times the store engine's own bulk read of the same file (`CREATE TABLE AS SELECT *
FROM read_csv(...)`, DuckDB's auto-detection) and (2) times `hotline_trends.store.ingest` of it into a
temporary store built from the bundled data. Prints both times, the ratio (target <= 1.5) and the peak
resident memory of the ingest process (target <= 2 GB). The last line is `ratio=<number> target=<number>`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ratio_line, run_child  # noqa: E402

from hotline_trends.paths import bundled_file  # noqa: E402

TARGET_RATIO = 1.5
TARGET_PEAK_MB = 2048
CHUNK = 1_000_000

BASELINE = """
import os, sys, time, duckdb
path, db = sys.argv[1], sys.argv[2]
con = duckdb.connect(db, config={"memory_limit": os.environ.get("HOTLINE_TRENDS_MEMORY", "1GB")})
started = time.perf_counter()
rows = con.execute(f"CREATE TABLE raw AS SELECT * FROM read_csv('{path}')").fetchone()[0]
con.execute("CHECKPOINT")
report(seconds=time.perf_counter() - started, rows=rows)
"""

INGEST = """
import sys, time
from pathlib import Path
from hotline_trends.ingest import read_file
from hotline_trends.store import Store, ingest
from hotline_trends.store.build import build
store = Store(Path(sys.argv[2]))
build(store)
started = time.perf_counter()
result = ingest(store, read_file(Path(sys.argv[1])))
report(seconds=time.perf_counter() - started, rows=result.rows_read, added=result.added)
"""


def regions() -> list[str]:
    """Every bundled state-level region and police agency, so every generated row is valid."""
    states = pa.csv.read_csv(bundled_file("regions")).column("region").to_pylist()
    agencies = pa.csv.read_csv(bundled_file("agencies")).column("ori").to_pylist()
    return [r for r in states] + [f"ori:{o}" for o in agencies]


def write_synthetic(path: Path, *, rows: int, seed: int) -> None:
    """Daily negative-binomial counts, region-major, written in chunks so memory stays flat."""
    rng = np.random.default_rng(seed)
    names = np.array(regions())
    days_per_region = -(-rows // len(names))
    start = np.datetime64("2010-01-01")
    written = 0
    with pacsv.CSVWriter(
        str(path),
        pa.schema(
            [(c, pa.string()) for c in ("dataset", "region", "period_start", "period_end", "metric")]
            + [("value", pa.int64()), ("source_id", pa.string()), ("reliability", pa.string())]
        ),
    ) as writer:
        while written < rows:
            n = min(CHUNK, rows - written)
            index = np.arange(written, written + n)
            day = (start + (index % days_per_region).astype("timedelta64[D]")).astype(str)
            region = names[index // days_per_region]
            value = rng.negative_binomial(5, 5 / (5 + 3.0), size=n)
            table = pa.table(
                {
                    "dataset": pa.array(["synthetic"] * n),
                    "region": pa.array(region),
                    "period_start": pa.array(day),
                    "period_end": pa.array(day),
                    "metric": pa.array(["tips"] * n),
                    "value": pa.array(value, pa.int64()),
                    "source_id": pa.array(["bench_synthetic"] * n),
                    "reliability": pa.array(["high"] * n),
                }
            )
            writer.write_table(table)
            written += n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, help="rows in the synthetic file (default 10M; --incidents 5M)")
    parser.add_argument(
        "--incidents", action="store_true", help="a police incident export instead (bench/incidents.py)"
    )
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--quick", action="store_true", help="1M rows: runs in well under a minute")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each side; the fastest counts (default 2)")
    args = parser.parse_args()
    rows = 1_000_000 if args.quick else args.rows or (5_000_000 if args.incidents else 10_000_000)
    if args.incidents:
        import incidents

        with tempfile.TemporaryDirectory(prefix="ht-bench-incidents-") as tmp:
            return incidents.main(rows=rows, seed=args.seed, repeat=args.repeat, tmp=Path(tmp))
    with tempfile.TemporaryDirectory(prefix="ht-bench-ingest-") as tmp:
        csv_path = Path(tmp) / "synthetic_observations.csv"
        started = time.perf_counter()
        write_synthetic(csv_path, rows=rows, seed=args.seed)
        print(f"wrote {rows:,} rows ({csv_path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - started:.1f} s")
        baselines, ingests = [], []
        for run in range(max(1, args.repeat)):
            # Alternate the two sides so that drift on the machine hits both alike.
            baselines.append(run_child(BASELINE, str(csv_path), str(Path(tmp) / f"baseline{run}.duckdb")))
            ingests.append(run_child(INGEST, str(csv_path), str(Path(tmp) / f"store{run}")))
        baseline = min(baselines, key=lambda r: r["seconds"])
        result = min(ingests, key=lambda r: r["seconds"])
        ingest_mb = max(r["peak_mb"] for r in ingests)
        print(
            f"DuckDB raw bulk read (baseline): {baseline['seconds']:.2f} s (best of {len(baselines)}), "
            f"{baseline['rows']:,} rows, peak {baseline['peak_mb']:,.0f} MB"
        )
        print(
            f"hotline_trends ingest (checked, versioned): {result['seconds']:.2f} s (best of {len(ingests)}), "
            f"{result['rows']:,} rows read, {result['added']:,} added, peak {ingest_mb:,.0f} MB "
            f"(target <= {TARGET_PEAK_MB} MB)"
        )
        ratio = result["seconds"] / baseline["seconds"]
        print(f"ingest / raw read = {ratio:.2f} (target <= {TARGET_RATIO})")
    print(ratio_line(ratio, TARGET_RATIO))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
