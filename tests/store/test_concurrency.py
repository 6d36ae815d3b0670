"""A CLI ingest while another process (say, the dashboard) holds the store: it waits, says so, succeeds."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

from support import DATA

HOLD = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
    con.close()
    """
)


def _hold(store, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(store.db_path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "holding"
    return holder


def _cli(*args: str, env_store, timeout: str = "30") -> subprocess.CompletedProcess:
    env = {"HOTLINE_TRENDS_STORE": str(env_store.root), "HOTLINE_TRENDS_LOCK_TIMEOUT": timeout, "PATH": ""}
    return subprocess.run([sys.executable, "-m", "hotline_trends", *args], capture_output=True, text=True, env=env)


def test_an_ingest_waits_for_a_busy_store_then_succeeds(store):
    holder = _hold(store, 2.0)
    started = time.monotonic()
    result = _cli("ingest", str(DATA / "tidy" / "good" / "plain.csv"), env_store=store)
    holder.wait()
    assert result.returncode == 0, result.stderr
    assert "The store is in use by process" in result.stderr and "waiting up to 30 s" in result.stderr
    assert "added 4" in result.stdout
    assert time.monotonic() - started >= 1.0


def test_an_ingest_gives_up_with_a_clear_message_when_the_store_stays_busy(store):
    holder = _hold(store, 4.0)
    result = _cli("ingest", str(DATA / "tidy" / "good" / "plain.csv"), env_store=store, timeout="1")
    holder.kill()
    assert result.returncode == 3
    assert "is in use by process" in result.stderr and "stayed locked for 1 s" in result.stderr
    assert "Traceback" not in result.stderr
