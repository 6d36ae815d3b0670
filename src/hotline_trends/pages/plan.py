"""Plan: the planner's briefing for one event, upcoming or past (``brief`` in the CLI), with its exports."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from hotline_trends.analysis.brief import Briefing, briefing
from hotline_trends.errors import UserError
from hotline_trends.pages import plan_sections
from hotline_trends.pages.common import (
    cached_per_version,
    loaded,
    page_header,
    require_store,
    select_param,
    sources_table,
)
from hotline_trends.pages.exporting import suppression
from hotline_trends.pages.methods_text import RESEARCH
from hotline_trends.pages.series_choice import series_options, show_user_error
from hotline_trends.safe_text import inert

HELP = (
    "For an event you are planning for (or one that has passed): the series the store holds for the host and "
    "what each could detect for an event this long, what a daily tip line could detect, what past events of "
    "the type showed, what the research says, and what to collect, with one file to take away."
)
NEXT_OF = "super-bowl-"  # the default event: the next Super Bowl


@cached_per_version
def _events(*, today: str) -> tuple[dict[str, str], str | None]:
    """event_id -> 'name (start, city state)', soonest first; and the next Super Bowl from ``today``, if any."""
    ev = loaded("table", name="events").sort_values(["start_date", "event_id"])
    labels = {
        e: f"{n} ({pd.Timestamp(d).date()}, {c if pd.notna(c) else '?'} {s if pd.notna(s) else ''})".strip()
        for e, n, d, c, s in zip(ev["event_id"], ev["name"], ev["start_date"], ev["city"], ev["state"], strict=True)
    }
    ahead = ev[ev["event_id"].str.startswith(NEXT_OF) & (ev["start_date"] >= pd.Timestamp(today))]
    return labels, (str(ahead["event_id"].iloc[0]) if not ahead.empty else None)


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


def run() -> None:
    page_header("Plan", HELP)
    if require_store() is None:
        return
    suppress = suppression()
    (events, upcoming), options = _events(today=date.today().isoformat()), series_options()
    if not events or not options:
        st.info("The store holds no events or no series. Run `hotline-trends build` to load the bundled data.")
        return
    left, right = st.columns([3, 2])
    with left:
        event_id = select_param("Event", list(events), key="event", default=upcoming, format_func=events.get)
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
    plan_sections.downloads(b, event_id)
    plan_sections.series(b)
    plan_sections.collect(b, suppress)
    plan_sections.past(b, suppress)
    st.subheader("What the research says")
    st.markdown(RESEARCH)
    st.subheader("Checklist: data to collect, from whom, in which layout")
    st.dataframe(pd.DataFrame(b.checklist), hide_index=True)
    st.subheader("Caveats")
    st.write("  \n".join(inert("• " + c) for c in b.caveats))
    sources_table([s["source_id"] for s in b.sources], loaded("sources"), label="Sources of this briefing")
