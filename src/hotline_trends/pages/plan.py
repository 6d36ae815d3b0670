"""Plan: the planner's briefing for one event, upcoming or past (``brief`` in the CLI), with its exports."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from hotline_trends.analysis.brief import Briefing, briefing
from hotline_trends.analysis.brief_power import curve_sentence
from hotline_trends.charts.brief_chart import power_curve_chart
from hotline_trends.charts.study import events_chart
from hotline_trends.errors import UserError
from hotline_trends.exports import brief_export
from hotline_trends.exports.brief_doc import curve_table, example_row
from hotline_trends.pages.common import (
    cached_per_version,
    loaded,
    page_header,
    require_store,
    select_param,
    sources_table,
)
from hotline_trends.pages.exporting import current_data_version, png_problem, show_chart, suppression
from hotline_trends.pages.methods_text import RESEARCH
from hotline_trends.pages.series_choice import series_options, show_user_error
from hotline_trends.safe_text import inert

HELP = (
    "For an event you are planning for (or one that has passed): the series the store holds for the host and "
    "what each could detect for an event this long, what a daily tip line could detect, what past events of "
    "the type showed, what the research says, and what to collect, with one file to take away."
)
DEFAULT_EVENT = "super-bowl-2027"
SERIES_COLUMNS = ["dataset", "metric", "place", "frequency", "first", "last", "mde", "mde_event_days", "power",
                  "measures", "values", "reason"]  # fmt: skip


@cached_per_version
def _events() -> dict[str, str]:
    """event_id -> 'name (start, city state)', soonest first."""
    ev = loaded("table", name="events").sort_values(["start_date", "event_id"])
    return {
        e: f"{n} ({pd.Timestamp(d).date()}, {c if pd.notna(c) else '?'} {s if pd.notna(s) else ''})".strip()
        for e, n, d, c, s in zip(ev["event_id"], ev["name"], ev["start_date"], ev["city"], ev["state"], strict=True)
    }


@cached_per_version
def _briefing(*, event_id: str, dataset: str, metric: str) -> Briefing | str:
    try:
        return briefing(
            observations=loaded("observations"), events=loaded("table", name="events"),
            agencies=loaded("table", name="agencies"), sources=loaded("sources"), event_id=event_id,
            research=RESEARCH, study_dataset=dataset, study_metric=metric,
        )  # fmt: skip
    except UserError as problem:
        return str(problem)


def _series(b: Briefing) -> None:
    st.subheader("The host and the series the store holds for it")
    for place in b.host.get("places", {}).values():
        st.caption(inert(place["rule"]))
    if not b.series:
        st.info(f"The store holds no series for {b.host['state'] or 'this host'}: collect your own (checklist below).")
        return
    st.write(
        f"What each could detect for this {b.window['days']}-day window: the smallest change of the period(s) "
        "the event falls in (80% power), the rise the days alone would need, and the chance of flagging "
        f"+{b.curve[0]['effect']:.0%}."
    )
    table = pd.DataFrame(b.series)
    table["source"] = table["sources"].map(", ".join)
    st.dataframe(
        table[[*SERIES_COLUMNS, "source"]], hide_index=True,
        column_config={
            "mde": st.column_config.NumberColumn("smallest change", format="percent"),
            "mde_event_days": st.column_config.NumberColumn("on the days", format="percent"),
            "power": st.column_config.NumberColumn("power", format="percent"),
        },
    )  # fmt: skip


def _collect(b: Briefing, suppress: bool) -> None:
    st.subheader("What data you could collect would show")
    st.write(inert("For example: " + curve_sentence(example_row(b.curve)) + "."))
    show_chart(power_curve_chart(b.curve), key="plan-curve", sources=loaded("sources"), suppress=suppress)
    _, header, rows = curve_table(b.curve)
    st.dataframe(pd.DataFrame(rows, columns=header), hide_index=True)


def _past(b: Briefing, suppress: bool) -> None:
    st.subheader(f"What past {b.type_label} events showed")
    st.write(inert(b.past_note))
    if b.past is None:
        return
    st.info(inert(f"Pooled verdict on {b.past.dataset} {b.past.metric}: {b.past.verdict}. {b.past.reason}"))
    chart = events_chart(b.past, sources=loaded("sources"))
    if chart is not None:
        show_chart(chart, key="plan-past", sources=loaded("sources"), suppress=suppress)
    rows = [{"event": e.event_id, "host": e.host, "verdict": e.verdict, "ratio": e.ratio, "why": e.reason}
            for e in b.past.events]  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True)


def _downloads(b: Briefing, event_id: str) -> None:
    problem = png_problem()
    version, sources = current_data_version(), loaded("sources")
    cols = st.columns([1, 1, 4])
    for col, fmt, mime in ((cols[0], "md", "text/markdown"), (cols[1], "html", "text/html")):
        col.download_button(
            f"⬇ Briefing ({fmt.upper()})",
            lambda fmt=fmt: brief_export.export(b, fmt=fmt, sources=sources, version=version, today=date.today()),
            file_name=f"briefing-{event_id}.{fmt}", mime=mime, key=f"plan-{fmt}", on_click="ignore",
            disabled=bool(problem), help=problem or "The whole briefing in one file, charts as images, offline.",
        )  # fmt: skip


def run() -> None:
    page_header("Plan", HELP)
    if require_store() is None:
        return
    suppress = suppression()
    events, options = _events(), series_options()
    if not events or not options:
        st.info("The store holds no events or no series. Run `hotline-trends build` to load the bundled data.")
        return
    left, right = st.columns([3, 2])
    with left:
        event_id = select_param("Event", list(events), key="event", default=DEFAULT_EVENT, format_func=events.get)
    with right:
        picked = select_param("Past events tested on", list(options), key="series", default="nhth:cases",
                              format_func=options.get)  # fmt: skip
    dataset, metric = picked.split(":", 1)
    with st.spinner("Gathering the briefing…"):
        b = _briefing(event_id=event_id, dataset=dataset, metric=metric)
    if isinstance(b, str):
        show_user_error(b)
        return
    w, when = b.window, "upcoming: no stored series reaches its days yet" if b.upcoming else "past"
    st.write(inert(f"{b.event['name']}, {b.event['start_date']}..{b.event['end_date']}, {b.event.get('venue') or ''} "
                   f"{b.host['city']} {b.host['state']} ({when}); window {w['start']}..{w['end']} ({w['days']} days)."))  # fmt: skip
    _downloads(b, event_id)
    _series(b)
    _collect(b, suppress)
    _past(b, suppress)
    st.subheader("What the research says")
    st.markdown(RESEARCH)
    st.subheader("Checklist: data to collect, from whom, in which layout")
    st.dataframe(pd.DataFrame(b.checklist), hide_index=True)
    st.subheader("Caveats")
    for caveat in b.caveats:
        st.write(inert("• " + caveat))
    sources_table([s["source_id"] for s in b.sources], loaded("sources"), label="Sources of this briefing")
