"""Commands that read the store: datasets, coverage, query, history, events."""

from __future__ import annotations

import argparse

from hotline_trends.cli.output import emit, records, table_text
from hotline_trends.coverage import coverage_matrix
from hotline_trends.store import Store
from hotline_trends.store import read as store_read

HELP_CAVEAT = (
    "Hotline counts measure help-seeking (who contacted the hotline), not how much trafficking occurs. "
    "2012-2016 state figures count calls; from 2017 the hotline counts signals."
)


def _region(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return "ori:" + text[4:].upper() if text.lower().startswith("ori:") else text.upper()


def cmd_datasets(args: argparse.Namespace) -> int:
    frame = store_read.datasets(Store.default())
    emit(args.json, records(frame), table_text(frame, empty="the store is empty; run: hotline-trends build"))
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    rows = store_read.coverage(Store.default(), dataset=args.dataset, metric=args.metric, agencies=args.agencies)
    if args.json:
        emit(True, records(rows), "")
        return 0
    if rows.empty:
        emit(False, [], "no values for that selection; list what exists with: hotline-trends datasets")
        return 0
    matrix = coverage_matrix(rows)
    legend = (
        "H/M/L = best reliability of the values (high, medium, low); lowercase = only part of the year "
        "(months or half-year); blank = no value."
    )
    emit(False, None, f"{matrix.to_string()}\n\n{legend}\n{HELP_CAVEAT}")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    frame = store_read.observations(
        Store.default(), region=_region(args.region), dataset=args.dataset, metric=args.metric
    )
    shown = frame[["dataset", "metric", "period_start", "period_end", "value", "source_id", "reliability", "note"]]
    empty = f"no values for region {args.region!r} with those filters; check the code with: hotline-trends coverage"
    emit(args.json, records(frame), table_text(shown, empty=empty))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    frame = store_read.history(
        Store.default(), region=_region(args.region), metric=args.metric, year=args.year, dataset=args.dataset
    )
    shown = frame[
        [
            "dataset",
            "period_start",
            "period_end",
            "value",
            "source_id",
            "status",
            "ingest_id",
            "file_name",
            "ingested_at",
        ]
    ]
    emit(args.json, records(frame), table_text(shown, empty="no values, current or past, match that selection"))
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    if args.action == "add":
        return _events_add(args)
    if args.action == "assign":
        from hotline_trends.store.assign import assign_event_state

        report = assign_event_state(Store.default(), args.event_id, state=args.state, city=args.city)
        text = f"event {args.event_id!r}: state set" + (
            f" (ingest #{report.ingest_id})" if report.ingest_id else " (no change)"
        )
        emit(args.json, report.to_dict(), text)
        return 0
    frame = store_read.events(Store.default(), name=args.name, year=args.year)
    if args.flagged:
        frame = frame[frame["flag"].notna() & (frame["flag"] != "")]
    columns = ["event_id", "name", "start_date", "end_date", "city", "state", "attendance", "source_id"]
    shown = frame[columns + (["location", "flag"] if args.flagged else [])]
    empty = "no flagged events" if args.flagged else "no events match; try a shorter --name"
    emit(args.json, records(frame), table_text(shown, empty=empty))
    return 0


def _events_add(args: argparse.Namespace) -> int:
    from hotline_trends.store.add_event import NewEvent, add_event

    fields = NewEvent(
        event_id=args.event_id, name=args.name, start_date=args.start, end_date=args.end or args.start,
        city=args.city, state=args.state, venue=args.venue, attendance=args.attendance, event_type=args.type,
        category=args.category, source=args.source,
    )  # fmt: skip
    report = add_event(Store.default(), fields, replace=args.replace, dry_run=args.dry_run)
    if args.dry_run:
        text = f"event {args.event_id!r} passes every check; dry run: nothing was written"
    elif report.ingest_id is None:
        text = f"event {args.event_id!r} is already in the store exactly like this; nothing changed"
    else:
        verb = "replaced" if report.revised else "added"
        text = (
            f"event {args.event_id!r} {verb} as ingest #{report.ingest_id} (source {report.detected['source_id']}); "
            f"take it back with: hotline-trends ingests remove {report.ingest_id} --yes"
        )
    emit(args.json, report.to_dict(), text)
    return 0


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year; write it like 2015") from None
    if not 1900 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"{year} is out of range; write a year like 2015")
    return year


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "datasets",
        parents=[common],
        help="what the store holds: datasets, metrics, years, places, sources",
        description="One row per dataset and metric: rows, places, agencies, years and period kinds.",
    )
    p.set_defaults(func=cmd_datasets)

    p = sub.add_parser(
        "coverage",
        parents=[common],
        help="region x year: which values exist, with their reliability",
        description="A region x year matrix of which values exist and how reliable the best of them is. "
        "Police agency rows are summed into their state unless --agencies.",
        epilog=HELP_CAVEAT,
    )
    p.add_argument("--dataset", help="e.g. nhth or fbi_ucr_ht")
    p.add_argument("--metric", help="e.g. cases, calls, signals, actual_total")
    p.add_argument("--agencies", action="store_true", help="one row per police agency instead of per state")
    p.set_defaults(func=cmd_coverage)

    p = sub.add_parser(
        "query",
        parents=[common],
        help="the values of one region, with period, source and reliability",
        description="Every current value for one region, with its period, source and reliability.",
        epilog="Example: hotline-trends query --region FL --dataset nhth --metric cases",
    )
    p.add_argument("--region", required=True, help="USPS code (FL), US, or ori:<ORI> for an agency")
    p.add_argument("--dataset")
    p.add_argument("--metric")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser(
        "history",
        parents=[common],
        help="every revision of a value: what it was, when, from which file",
        description="All versions of the matching values, current and replaced, with the ingest that wrote each.",
    )
    p.add_argument("--region", required=True)
    p.add_argument("--metric", required=True)
    p.add_argument("--year", type=_year)
    p.add_argument("--dataset")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser(
        "events",
        parents=[common],
        help="big events: dates, place, attendance, source",
        description="Big events with dates (inclusive), city, state, attendance and source.",
    )
    p.add_argument("--name", help="text in the name, id or city, e.g. 'super bowl'")
    p.add_argument("--year", type=_year)
    p.add_argument("--flagged", action="store_true", help="only events that need a person (e.g. no state found)")
    p.set_defaults(func=cmd_events, action="list")
    actions = p.add_subparsers(dest="action")
    a = actions.add_parser(
        "assign",
        parents=[common],
        help="give an event the state (and city) its calendar did not say",
        description="Set the state (and optionally the city) of an event, e.g. one read from a calendar whose "
        "LOCATION names no U.S. state, and clear its flag. Written as a logged revision: the old row stays in "
        "the history and `ingests remove` takes it back.",
        epilog="Example: hotline-trends events assign online-summit-2024-03-15 --state TX --city Austin",
    )
    a.add_argument("event_id")
    a.add_argument("--state", required=True, help="USPS code or name, e.g. TX or Texas")
    a.add_argument("--city")
    a.set_defaults(func=cmd_events, action="assign", name=None, year=None, flagged=False)

    a = actions.add_parser(
        "add",
        parents=[common],
        help="add an event of your own (e.g. an upcoming one), checked like an events file",
        description="Add one event with the same checks and messages as an events file (ISO dates, end not "
        "before start, a known state, attendance a whole number). It is logged as an ingest: `ingests "
        "remove N --yes` takes it back. An id already in the store is refused unless --replace (the old row "
        "then stays in the history). --type pools your events in `study --type`.",
        epilog="Example: hotline-trends events add city-marathon-2027 --name 'City Marathon 2027' "
        "--start 2027-04-18 --city Austin --state TX --type Marathon --source https://example.org/marathon",
    )
    a.add_argument("event_id", help="a short id without spaces, e.g. city-marathon-2027")
    a.add_argument("--name", required=True, help="the event's name")
    a.add_argument("--start", required=True, help="first day, ISO form: 2027-04-18")
    a.add_argument("--end", help="last day, inclusive (default: the first day)")
    a.add_argument("--city", default="")
    a.add_argument("--state", default="", help="USPS code or name, e.g. TX or Texas")
    a.add_argument("--venue", default="")
    a.add_argument("--attendance", default="", help="a head count a source states (leave out if none)")
    a.add_argument("--type", default="", help="your event type, e.g. Marathon (default: the id before the year)")
    a.add_argument("--category", default="", help="sports, festival, convention, holiday, ...")
    a.add_argument("--source", default="", help="a source id, or the URL where the event is announced")
    a.add_argument("--replace", action="store_true", help="replace an event with this id (a logged revision)")
    a.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    a.set_defaults(func=cmd_events, action="add", year=None, flagged=False)
