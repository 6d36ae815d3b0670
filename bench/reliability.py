"""Fault figures for the store: kills at random moments, simultaneous ingests, reads during ingests.

    python bench/reliability.py [--kills N] [--pairs N] [--rows N] [--seed S] [--quick]

Everything runs on temporary stores copied from one built from the bundled data, through the real CLI in
separate processes:

1. **Kills.** An ingest of a big synthetic file, a build from nothing, or the removal of that big ingest
   is started and killed (SIGKILL) at a random moment of its write (seeded; measured from when its staging
   file appears, over 1.1x the time an unkilled run of the same operation took, a window that shrinks to
   the delay of any kill that came after the process had already exited). The store is *intact*
   when it opens, holds exactly what it held before or exactly what the finished operation gives (a
   fingerprint of every version of every row and of the ingest log), and running the operation again
   gives the finished state with no staging file left behind.
2. **Simultaneous ingests.** Pairs of different files started at the same moment: both must exit 0, both
   be in the log, and no natural key may appear twice among current rows.
3. **Reads during ingests.** While the unkilled runs above write, a thread reads the store in a loop (the
   same reads as `datasets` and `query`). A read *answered without waiting* began and finished while the
   same write was still under way; a read that failed counts as an error.

The last lines are the figures, as the README's "Reliability" section quotes them.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from bigfile import write_busy_csv  # noqa: E402

from hotline_trends.paths import STORE_ENV  # noqa: E402
from hotline_trends.schema import SPECS  # noqa: E402
from hotline_trends.store import Store  # noqa: E402
from hotline_trends.store import read as store_read  # noqa: E402
from hotline_trends.store.build import build  # noqa: E402
from hotline_trends.store.connection import STAGE_PREFIX  # noqa: E402

LOG_COLUMNS = "ingest_id, table_name, file_name, sha256, rows_read, added, revised, unchanged, status"


def fingerprint(store: Store) -> str:
    """Every version of every row and the ingest log (without its clock times), or 'missing'."""
    if not store.exists():
        return "missing"
    parts = []
    for spec in SPECS.values():
        row = store_read.query(store, f"SELECT count(*) AS n, sum(hash(t)) AS h FROM {spec.name}_v t").iloc[0]
        parts.append(f"{spec.name}:{row['n']}:{row['h']}")
    log = store_read.query(store, f"SELECT count(*) AS n, sum(hash({LOG_COLUMNS})) AS h FROM ingests").iloc[0]
    parts.append(f"ingests:{log['n']}:{log['h']}")
    return " ".join(parts)


def stages(store: Store) -> list[Path]:
    return sorted(store.root.glob(STAGE_PREFIX + "*")) if store.root.exists() else []


def start(store: Store, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "hotline_trends", *args],
        env={**os.environ, STORE_ENV: str(store.root)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(store: Store, *args: str) -> subprocess.CompletedProcess:
    proc = start(store, *args)
    out, err = proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def copy_store(source: Store | None, target: Path) -> Store:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    if source is not None:
        shutil.copyfile(source.db_path, target / "hotline.duckdb")
    return Store(target)


class Reader(threading.Thread):
    """Reads the store in a loop while a writer runs; records when each read began and ended."""

    def __init__(self, store: Store) -> None:
        super().__init__(daemon=True)
        self.store, self.stop, self.reads = store, threading.Event(), []

    def run(self) -> None:
        i = 0
        while not self.stop.is_set():
            began, stage_before = time.monotonic(), stages(self.store)
            error = None
            try:
                if i % 2:
                    store_read.datasets(self.store)
                else:
                    store_read.observations(self.store, region="FL", dataset="nhth", metric="cases")
            except Exception as exc:  # noqa: BLE001 - every failure is a figure
                error = f"{type(exc).__name__}: {exc}"
            stage_after = stages(self.store)
            self.reads.append(
                {
                    "seconds": time.monotonic() - began,
                    "during_write": bool(stage_before),
                    "no_wait": bool(stage_before) and stage_before == stage_after,
                    "error": error,
                }
            )
            i += 1
            time.sleep(0.02)


def timed_with_reads(store: Store, reads: list | None, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    """Run the operation unkilled (with a reader alongside unless ``reads`` is None); returns its result and
    how long it wrote."""
    reader = Reader(store)
    proc = start(store, *args)
    if reads is not None:
        reader.start()
    while not stages(store) and proc.poll() is None:
        time.sleep(0.005)
    began = time.monotonic()
    out, err = proc.communicate()
    write_seconds = time.monotonic() - began
    if reads is not None:
        reader.stop.set()
        reader.join()
        reads += reader.reads
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), write_seconds


def kill_trial(
    store: Store, args: tuple[str, ...], delay: float, before: str, after: str, redo: Callable[[Store], None]
) -> dict:
    proc = start(store, *args)
    while not stages(store) and proc.poll() is None:
        time.sleep(0.005)
    time.sleep(delay)
    finished = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    try:
        state = fingerprint(store)
        opened = True
    except Exception as exc:  # noqa: BLE001
        state, opened = f"unreadable: {exc}", False
    landed = "before" if state == before else "after" if state == after else "neither"
    redo(store)
    again = fingerprint(store)
    intact = opened and landed != "neither" and again == after and not stages(store)
    return {"landed": landed, "intact": intact, "finished_first": finished}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=36, help="kills in all, shared by the three operations")
    parser.add_argument("--pairs", type=int, default=10, help="pairs of simultaneous ingests")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the big file killed mid-ingest")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--quick", action="store_true", help="6 kills, 2 pairs, 200k rows")
    args = parser.parse_args()
    if args.quick:
        args.kills, args.pairs, args.rows = 6, 2, 200_000
    rng = random.Random(args.seed)
    reads: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="ht-reliability-") as tmp_name:
        tmp = Path(tmp_name)
        big = tmp / "big.csv"
        write_busy_csv(big, rows=args.rows, seed=args.seed)
        base = copy_store(None, tmp / "base")
        build(base)
        base_fp = fingerprint(base)

        # The finished state of each operation, from an unkilled run (with a reader alongside).
        with_big = copy_store(base, tmp / "with-big")
        done, ingest_write = timed_with_reads(with_big, reads, "ingest", str(big))
        assert done.returncode == 0, done.stderr
        with_big_fp = fingerprint(with_big)
        big_id = int(store_read.ingests(with_big)["ingest_id"].max())
        removed = copy_store(with_big, tmp / "removed")
        done, remove_write = timed_with_reads(removed, reads, "ingests", "remove", str(big_id), "--yes")
        assert done.returncode == 0, done.stderr
        removed_fp = fingerprint(removed)
        built = copy_store(None, tmp / "built")
        done, build_write = timed_with_reads(built, None, "build")  # nothing to read before it publishes
        assert done.returncode == 0, done.stderr
        assert fingerprint(built) == base_fp  # a build is reproducible, so 'after' is known
        print(
            f"unkilled: ingest of {args.rows:,} rows wrote for {ingest_write:.1f} s, its removal "
            f"{remove_write:.1f} s, a build from nothing {build_write:.1f} s",
            flush=True,
        )

        def redo_ingest(store: Store) -> None:
            assert run(store, "ingest", str(big)).returncode == 0

        def redo_remove(store: Store) -> None:
            result = run(store, "ingests", "remove", str(big_id), "--yes")
            assert result.returncode == 0 or "already removed" in result.stderr, result.stderr

        def redo_build(store: Store) -> None:
            assert run(store, "build", "--if-stale").returncode == 0

        operations = [
            ("ingest", lambda: copy_store(base, tmp / "trial"), ("ingest", str(big)), base_fp, with_big_fp,
             redo_ingest, ingest_write),
            ("build", lambda: copy_store(None, tmp / "trial"), ("build",), "missing", base_fp, redo_build,
             build_write),
            ("remove", lambda: copy_store(with_big, tmp / "trial"), ("ingests", "remove", str(big_id), "--yes"),
             with_big_fp, removed_fp, redo_remove, remove_write),
        ]  # fmt: skip
        trials = []
        # How long each operation writes varies from run to run with the machine's load: a kill that came
        # after the process had exited shortens the window later kills are drawn from.
        window = {name: 1.1 * write for name, *_, write in operations}
        for i in range(args.kills):
            name, fresh, op_args, before, after, redo, _ = operations[i % len(operations)]
            delay = rng.uniform(0, window[name])
            result = kill_trial(fresh(), op_args, delay, before, after, redo) | {"op": name, "delay": delay}
            if result["finished_first"]:
                window[name] = min(window[name], delay)
            trials.append(result)
            print(
                f"kill {i + 1:2d}: {name:6s} at +{delay:5.2f} s of its write"
                f"{' (it had already exited)' if result['finished_first'] else ''} -> store as {result['landed']}, "
                f"{'intact' if result['intact'] else 'NOT INTACT'}",
                flush=True,
            )

        # Simultaneous ingests: two different files started at the same moment, on a fresh copy each time.
        pair_rows = max(args.rows // 5, 10_000)
        files = []
        for side in ("a", "b"):
            path = tmp / f"concurrent_{side}.csv"
            write_busy_csv(path, rows=pair_rows, seed=args.seed + ord(side), dataset=f"concurrent_{side}")
            files.append(path)
        landed = duplicates = 0
        for _ in range(args.pairs):
            store = copy_store(base, tmp / "pair")
            reader = Reader(store)
            procs = [start(store, "ingest", str(path)) for path in files]
            reader.start()
            codes = [p.wait() for p in procs]
            reader.stop.set()
            reader.join()
            reads += reader.reads
            log = store_read.ingests(store)
            landed += sum(
                code == 0 and path.name in set(log["file_name"]) for code, path in zip(codes, files, strict=True)
            )
            for spec in SPECS.values():
                keys = ", ".join(spec.key)
                duplicates += int(
                    store_read.query(
                        store,
                        f"SELECT count(*) AS n FROM (SELECT {keys} FROM {spec.name} GROUP BY ALL HAVING count(*) > 1)",
                    )["n"][0]
                )
            counts = store_read.query(store, "SELECT dataset, count(*) AS n FROM observations GROUP BY 1")
            got = dict(zip(counts["dataset"], counts["n"], strict=True))
            assert got.get("concurrent_a") == pair_rows and got.get("concurrent_b") == pair_rows, got

    intact = sum(t["intact"] for t in trials)
    by_op = {
        op: f"{sum(t['intact'] for t in trials if t['op'] == op)}/{sum(t['op'] == op for t in trials)}"
        for op in ("ingest", "build", "remove")
    }
    states = {s: sum(t["landed"] == s for t in trials) for s in ("before", "after", "neither")}
    running = sum(not t["finished_first"] for t in trials)
    during = [r for r in reads if r["during_write"]]
    no_wait = [r for r in during if r["no_wait"] and not r["error"]]
    errors = [r for r in reads if r["error"]]
    seconds = sorted(r["seconds"] for r in during) or [0.0]
    print()
    print(
        f"kills: {intact}/{len(trials)} stores intact (ingests {by_op['ingest']}, builds {by_op['build']}, "
        f"removals {by_op['remove']}); {running} of the {len(trials)} hit a process still running; the store "
        f"was found as before {states['before']}, as after {states['after']}, neither {states['neither']}; "
        "the same operation then finished every time"
    )
    print(
        f"simultaneous ingests: {landed}/{2 * args.pairs} landed ({args.pairs} pairs of {pair_rows:,}-row files), "
        f"{duplicates} duplicate keys"
    )
    print(
        f"reads during writes: {len(during)} started while an ingest, removal or build was writing; "
        f"{len(no_wait)} answered before that write finished, {len(errors)} errors; "
        f"median {statistics.median(seconds):.2f} s, slowest {seconds[-1]:.2f} s"
    )
    ok = intact == len(trials) and landed == 2 * args.pairs and not duplicates and not errors
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
