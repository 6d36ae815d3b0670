"""``fetch`` is bounded: a page-size cap, a deadline for the whole fetch, redirects only to the same site.

A local server (127.0.0.1, a free port) plays the hostile sites: an endless page, a page that drips a byte
at a time, one that drips its headers, redirects elsewhere. Every loop it runs is bounded in count and
time and stops by itself. Each limit is one line naming it, with nothing saved and the store unchanged.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from support import DATA, assert_unchanged, snapshot

SITE = DATA / "fetch" / "site"
DRIP_SECONDS = 0.05
DRIP_AT_MOST = 400  # 20 s of dripping at most, whatever the client does


class _Hostile(BaseHTTPRequestHandler):
    """``/<behaviour>/en/statistics...``: how the page is served depends on the first path part."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        kind = self.path.strip("/").split("/")[0]
        port = self.server.server_address[1]
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up, as it should
            getattr(self, f"_{kind.replace('-', '_')}")(port)

    def _page(self) -> bytes:
        parts = self.path.strip("/").split("/")[1:]
        path = SITE.joinpath(*parts)
        return (path / "index.html" if path.is_dir() else path).read_bytes()

    def _endless(self, port: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        block = b"<p>" + b"x" * 65_536 + b"</p>\n"
        for _ in range(2_000):  # 130 MB at most
            self.wfile.write(block)

    def _declared(self, port: int) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(10**9))
        self.end_headers()
        self.wfile.write(b"<html>")

    def _drip(self, port: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        for byte in (self._page() * 10)[:DRIP_AT_MOST]:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(DRIP_SECONDS)

    def _drip_headers(self, port: int) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"y" * DRIP_AT_MOST:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(DRIP_SECONDS)

    def _other_host(self, port: int) -> None:
        self._redirect(f"http://localhost:{port}/plain/en/statistics")

    def _other_scheme(self, port: int) -> None:
        self._redirect("file:///etc/passwd")

    def _https(self, port: int) -> None:
        self._redirect(f"https://127.0.0.1:{port}/plain/en/statistics")

    def _same_site(self, port: int) -> None:
        self._redirect(self.path.replace("/same-site/", "/plain/", 1))

    def _plain(self, port: int) -> None:
        body = self._page()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def hostile_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# behaviour, extra options, a phrase of the one-line error
LIMITS = [
    ("endless", ("--max-mb", "1"), "the page is over 1.0 MB (--max-mb)"),
    ("declared", (), "the page is over 20 MB (--max-mb): the server announces 1.0 GB"),
    ("drip", ("--deadline", "1", "--timeout", "10"), "stopped at the fetch's deadline of 1 s (--deadline)"),
    ("drip-headers", ("--deadline", "1", "--timeout", "10"), "stopped at the fetch's deadline of 1 s (--deadline)"),
    ("other-host", (), "redirects to http://localhost:"),
    ("other-scheme", (), "redirects to file:///etc/passwd, another scheme or host than asked; not followed"),
    ("https", (), "another scheme or host than asked"),
]


@pytest.mark.parametrize(("kind", "options", "phrase"), LIMITS, ids=[c[0] for c in LIMITS])
def test_a_fetch_that_hits_a_limit_says_which_in_one_line_and_changes_nothing(
    store, cli, hostile_site, tmp_path, kind, options, phrase
):
    before = snapshot(store)
    raw = tmp_path / "raw"
    result = cli("fetch", "nhth", "--states", "TX", "--base-url", f"{hostile_site}/{kind}", "--raw-dir", raw, *options)
    assert result.code == 2
    errors = [line for line in result.err.splitlines() if not line.startswith("downloading ")]
    assert len(errors) == 1 and errors[0].startswith("error: fetch: could not download"), result.err
    assert phrase in errors[0] and "nothing was changed" in errors[0]
    assert "Traceback" not in result.err
    assert not raw.exists()
    assert_unchanged(before, snapshot(store))


def test_a_redirect_within_the_same_site_is_followed(store, cli, hostile_site, tmp_path):
    result = cli("fetch", "nhth", "--states", "TX", "--base-url", f"{hostile_site}/same-site", "--raw-dir", tmp_path)
    assert result.code == 0, result.err
    assert sorted(p.name for p in tmp_path.rglob("*.html")) == ["national.html", "texas.html"]


def test_a_base_url_that_is_not_http_is_refused(store, cli, tmp_path):
    result = cli("fetch", "nhth", "--states", "TX", "--base-url", f"file://{SITE}", "--raw-dir", tmp_path / "raw")
    assert result.code == 2 and "is not an http(s) address" in result.err
