"""``brief EVENT_ID``: the planner's briefing for one event, as text, JSON or one Markdown/HTML file."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from hotline_trends.analysis.brief import briefing
from hotline_trends.analysis.inputs import event_row
from hotline_trends.cli.output import emit, note
from hotline_trends.errors import UserError
from hotline_trends.exports.bundle import data_version
from hotline_trends.pages.methods_text import RESEARCH
from hotline_trends.store import Store
from hotline_trends.store import read as store_read


def _format(path: str) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    fmt = {"md": "md", "markdown": "md", "html": "html", "htm": "html"}.get(suffix)
    if fmt is None:
        raise UserError(f"--out {path}: name a .md or .html file (the format follows the extension)")
    return fmt


def cmd_brief(args: argparse.Namespace) -> int:
    from hotline_trends.exports import brief_export  # plotly and kaleido: loaded only by this command

    fmt = _format(args.out) if args.out else None  # a wrong name fails before any work
    store = Store.default()
    observations = store_read.observations(store)
    if observations.empty:
        raise UserError("the store is empty; run: hotline-trends build")
    sources, events = store_read.table(store, "sources"), store_read.table(store, "events")
    event_row(events, args.event_id)  # an unknown id: one line, before any progress is printed
    note(f"briefing {args.event_id}: series, power, past events on {args.dataset} {args.metric} ...")
    result = briefing(
        observations=observations, events=events,
        agencies=store_read.table(store, "agencies"), sources=sources, event_id=args.event_id, research=RESEARCH,
        study_dataset=args.dataset, study_metric=args.metric, days_before=args.days_before,
        days_after=args.days_after, effect=args.effect, seed=args.seed,
    )  # fmt: skip
    version, today = data_version(store_read.ingests(store)), date.today()
    if fmt is not None:
        note("rendering the charts (chromium) ...")
        document = brief_export.export(result, fmt=fmt, sources=sources, version=version, today=today)
        Path(args.out).write_text(document, encoding="utf-8")
        emit(args.json, {"out": args.out, "format": fmt, "bytes": len(document.encode())}, f"wrote {args.out}")
        return 0
    emit(args.json, result.to_dict(), brief_export.text(result, version=version, today=today))
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "brief",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="a planner's briefing for an event, upcoming or past: series, what they could detect, past events",
        description="Everything a planner needs before an event: the host and every series the store holds for "
        "it (frequency, dates, source, what it measures), what each could detect for an event this long "
        "(80% power), what a daily tip line could detect after a baseline (seeded simulation), what past "
        "events of the type showed (pooled study), the research with citations, and a checklist of data to "
        "collect with the file layout each is ingested in.",
        epilog="Examples:\n  hotline-trends brief super-bowl-2027\n"
        "  hotline-trends brief super-bowl-2027 --out briefing.html\n"
        "  hotline-trends brief ncaa-final-four-2027 --json",
    )
    p.add_argument("event_id", help="an event id, e.g. super-bowl-2027 (list them: hotline-trends events --name super)")
    p.add_argument("--out", metavar="FILE", help="write one self-contained FILE.md or FILE.html (charts as images)")
    p.add_argument("--dataset", default="nhth", help="series for the past events' study (default nhth)")
    p.add_argument("--metric", default="cases", help="metric for the past events' study (default cases)")
    p.add_argument("--effect", type=float, default=0.25, help="the rise looked for over the window's days (0.25)")
    p.add_argument("--days-before", type=int, default=3, help="days before the event in the window (3)")
    p.add_argument("--days-after", type=int, default=3, help="days after the event in the window (3)")
    p.add_argument("--seed", type=int, default=0, help="seed of the simulated tip-line counts (0)")
    p.set_defaults(func=cmd_brief)
