"""Monitor: watch a daily series day by day — each day against its expected band, alarms for lasting rises.

Choose a daily series from the store, or upload a plain ``date,count`` file for a quick look (read and
checked, never stored; a tidy copy can be downloaded and added on the Data & sources page).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from hotline_trends.analysis.monitor import MonitorResult, MonitorSettings, monitor
from hotline_trends.analysis.monitor_series import monitor_series
from hotline_trends.analysis.monitor_words import OWN, REFERENCES
from hotline_trends.charts import Chart
from hotline_trends.charts.monitor_chart import monitor_chart
from hotline_trends.errors import UserError
from hotline_trends.ingest.daily_counts import LAYOUT_HINT, read_daily_counts, tidy_csv
from hotline_trends.pages.common import (
    cached_per_version,
    loaded,
    page_header,
    radio_param,
    require_store,
    select_param,
    store,
)  # fmt: skip
from hotline_trends.pages.exporting import show_chart, suppression
from hotline_trends.safe_text import inert
from hotline_trends.store.daily import daily_index

HELP = (
    "Watch daily counts as they arrive (a tip line, hotline signals, police incidents): every day is compared "
    "with what the days before it lead one to expect, and an alarm is raised only when the days together "
    "show a lasting rise — rarely by chance, never for one day alone."
)
KINDS = {"store": "A daily series in the store", "upload": "A date,count file (a quick look, not stored)"}
RISES = {"0.25": "+25%", "0.5": "+50%", "1.0": "+100%"}
ALARM_RATES = {"0.25": "once in 4 years", "0.5": "once in 2 years", "1.0": "once a year", "2.0": "twice a year"}
EXAMPLE = "date,count\n2024-03-01,12\n2024-03-02,9\n2024-03-03,\n2024-03-04,14"
FLAG_WORDS = {"missing": "missing (not zero)", "no baseline": "no baseline yet"}


def _date_param(label: str, *, key: str, default: date, first: date, last: date) -> date:
    """A date box kept in the URL as ``?key=YYYY-MM-DD`` (outside the series' days: the default)."""
    try:
        wanted = date.fromisoformat(st.query_params.get(key, ""))
    except ValueError:
        wanted = default
    wanted = wanted if first <= wanted <= last else default
    value = st.date_input(label, value=wanted, min_value=first, max_value=last, key=f"param_{key}")
    st.query_params[key] = value.isoformat()
    return value


def _settings() -> MonitorSettings:
    with st.expander("What the alarm looks for"):
        left, right = st.columns(2)
        with left:
            rise = select_param(
                "Lasting rise to look for", list(RISES), key="rise", default="0.5", format_func=RISES.get
            )
        with right:
            rate = select_param(
                "False alarms allowed on the series' past", list(ALARM_RATES), key="alarms", default="0.5",
                format_func=ALARM_RATES.get,
                help="Fewer false alarms means a higher alarm level, so a real rise takes longer to flag.",
            )  # fmt: skip
    return MonitorSettings(rise=float(rise), alarms_per_year=float(rate))


def _start(first: pd.Timestamp, last: pd.Timestamp) -> date:
    default = max(first, last - pd.Timedelta(days=27)).date()
    return _date_param("First day to monitor", key="from", default=default, first=first.date(), last=last.date())


@cached_per_version
def _index() -> pd.DataFrame:
    return daily_index(store())


@cached_per_version
def _stored(*, dataset: str, metric: str, region: str, start: str, rise: float, alarms: float):
    """The result and chart for a stored series, or the sentence saying why there is none."""
    settings = MonitorSettings(rise=rise, alarms_per_year=alarms)
    try:
        result = monitor_series(
            loaded("observations", dataset=dataset, metric=metric, region=region), index=_index(),
            dataset=dataset, metric=metric, region=region, start=start, settings=settings,
        )  # fmt: skip
    except UserError as problem:
        return str(problem), None
    return result, monitor_chart(result, sources=loaded("sources"), dataset=dataset, metric=metric, region=region)


@cached_per_version
def _uploaded(*, data: bytes, file_name: str, start: str | None, rise: float, alarms: float):
    settings = MonitorSettings(rise=rise, alarms_per_year=alarms)
    try:
        daily = read_daily_counts(data, file_name)
        result = monitor(daily, start=start, settings=settings, label=file_name, caveat=OWN)
    except UserError as problem:
        return str(problem), None
    source = f"Source: the uploaded file {file_name} (not stored)"
    return result, monitor_chart(result, sources=loaded("sources"), source_ids=[], source_text=source)


def _region_label(index: pd.DataFrame):
    names = {}
    agencies = loaded("table", name="agencies")
    agency = dict(zip("ori:" + agencies["ori"].astype(str), agencies["agency_name"].astype(str), strict=True))
    for row in index.itertuples():
        where = f"{row.region} ({agency[row.region]})" if row.region in agency else row.region
        names[row.region] = f"{where}: {row.days:,} days, {row.first_day:%Y-%m-%d} to {row.last_day:%Y-%m-%d}"
    return lambda region: names.get(region, region)


def _from_store(settings: MonitorSettings):
    index = _index()
    if index.empty:
        st.info(
            "The store holds no daily series yet (values for single days). Add one on the Data & sources page "
            "as a tidy file with one row per day (period_start = period_end), e.g. a tip line's daily log or "
            "police incidents per day, or choose 'A date,count file' above for a quick look without storing it."
        )
        st.code(
            "dataset,region,period_start,period_end,metric,value\nmy_tipline,TX,2024-03-01,2024-03-01,tips,12",
            language=None,
        )
        return None, None
    with st.container(horizontal=True):  # wraps when narrow: a region's long name is never cut
        dataset = select_param("Dataset", sorted(index["dataset"].unique()), key="dataset", width=240)
        part = index.loc[index["dataset"] == dataset]
        metric = select_param("Metric", sorted(part["metric"].unique()), key="metric", width=240)
        part = part.loc[part["metric"] == metric]
        label = _region_label(part)
        longest = max((len(label(r)) for r in part["region"]), default=20)
        region = select_param(
            "Region", list(part["region"]), key="region", format_func=label, width=min(560, 60 + 8 * longest)
        )
    row = part.loc[part["region"] == region].iloc[0]
    start = _start(pd.Timestamp(row["first_day"]), pd.Timestamp(row["last_day"]))
    with st.spinner("Fitting each day's baseline and setting the alarm level…"):
        return _stored(
            dataset=dataset, metric=metric, region=region, start=start.isoformat(), rise=settings.rise,
            alarms=settings.alarms_per_year,
        )  # fmt: skip


def _from_upload(settings: MonitorSettings):
    st.caption(
        f"A CSV with {LAYOUT_HINT}; an empty count is a day whose count is unknown. The file is read and "
        "checked here and never stored."
    )
    uploaded = st.file_uploader("Daily counts (CSV)", type=["csv", "txt", "tsv"], key="monitor_file")
    if uploaded is None:
        st.code(EXAMPLE, language=None)
        return None, None
    st.text(f"File: {uploaded.name}")
    data = uploaded.getvalue()
    try:
        daily = read_daily_counts(data, uploaded.name)
    except UserError as problem:
        st.error(
            "This file cannot be read as daily counts; nothing was stored. Fix the lines listed and upload it again."
        )
        st.code(str(problem), language=None)
        return None, None
    first, last = daily["date"].iloc[0], daily["date"].iloc[-1]
    start = _start(first, last)
    _keep(daily, uploaded.name)
    with st.spinner("Fitting each day's baseline and setting the alarm level…"):
        return _uploaded(
            data=data,
            file_name=uploaded.name,
            start=start.isoformat(),
            rise=settings.rise,
            alarms=settings.alarms_per_year,
        )


def _keep(daily: pd.DataFrame, name: str) -> None:
    """How to add the uploaded counts to the store: a tidy copy for the Data & sources page's upload."""
    with st.expander("Keep these counts in the store"):
        st.write(
            "Nothing from this file is stored. To keep it (so that other pages and the command line can use it), "
            "download it as a tidy file, then add that file on the Data & sources page (or with "
            "`hotline-trends ingest FILE`); that ingest can be undone."
        )
        cols = st.columns(3)
        dataset = cols[0].text_input("Dataset", value="my_tipline", key="monitor_keep_dataset")
        metric = cols[1].text_input("Metric", value="tips", key="monitor_keep_metric")
        region = cols[2].text_input("Region (USPS code or ori:<ORI>)", key="monitor_keep_region")
        stem = "".join(c if c.isalnum() else "_" for c in name.rsplit(".", 1)[0])
        st.download_button(
            "⬇ Tidy file for the Data page",
            lambda: tidy_csv(daily, dataset=dataset, metric=metric, region=region.strip(), source_id=f"user_{stem}"),
            file_name=f"{stem}_tidy.csv",
            mime="text/csv",
            key="monitor_keep_csv",
            on_click="ignore",
            disabled=not (dataset.strip() and metric.strip() and region.strip()),
            help="Give a dataset, a metric and the region the counts are for.",
        )


def _numbers(result: MonitorResult) -> None:
    monitored = result.monitored
    cols = st.columns(4)
    cols[0].metric("Days monitored", f"{len(monitored)}", help=f"{result.start:%Y-%m-%d} to {result.end:%Y-%m-%d}")
    cols[1].metric(
        "Alarms", f"{len(result.alarms)}", help="Days on which the evidence for a lasting rise reached the alarm level."
    )
    cols[2].metric(
        "One-day bursts", f"{int(monitored['burst'].sum())}",
        help="Days above the 99.9% line of their prediction: marked, never an alarm alone.",
    )  # fmt: skip
    cols[3].metric(
        "Alarm level", f"{result.threshold:.2f}",
        help=f"On the series' past, replayed, this level alarms {result.calibration.achieved:.2f} times a year.",
    )  # fmt: skip


def _day_table(result: MonitorResult) -> pd.DataFrame:
    days = result.monitored
    flag = days["status"].map(FLAG_WORDS).fillna("")
    flag = (
        flag.mask(days["burst"], "one-day burst")
        .mask(days["alarm"], "ALARM")
        .mask(days["alarm"] & days["burst"], "ALARM, one-day burst")
    )
    return pd.DataFrame(
        {
            "date": days["date"].dt.strftime("%Y-%m-%d"),
            "weekday": days["date"].dt.strftime("%a"),
            "count": days["count"],
            "expected": days["expected"].round(1),
            "95% band": [
                f"{lo:.0f}–{hi:.0f}" if pd.notna(lo) else ""
                for lo, hi in zip(days["lower"], days["upper"], strict=True)
            ],
            "evidence (% of alarm level)": (100 * days["evidence"] / days["threshold"]).round(0),
            "flag": flag.astype("str"),
        }
    )


def _show(result: MonitorResult, chart: Chart, *, suppress: bool) -> None:
    (st.error if result.alarms else st.success)(inert(result.summary))
    _numbers(result)
    if result.alarms:
        st.markdown("**Alarms, and why**")
        alarms = pd.DataFrame(result.alarms)
        table = pd.DataFrame(
            {
                "date": alarms["date"],
                "evidence since": alarms["run_start"],
                "days": alarms["days"],
                "observed": alarms["observed"].round(0).astype(int),
                "expected": alarms["expected"].round(1),
                "reason": alarms["reason"],
            }
        )
        st.dataframe(table, hide_index=True, key="monitor_alarms")
    show_chart(chart, key="monitor", sources=loaded("sources"), suppress=suppress)
    for caveat in result.caveats[:1]:
        st.caption(f"⚠️ {inert(caveat)}")
    with st.expander("Every monitored day"):
        st.dataframe(_day_table(result), hide_index=True)
    with st.expander("Caveats of this series and of the alarm"):
        for caveat in result.caveats:
            st.write(inert("• " + caveat))


def _explain(result: MonitorResult | None) -> None:
    st.subheader("How the alarm works")
    st.write(
        "Looking at a series every day means many chances for an ordinary day to look unusual: about 1 day in "
        "40 is above its 95% band by chance. So a day above its band is not an alarm. Instead, every day adds "
        "evidence for 'the counts now run higher than expected' (ordinary days take evidence away), and the "
        "alarm sounds when the evidence adds up to the alarm level. A single day can bring at most half of "
        "it, so one extraordinary day — a sting on a police series, a data dump — is marked as a burst and "
        "needs a second high day to alarm. The alarm level is chosen on this series' own past: its days "
        "before monitoring are replayed in four-week blocks (keeping runs of related days together) and the "
        "level is set where false alarms stay as rare as chosen above. This is a negative-binomial CUSUM, "
        "the method of the R package surveillance's algo.glrnb / algo.cusum; a CUSUM on model-based "
        "predictions outperformed the CDC's EARS C1–C3 in a comparison of syndromic surveillance methods. "
        "Where days move together (a busy week follows a busy week), long stretches of high days are "
        "ordinary and the running sum needs many days; but a rise that starts on a day is a jump such a series "
        "rarely makes. A second rule predicts each day from the days just before it and asks whether a step "
        "began in the last week (at least two days): the likelihood ratio of a step on a Kalman filter's "
        "innovations (Willsky & Jones 1976, window-limited as in Lai 1998). Its level is set on years "
        "simulated from the model fitted to the past and is never reached by the past itself; the two rules "
        "share the false-alarm budget."
    )
    if result is not None:
        st.caption(inert(result.method))
    st.markdown("**References**")
    for reference in REFERENCES:
        st.caption(reference)  # project text: no markup to escape


def run() -> None:
    page_header("Monitor", HELP)
    if require_store() is None:
        return
    suppress = suppression()
    kind = radio_param("Counts to watch", list(KINDS), key="source", format_func=KINDS.get)
    settings = _settings()
    result, chart = (_from_store if kind == "store" else _from_upload)(settings)
    if isinstance(result, str):
        st.warning(inert(result))
        result = None
    elif result is not None:
        _show(result, chart, suppress=suppress)
    _explain(result)
