"""The Plan page's sections: the host's series, the tip-line curve, past events, the downloads."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from hotline_trends.analysis.brief import Briefing
from hotline_trends.analysis.brief_power import curve_sentence
from hotline_trends.analysis.brief_series import MEANINGS
from hotline_trends.charts.brief_chart import power_curve_chart
from hotline_trends.charts.study import events_chart
from hotline_trends.exports import brief_export
from hotline_trends.exports.brief_doc import curve_table, example_row
from hotline_trends.pages.common import loaded
from hotline_trends.pages.exporting import current_data_version, png_problem, show_chart
from hotline_trends.safe_text import inert

SERIES_COLUMNS = ["dataset", "metric", "place", "frequency", "first", "last", "mde", "mde_event_days", "power",
                  "measures", "values", "reason"]  # fmt: skip


def series(b: Briefing) -> None:
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
    for word in dict.fromkeys(table["measures"]):
        st.caption(inert(f"{word}: {MEANINGS.get(word, word)}"))


def collect(b: Briefing, suppress: bool) -> None:
    st.subheader("What data you could collect would show")
    st.write(inert("For example: " + curve_sentence(example_row(b.curve)) + "."))
    show_chart(power_curve_chart(b.curve), key="plan-curve", sources=loaded("sources"), suppress=suppress)
    _, header, rows = curve_table(b.curve)
    st.dataframe(pd.DataFrame(rows, columns=header), hide_index=True)


def past(b: Briefing, suppress: bool) -> None:
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


def downloads(b: Briefing, event_id: str) -> None:
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
