"""A build that did not finish is never taken as up to date: the completion marker is written last."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from hotline_trends.ingest.tidy import read_tidy_csv
from hotline_trends.paths import REPO_ROOT, STORE_ENV, bundled_file
from hotline_trends.store import Store, ingest, writing
from hotline_trends.store.build import MARKER, stale_reason
from hotline_trends.store.read import query

OBSERVATIONS = 90951  # data/observations.csv


def _build(store: Store, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "hotline_trends", "build", *args],
        env={**os.environ, STORE_ENV: str(store.root)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _observations(store: Store) -> int:
    return int(query(store, "SELECT count(*) AS n FROM observations")["n"][0])


@pytest.mark.slow
def test_a_killed_build_is_built_again(tmp_path):
    store = Store(tmp_path / "store")
    run = _build(store)
    for line in run.stderr:  # kill it once it is on the last file: the other five are already in its copy
        if line.strip() == "reading observations.csv":
            break
    run.send_signal(signal.SIGKILL)
    run.communicate()  # also closes its pipes
    assert not store.exists()  # nothing was published
    assert stale_reason(store) == "there is no store yet"
    again = _build(store, "--if-stale", "--json")
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    assert json.loads(out)["built"] is True
    assert _observations(store) == OBSERVATIONS
    assert stale_reason(store) is None


def test_a_store_without_the_marker_is_stale(store, cli):
    """What an interrupted build of an older version left: sources only, no marker."""
    with writing(store) as draft:
        draft.con.execute("DELETE FROM meta WHERE key = ?", [MARKER])
        draft.keep()
    assert "records no finished build" in stale_reason(store)
    result = cli("build", "--if-stale", "--json")
    assert result.code == 0 and json.loads(result.out)["built"] is True
    assert "building the store: the store records no finished build" in result.err
    assert stale_reason(store) is None
    assert json.loads(cli("build", "--if-stale", "--json").out)["built"] is False


def test_a_half_built_store_of_an_older_version_is_rebuilt(empty_store, cli):
    ingest(empty_store, read_tidy_csv(bundled_file("sources"), table="sources"))
    assert _observations(empty_store) == 0
    result = cli("build", "--if-stale")
    assert result.code == 0 and "store ready" in result.out
    assert _observations(empty_store) == OBSERVATIONS


def test_changed_bundled_data_make_the_store_stale(store, monkeypatch, tmp_path):
    changed = tmp_path / "events.csv"
    changed.write_bytes(bundled_file("events").read_bytes() + b"\n")
    real = bundled_file
    monkeypatch.setattr("hotline_trends.store.build.bundled_file", lambda t: changed if t == "events" else real(t))
    assert stale_reason(store) == "data/*.csv changed since the last finished build"


@pytest.mark.slow
def test_make_store_rebuilds_a_store_that_records_no_finished_build(empty_store):
    venv = Path(sys.prefix)
    if not (venv / ".installed").exists():
        pytest.skip("not run from the Makefile's virtualenv")
    ingest(empty_store, read_tidy_csv(bundled_file("sources"), table="sources"))  # newer than data/*.csv
    env = {**os.environ, STORE_ENV: str(empty_store.root)}
    make = ["make", "--no-print-directory", "-s", "store", f"VENV={venv}"]
    first = subprocess.run(make, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    assert "store ready" in first.stdout and _observations(empty_store) == OBSERVATIONS
    second = subprocess.run(make, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert "store is up to date" in second.stdout
