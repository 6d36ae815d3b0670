"""``fetch nhth`` against a local server serving pages written for the tests; offline fails cleanly."""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
import socket
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from support import DATA, assert_unchanged, snapshot

from hotline_trends.fetch.nhth import PUBLISHER
from hotline_trends.store.read import history, query


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local HTTP server (127.0.0.1, a free port) serving a private copy of tests/data/fetch/site."""
    root = tmp_path / "site"
    shutil.copytree(DATA / "fetch" / "site", root)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


def _fetch(cli, base: str, raw: Path, *extra: str):
    return cli("fetch", "nhth", "--states", "TX,FL", "--base-url", base, "--raw-dir", raw, *extra)


def test_fetch_saves_raw_pages_with_sha256_and_ingests_them(store, cli, site, tmp_path):
    base, _ = site
    raw = tmp_path / "raw"
    result = _fetch(cli, base, raw, "--json")
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    assert [t["table"] for t in payload["tables"]] == ["sources", "observations"]
    saved = sorted(Path(f["path"]).name for f in payload["raw_files"])
    assert saved == ["florida.html", "national.html", "texas.html"]
    for entry in payload["raw_files"]:
        path = Path(entry["path"])
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest == entry["sha256"]
        assert path.with_name(path.name + ".sha256").read_text() == f"{digest}  {path.name}\n"
    rows = query(
        store,
        "SELECT region, metric, value, source_id, reliability FROM observations WHERE source_id LIKE 'nhth_site_%' "
        "ORDER BY source_id, region, metric",
    ).values.tolist()
    assert rows == [
        ["FL", "cases", 832, "nhth_site_fl", "high"],
        ["FL", "signals", 2007, "nhth_site_fl", "high"],
        ["FL", "victims", 1500, "nhth_site_fl", "high"],
        ["FL", "cases", 832, "nhth_site_national", "high"],
        ["FL", "signals", 2007, "nhth_site_national", "high"],
        ["TX", "cases", 1360, "nhth_site_national", "high"],
        ["TX", "signals", 2418, "nhth_site_national", "high"],
        ["US", "cases", 11000, "nhth_site_national", "high"],
        ["US", "signals", 30000, "nhth_site_national", "high"],
        ["TX", "cases", 1360, "nhth_site_tx", "high"],
        ["TX", "signals", 2418, "nhth_site_tx", "high"],
    ]
    source = query(store, "SELECT publisher, location, user_provided FROM sources WHERE source_id = 'nhth_site_tx'")
    assert source.values.tolist() == [[PUBLISHER, f"{base}/en/statistics/texas", False]]


def test_a_second_fetch_changes_nothing_and_a_changed_page_is_a_revision(store, cli, site, tmp_path):
    base, root = site
    raw = tmp_path / "raw"
    first = json.loads(_fetch(cli, base, raw, "--json").out)
    again = json.loads(_fetch(cli, base, raw, "--json").out)
    assert (again["added"], again["revised"], again["ingest_id"]) == (0, 0, None)
    page = root / "en" / "statistics" / "texas" / "index.html"
    page.write_text(page.read_text().replace("1,360 cases", "1,361 cases"))
    revised = json.loads(_fetch(cli, base, raw, "--json").out)
    assert revised["revised"] == 2  # the TX page's source row (new sha256) and its cases value
    result = history(store, region="TX", metric="cases", year=2024)
    result = result[result["source_id"] == "nhth_site_tx"]
    assert sorted(zip(result["value"], result["status"], strict=True)) == [(1360, "replaced"), (1361, "current")]
    day = Path(first["raw_files"][0]["path"]).parent
    assert sorted(p.name for p in day.glob("texas*.html")) == ["texas-2.html", "texas.html"]  # nothing overwritten


def test_offline_is_one_line_exit_2_and_nothing_changes(store, cli, tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    before = snapshot(store)
    raw = tmp_path / "raw"
    result = _fetch(cli, f"http://127.0.0.1:{port}", raw)
    assert result.code == 2
    errors = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "could not download" in errors[0] and "nothing was changed" in errors[0]
    assert "Traceback" not in result.err
    assert not raw.exists()
    assert_unchanged(before, snapshot(store))


def test_an_http_error_changes_nothing(store, cli, site, tmp_path):
    base, root = site
    shutil.rmtree(root / "en" / "statistics" / "florida")
    before = snapshot(store)
    result = _fetch(cli, base, tmp_path / "raw")
    assert result.code == 2 and "HTTP 404" in result.err
    assert_unchanged(before, snapshot(store))


def test_unknown_states_are_refused(store, cli):
    result = cli("fetch", "nhth", "--states", "TX,Narnia")
    assert result.code == 2 and "'Narnia' is not a U.S. state" in result.err
