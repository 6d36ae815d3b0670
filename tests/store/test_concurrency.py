"""Readers never wait for writers; writers queue on the lock file; a killed writer changes nothing.

A helper process holds a write session open until the test tells it to go on, so "a read did not wait"
is shown without timing anything: had the read waited for the writer, it would never have finished (the
writer waits for the test), and the subprocess timeout would fail the test.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pandas as pd
import pytest
from support import DATA, assert_unchanged, snapshot

from hotline_trends.schema import SPECS
from hotline_trends.store.connection import STAGE_PREFIX
from hotline_trends.store.read import query

HOLD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from hotline_trends.store import Store, writing
    with writing(Store(Path(sys.argv[1]))) as draft:
        draft.con.execute("INSERT INTO meta VALUES ('held', 'yes')")
        draft.keep()
        print("holding", flush=True)
        if sys.stdin.readline().strip() != "go":
            raise SystemExit(1)
    print("published", flush=True)
    """
)
PLAIN = DATA / "tidy" / "good" / "plain.csv"
DEADLOCK_GUARD = 120  # seconds; only reached if a reader waited for the writer


def _hold(store) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(store.root)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "holding"
    return holder


def _release(holder: subprocess.Popen) -> None:
    holder.stdin.write("go\n")
    holder.stdin.flush()
    assert holder.stdout.readline().strip() == "published"
    holder.communicate(timeout=DEADLOCK_GUARD)  # closes the pipes
    assert holder.returncode == 0


def _env(store, timeout: str = "60") -> dict[str, str]:
    return {**os.environ, "HOTLINE_TRENDS_STORE": str(store.root), "HOTLINE_TRENDS_LOCK_TIMEOUT": timeout}


def _cli(*args: str, store, timeout: str = "60") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hotline_trends", *args],
        capture_output=True,
        text=True,
        env=_env(store, timeout),
        timeout=DEADLOCK_GUARD,
    )


def _held(store) -> bool:
    return not query(store, "SELECT * FROM meta WHERE key = 'held'").empty


def test_reads_answer_from_the_published_store_while_a_writer_works(store, cli):
    before = query(store, "SELECT count(*) AS n FROM observations")
    holder = _hold(store)
    try:
        result = cli("query", "--region", "FL", "--dataset", "nhth", "--metric", "cases")
        assert result.code == 0 and "832" in result.out, result.err
        assert cli("datasets").code == 0
        assert not _held(store)  # the writer's work is not visible before it publishes
        pd.testing.assert_frame_equal(query(store, "SELECT count(*) AS n FROM observations"), before)
    finally:
        _release(holder)
    assert _held(store)  # ... and is on the next read after it did


def test_an_ingest_waits_for_another_writer_then_lands(store):
    holder = _hold(store)
    waiting = subprocess.Popen(
        [sys.executable, "-m", "hotline_trends", "ingest", str(PLAIN)],
        env=_env(store),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = waiting.stderr.readline()
    assert "Another write to the store is under way (process" in line and "waiting up to 60 s" in line
    _release(holder)
    out, _ = waiting.communicate(timeout=DEADLOCK_GUARD)
    assert waiting.returncode == 0 and "added 4" in out
    assert _held(store)  # both writes landed


def test_an_ingest_gives_up_with_a_clear_message_when_another_writer_stays(store):
    holder = _hold(store)
    try:
        before = snapshot(store)
        result = _cli("ingest", str(PLAIN), store=store, timeout="1")
    finally:
        _release(holder)
    assert result.returncode == 3
    assert "another write to the store" in result.stderr and "did not finish within 1 s" in result.stderr
    assert "Traceback" not in result.stderr
    assert_unchanged(before, snapshot(store))  # the holder only wrote to meta


def _duplicate_keys(store) -> dict[str, int]:
    found = {}
    for spec in SPECS.values():
        keys = ", ".join(spec.key)
        sql = f"SELECT count(*) AS n FROM (SELECT {keys} FROM {spec.name} GROUP BY ALL HAVING count(*) > 1)"
        found[spec.name] = int(query(store, sql)["n"][0])
    return found


@pytest.mark.slow
def test_simultaneous_ingests_all_land_without_duplicate_keys(store, tmp_path):
    files = []
    for i in range(2):  # the same rows under two sources: each file adds its own rows
        path = tmp_path / f"tips_{i}.csv"
        path.write_text(PLAIN.read_text().replace("test_tipline", f"tipline_{i}"))
        files.append(path)
    holder = _hold(store)  # both start while the store is held, so they really run at once
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "hotline_trends", "ingest", str(path), "--json"],
            env=_env(store),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in files
    ]
    for run in runs:
        assert "Another write to the store is under way" in run.stderr.readline()
    _release(holder)
    outputs = [run.communicate(timeout=DEADLOCK_GUARD) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    log = query(store, "SELECT ingest_id, file_name FROM ingests ORDER BY ingest_id")
    assert sorted(log["file_name"].tolist()[-2:]) == [p.name for p in files]
    assert log["ingest_id"].is_unique
    assert _duplicate_keys(store) == dict.fromkeys(SPECS, 0)
    sources = query(store, "SELECT DISTINCT source_id FROM observations WHERE dataset = 'tipline'")
    assert set(sources["source_id"]) >= {"tipline_0", "tipline_1"}


def test_a_writer_killed_before_it_publishes_changes_nothing(store, cli):
    before = snapshot(store)
    holder = _hold(store)  # it has written to its copy and asked for it to be published
    holder.send_signal(signal.SIGKILL)
    holder.communicate()
    assert list(store.root.glob(STAGE_PREFIX + "*"))  # its copy is left behind ...
    assert_unchanged(before, snapshot(store))  # ... and ignored by readers
    result = cli("ingest", PLAIN)
    assert result.code == 0 and "added 4" in result.out
    assert not list(store.root.glob(STAGE_PREFIX + "*"))  # the next writer cleared it
    assert not _held(store)


def test_reads_leave_the_store_file_untouched(store, cli):
    version = store.version()
    for args in (("datasets",), ("coverage",), ("ingests",), ("sources",), ("events",), ("query", "--region", "TX")):
        assert cli(*args).code == 0
    assert store.version() == version


@pytest.mark.parametrize("dry_run", [True, False])
def test_an_ingest_that_changes_nothing_publishes_nothing(store, cli, dry_run):
    assert cli("ingest", PLAIN).code == 0
    version = store.version()
    again = cli("ingest", PLAIN, *(["--dry-run"] if dry_run else []))
    assert again.code == 0 and "added 0" in again.out
    assert store.version() == version
