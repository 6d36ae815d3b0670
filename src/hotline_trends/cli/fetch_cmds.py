"""``fetch``: download public statistics when online and ingest them (the only command that uses the network)."""

from __future__ import annotations

import argparse
from pathlib import Path

from hotline_trends.cli.output import emit, note
from hotline_trends.cli.store_cmds import report_text
from hotline_trends.fetch.download import DEFAULT_DEADLINE, MAX_PAGE_BYTES
from hotline_trends.fetch.nhth import DEFAULT_BASE_URL, RAW_DIR, fetch_nhth
from hotline_trends.store import Store


def cmd_fetch(args: argparse.Namespace) -> int:
    report, pages = fetch_nhth(
        Store.default(),
        state_spec=args.states,
        base_url=args.base_url,
        raw_dir=Path(args.raw_dir),
        timeout=args.timeout,
        deadline=args.deadline,
        max_bytes=int(args.max_mb * 1_000_000),
        dry_run=args.dry_run,
        progress=None if args.json else note,
    )
    payload = report.to_dict()
    payload["raw_files"] = [{"url": p.url, "path": str(p.path), "sha256": p.sha256} for p in pages]
    folder = pages[0].path.parent if pages and pages[0].path else RAW_DIR
    text = report_text(report) + f"\n  raw pages ({len(pages)}) with their sha256 in {folder}"
    emit(args.json, payload, text)
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "fetch",
        parents=[common],
        help="download the hotline's statistics pages (online only) and ingest them",
        description="Download the hotline's national statistics page and the chosen state pages, keep each raw "
        "page under data/raw/<date>/ with its sha256, read them (hotline-table, hotline-page) and ingest "
        "everything in one transaction. A changed figure becomes a revision (the old value stays in history); "
        "unchanged pages change nothing. Offline, on an HTTP error, past the deadline, on a page over --max-mb "
        "or a redirect to another host or scheme, nothing is changed and one line says which.",
        epilog="Example: hotline-trends fetch nhth --states TX,FL",
    )
    p.add_argument("source", choices=["nhth"], help="what to fetch: nhth = National Human Trafficking Hotline pages")
    p.add_argument("--states", default="all", help="'all' (50 states + DC, the default) or codes/names: TX,FL")
    p.add_argument(
        "--base-url", default=DEFAULT_BASE_URL, help=f"the site to download from (default {DEFAULT_BASE_URL})"
    )
    p.add_argument("--raw-dir", default=str(RAW_DIR), help="where raw pages are kept (default data/raw)")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for any one read (default 20)")
    p.add_argument(
        "--deadline",
        type=float,
        default=DEFAULT_DEADLINE,
        help=f"seconds for the whole fetch, however the server answers (default {DEFAULT_DEADLINE:g})",
    )
    p.add_argument(
        "--max-mb",
        type=float,
        default=MAX_PAGE_BYTES / 1e6,
        help=f"largest page accepted, in MB (default {MAX_PAGE_BYTES / 1e6:g})",
    )
    p.add_argument("--dry-run", action="store_true", help="download and check, write nothing to the store")
    p.set_defaults(func=cmd_fetch)
