"""Commands that write the store: build, ingest, ingests (list, remove), sources (list, describe)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from hotline_trends.cli.output import emit, note, records, table_text
from hotline_trends.ingest import READERS, ReadOptions, read_tables
from hotline_trends.schema import SPECS
from hotline_trends.store import IngestReport, Store, ingest
from hotline_trends.store import read as store_read
from hotline_trends.store.build import build, stale_reason
from hotline_trends.store.describe import describe_source
from hotline_trends.store.remove import remove_ingest


def report_text(report: IngestReport) -> str:
    d = report.detected
    how = [f"{d.get('format', report.format)} ({report.table} table)"]
    if len(report.tables) > 1:
        how = [f"{d.get('format', report.format)} ({' and '.join(t['table'] for t in report.tables)})"]
    if d.get("sheet"):
        how.append(f"sheet {d['sheet']!r}")
    how += [str(d[k]) for k in ("encoding",) if d.get(k)]
    if d.get("delimiter"):
        how.append(f"{d['delimiter']}-separated")
    if d.get("line_ends"):
        how.append(f"{d['line_ends']} line ends")
    rows = f"{report.rows_read:,} row{'' if report.rows_read == 1 else 's'}"
    lines = [f"{report.file_name}: read as {', '.join(how)}; {rows}."]
    found = [f"{key.replace('_', ' ')}: {_short(d[key])}" for key in DETAILS if d.get(key) not in (None, [], "")]
    if found and not d.get("summary"):  # a reader's own summary says it better
        lines.append("  found " + "; ".join(found))
    if d.get("ignored_columns"):
        lines.append(f"  ignored columns: {', '.join(d['ignored_columns'])}")
    lines += [f"  {line}" for line in d.get("summary") or []]
    for table in report.tables:
        lines.append(
            f"  {table['table']}: {table['rows_read']:,} rows, added {table['added']:,}, revised {table['revised']:,}, "
            f"unchanged {table['unchanged']:,}"
        )
    if report.skipped:
        lines.append(f"  skipped {report.skipped} row(s) on purpose (each with its reason in --json)")
    for event in d.get("unresolved") or []:
        lines.append(
            f"  no state for event {event['event_id']!r} (LOCATION {event['location']!r}); assign one with: "
            f"hotline-trends events assign {event['event_id']} --state XX"
        )
    if report.duplicates_ignored:
        lines.append(f"  {report.duplicates_ignored} exact duplicate row(s) counted once")
    if report.source_id_used:
        lines.append(f"  source_id for every row: {report.source_id_used}")
    lines.append(
        f"  added {report.added:,}, revised {report.revised:,}, unchanged {report.unchanged:,}, "
        f"rejected {report.rejected:,}."
    )
    verb = "would register" if report.dry_run else "registered"
    for source_id in report.sources_registered:
        lines.append(
            f"  {verb} new source {source_id!r} (user-provided); describe it with: "
            f"hotline-trends sources describe {source_id} --publisher ... --location ..."
        )
    if report.dry_run:
        lines.append("  Dry run: nothing was written.")
    elif report.ingest_id is None:
        earlier = ", ".join(f"#{i}" for i in report.earlier_ingests_of_file)
        lines.append(
            "  Nothing changed" + (f": this file is already in the store (ingest {earlier})." if earlier else ".")
        )
    else:
        lines.append(f"  Saved as ingest #{report.ingest_id} in {report.seconds:.1f} s.")
    return "\n".join(lines)


# What a reader found that a person should see on one line (the rest is in --json).
DETAILS = ("years", "vintage", "vintage_from", "layout", "region", "tables_found", "records", "agencies", "events")


SHOWN_SKIPPED = 5


def _short(value: object) -> str:
    if isinstance(value, list) and len(value) > 6:
        return f"{value[0]}…{value[-1]} ({len(value)})"
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def read_options(args: argparse.Namespace) -> ReadOptions:
    """The reader options given on the command line."""
    return ReadOptions(
        table=args.table,
        sheet=args.sheet,
        dataset=args.dataset,
        metric=args.metric,
        year=args.year,
        region=args.region,
        vintage=args.vintage,
        expand_from=args.expand_from,
        expand_to=args.expand_to,
        timezone=args.timezone,
        date_column=args.date_column,
        category_column=args.category_column,
        categories=args.categories,
        start=args.start,
        end=args.end,
    )


def cmd_build(args: argparse.Namespace) -> int:
    store = Store.default()
    if args.if_stale:
        reason = stale_reason(store)
        if reason is None:
            emit(args.json, {"built": False, "store": str(store.db_path)}, f"store is up to date: {store.db_path}")
            return 0
        note(f"building the store: {reason}")
    reports = build(store, progress=None if args.json else note)
    payload = {"built": True, "store": str(store.db_path), "ingests": [r.to_dict() for r in reports]}
    if not args.json:
        for r in reports:
            note(
                f"  {r.file_name}: {r.rows_read:,} rows, added {r.added:,}, revised {r.revised:,}, unchanged {r.unchanged:,}"
            )
    emit(args.json, payload, f"store ready: {store.db_path}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    path = Path(args.path)
    tables = read_tables(path, fmt=args.format, options=read_options(args))
    if not args.json and path.exists() and path.stat().st_size > 50 << 20:
        note(f"reading {path.name} ({path.stat().st_size / 1e6:,.0f} MB); this can take a minute…")
    report = ingest(Store.default(), tables, source_id=args.source_id, dry_run=args.dry_run, on_wait=note)
    payload = report.to_dict()
    skipped = [(t.file_name, p) for t in tables for p in t.skipped]
    payload["skipped_rows"] = [{"line": p.line, "reason": p.message} for _, p in skipped]
    text = report_text(report)
    text += "".join(f"\n    {p.render(name)}" for name, p in skipped[:SHOWN_SKIPPED])
    if len(skipped) > SHOWN_SKIPPED:
        text += f"\n    ... and {len(skipped) - SHOWN_SKIPPED} more (see --json)"
    emit(args.json, payload, text)
    return 0


def cmd_ingests(args: argparse.Namespace) -> int:
    store = Store.default()
    if args.action == "remove":
        counts = remove_ingest(store, args.ingest_id, confirm=args.yes)
        changed = {k: v for k, v in counts.items() if v}
        text = f"removed ingest #{args.ingest_id}: " + (", ".join(f"{k} {v}" for k, v in changed.items()) or "no rows")
        emit(args.json, {"removed": args.ingest_id, **counts}, text)
        return 0
    log = store_read.ingests(store)
    shown = log[
        [
            "ingest_id",
            "status",
            "table_name",
            "file_name",
            "reader",
            "rows_read",
            "added",
            "revised",
            "unchanged",
            "finished_at",
        ]
    ]
    emit(args.json, records(log), table_text(shown, empty="no ingests yet; run: hotline-trends build"))
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    store = Store.default()
    if args.action == "describe":
        fields = {
            "publisher": args.publisher,
            "location": args.location,
            "title": args.title,
            "terms": args.terms,
            "caveat": args.caveat,
            "retrieved_via": args.retrieved_via,
        }
        report = describe_source(store, args.source_id, fields)
        text = f"source {args.source_id!r} described" + (
            f" (ingest #{report.ingest_id})" if report.ingest_id else " (no change)"
        )
        emit(args.json, report.to_dict(), text)
        return 0
    frame = store_read.sources(store)
    if args.user_provided:
        frame = frame[frame["user_provided"].fillna(False).astype(bool)]
    shown = frame[["source_id", "publisher", "title", "location", "terms", "observations", "events"]]
    emit(args.json, records(frame), table_text(shown, empty="no sources; run: hotline-trends build"))
    return 0


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it like 2024-01-31") from None


def _year(text: str) -> int:
    if not (text.isdigit() and 1900 <= int(text) <= 2100):
        raise argparse.ArgumentTypeError(f"{text!r} is not a year; write it like 2024")
    return int(text)


def add_read_options(p: argparse.ArgumentParser) -> None:
    """What a file may not say itself; each reader uses the options that apply to it."""
    g = p.add_argument_group("what the file does not say (used by the readers they apply to)")
    g.add_argument("--sheet", help="Excel: the sheet's name or number (default: the first sheet)")
    g.add_argument("--table", choices=list(SPECS), help="tidy files: which table the rows belong to")
    g.add_argument(
        "--dataset",
        help="wide tables, incident lists: the dataset of every row, e.g. my_tipline (incidents: police_incidents)",
    )
    g.add_argument("--metric", help="wide tables with one column per year: what the numbers count, e.g. tips")
    g.add_argument("--year", type=_year, help="hotline tables or wide tables whose year is in no heading or column")
    g.add_argument(
        "--region",
        help="hotline state pages that do not name their state, e.g. TX; incident lists: the agency (ori:CA03801) "
        "or place they cover (a known portal export names its agency itself)",
    )
    g.add_argument("--vintage", help="Census files: the estimates' vintage, e.g. 2024 (default: from the file)")
    g.add_argument(
        "--expand-from", type=_date, help="iCalendar: expand repeating events from this day (default 2007-01-01)"
    )
    g.add_argument("--expand-to", type=_date, help="iCalendar: ... to this day (default 2030-12-31)")
    g.add_argument("--timezone", help="iCalendar: zone for UTC times, e.g. America/Chicago (default: the calendar's)")
    g.add_argument("--date-column", help="incident lists: the column with each incident's date (or date and time)")
    g.add_argument("--category-column", help="incident lists: the column with each incident's category")
    g.add_argument(
        "--categories",
        help='incident lists: which categories to write, as what metric: "Prostitution=prostitution,Human '
        'Trafficking (A), Commercial Sex Acts=ht_commercial_sex" (default: every category, as a lowercase name)',
    )
    g.add_argument("--from", dest="start", type=_date, help="incident lists: first day (default: the file's first)")
    g.add_argument("--to", dest="end", type=_date, help="incident lists: last day (default: the file's last)")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "build",
        parents=[common],
        help="build or refresh the store from the bundled tables in data/",
        description="Ingest every bundled table in data/ into the store. Harmless to repeat: unchanged "
        "files change nothing and your own ingests are kept.",
    )
    p.add_argument(
        "--if-stale",
        action="store_true",
        help="only when the store is missing, its last build did not finish, or data/*.csv changed since",
    )
    p.set_defaults(func=cmd_build)

    formats = "; ".join(f"{r.name}: {r.description}" for r in READERS.values() if r.auto)
    p = sub.add_parser(
        "ingest",
        parents=[common],
        help="check a file and add its rows to the store (all or nothing)",
        description="Check every row of a file and add them in one transaction. One bad row rejects the "
        "whole file with its line and column, and nothing changes. Re-ingesting a file changes nothing; a "
        "new value for an existing row is kept as a revision.",
        epilog=f"Formats (detected in this order unless --format names one): {formats}; and <table>-csv to "
        "force a tidy table. Examples: ingest stats.html; ingest HT_2021.csv; ingest tips.xlsx --dataset "
        "my_tipline --metric tips; ingest city.ics --expand-from 2024-01-01 --expand-to 2026-12-31; ingest "
        'Police_Department_Incident_Reports.csv --categories "Prostitution=prostitution"; ingest TX-2022.zip.',
    )
    p.add_argument("path", help="the file to read")
    p.add_argument("--format", help="force a reader instead of detecting it (see the list below)")
    p.add_argument("--source-id", help="set the source of every row (registered as user-provided if new)")
    p.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
    add_read_options(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser(
        "ingests",
        parents=[common],
        help="list the ingest log, or remove one ingest",
        description="List every ingest (file, sha256, reader, rows added/revised/unchanged), or take one back.",
    )
    p.set_defaults(func=cmd_ingests, action="list")
    actions = p.add_subparsers(dest="action")
    r = actions.add_parser(
        "remove",
        parents=[common],
        help="delete what an ingest added and restore what it revised",
        description="Delete the rows an ingest added and restore the rows it revised. The log keeps the "
        "ingest, marked removed. Needs --yes.",
    )
    r.add_argument("ingest_id", type=int)
    r.add_argument("--yes", action="store_true", help="really do it")
    r.set_defaults(func=cmd_ingests, action="remove")

    p = sub.add_parser(
        "sources",
        parents=[common],
        help="list sources, or describe a user-provided one",
        description="Every source: publisher, title, where it came from, terms and how many rows cite it.",
    )
    p.add_argument("--user-provided", action="store_true", help="only sources registered from user files")
    p.set_defaults(func=cmd_sources, action="list")
    actions = p.add_subparsers(dest="action")
    d = actions.add_parser(
        "describe",
        parents=[common],
        help="say who published a source and where it came from",
        description="Give a source its publisher and location (and optionally title, terms, caveat). "
        "Written as a logged revision of the source row.",
    )
    d.add_argument("source_id")
    d.add_argument("--publisher", help="who produced the numbers")
    d.add_argument("--location", help="a URL or where the file came from")
    d.add_argument("--title")
    d.add_argument("--terms", help="licence or terms of use")
    d.add_argument("--caveat", help="what a reader must know about these numbers")
    d.add_argument("--retrieved-via", help="how the file was obtained")
    d.set_defaults(func=cmd_sources, action="describe", user_provided=False)
