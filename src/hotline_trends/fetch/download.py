"""Download pages, then keep each raw file under ``<raw_dir>/<YYYY-MM-DD>/`` with a sha256 sidecar.

A raw file is never overwritten: the same bytes already saved that day are reused; different bytes
under a taken name get a ``-2``, ``-3`` ... suffix. ``sha256sum -c NAME.sha256`` checks a file.
"""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hotline_trends import __version__
from hotline_trends.errors import UserError

USER_AGENT = f"hotline-trends/{__version__} (fetch; https://github.com/)"


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


def download(url: str, *, timeout: float) -> bytes:
    """The body of ``url``.

    Raises:
        UserError: one line naming the URL and the reason (offline, timeout, HTTP status).
    """
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http/https only)
            return response.read()
    except urllib.error.HTTPError as exc:
        reason = f"HTTP {exc.code} {exc.reason}"
    except urllib.error.URLError as exc:
        reason = f"{exc.reason}"
    except TimeoutError:
        reason = f"no answer within {timeout:g} s"
    except (OSError, ValueError) as exc:
        reason = str(exc)
    raise UserError(
        f"fetch: could not download {url} ({reason}); nothing was changed. Check the connection or --base-url"
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
