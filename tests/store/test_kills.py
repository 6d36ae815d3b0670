"""A real ingest killed (SIGKILL) at a random moment of its write leaves the store as it was or as the
finished ingest leaves it, never between; the same file then goes in. ``bench/reliability.py`` does this
many more times, for builds and removals too."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from bigfile import write_busy_csv
from support import snapshot

from hotline_trends.paths import STORE_ENV
from hotline_trends.store.connection import STAGE_PREFIX

ROWS = 50_000


def _ingest(store, path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "hotline_trends", "ingest", str(path)],
        env={**os.environ, STORE_ENV: str(store.root)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _same(a: dict, b: dict) -> bool:
    """Equal content: every version of every row, and the log without its clock times."""
    clock = ["started_at", "finished_at", "removed_at"]
    return all(
        a[name]
        .drop(columns=clock if name == "ingests" else [])
        .equals(b[name].drop(columns=clock if name == "ingests" else []))
        for name in a
    )


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_an_ingest_killed_mid_write_leaves_the_store_whole(store, cli, tmp_path, seed):
    big = tmp_path / "big.csv"
    write_busy_csv(big, rows=ROWS, seed=seed)
    before = snapshot(store)
    run = _ingest(store, big)
    while not list(store.root.glob(STAGE_PREFIX + "*")) and run.poll() is None:
        time.sleep(0.005)
    time.sleep(random.Random(seed).uniform(0.0, 1.0))
    run.send_signal(signal.SIGKILL)
    run.communicate()  # also closes its pipes
    killed = snapshot(store)
    again = cli("ingest", big)
    assert again.code == 0, again.err
    after = snapshot(store)
    assert _same(killed, before) or _same(killed, after)
    assert len(after["ingests"]) == len(before["ingests"]) + 1
    assert not list(store.root.glob(STAGE_PREFIX + "*"))
