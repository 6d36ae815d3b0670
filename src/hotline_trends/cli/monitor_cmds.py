"""``monitor``: watch a daily series day by day, with an expected band and an alarm rule for lasting rises."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from hotline_trends.cli.output import emit, records, table_text
from hotline_trends.errors import UserError
from hotline_trends.store import Store
from hotline_trends.store import read as store_read
from hotline_trends.store.daily import daily_index

if TYPE_CHECKING:
    from hotline_trends.analysis.monitor import MonitorResult, MonitorSettings

DESCRIPTION = """\
Compare every day from --from (default: the last 28 days) with its expected count and 95% band, and
raise an alarm when the days together show a lasting rise beyond what the series' own past allows.

Each day's expectation comes from earlier days only (weekday pattern, federal holidays, the level of the
last eight weeks, a week left out). The alarm adds up evidence over days (a negative-binomial CUSUM,
Hoehle & Paul 2008); one day can carry at most half of what an alarm needs, so a single burst (a sting)
is marked but never alarms alone. The alarm level is set so that the series' own past, replayed in
four-week blocks, alarms at most --false-alarms times a year. A day's result never changes when later
days arrive.
"""


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it like 2024-03-01") from None


def _region(text: str) -> str:
    text = text.strip()
    return "ori:" + text[4:].upper() if text.lower().startswith("ori:") else text.upper()


def _settings(args: argparse.Namespace) -> MonitorSettings:
    from hotline_trends.analysis.monitor import MonitorSettings

    if not 0 < args.rise <= 5:
        raise UserError(f"--rise {args.rise:g} is out of range; give a rise between 0 and 5 (0.5 = +50%)")
    if not 0 < args.false_alarms <= 12:
        raise UserError(
            f"--false-alarms {args.false_alarms:g} is out of range; give a number of alarms a year, 0 to 12"
        )
    return MonitorSettings(rise=args.rise, alarms_per_year=args.false_alarms)


def cmd_monitor(args: argparse.Namespace) -> int:
    # imported here: scipy and the holiday calendar would slow the start of every other command
    from hotline_trends.analysis.monitor import monitor
    from hotline_trends.analysis.monitor_series import monitor_series
    from hotline_trends.analysis.monitor_words import OWN
    from hotline_trends.ingest.daily_counts import read_daily_counts

    store = Store.default()
    if args.list:
        index = daily_index(store)
        emit(args.json, records(index), table_text(index, empty="the store holds no daily series"))
        return 0
    settings = _settings(args)
    if args.file:
        path = Path(args.file)
        if not path.is_file():
            raise UserError(f"{args.file}: no such file")
        daily = read_daily_counts(path.read_bytes(), path.name)
        result = monitor(daily, start=args.start, settings=settings, label=path.name, caveat=OWN)
    else:
        missing = [f"--{n}" for n in ("dataset", "metric", "region") if not getattr(args, n)]
        if missing:
            raise UserError(f"name the series with {', '.join(missing)} (list them: hotline-trends monitor --list)")
        region = _region(args.region)
        result = monitor_series(
            store_read.observations(store, dataset=args.dataset, metric=args.metric, region=region),
            index=daily_index(store), dataset=args.dataset, metric=args.metric, region=region,
            start=args.start, settings=settings,
        )  # fmt: skip
    emit(args.json, result.to_dict(), monitor_text(result))
    return 0


def _flag(row) -> str:
    if row.status != "ok":
        return row.status
    return ", ".join(word for word, on in (("ALARM", row.alarm), ("burst", row.burst)) if on)


def _band(row) -> str:
    return "" if np.isnan(row.lower) else f"{row.lower:.0f}-{row.upper:.0f}"


def days_table(result: MonitorResult) -> str:
    lines = [f"{'date':<10}  {'day':<3}  {'count':>5}  {'expected':>8}  {'95% band':>9}  {'evidence':>8}  flag"]
    for row in result.monitored.itertuples():
        count = "" if np.isnan(row.count) else f"{row.count:.0f}"
        expected = "" if np.isnan(row.expected) else f"{row.expected:.1f}"
        evidence = f"{row.evidence / row.threshold:.0%}" if row.status == "ok" else ""
        lines.append(
            f"{row.date:%Y-%m-%d}  {row.date:%a}  {count:>5}  {expected:>8}  {_band(row):>9}  {evidence:>8}  {_flag(row)}".rstrip()
        )
    return "\n".join(lines)


def monitor_text(result: MonitorResult) -> str:
    from hotline_trends.analysis.monitor_words import REFERENCES

    c = result.calibration
    c_share = result.settings.alarms_per_year * (1 - result.settings.jump_share)
    lines = [
        f"monitor: {result.label}, {result.start:%Y-%m-%d} to {result.end:%Y-%m-%d} ({len(result.monitored)} days)",
        f"SUMMARY: {result.summary}",
        f"alarm level {result.threshold:.2f}: the {c.replay_days} days before {result.start:%Y-%m-%d}, replayed, "
        f"alarm {c.achieved:.2f} times a year at it (at most {c_share:.2g}: its share of "
        f"{result.settings.alarms_per_year:g})",
        f"step rule level {result.step.get('level', float('nan')):.2f}: never reached by the past, "
        f"{result.step.get('achieved', float('nan')):.2f} alarms a year on simulated years (at most "
        f"{result.settings.alarms_per_year - c_share:.2g})",
        "evidence = the running sum as a share of the alarm level (100% = alarm)",
        "",
        days_table(result),
        "",
    ]
    lines += ["alarms:"] + [f"  {a['reason']}" for a in result.alarms] if result.alarms else ["alarms: none"]
    lines += [f"method: {result.method}", "references:"] + [f"  - {r}" for r in REFERENCES]
    lines += [f"note: {c}" for c in result.caveats]
    lines.append(f"sources: {', '.join(result.sources) or 'the file given (not stored)'}")
    return "\n".join(lines)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "monitor",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="watch a daily series: each day against its expected band, alarms for lasting rises",
        description=DESCRIPTION,
        epilog="Examples:\n  hotline-trends monitor --list\n"
        "  hotline-trends monitor --dataset police_incidents --metric prostitution --region ori:CA03801 "
        "--from 2026-02-01\n  hotline-trends monitor --file tipline.csv --json   (a date,count file; not stored)",
    )
    p.add_argument("--dataset", help="dataset of the daily series, e.g. police_incidents")
    p.add_argument("--metric", help="metric of the daily series, e.g. prostitution")
    p.add_argument("--region", help="region: USPS code (TX) or ori:<ORI> for a police agency")
    p.add_argument("--from", dest="start", type=_day, help="first day to monitor, YYYY-MM-DD (default: last 28 days)")
    p.add_argument("--file", help="monitor a plain date,count CSV instead (read, never stored)")
    p.add_argument("--list", action="store_true", help="list the daily series in the store and stop")
    p.add_argument("--rise", type=float, default=0.5, help="the lasting rise the alarm is tuned to (0.5 = +50%%)")
    p.add_argument(
        "--false-alarms", type=float, default=0.5, help="false alarms allowed per year on the series' own past (0.5)"
    )
    p.set_defaults(func=cmd_monitor)
