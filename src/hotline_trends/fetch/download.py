"""Download pages, then keep each raw file under ``<raw_dir>/<YYYY-MM-DD>/`` with a sha256 sidecar.

Every download is bounded: a per-read timeout, a deadline for the whole fetch (enforced by shutting the
connection, so a server that drips a byte at a time is cut off too), a page-size cap, and redirects
followed only to the same scheme, host and port. Hitting a limit is one line naming it; nothing is saved.

A raw file is never overwritten: the same bytes already saved that day are reused; different bytes
under a taken name get a ``-2``, ``-3`` ... suffix. ``sha256sum -c NAME.sha256`` checks a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from hotline_trends import __version__
from hotline_trends.errors import UserError
from hotline_trends.ingest.limits import size_text

USER_AGENT = f"hotline-trends/{__version__} (fetch; https://github.com/)"
MAX_PAGE_BYTES = 20_000_000  # a statistics page is well under 1 MB
DEFAULT_DEADLINE = 300.0  # seconds for a whole fetch (the national page and 51 state pages take about a minute)


@dataclass(frozen=True)
class Page:
    """One downloaded page: where it came from, its bytes, and where its raw copy was saved."""

    url: str
    name: str  # file name stem, e.g. 'texas'
    content: bytes
    path: Path | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class Budget:
    """How long a whole fetch may take, from its start (``Budget.start(300)``), and how big a page may be."""

    seconds: float
    until: float  # time.monotonic() deadline
    max_bytes: int = MAX_PAGE_BYTES

    @classmethod
    def start(cls, seconds: float, *, max_bytes: int = MAX_PAGE_BYTES) -> Budget:
        return cls(seconds, time.monotonic() + seconds, max_bytes)

    def remaining(self) -> float:
        return self.until - time.monotonic()


class _Watchdog:
    """Shuts the sockets of one download when the deadline passes: a server dripping a byte at a time is
    answering every read, so a per-read timeout alone never ends it."""

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.fired:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        self._timer.cancel()


def _watched(base: type[http.client.HTTPConnection], watchdog: _Watchdog):
    class Watched(base):  # type: ignore[valid-type,misc]
        def connect(self) -> None:
            super().connect()
            watchdog.watch(self.sock)

    return Watched


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, watchdog: _Watchdog) -> None:
        super().__init__()
        self._connection = _watched(http.client.HTTPConnection, watchdog)

    def http_open(self, req):
        return self.do_open(self._connection, req)


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: _Watchdog) -> None:
        super().__init__()
        self._connection = _watched(http.client.HTTPSConnection, watchdog)

    def https_open(self, req):
        return self.do_open(self._connection, req, context=self._context)


class _Refused(Exception):
    """A limit of the download was reached; the message says which."""


class _SameSite(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to the scheme, host and port that were asked for (at most 5 in a row)."""

    max_redirections = 5

    def __init__(self, url: str) -> None:
        super().__init__()
        self._origin = _origin(url)

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("Location") or headers.get("URI")
        if location:
            target = urljoin(req.full_url, location)
            if _origin(target) != self._origin:
                raise _Refused(
                    f"it redirects to {target}, another scheme or host than asked; not followed. Use --base-url "
                    "with the address the site itself uses"
                )
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, parts.hostname, parts.port or {"http": 80, "https": 443}.get(scheme)


def download(url: str, *, timeout: float, budget: Budget | None = None) -> bytes:
    """The body of ``url``, within a per-read ``timeout``, the fetch's deadline and its page-size cap.

    Redirects are followed only to the same scheme, host and port.

    Raises:
        UserError: one line naming the URL and the reason (offline, a limit reached, HTTP status).
    """
    budget = budget or Budget.start(DEFAULT_DEADLINE)
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise UserError(f"fetch: {url} is not an http(s) address; nothing was changed. Check --base-url")
    watchdog = _Watchdog(budget.remaining())
    opener = urllib.request.build_opener(_HTTP(watchdog), _HTTPS(watchdog), _SameSite(url))
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    hint = ""
    try:
        return _body(opener, request, timeout=timeout, budget=budget, watchdog=watchdog)
    except _Refused as exc:
        reason = str(exc)
    except urllib.error.HTTPError as exc:
        reason = f"HTTP {exc.code} {exc.reason}"
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        if watchdog.fired or budget.remaining() <= 0:
            reason = _late(budget)
        elif isinstance(getattr(exc, "reason", exc), TimeoutError) or isinstance(exc, TimeoutError):
            reason = f"no answer within {timeout:g} s (--timeout)"
        else:
            reason, hint = str(getattr(exc, "reason", exc)), ". Check the connection or --base-url"
    finally:
        watchdog.stop()
    raise UserError(f"fetch: could not download {url} ({reason}); nothing was changed{hint}")


def _body(opener, request, *, timeout: float, budget: Budget, watchdog: _Watchdog) -> bytes:
    if budget.remaining() <= 0:
        raise _Refused(_late(budget))
    with opener.open(request, timeout=timeout) as response:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > budget.max_bytes:
            raise _Refused(_too_big(budget, f": the server announces {size_text(int(declared))}"))
        chunks, size = [], 0
        while block := response.read1(1 << 16):
            size += len(block)
            if size > budget.max_bytes:
                raise _Refused(_too_big(budget, f", {size_text(size)} so far"))
            chunks.append(block)
        if watchdog.fired:  # the sockets were shut: what arrived is not the whole page
            raise _Refused(_late(budget))
    return b"".join(chunks)


def _late(budget: Budget) -> str:
    return (
        f"stopped at the fetch's deadline of {budget.seconds:g} s (--deadline); the server sent the page too slowly "
        "or not at all"
    )


def _too_big(budget: Budget, how_big: str) -> str:
    return (
        f"stopped: the page is over {size_text(budget.max_bytes)} (--max-mb){how_big}; a statistics page is well "
        "under 1 MB, so this is not the page that was meant"
    )


def save_raw(page: Page, raw_dir: Path, *, day: date, suffix: str = ".html") -> Page:
    """Keep the page's bytes under ``raw_dir/<day>/`` (never overwriting) with a ``.sha256`` sidecar."""
    folder = raw_dir / day.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    n = 1
    while True:
        path = folder / f"{page.name}{'' if n == 1 else f'-{n}'}{suffix}"
        if not path.exists():
            path.write_bytes(page.content)
            path.with_name(path.name + ".sha256").write_text(f"{page.sha256}  {path.name}\n", encoding="utf-8")
            break
        if hashlib.sha256(path.read_bytes()).hexdigest() == page.sha256:
            break  # the same bytes were already saved today
        n += 1
    return Page(url=page.url, name=page.name, content=page.content, path=path)
