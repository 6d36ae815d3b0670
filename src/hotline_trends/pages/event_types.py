"""Event types: every instance of a type (Super Bowl, Final Four, conventions, ...) pooled, with q-values."""

from __future__ import annotations

import streamlit as st

from hotline_trends.analysis import api
from hotline_trends.analysis.eventtypes import with_types
from hotline_trends.analysis.explain import explain_study
from hotline_trends.analysis.fdr import chance_flags
from hotline_trends.analysis.results import StudyResult
from hotline_trends.analysis.verdict import count, pct
from hotline_trends.charts import Chart
from hotline_trends.charts.study import events_chart, profile_chart, ranking_chart, study_table
from hotline_trends.pages.common import cached_per_version, loaded, page_header, require_store, select_param
from hotline_trends.pages.event import VERDICT_LOOK, police_notice
from hotline_trends.pages.explain import region_name, show_explanation
from hotline_trends.pages.exporting import show_chart, suppression
from hotline_trends.pages.readable import named, page_names, readable, says
from hotline_trends.pages.series_choice import analysed, choose_series, series_parts, show_user_error

HELP = (
    "Choose a type of event. Every instance with data is tested as on the Event page, then pooled: the "
    "profile shows observed/expected in the periods before, during and after the events. Testing many events "
    "finds some 'significant' ones by chance; q-values (Benjamini–Hochberg) and the count expected by chance "
    "say how many."
)
DEFAULT_TYPE = "super-bowl"
TABLE_COLUMNS = [
    "name",
    "start",
    "host",
    "observed",
    "expected",
    "ratio",
    "p_value",
    "q_value",
    "mde",
    "verdict",
    "reason",
]

TABLE_FORMATS = {
    "start": lambda v: str(v)[:10],
    "observed": count,
    "expected": count,
    "ratio": "{:.2f}".format,
    "p_value": "{:.3g}".format,
    "q_value": "{:.3g}".format,
    "mde": pct,
}
TABLE_LABELS = {
    "name": "event",
    "start": "date",
    "host": "host",
    "ratio": "observed / expected",
    "p_value": "p",
    "q_value": "q (Benjamini–Hochberg)",
    "mde": "smallest detectable change",
}


@cached_per_version
def _types() -> dict[str, str]:
    """event_type -> 'Label (n events)', the biggest types first."""
    typed = with_types(loaded("table", name="events"))
    sizes = typed.groupby(["event_type", "type_label"]).size().reset_index(name="n")
    sizes = sizes.sort_values(["n", "type_label"], ascending=[False, True])
    return {t: f"{label} ({n} events)" for t, label, n in zip(sizes["event_type"], sizes["type_label"], sizes["n"], strict=True)}  # fmt: skip


@cached_per_version
def _study(*, event_type: str, dataset: str, metric: str, rates: bool) -> StudyResult | str:
    parts = series_parts(dataset=dataset, metric=metric)
    return analysed(api.study, event_type=event_type, dataset=dataset, metric=metric, rates=rates, parts=parts)


@cached_per_version
def _charts(*, event_type: str, dataset: str, metric: str, rates: bool) -> list[Chart]:
    study = _study(event_type=event_type, dataset=dataset, metric=metric, rates=rates)
    if isinstance(study, str):
        return []
    sources = loaded("sources")
    charts = [
        profile_chart(study, sources=sources),
        events_chart(study, sources=sources),
        ranking_chart(study, sources=sources),
    ]
    return [c for c in charts if c is not None]


def _pooled(study: StudyResult) -> None:
    st.subheader(f"Pooled verdict: {study.verdict}")
    VERDICT_LOOK.get(study.verdict, st.info)(says(study.reason))
    police_notice(study.dataset, study.metric)
    pooled = study.pooled
    if pooled.get("ratio") is None:
        return
    cols = st.columns(4)
    cols[0].metric("Events tested", f"{pooled['n_events']} of {len(study.events)}")
    cols[1].metric("Observed / expected (pooled)", f"{pooled['ratio']:.2f}")
    cols[1].caption(f"95% CI {pooled['ratio_interval'][0]:.2f}–{pooled['ratio_interval'][1]:.2f}")
    cols[2].metric("Observed vs expected", f"{count(pooled['observed'])} vs {count(pooled['expected'])}")
    cols[2].caption(f"95% interval {count(pooled['interval'][0])}–{count(pooled['interval'][1])}")
    cols[3].metric("Smallest detectable change", pct(pooled["mde"]), help="Pooled, at 80% power and α = 0.05.")


def _chance(study: StudyResult) -> None:
    flags = chance_flags([e.p_value for e in study.events])
    if not flags["tested"]:
        return
    st.write(
        f"**By chance:** of {flags['tested']} events tested at α = 0.05, {flags['flagged']} had p < 0.05; if no "
        f"event had any effect, about {flags['expected_by_chance']:.1f} would by chance alone. "
        f"{flags['flagged_after_fdr']} remain{'s' if flags['flagged_after_fdr'] == 1 else ''} with q < 0.05 "
        "(Benjamini–Hochberg), and a flag on annual data still says nothing about the event's week."
    )


def _table(study: StudyResult) -> None:
    st.subheader("Every event of this type")
    st.caption("– : no value (the event could not be tested; its reason says why). p and q as in the glossary below.")
    table = study_table(study)[TABLE_COLUMNS]
    names = page_names()
    table = table.assign(
        host=table["host"].map(lambda h: region_name(str(h)) if isinstance(h, str) else h),
        reason=table["reason"].map(lambda r: named(r, names) if isinstance(r, str) else r),
    )
    shown = readable(table, TABLE_FORMATS).rename(columns=TABLE_LABELS)
    st.table(shown)


def run() -> None:
    page_header("Event types", HELP)
    if require_store() is None:
        return
    suppress = suppression()
    types = _types()
    if not types:
        st.info("The events table is empty. Add events with `hotline-trends ingest events.csv` (or an .ics file).")
        return
    with st.columns([1, 1])[0]:  # a type's name whole at 1024 px
        event_type = select_param("Event type", list(types), key="type", default=DEFAULT_TYPE, format_func=types.get)
    choice = choose_series([st.container(), st.container()])  # a series' name needs the whole width
    if choice is None:
        return
    with st.spinner("Testing every event of this type…"):
        study = _study(event_type=event_type, dataset=choice.dataset, metric=choice.metric, rates=choice.rates)
    if isinstance(study, str):
        show_user_error(study)
        return
    _pooled(study)
    _chance(study)
    show_explanation(explain_study(study))
    sources = loaded("sources")
    charts = _charts(event_type=event_type, dataset=choice.dataset, metric=choice.metric, rates=choice.rates)
    if not charts:
        st.info(
            "Not one of these events could be tested on this series (see the reasons below). Try another series, "
            "or add finer data (monthly or daily counts) on the Data & sources page."
        )
    for i, chart in enumerate(charts):
        show_chart(chart, key=f"types-{i}", sources=sources, suppress=suppress)
    _table(study)
    with st.expander("Caveats and how the numbers were made"):
        st.write(says("Processing: " + study.processing))
        for caveat in study.caveats:
            st.write(says("• " + caveat))
