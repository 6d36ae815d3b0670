"""Event: one event on one series — expected vs observed, controls, placebos, what the data could detect."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from hotline_trends.analysis import api
from hotline_trends.analysis.explain import explain
from hotline_trends.analysis.results import EventResult
from hotline_trends.analysis.verdict import count, pct
from hotline_trends.charts import Chart
from hotline_trends.charts.event import controls_chart, expected_chart, placebo_chart
from hotline_trends.events_search import matching_events
from hotline_trends.pages.common import cached_per_version, loaded, page_header, require_store, select_param, text_param
from hotline_trends.pages.explain import in_time_sentence, region_name, show_explanation
from hotline_trends.pages.exporting import show_chart, suppression
from hotline_trends.pages.place_choice import choose_place
from hotline_trends.pages.readable import named, page_names, readable, says
from hotline_trends.pages.series_choice import analysed, choose_series, series_parts, show_user_error
from hotline_trends.police_words import police_caveat, police_sentences
from hotline_trends.publishers import publishers
from hotline_trends.safe_text import inert
from hotline_trends.vocabulary import dataset_label, metric_label

HELP = (
    "Find an event by name, year or city. The host's series is compared with what its own history predicts "
    "(the grey band), with control regions and with placebo dates; the verdict says what the data can and "
    "cannot show, in one sentence with its numbers. Annual data cannot see a week: expect 'cannot tell'."
)
DEFAULT_EVENT = "super-bowl-2013"
VERDICT_LOOK = {
    "spike": st.error,
    "drop": st.warning,
    "no detectable change": st.success,
    "cannot tell": st.info,
    "insufficient data": st.info,
}
SUB_ANNUAL = ("month", "week", "day")
FINER_METRIC = "actual_total"  # the police total, the one monthly series the bundled data hold for every state


@cached_per_version
def _analysis(
    *, event_id: str, dataset: str, metric: str, rates: bool, level: str = "state", region: str | None = None
) -> EventResult | str:
    """The event's result, or the message of a mistake the user can fix."""
    parts = series_parts(dataset=dataset, metric=metric)
    return analysed(
        api.analyse, event_id=event_id, dataset=dataset, metric=metric, rates=rates, parts=parts, level=level,
        region=region,
    )  # fmt: skip


@cached_per_version
def _charts(
    *, event_id: str, dataset: str, metric: str, rates: bool, level: str = "state", region: str | None = None
) -> list[Chart]:
    result = _analysis(event_id=event_id, dataset=dataset, metric=metric, rates=rates, level=level, region=region)
    if isinstance(result, str) or result.series is None or result.observed is None:
        return []
    sources = loaded("sources")
    rows = loaded("observations", dataset=dataset, metric=metric)
    rows = rows.loc[rows["region"].isin([result.host, *result.regions]).to_numpy()]  # the host's own published rows
    charts = [
        expected_chart(result, rows=rows, sources=sources),
        controls_chart(result, sources=sources),
        placebo_chart(result, sources=sources),
    ]
    return [c for c in charts if c is not None]


@cached_per_version
def _finer(*, state: str, days: int, dataset: str) -> pd.DataFrame:
    """What each sub-annual series the store holds for the host state could detect for an event this long."""
    found = loaded("datasets")
    finer = found.loc[found["period_kinds"].str.contains("month|week|day") & (found["dataset"] != dataset)]
    rows = []
    for name, part in finer.groupby("dataset"):
        metric = (
            FINER_METRIC if FINER_METRIC in set(part["metric"]) else str(part.sort_values("rows")["metric"].iloc[-1])
        )
        result = api.detectability(
            observations=loaded("observations"), agencies=loaded("table", name="agencies"), region=state,
            dataset=str(name), metric=metric, days=days, kinds=SUB_ANNUAL,  # not the annual state totals
        )  # fmt: skip
        rows.append(
            {
                "series": f"{dataset_label(str(name))} — {metric_label(metric)}",
                "frequency": result.frequency,
                "smallest detectable change of the periods": pct(result.mde) if result.mde is not None else "–",
                f"on the {days} days themselves": pct(result.mde_event_days) if result.mde_event_days else "–",
                "reason": named(result.reason, page_names()),
                "sources": publishers(result.sources, loaded("sources")),
            }
        )
    return pd.DataFrame(rows)


def _event_label(events: pd.DataFrame):
    names = {
        e: f"{n} — {str(s)[:10]}, {c or ''} {st_ or ''}"
        for e, n, s, c, st_ in zip(events["event_id"], events["name"], events["start_date"], events["city"], events["state"], strict=True)
    }  # fmt: skip
    return lambda event_id: names.get(event_id, event_id)


def _numbers(result: EventResult) -> None:
    """The four numbers a story would cite, each with its interval."""
    cols = st.columns(4)
    cols[0].metric("Observed", count(result.observed), help="The published value of the period(s) the window touches.")
    cols[1].metric(
        "Expected", count(result.expected), help="From the host's own history outside the window (baseline model)."
    )
    cols[1].caption(f"95% interval {count(result.interval[0])}–{count(result.interval[1])}")
    cols[2].metric("Observed / expected", f"{result.ratio:.2f}", help="1.00 = exactly as expected.")
    cols[2].caption(f"95% CI {result.ratio_interval[0]:.2f}–{result.ratio_interval[1]:.2f}; p = {result.p_value:.3g}")
    cols[3].metric(
        "Smallest detectable change", pct(result.mde), help="At 80% power and α = 0.05, for the period(s) tested."
    )
    cols[3].caption(f"the window's {result.window['days']} days alone would need +{pct(result.mde_event_days)}")


def police_notice(dataset: str, metric: str, region: str = "") -> None:
    """What police counts measure, said beside a verdict on them (nothing for other series)."""
    caveat = police_caveat(dataset, metric, region)
    if caveat:
        st.warning(caveat, icon=":material/local_police:")


def stand_in_notice(result: EventResult) -> None:
    """The place analysed is not the venue's: said before the verdict, in the analysis' own sentence."""
    if result.stand_in:
        st.warning(inert(f"Place analysed: {result.stand_in['reason']}"), icon=":material/location_on:")


def _verdict(result: EventResult) -> None:
    stand_in_notice(result)
    st.subheader(f"Verdict: {result.verdict}")
    VERDICT_LOOK.get(result.verdict, st.info)(says(result.reason))
    where = f"{region_name(result.host)} ({result.level})"
    st.caption(
        inert(
            f"Series: {dataset_label(result.dataset)} — {metric_label(result.metric)}; host {where}; window "
            f"{result.window['start']} to "
            f"{result.window['end']} ({result.window['days']} days around the event)."
        )
    )


def _unboxed(chart: Chart, *, said: str) -> Chart:
    """The chart without its police box when the verdict's box already says the same words (its PNG, CSV
    and methods note still carry them)."""
    return dataclasses.replace(chart, notice="") if said and chart.notice == said else chart


def _said_elsewhere(result: EventResult) -> set[str]:
    """Caveats the page already shows beside the verdict (what police counts measure, the stand-in)."""
    shown = set(police_sentences(result.dataset, result.metric, str(result.host or "")))
    return shown | ({result.stand_in["reason"]} if result.stand_in else set())


def _context(result: EventResult) -> None:
    if result.did and result.did.get("ratio") is None:
        st.write(
            says(
                f"Against control regions: no difference-in-differences ({result.did.get('undefined')}). "
                f"Controls: {result.controls['rule']}."
            )
        )
    elif result.did:
        low, high = result.did["interval"]
        st.write(
            says(
                f"Against control regions: difference-in-differences {result.did['ratio']:.2f} (95% CI "
                f"{low:.2f}–{high:.2f}, p = {result.did['p_value']:.3g}). Controls: {result.controls['rule']}."
            )
        )
    placebo = result.placebo or {}
    st.write(in_time_sentence(placebo))
    if placebo.get("rank"):
        st.caption(
            f"Among all {placebo['n']} placebos (the host's other dates and the event's dates in other regions) the "
            f"event ranks {placebo['rank']} of {placebo['n'] + 1} (empirical p = {placebo['p_value']:.3g}); the "
            "verdict uses the host's own windows above, because other regions show only that the host was unusual."
        )
    for brk in result.breaks:
        st.caption(says(f"Break: {brk['title']}: {brk.get('action', '')}"))
    with st.expander("Caveats and how the numbers were made"):
        st.write(says("Processing: " + result.processing))
        for caveat in [c for c in result.caveats if c not in _said_elsewhere(result)]:
            st.write(says("• " + caveat))


def _finer_data(result: EventResult) -> None:
    st.subheader("What finer data would allow")
    state = str(result.event.get("state") or result.host)
    table = _finer(state=state, days=int(result.window["days"]), dataset=result.dataset)
    st.write(
        f"The closer a series' periods are to the event's {result.window['days']} days, the smaller the change it "
        "can detect. Sub-annual series the store holds for this state, with what they could detect for an "
        "event this long (at their latest data):"
    )
    if table.empty:
        st.caption("The store holds no monthly, weekly or daily series besides this one.")
    else:
        st.table(readable(table))
    st.write(
        "Daily or weekly counts, a task force's own tip-line log or counts of online ads for the host city, "
        "can be added on the Data & sources page (upload) or with `hotline-trends ingest FILE`; this page then "
        "offers them as a series."
    )


def run() -> None:
    page_header("Event", HELP)
    if require_store() is None:
        return
    suppress = suppression()
    events = loaded("table", name="events")
    top = st.columns([1, 2])  # an event's name, date and city take most of a 1024 px window
    with top[0]:
        find = text_param("Find an event", key="find", placeholder="name, year or city, e.g. super bowl 2013")
    matches = matching_events(events, find)
    if matches.empty:
        st.info(
            inert(f"No event matches '{find}'. Try fewer words, a year or a city; events come from the events "
                  "table (add more with `hotline-trends ingest events.csv` or an .ics calendar).")
        )  # fmt: skip
        return
    with top[1]:
        event_id = select_param(
            "Event", list(matches["event_id"]), key="event", default=DEFAULT_EVENT, format_func=_event_label(events)
        )
    choice = choose_series([st.container(), st.container()])  # a series' name needs the whole width
    if choice is None:
        return
    state = matches.set_index("event_id").loc[event_id, "state"]
    place = choose_place(
        st.columns([3, 2]), dataset=choice.dataset, metric=choice.metric, state="" if pd.isna(state) else str(state)
    )
    if place.note:
        st.caption(place.note)
    chosen = {"dataset": choice.dataset, "metric": choice.metric, "rates": choice.rates, "level": place.level,
              "region": place.region}  # fmt: skip
    with st.spinner("Fitting the baseline, controls and placebos…"):
        result = _analysis(event_id=event_id, **chosen)
    if isinstance(result, str):
        show_user_error(result)
        return
    _verdict(result)
    police_notice(choice.dataset, choice.metric, str(result.host or ""))  # an insufficient result names no series
    if result.observed is not None:
        _numbers(result)
        _context(result)
    show_explanation(explain(result, place=region_name(result.host)))
    sources = loaded("sources")
    for i, chart in enumerate(_charts(event_id=event_id, **chosen)):
        show_chart(
            _unboxed(chart, said=police_caveat(choice.dataset, choice.metric, str(result.host or ""))),
            key=f"event-{i}",
            sources=sources,
            suppress=suppress,
        )
    _finer_data(result)
