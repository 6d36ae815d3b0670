"""``fetch nhth``: download the hotline's national and state statistics pages and ingest them as a new vintage.

input → output: ``<base>/en/statistics`` (the "Signals and cases by State in <year>" table(s) and the
national sentences) and ``<base>/en/statistics/<state-name>`` per state → raw copies under
``data/raw/<date>/`` with their sha256, then one ingest of every page's rows. Each page is its own
source (``nhth_site_national``, ``nhth_site_tx``, ...), so a later fetch of a changed figure is a
revision of the same row (the old value stays in ``history``), and an unchanged page changes nothing.
All pages are downloaded before anything is written: offline or an HTTP error changes nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd

from hotline_trends.errors import UserError
from hotline_trends.fetch.download import DEFAULT_DEADLINE, MAX_PAGE_BYTES, Budget, Page, download, save_raw
from hotline_trends.ingest.base import LINE, Incoming, NotThisFormat
from hotline_trends.ingest.hotline_page import read_hotline_page
from hotline_trends.ingest.hotline_table import read_hotline_table
from hotline_trends.ingest.limits import reading
from hotline_trends.ingest.regions import lookup
from hotline_trends.paths import DATA_DIR, bundled_file
from hotline_trends.schema import SPECS
from hotline_trends.store import IngestReport, Store, ingest

DEFAULT_BASE_URL = "https://humantraffickinghotline.org"
RAW_DIR = DATA_DIR / "raw"
PUBLISHER = "National Human Trafficking Hotline (humantraffickinghotline.org)"
TERMS = (
    "Hotline statistics; the hotline asks that reproduced statistics say they come from limited criteria and "
    "are not a comprehensive report of human trafficking (see README)"
)
CAVEAT = (
    "As shown on the hotline's page when fetched; the hotline revises figures, and a later fetch keeps the "
    "earlier value in the history. Counts measure contacts with the hotline, not prevalence."
)


def states(spec: str) -> list[tuple[str, str]]:
    """``(code, name)`` for ``all`` (50 states + DC) or a list like ``TX,FL`` / ``texas,florida``.

    Raises:
        UserError: a name that is not a state.
    """
    with open(bundled_file("regions"), encoding="utf-8", newline="") as handle:
        known = {r["region"]: r["name"] for r in csv.DictReader(handle) if r["kind"] in ("state", "district")}
    if spec.strip().lower() == "all":
        return sorted(known.items())
    chosen = []
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        code = lookup(part)
        if code not in known:
            raise UserError(f"--states: {part!r} is not a U.S. state; write codes like TX,FL or 'all'")
        chosen.append((code, known[code]))
    return chosen


def slug(name: str) -> str:
    """'District of Columbia' -> 'district-of-columbia' (the hotline's state page names)."""
    return "-".join(name.lower().replace(".", "").split())


def _source_rows(pages: list[tuple[Page, str, str]]) -> Incoming:
    rows = [
        {
            "source_id": source_id,
            "publisher": PUBLISHER,
            "title": f"Hotline statistics page: {label}",
            "location": page.url,
            "retrieved_via": "downloaded with hotline-trends fetch nhth",
            "terms": TERMS,
            "caveat": CAVEAT,
            "sha256": page.sha256,
            "user_provided": "false",
        }
        for page, source_id, label in pages
    ]
    frame = pd.DataFrame(rows, columns=list(SPECS["sources"].names), dtype="str")
    frame[LINE] = range(1, len(rows) + 1)
    return Incoming("sources", "fetched pages", pages[0][0].sha256, "fetch", {"format": "fetch"}, frame=frame)


def _parsed(page: Page, source_id: str, region: str | None) -> list[Incoming]:
    """The page's rows (table and/or sentences), each marked with the page's source, rated high (official page)."""
    assert page.path is not None
    found = []
    readers: list[Callable[[], Incoming]] = [lambda: read_hotline_page(page.path, region=region)]
    if region is None:
        readers.insert(0, lambda: read_hotline_table(page.path))
    for read in readers:
        try:
            with reading(page.path.name):
                incoming = read()
        except NotThisFormat:
            continue
        incoming.frame = incoming.frame.assign(source_id=source_id, reliability="high")
        found.append(incoming)
    if not found:
        raise UserError(
            f"fetch: {page.url} has no statistics table or yearly sentences the readers know; the page may have "
            f"changed. Its raw copy is {page.path}; nothing was added"
        )
    return found


def fetch_nhth(
    store: Store,
    *,
    state_spec: str = "all",
    base_url: str = DEFAULT_BASE_URL,
    raw_dir: Path = RAW_DIR,
    timeout: float = 20.0,
    deadline: float = DEFAULT_DEADLINE,
    max_bytes: int = MAX_PAGE_BYTES,
    today: date | None = None,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> tuple[IngestReport, list[Page]]:
    """Download, keep raw copies, parse and ingest the national page and the chosen state pages.

    ``timeout`` bounds each read, ``deadline`` (seconds) the whole fetch, ``max_bytes`` each page.

    Raises:
        UserError: a download failed or hit a limit (nothing written), or a page could not be parsed (raw
            copies kept).
    """
    day = today or date.today()
    base = base_url.rstrip("/")
    wanted = [(f"{base}/en/statistics", "national", "nhth_site_national", "National", None)]
    wanted += [
        (f"{base}/en/statistics/{slug(name)}", slug(name), f"nhth_site_{code.lower()}", name, code)
        for code, name in states(state_spec)
    ]
    pages = []
    budget = Budget.start(deadline, max_bytes=max_bytes)
    for url, name, *_ in wanted:
        if progress:
            progress(f"downloading {url}")
        pages.append(Page(url=url, name=name, content=download(url, timeout=timeout, budget=budget)))
    saved = [save_raw(page, raw_dir, day=day) for page in pages]
    parts = [_source_rows([(p, w[2], w[3]) for p, w in zip(saved, wanted, strict=True)])]
    for page, (_, _, source_id, _, region) in zip(saved, wanted, strict=True):
        parts += _parsed(page, source_id, region)
    report = ingest(store, parts, dry_run=dry_run, label=f"fetch nhth {day.isoformat()} ({len(saved)} pages)")
    return report, saved
