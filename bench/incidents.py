"""Incident-list ingest speed and memory: a seeded synthetic police export vs DuckDB's own read of it.

    python bench/ingest.py --incidents [--rows N] [--seed S] [--quick]

Writes an export in the Los Angeles "Crime Data from 2020 to Present" layout (28 columns, 5M rows by
default: five years of reports over 144 crime descriptions, some with commas, 1% of rows repeating an
incident, 100 rows with a blank date). Then, in separate processes and alternating, (1) DuckDB reads the
same file with its own detection (``read_csv``) and counts distinct reports per day and description, and
(2) ``hotline_trends`` reads it with the incident reader and ingests the daily counts into a temporary
store built from the bundled data. Both sides' counts are checked equal (every non-zero day and
description, and zeros for every other day in the range). Prints both times, the ratio (target <= 2) and
the ingest's peak resident memory (target <= 2 GB); the last line is ``ratio=<number> target=<number>``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ratio_line, run_child  # noqa: E402

TARGET_RATIO = 2.0
TARGET_PEAK_MB = 2048
CHUNK = 500_000
DAYS = 1827  # 2020-01-01 .. 2024-12-31
BLANK_DATES = 100
HEADER = [
    "DR_NO",
    "Date Rptd",
    "DATE OCC",
    "TIME OCC",
    "AREA",
    "AREA NAME",
    "Rpt Dist No",
    "Part 1-2",
    "Crm Cd",
    "Crm Cd Desc",
    "Mocodes",
    "Vict Age",
    "Vict Sex",
    "Vict Descent",
    "Premis Cd",
    "Premis Desc",
    "Weapon Used Cd",
    "Weapon Desc",
    "Status",
    "Status Desc",
    "Crm Cd 1",
    "Crm Cd 2",
    "Crm Cd 3",
    "Crm Cd 4",
    "LOCATION",
    "Cross Street",
    "LAT",
    "LON",
]
AREAS = [
    "Central",
    "Rampart",
    "Southwest",
    "Hollenbeck",
    "Harbor",
    "Hollywood",
    "Wilshire",
    "West LA",
    "Van Nuys",
    "West Valley",
    "Northeast",
    "77th Street",
    "Newton",
    "Pacific",
    "N Hollywood",
    "Foothill",
    "Devonshire",
    "Southeast",
    "Mission",
    "Olympic",
    "Topanga",
]

# Children also report their CPU seconds (all threads): on a shared machine wall time waits for other
# processes, CPU time much less so.
CPU = """
import resource
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
"""

BASELINE = (
    CPU
    + """
import sys, time, duckdb
path, out = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute('SET enable_progress_bar = false')
cpu_started = cpu()
started = time.perf_counter()
con.execute(f'''CREATE TABLE counts AS
    SELECT CAST("DATE OCC" AS DATE) AS day, "Crm Cd Desc" AS category, count(DISTINCT "DR_NO") AS n
    FROM read_csv('{path}') GROUP BY ALL''')
seconds, cpu_seconds = time.perf_counter() - started, cpu() - cpu_started
rows = con.execute("SELECT sum(n) FROM counts").fetchone()[0]
con.execute(f"COPY counts TO '{out}' (FORMAT parquet)")
report(seconds=seconds, cpu_seconds=cpu_seconds, rows=int(rows))
"""
)

INGEST = (
    CPU
    + """
import sys, time
from pathlib import Path
from hotline_trends.ingest import read_file
from hotline_trends.store import Store, ingest
from hotline_trends.store.build import build
from hotline_trends.store.read import query
store = Store(Path(sys.argv[2]))
build(store)
cpu_started = cpu()
started = time.perf_counter()
incoming = read_file(Path(sys.argv[1]), fmt="incidents")
read_seconds = time.perf_counter() - started
result = ingest(store, incoming)
seconds, cpu_seconds = time.perf_counter() - started, cpu() - cpu_started
rows = query(store, "SELECT strftime(period_start, '%Y-%m-%d') AS day, metric, value FROM observations_v WHERE _ingest = ?",
             [result.ingest_id])
rows.to_parquet(sys.argv[3])
report(seconds=seconds, cpu_seconds=cpu_seconds, read_seconds=read_seconds, rows=incoming.detected["records"], added=result.added,
       skipped=result.skipped)
"""
)


def _categories() -> np.ndarray:
    names = [f"OFFENSE {i:03d} - SYNTHETIC" for i in range(128)]
    names += [f"BATTERY, SIMPLE ASSAULT {i}" for i in range(8)]  # commas: quoted fields
    names += ["THEFT PLAIN - PETTY ($950 & UNDER)", "BUNCO, GRAND THEFT", "PIMPING", "PANDERING"]
    names += ["HUMAN TRAFFICKING - COMMERCIAL SEX ACTS", "HUMAN TRAFFICKING - INVOLUNTARY SERVITUDE"]
    names += ["LEWD CONDUCT", "VANDALISM - MISDEAMEANOR ($399 OR UNDER)"]
    return np.array(names)


def write_export(path: Path, *, rows: int, seed: int) -> None:
    """Write the synthetic export in chunks; every random draw comes from ``seed``."""
    rng = np.random.default_rng(seed)
    categories = pa.array(_categories())
    weights = 1.0 / np.arange(1, len(categories) + 1)  # a few common descriptions, many rare ones
    weights /= weights.sum()
    stamps = pa.array(pd.date_range("2020-01-01", periods=DAYS, freq="D").strftime("%m/%d/%Y 12:00:00 AM").tolist())
    stamps_or_blank = pa.concat_arrays([stamps, pa.array([""])])  # index DAYS: a blank date cell
    times = pa.array([f"{h:02d}{m:02d}" for h in range(24) for m in range(60)])
    areas = pa.array(AREAS)
    blank = rng.choice(rows, size=min(BLANK_DATES, rows), replace=False)
    schema = pa.schema([(name, pa.string()) for name in HEADER])
    written = 0
    with pacsv.CSVWriter(str(path), schema) as writer:
        while written < rows:
            n = min(CHUNK, rows - written)
            day = rng.integers(0, DAYS, n)
            cat = rng.choice(len(categories), size=n, p=weights)
            ident = np.arange(written, written + n) + 200_000_000
            repeat = np.flatnonzero(rng.random(n) < 0.01)
            repeat = repeat[repeat > 0]
            ident[repeat], day[repeat], cat[repeat] = ident[repeat - 1], day[repeat - 1], cat[repeat - 1]
            occurred = day.copy()
            here = blank[(blank >= written) & (blank < written + n)] - written
            occurred[here] = DAYS
            area = rng.integers(0, len(areas), n)
            zeros = pa.array(np.zeros(n, dtype=np.int32))

            def text(values: np.ndarray) -> pa.Array:
                return pc.cast(pa.array(values), pa.string())

            columns = {
                "DR_NO": text(ident),
                "Date Rptd": pc.take(stamps, pa.array(np.minimum(day + rng.integers(0, 3, n), DAYS - 1))),
                "DATE OCC": pc.take(stamps_or_blank, pa.array(occurred)),
                "TIME OCC": pc.take(times, pa.array(rng.integers(0, len(times), n))),
                "AREA": text(area + 1),
                "AREA NAME": pc.take(areas, pa.array(area)),
                "Rpt Dist No": text(rng.integers(100, 2200, n)),
                "Crm Cd": text(cat + 100),
                "Crm Cd Desc": pc.take(categories, pa.array(cat)),
                "Vict Age": text(rng.integers(0, 90, n)),
                "Crm Cd 1": text(cat + 100),
                "LAT": text(np.round(rng.uniform(33.7, 34.3, n), 4)),
                "LON": text(np.round(rng.uniform(-118.7, -118.1, n), 4)),
            }
            constant = {name: pc.take(pa.array([value]), zeros) for name, value in _constants().items()}
            writer.write_table(pa.table({name: columns.get(name, constant.get(name)) for name in HEADER}))
            written += n


def _constants() -> dict[str, str]:
    return {
        "Part 1-2": "1",
        "Mocodes": "0344 1822",
        "Vict Sex": "M",
        "Vict Descent": "H",
        "Premis Cd": "101",
        "Premis Desc": "STREET",
        "Weapon Used Cd": "",
        "Weapon Desc": "",
        "Status": "IC",
        "Status Desc": "Invest Cont",
        "Crm Cd 2": "",
        "Crm Cd 3": "",
        "Crm Cd 4": "",
        "LOCATION": "100 MAIN ST",
        "Cross Street": "",
    }


def check_equal(baseline: Path, ours: Path) -> tuple[int, int]:
    """Both sides' counts agree: non-zero (day, description) counts, and zeros for all other days in range."""
    from hotline_trends.ingest.incident_options import slug

    theirs = pd.read_parquet(baseline).dropna(subset=["day", "category"])
    theirs = theirs.assign(
        day=pd.to_datetime(theirs["day"]).dt.strftime("%Y-%m-%d"), metric=theirs["category"].map(slug)
    )
    theirs = theirs.groupby(["day", "metric"])["n"].sum().sort_index()
    mine = pd.read_parquet(ours)
    days, metrics = mine["day"].nunique(), mine["metric"].nunique()
    if len(mine) != days * metrics:
        raise SystemExit(f"the ingest wrote {len(mine):,} rows, not {days:,} days x {metrics:,} metrics")
    mine = mine.loc[mine["value"] > 0].set_index(["day", "metric"])["value"].sort_index()
    if not theirs.astype("int64").equals(mine.astype("int64")):
        raise SystemExit("the two sides' counts differ: the benchmark is not comparing the same work")
    return len(theirs), days


def main(*, rows: int, seed: int, repeat: int, tmp: Path) -> int:
    csv_path = tmp / "Crime_Data_from_2020_to_Present.csv"
    started = time.perf_counter()
    write_export(csv_path, rows=rows, seed=seed)
    print(f"wrote {rows:,} rows ({csv_path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - started:.1f} s")
    baselines, ingests = [], []
    for run in range(max(1, repeat)):
        # Alternate the two sides so that drift on the machine hits both alike.
        baselines.append(run_child(BASELINE, str(csv_path), str(tmp / f"baseline{run}.parquet")))
        ingests.append(run_child(INGEST, str(csv_path), str(tmp / f"store{run}"), str(tmp / f"ours{run}.parquet")))
    cells, days = check_equal(tmp / "baseline0.parquet", tmp / "ours0.parquet")
    baseline = min(baselines, key=lambda r: r["seconds"])
    result = min(ingests, key=lambda r: r["seconds"])
    peak = max(r["peak_mb"] for r in ingests)
    print(
        f"DuckDB read_csv + distinct reports per day and description (baseline): {baseline['seconds']:.2f} s "
        f"(best of {len(baselines)}), {baseline['rows']:,} reports, peak {baseline['peak_mb']:,.0f} MB"
    )
    print(
        f"hotline_trends incident reader + ingest: {result['seconds']:.2f} s (best of {len(ingests)}; reading "
        f"{result['read_seconds']:.2f} s, storing {result['seconds'] - result['read_seconds']:.2f} s), "
        f"{result['rows']:,} rows read, {result['skipped']} skipped, {result['added']:,} daily values added, "
        f"peak {peak:,.0f} MB (target <= {TARGET_PEAK_MB} MB)"
    )
    print(f"both sides equal: {cells:,} non-zero day x description counts over {days:,} days")
    ratio = result["seconds"] / baseline["seconds"]
    cpu_ratio = min(r["cpu_seconds"] for r in ingests) / min(r["cpu_seconds"] for r in baselines)
    print(f"CPU seconds (all threads, best of each side): ingest / DuckDB read = {cpu_ratio:.2f}")
    print(f"ingest / DuckDB read = {ratio:.2f} (target <= {TARGET_RATIO:g})")
    if peak > TARGET_PEAK_MB:
        print(f"peak memory {peak:,.0f} MB is over the {TARGET_PEAK_MB} MB target")
    print(ratio_line(ratio, TARGET_RATIO))
    return 0
