"""Commands that answer questions about events: event, study, power."""

from __future__ import annotations

import argparse
import math

from hotline_trends.analysis import api, describe
from hotline_trends.analysis.eventplan import Settings
from hotline_trends.analysis.results import EventResult, StudyResult
from hotline_trends.analysis.verdict import VERDICTS, count, frequency_word, pct
from hotline_trends.cli.output import emit, note
from hotline_trends.cli.query_cmds import HELP_CAVEAT
from hotline_trends.errors import UserError
from hotline_trends.store import Store
from hotline_trends.store import read as store_read

VERDICT_HELP = (
    "Verdicts: spike / drop (more or fewer than the baseline allows, the event among the most unusual 5%% of "
    "the host's own other windows of its length, and its days at least half the periods tested); no "
    "detectable change (nothing found, and the interval rules out the effect looked for, +25%% over the days "
    "around the event); cannot tell (the data could not have shown it, e.g. a week inside a year, or the "
    "host's own windows differ as often); insufficient data (no test possible; the reason says why)."
)


def _frames(store: Store) -> dict:
    obs = store_read.observations(store)
    if obs.empty:
        raise UserError("the store is empty; run: hotline-trends build")
    return {
        "observations": obs,
        "agencies": store_read.table(store, "agencies"),
        "events": store_read.table(store, "events"),
        "population": store_read.table(store, "population"),
    }


def _region(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return "ori:" + text[4:].upper() if text.lower().startswith("ori:") else text.upper()


def _settings(args: argparse.Namespace, *, profile: int = 0) -> Settings:
    return Settings(effect=args.effect, seed=args.seed, profile=profile)


def cmd_event(args: argparse.Namespace) -> int:
    frames = _frames(Store.default())
    controls = tuple(_region(c) for c in args.controls.split(",") if c.strip()) if args.controls else None
    result = api.analyse(
        observations=frames["observations"], events=frames["events"], agencies=frames["agencies"],
        population=frames["population"] if args.rates else None, event_id=args.event_id, dataset=args.dataset,
        metric=args.metric, region=_region(args.region), level=args.level, controls=controls,
        days_before=args.days_before, days_after=args.days_after, settings=_settings(args),
    )  # fmt: skip
    emit(args.json, result.to_dict(), event_text(result))
    return 0


def cmd_study(args: argparse.Namespace) -> int:
    frames = _frames(Store.default())
    ids = [e for e in args.events.split(",") if e.strip()] if args.events is not None else None
    what = f"{len(ids)} listed events" if ids is not None else f"every instance of {args.type or args.name!r}"
    note(f"fitting {what} on {args.dataset} {args.metric} ...")
    result = api.study(
        observations=frames["observations"], events=frames["events"], agencies=frames["agencies"],
        population=frames["population"] if args.rates else None, name=args.name, event_type=args.type,
        event_ids=ids, dataset=args.dataset, metric=args.metric, level=args.level,
        days_before=args.days_before, days_after=args.days_after, settings=_settings(args, profile=args.profile),
    )  # fmt: skip
    payload = result.to_dict()
    if not args.details:
        payload.pop("details")
    emit(args.json, payload, study_text(result))
    return 0


def cmd_power(args: argparse.Namespace) -> int:
    frames = _frames(Store.default())
    result = api.detectability(
        observations=frames["observations"], agencies=frames["agencies"], region=_region(args.region),
        dataset=args.dataset, metric=args.metric, days=args.days, effect=args.effect,
    )  # fmt: skip
    lines = [result.reason]
    if result.mde is not None:
        lines.append(
            f"minimum detectable change of the period(s): {pct(result.mde)}; on the {result.days} days themselves: "
            f"{pct(result.mde_event_days)}"
        )
    lines += [f"model: {result.model['description']} ({result.model['dispersion']})" if result.model else ""]
    lines += [f"note: {c}" for c in result.caveats]
    emit(args.json, result.to_dict(), "\n".join(line for line in lines if line))
    return 0


def _days_alone(r: EventResult) -> str:
    """How large a rise the window's days alone would need to be detected."""
    days = r.window["days"]
    if r.mde_event_days is None or not math.isfinite(r.mde_event_days):
        return f"no rise confined to the window's {days} days could be detected"
    return (
        f"a rise confined to the window's {days} days would have to be at least +{pct(r.mde_event_days)} to be detected"
    )


def _host_kind(r: EventResult) -> str:
    if not (r.stand_in and r.stand_in.get("region")):
        return r.level
    asked = r.stand_in["asked"]
    return f"stand-in for {asked if asked.startswith('the ') else f'the {r.level} {asked}'}"


def event_text(r: EventResult) -> str:
    """A short human summary of one event's result."""
    ev = r.event
    lines = [
        f"{ev['name']} [{r.event_id}] {str(ev['start_date'])[:10]}..{str(ev['end_date'])[:10]}, "
        f"{ev.get('city') or ''} {ev.get('state') or ''}".rstrip(),
        f"series: {r.dataset} {r.metric}, {frequency_word(r.frequency) if r.frequency else '-'}; host {r.host} ({_host_kind(r)})",
        f"window: {r.window['start']}..{r.window['end']} ({r.window['days']} days)",
    ]
    if r.stand_in:  # the place analysed is not the venue's: said before the verdict
        lines.append(f"place analysed: {r.stand_in['reason']}")
    host = str(r.host or "")
    measures = (
        describe.dataset_caveats(r.dataset, r.metric, host) if describe.is_police(r.dataset, r.metric, host) else []
    )
    lines += [f"VERDICT: {r.verdict.upper()}", f"  {r.reason}"]
    lines += [f"  what the counts are: {c}" for c in measures]  # next to the verdict, not only among the notes
    if r.observed is not None:
        lines += [
            f"observed {count(r.observed)}, expected {count(r.expected)} "
            f"(95% interval {count(r.interval[0])}–{count(r.interval[1])}); ratio {r.ratio:.2f} "
            f"(95% CI {r.ratio_interval[0]:.2f}–{r.ratio_interval[1]:.2f}); p = {r.p_value:.3g}",
            f"smallest detectable change: {pct(r.mde)} of the period(s); {_days_alone(r)}",
        ]
    if r.did and r.did.get("ratio") is not None:  # an undefined DiD (a zero total) has no numbers
        low, high = r.did["interval"]
        lines.append(f"controls: {r.controls['rule']}; DiD {r.did['ratio']:.2f} (95% CI {low:.2f}–{high:.2f})")
    if r.placebo and r.placebo.get("rank"):
        lines.append(
            f"placebo: rank {r.placebo['rank']} of {r.placebo['n'] + 1}, empirical p = {r.placebo['p_value']:.3g}"
        )
    own = (r.placebo or {}).get("in_time") or {}
    if own.get("rank"):  # the ranking the verdict uses
        lines.append(
            f"the host's own {own['unit']}: the event is #{own['rank']} most unusual of {own['of']}, two-sided "
            f"empirical p = {own['p_value']:.3g}"
        )
    if r.place:
        lines.append(f"place: {r.place['rule']}")
    lines += [f"break: {b['title']}: {b['action']}" for b in r.breaks]
    shown = set(measures) | ({r.stand_in["reason"]} if r.stand_in else set())
    lines += [f"note: {c}" for c in r.caveats if c not in shown]
    lines.append(
        f"sources: {', '.join(r.sources[:8])}" + (f" and {len(r.sources) - 8} more" if len(r.sources) > 8 else "")
    )
    return "\n".join(lines)


def study_text(s: StudyResult) -> str:
    """Per-event verdicts, the pooled effect and the profile, for people."""
    lines = [f"{s.label} ({s.event_type}) on {s.dataset} {s.metric}: {len(s.events)} events", ""]
    for e in s.events:
        q = f" q={e.q_value:.3g}" if e.q_value is not None else ""
        ratio = f" ratio {e.ratio:.2f}" if e.ratio is not None else ""
        lines.append(f"  {e.event_id:<28} {e.host:<6} {e.verdict:<21}{ratio}{q}")
    p = s.pooled
    lines += ["", f"POOLED VERDICT: {s.verdict.upper()}", f"  {s.reason}"]
    if p.get("ratio") is not None:
        lines.append(
            f"pooled ratio {p['ratio']:.2f} (95% CI {p['ratio_interval'][0]:.2f}–{p['ratio_interval'][1]:.2f})"
        )
    if s.profile:
        lines.append("relative periods (pooled ratio, 95% CI, events):")
        for row in s.profile:
            if row.get("n_events"):
                low, high = row["ratio_interval"]
                lines.append(f"  t{row['offset']:+d}: {row['ratio']:.2f} ({low:.2f}–{high:.2f}), n={row['n_events']}")
    lines += [f"note: {c}" for c in s.caveats]
    return "\n".join(lines)


def _common_series(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dataset", default="nhth", help="dataset (default nhth); see: hotline-trends datasets")
    p.add_argument("--metric", default="cases", help="metric (default cases), e.g. calls, signals, actual_total")
    p.add_argument("--effect", type=float, default=0.25, help="the rise looked for over the window's days (0.25)")


def _window_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--level", choices=("state", "county", "city"), default="state",
                   help="host: the event's state, or (police data) its county or city agencies")  # fmt: skip
    p.add_argument("--days-before", type=int, default=3, help="days before the event in the window (3)")
    p.add_argument("--days-after", type=int, default=3, help="days after the event in the window (3)")
    p.add_argument("--rates", action="store_true", help="model per-100,000 rates (population offset; states only)")
    p.add_argument("--seed", type=int, default=0, help="seed for sampling placebos when there are many (0)")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser(
        "event",
        parents=[common],
        formatter_class=fmt,
        help="did an event change the counts? expected vs observed, controls, placebos, verdict",
        description="Compare an event's window with what the host's own history predicts (95% interval), with "
        "control regions (difference in differences), placebo dates and regions, and the smallest change the "
        "data could show.\n\n" + VERDICT_HELP.replace("%%", "%"),
        epilog="Examples:\n  hotline-trends event super-bowl-2013\n"
        "  hotline-trends event super-bowl-2013 --dataset fbi_ucr_ht --metric actual_total\n"
        "  hotline-trends event sxsw-2015 --dataset fbi_ucr_ht --metric actual_total --level city --json\n"
        "  hotline-trends event super-bowl-2026 --dataset police_incidents --metric prostitution --level city\n"
        "  hotline-trends event super-bowl-2026 --dataset police_incidents --metric prostitution --region ori:CA03801\n\n"
        + HELP_CAVEAT,
    )
    p.add_argument("event_id", help="an event id, e.g. super-bowl-2013 (list them: hotline-trends events)")
    _common_series(p)
    _window_args(p)
    p.add_argument(
        "--region",
        help="analyse this place instead of the event's state or city: USPS code or ori:<ORI> (e.g. ori:CA03801); "
        "without it, a city or county with no series gets a stand-in by the rule in README (Analysis), said in "
        "the result",
    )
    p.add_argument("--controls", help="comma-separated control regions (default: chosen automatically)")
    p.set_defaults(func=cmd_event)

    p = sub.add_parser(
        "study",
        parents=[common],
        formatter_class=fmt,
        help="every instance of an event type: per-event verdicts with q-values, pooled effect, profile",
        description="Analyse every instance of an event type, or the events you list (as `event` does), adjust "
        "the p-values for multiple testing (Benjamini-Hochberg q-values), pool the events into one effect with "
        "a 95% interval, and show the pooled ratio at relative periods t-k..t+k.\n\n"
        "An event's type is the event_type column of its file (CATEGORIES in a calendar) when it has one, "
        "else what comes before the year in its id (super-bowl-2013 -> super-bowl).\n\n"
        + VERDICT_HELP.replace("%%", "%"),
        epilog='Examples:\n  hotline-trends study --name "Super Bowl"\n'
        "  hotline-trends study --type marathon --dataset my_tipline --metric tips\n"
        "  hotline-trends study --events super-bowl-2013,super-bowl-2016,ncaa-final-four-2013\n"
        "  hotline-trends study --name sxsw --dataset fbi_ucr_ht --metric actual_total --json",
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--name", help="event type by name or id, matched loosely, e.g. 'Super Bowl' or super-bowl")
    which.add_argument("--type", help="event type id exactly, e.g. super-bowl or your own type 'marathon'")
    which.add_argument("--events", metavar="ID,ID,...", help="pool these events (comma-separated event ids)")
    _common_series(p)
    _window_args(p)
    p.add_argument("--profile", type=int, default=2, help="relative periods either side in the profile (2)")
    p.add_argument("--details", action="store_true", help="with --json: every event's full result too")
    p.set_defaults(func=cmd_study)

    p = sub.add_parser(
        "power",
        parents=[common],
        formatter_class=fmt,
        help="what could the data show? the smallest detectable change for an N-day event",
        description="The minimum detectable relative change (80%% power, two-sided alpha 0.05) for an event of "
        "N days on one series, for the next period(s) after the data, and the rise the N days themselves "
        "would need.".replace("%%", "%"),
        epilog="Examples:\n  hotline-trends power --region TX --days 7\n"
        "  hotline-trends power --region TX --dataset fbi_ucr_ht --metric actual_total --days 30 --json",
    )
    p.add_argument("--region", required=True, help="USPS code (TX) or ori:<ORI>")
    p.add_argument("--days", type=int, required=True, help="how many days the effect lasts, e.g. 7")
    _common_series(p)
    p.set_defaults(func=cmd_power)


__all__ = ["register", "VERDICTS"]
