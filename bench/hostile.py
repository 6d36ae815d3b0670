"""Hostile files against the readers' limits: each file is ingested in a fresh process, timed and measured.

    python bench/hostile.py [--quick] [--only NAME,...]

Makes every file of ``tests/hostile_files.py`` at full size (a zip bomb expanding to 1 GB, a 200 MB line,
a 125 MB HTML table, 100,000 calendar events, ...; ``--quick`` uses the tests' smaller files and limits),
then runs ``hotline-trends ingest FILE`` in its own process against a small store and records the exit
code, the error, the wall time and the peak resident memory. A file is *clean* when the command ends
with exit 0 (a bounded success) or exit 2 and a one-line error (no traceback), and the store is
unchanged after an error. Prints one row per file and ``hostile files tried N / clean M``; the last line
is ``clean=<M> tried=<N>``. Exits 1 if any file is not clean.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
from hostile_files import CASES, Case  # noqa: E402

# The child applies the case's quick limits (in --quick mode), ingests, and reports its own peak memory.
# Peak memory is the process's own high-water mark (VmHWM): getrusage's ru_maxrss would carry over the
# parent's size from before the exec.
CHILD = """
import json, re, sys
from hotline_trends.cli import main
from hotline_trends.ingest.limits import limited
limits = json.loads(sys.argv[1])
with limited(**limits):
    code = main(sys.argv[2:])
status = open("/proc/self/status").read()
peak = int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) / 1024
sys.stderr.write("\\n@@" + json.dumps({"code": code, "peak_mb": peak}))
"""

SEED = """
import sys
from pathlib import Path
from hotline_trends.ingest import read_tables
from hotline_trends.paths import bundled_file
from hotline_trends.store import Store, ingest
store = Store(Path(sys.argv[1]))
for name in ("sources", "regions", "events"):
    ingest(store, read_tables(bundled_file(name)))
"""


DIGEST = """
import hashlib, sys
from pathlib import Path
from hotline_trends.schema import SPECS
from hotline_trends.store import Store
from hotline_trends.store.read import query
store, digest = Store(Path(sys.argv[1])), hashlib.sha256()
for table in [f"{name}_v" for name in SPECS] + ["ingests"]:
    digest.update(query(store, f"SELECT * FROM {table} ORDER BY ALL").to_csv().encode())
print(digest.hexdigest())
"""


def store_digest(root: Path) -> str:
    """What an unchanged store means here: the same rows in every table and the same ingest log."""
    out = subprocess.run([sys.executable, "-c", DIGEST, str(root)], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def _good_file(folder: Path, full: bool) -> Path:
    path = folder / "regions.csv"
    shutil.copy(REPO / "data" / "regions.csv", path)
    return path


# The cost of starting the command at all, to read the rows against: the bundled regions (57 rows), dry run.
REFERENCE = Case("reference", "the bundled regions table", _good_file, None, ("--dry-run",))


def run_case(case: Case, folder: Path, store: Path, *, quick: bool) -> dict:
    made = time.perf_counter()
    path = case.make(folder, not quick)
    made = time.perf_counter() - made
    before = store_digest(store)
    env = {**os.environ, "HOTLINE_TRENDS_STORE": str(store)}
    limits = json.dumps(case.quick_limits if quick else {})
    started = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-c", CHILD, limits, "ingest", str(path), *case.args], capture_output=True, text=True, env=env
    )
    seconds = time.perf_counter() - started
    err, _, tail = child.stderr.rpartition("\n@@")
    figures = json.loads(tail) if tail.startswith("{") else {"code": child.returncode, "peak_mb": float("nan")}
    errors = [line for line in err.splitlines() if line.strip()]
    one_line = figures["code"] == 0 or (len(errors) == 1 and errors[0].startswith("error: "))
    unchanged = figures["code"] == 0 or store_digest(store) == before
    expected = case.expect is None if quick else True
    if quick and case.expect is not None:
        expected = figures["code"] == 2 and case.expect in err
    size = path.stat().st_size
    path.unlink()
    return {
        "name": case.name,
        "what": case.what,
        "size_mb": size / 1e6,
        "made_s": made,
        "seconds": seconds,
        "peak_mb": figures["peak_mb"],
        "code": figures["code"],
        "clean": figures["code"] in (0, 2) and one_line and unchanged and "Traceback" not in err and expected,
        "message": errors[0][7:] if errors and figures["code"] else "ingested",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="the tests' smaller files and limits")
    parser.add_argument("--only", default="", help="comma-separated case names")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON too")
    args = parser.parse_args()
    chosen = [c for c in CASES if not args.only or c.name in args.only.split(",")]
    work = Path(tempfile.mkdtemp(prefix="hostile-"))
    try:
        store = work / "store"
        store.mkdir()
        subprocess.run([sys.executable, "-c", SEED, str(store)], check=True)
        rows = []
        print(f"{'file':16} {'size':>9} {'time':>7} {'peak':>8}  outcome")
        reference = run_case(REFERENCE, work, store, quick=args.quick)
        print(
            f"{'(a good file)':16} {reference['size_mb']:7.1f}MB {reference['seconds']:6.1f}s "
            f"{reference['peak_mb']:6.0f}MB  exit {reference['code']}: start-up, imports and a 57-row dry run",
            flush=True,
        )
        for case in chosen:
            folder = work / case.name
            folder.mkdir()
            row = run_case(case, folder, store, quick=args.quick)
            shutil.rmtree(folder)
            rows.append(row)
            mark = "clean" if row["clean"] else "NOT CLEAN"
            print(
                f"{row['name']:16} {row['size_mb']:7.1f}MB {row['seconds']:6.1f}s {row['peak_mb']:6.0f}MB  "
                f"{mark}: exit {row['code']}, {row['message'][:110]}",
                flush=True,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(rows, indent=2))
    clean = sum(r["clean"] for r in rows)
    worst_time = max(rows, key=lambda r: r["seconds"])
    worst_peak = max(rows, key=lambda r: r["peak_mb"])
    print(f"hostile files tried {len(rows)} / clean {clean}")
    print(
        f"slowest: {worst_time['name']} {worst_time['seconds']:.1f} s; largest peak: {worst_peak['name']} {worst_peak['peak_mb']:.0f} MB"
    )
    print(f"clean={clean} tried={len(rows)}")
    return 0 if clean == len(rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
