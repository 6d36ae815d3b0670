"""The briefing as a list of blocks (headings, paragraphs, tables, lists, images, project prose), shared by
the Markdown and HTML renderers so both say exactly the same.

Every text in a block except ``prose`` is plain text (it may come from a user's file) and is escaped by the
renderer; ``prose`` is the project's own Markdown (the research notes) and is rendered as such.
"""

from __future__ import annotations

from datetime import date

from hotline_trends import __version__
from hotline_trends.analysis.brief import Briefing
from hotline_trends.analysis.brief_power import curve_sentence
from hotline_trends.analysis.brief_series import MEANINGS
from hotline_trends.analysis.verdict import pct

Block = tuple  # ("h1"|"h2"|"p"|"list"|"table"|"image"|"prose", ...)
CURVE_IMAGE = "power-curve"
PAST_IMAGE = "past-events"


def _pct(value) -> str:
    return "–" if value is None else "+" + pct(value)


def _plain(value) -> str:
    """Text of a cell; a missing value (None, NaN) is empty."""
    return "" if value is None or value != value else str(value)


def _chance(value) -> str:
    return "–" if value is None else f"{value:.0%}"


def citation(b: Briefing, *, version: str, today: date) -> str:
    return (
        f"Hotline Trends {__version__}, “Briefing: {b.event['name']} [{b.event['event_id']}]”, data version "
        f"{version[:12]}, exported {today.isoformat()}; sources as listed in the briefing."
    )


def blocks(b: Briefing, *, version: str, today: date, images: tuple[str, ...] = ()) -> list[Block]:
    """The briefing's blocks; ``images`` names the charts the caller has rendered (drawn where they belong)."""
    ev, w, host = b.event, b.window, b.host
    when = "upcoming: no stored series reaches its days yet" if b.upcoming else "past: the store has data around it"
    out: list[Block] = [
        ("h1", f"Briefing: {ev['name']}"),
        ("p", f"{ev['event_id']}, {ev['start_date']}..{ev['end_date']}, {ev.get('venue') or 'venue not given'}, "
              f"{host['city'] or 'city not given'} {host['state']} ({when}). Type: {b.type_label}. Window analysed: "
              f"{w['start']}..{w['end']} ({w['days']} days: {w['days_before']} before, {w['days_after']} after)."),
        ("h2", "The host and the series the store holds for it"),
    ]  # fmt: skip
    out += [("p", place["rule"]) for place in host.get("places", {}).values()]
    if b.series:
        out.append(("p", f"What each series could detect for a {w['days']}-day event: the smallest change of the "
                         "period(s) the event falls in (80% power, two-sided 0.05), the rise the event's days alone "
                         f"would need, and the chance of flagging +{b.curve[0]['effect']:.0%} over those days."))  # fmt: skip
        header = ["series", "place", "frequency", "first", "last", "values", "measures", "smallest change",
                  "on the days", "power", "source"]  # fmt: skip
        rows = [
            [f"{s['dataset']} {s['metric']}", s["place"], s["frequency"], s["first"], s["last"], str(s["values"]),
             s["measures"], _pct(s["mde"]), _pct(s["mde_event_days"]), _chance(s["power"]), ", ".join(s["sources"])]
            for s in b.series
        ]  # fmt: skip
        out.append(("table", header, rows))
        words = dict.fromkeys(s["measures"] for s in b.series)
        out.append(("list", [f"{w}: {MEANINGS.get(w, w)}" for w in words]))
        out.append(("list", [f"{s['dataset']} {s['metric']} ({s['place']}): {s['reason']}" for s in b.series]))
    else:
        out.append(("p", f"The store holds no series for {host['state'] or 'this host'}."))
    out += [("h2", "What data you could collect would show"), ("p", _curve_intro(b))]
    if CURVE_IMAGE in images:
        out.append(("image", CURVE_IMAGE, "Power to detect the rise by mean count a day and days of baseline"))
    out.append(("p", "For example: " + curve_sentence(example_row(b.curve)) + "."))
    out.append(curve_table(b.curve))
    out += [("h2", f"What past {b.type_label} events showed"), ("p", b.past_note)]
    if b.past is not None:
        s = b.past
        out.append(("p", f"Pooled verdict on {s.dataset} {s.metric}: {s.verdict.upper()}. {s.reason}"))
        if PAST_IMAGE in images:
            out.append(("image", PAST_IMAGE, "Each past event's observed / expected with its 95% interval"))
        rows = [[e.event_id, e.host, e.verdict, "–" if e.ratio is None else f"{e.ratio:.2f}", e.reason]
                for e in s.events]  # fmt: skip
        out.append(("table", ["event", "host", "verdict", "ratio", "why"], rows))
    out += [("h2", "What the research says"), ("prose", b.research or "(no research notes given)")]
    out.append(("h2", "Checklist: data to collect, from whom, in which layout"))
    rows = [[c["what"], c["from"], c["measures"], c["layout"], c["how"]] for c in b.checklist]
    out.append(("table", ["data", "from", "measures", "file layout", "how to bring it in"], rows))
    out += [("h2", "Caveats"), ("list", b.caveats), ("h2", "Sources")]
    rows = [[_plain(s[k]) for k in ("source_id", "publisher", "title", "location")] for s in b.sources]
    out.append(("table", ["source_id", "publisher", "title", "location"], rows) if rows else ("p", "none recorded"))
    out += [("h2", "Citation"), ("p", citation(b, version=version, today=today))]
    return out


def _curve_intro(b: Briefing) -> str:
    r = b.curve[0]
    return (
        f"Simulated daily counts (seeded; negative binomial, dispersion {r['dispersion']:g}: variance = mean + "
        f"{r['dispersion']:g} x mean squared, with a weekday pattern), fitted and tested as a stored daily series "
        f"is: the power to flag +{r['effect']:.0%} over {r['days']} days for each average count a day and length "
        "of baseline. More baseline and larger counts help; day-to-day spread caps what any count can show."
    )


def example_row(curve: list[dict]) -> dict:
    """The row a planner is likeliest to ask about: 10 a day after a year, else the middle row."""
    wanted = [r for r in curve if r["mean_per_day"] == 10 and r["baseline_days"] == 365]
    return wanted[0] if wanted else curve[len(curve) // 2]


def curve_table(curve: list[dict]) -> Block:
    """Average count a day (rows) x days of baseline (columns): power, and the smallest detectable rise."""
    baselines = sorted({r["baseline_days"] for r in curve})
    header = ["average a day"] + [f"after {d} days: power (smallest rise)" for d in baselines]
    rows = []
    for mean in sorted({r["mean_per_day"] for r in curve}):
        cells = {r["baseline_days"]: r for r in curve if r["mean_per_day"] == mean}
        rows.append([f"{mean:g}"] + [f"{_chance(cells[d]['power'])} ({_pct(cells[d]['mde'])})" for d in baselines])
    return ("table", header, rows)
