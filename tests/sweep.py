"""The sweep: every view of the dashboard the store allows, enumerated from the store itself.

``space(store)`` lists what the pages offer (events, series, event types, regions at each level, ...), so
new bundled data are swept without touching the tests. ``render`` runs one page view in AppTest through the
same guard as ``app.py``; ``build`` runs a page's own cached builders for one choice. Both return the
problems they saw (never raise), so a sweep reports every broken view at once. Workers (``Sweeper``) run
them in parallel worker processes, each on its own copy of the store.
"""

from __future__ import annotations

import logging
import os
import shutil
import traceback
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from hotline_trends.paths import STORE_ENV

WORDED = {"event", "event_types", "overview"}  # pages checked for 'None', 'nan' and raw codes (tests/words.py)
PAGES = ("overview", "region", "event", "event_types", "monitor", "plan", "data_sources", "methods")
SUB_ANNUAL = ("month", "week", "day")
DEFAULT_SERIES = "nhth:cases"


@dataclass(frozen=True)
class View:
    """One page with the choices in its URL."""

    page: str
    params: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return f"/{self.page}?" + "&".join(f"{k}={v}" for k, v in self.params)


@dataclass(frozen=True)
class Build:
    """One call of a page's cached builders: ``kind`` names the page's builder chain, ``args`` its choices."""

    kind: str
    args: tuple[tuple[str, object], ...]

    def __str__(self) -> str:
        return f"{self.kind}(" + ", ".join(f"{k}={v!r}" for k, v in self.args) + ")"


@dataclass
class Outcome:
    """What a batch of views or builds gave: how many ran, which said a user-facing message, what broke."""

    done: int = 0
    messages: int = 0  # a plain sentence for a choice the data cannot answer (a UserError), not a failure
    charts: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, other: Outcome) -> Outcome:
        self.done += other.done
        self.messages += other.messages
        self.charts += other.charts
        self.problems += other.problems
        return self


# ---------------------------------------------------------------------------------------------- the space


def space(store) -> dict[str, list]:
    """Everything the pages offer on ``store``: the lists the sweep walks."""
    from hotline_trends.analysis.eventtypes import with_types
    from hotline_trends.places import agencies_in, counties
    from hotline_trends.store import read

    events = read.table(store, "events")
    found = read.datasets(store)
    regions = read.table(store, "regions")
    observations = read.observations(store)
    agencies = read.table(store, "agencies")
    with_data = agencies.loc[("ori:" + agencies["ori"].astype(str)).isin(set(observations["region"]))]
    states = [r for r in regions["region"] if r != "US"]
    overview_years = {}
    for d, m in zip(found["dataset"], found["metric"], strict=True):
        rows = observations.loc[(observations["dataset"] == d) & (observations["metric"] == m)]
        overview_years[f"{d}:{m}"] = sorted(set(rows.loc[rows["period_kind"] == "year", "period_start"].dt.year))
    series = [f"{d}:{m}" for d, m in zip(found["dataset"], found["metric"], strict=True)]
    finer = [str(d) for d in found.loc[found["period_kinds"].str.contains("|".join(SUB_ANNUAL)), "dataset"]]
    return {
        "events": list(events["event_id"]),
        "series": series,
        # per 100,000: on the default series, and on a series with sub-annual (police-agency) data, where a
        # rate cannot be made and the page says so
        "rates_series": list(dict.fromkeys([DEFAULT_SERIES, *[x for x in series if x.split(":")[0] in finer][:1]])),
        "finer": finer,
        "types": sorted(with_types(events)["event_type"].unique()),
        # per type its events by start date, for the series sampled across types (see tests/pages/test_sweep.py)
        "by_type": {
            t: group.sort_values("start_date", kind="stable")["event_id"].tolist()
            for t, group in with_types(events).groupby("event_type", sort=True)
        },
        "states": states,
        "counties": [(s, c, label) for s in states for c, label in counties(with_data, state=s).items()],
        "agencies": [(s, a, label) for s in states for a, label in agencies_in(with_data, state=s).items()],
        "datasets": sorted(found["dataset"].unique()),
        "overview_years": overview_years,
    }


def agency_sample(agencies: list[tuple[str, str, str]], observations) -> list[tuple[str, str, str]]:
    """Per state, the agency with the most rows and the one with the fewest (ties: the page's first)."""
    counts = observations["region"].value_counts()
    by_state: dict[str, list[tuple[str, str, str]]] = {}
    for item in agencies:
        by_state.setdefault(item[0], []).append(item)
    chosen = []
    for items in by_state.values():
        rows = {item: int(counts.get(item[1], 0)) for item in items}
        most = max(items, key=lambda item: (rows[item], -items.index(item)))
        fewest = min(items, key=lambda item: (rows[item], items.index(item)))
        chosen += list(dict.fromkeys([most, fewest]))
    return chosen


# ------------------------------------------------------------------------------------------ AppTest views

SCRIPT = """
import streamlit as st
st.set_page_config(page_title="Hotline Trends", layout="wide")
from hotline_trends.pages import {page}
from hotline_trends.pages.guard import guarded
guarded({page}.run)()
"""


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(self.format(record))


_RECORDS = _Records()
logging.getLogger("hotline_trends.dashboard").addHandler(_RECORDS)


def render(view: View) -> Outcome:
    """Run one view in AppTest; its problems: exceptions, the guard's apology (with the logged traceback), a
    traceback in any text, or a choice the page did not keep (the URL would not restore the view)."""
    from streamlit.testing.v1 import AppTest
    from support import page_problems, query_value

    _RECORDS.texts.clear()
    outcome = Outcome(done=1)
    try:
        app = AppTest.from_string(SCRIPT.format(page=view.page), default_timeout=180)
        for key, value in view.params:
            app.query_params[key] = value
        app.run()
    except Exception:  # noqa: BLE001 — AppTest itself failed: report it with the view
        outcome.problems.append(f"{view}: AppTest raised {traceback.format_exc(limit=-4)}")
        return outcome
    found = page_problems(app)
    if found:
        logged = "\n".join(_RECORDS.texts)[-3000:]
        outcome.problems.append(f"{view}: {' | '.join(found)[:3000]}\n{logged}")
    for key, value in view.params:
        if query_value(app, key) != value:
            outcome.problems.append(f"{view}: the page shows {key}={query_value(app, key)!r}, not {value!r}")
    if view.page in WORDED:
        from words import codes, page_texts, wording_problems

        from hotline_trends.pages.common import loaded

        found = wording_problems(page_texts(app), codes(loaded("sources")))
        outcome.problems += [f"{view}: {problem}" for problem in found[:3]]
    outcome.messages = int(bool(app.warning))
    outcome.charts = len(app.get("plotly_chart"))
    return outcome


# ----------------------------------------------------------------------------------------------- builders


def build(item: Build) -> Outcome:
    """Run the builders a page runs for one choice, exactly as the page calls them."""
    args = dict(item.args)
    outcome = Outcome(done=1)
    try:
        outcome.messages, outcome.charts = BUILDERS[item.kind](**args)
    except Exception:  # noqa: BLE001 — every failure is reported with its choice
        outcome.problems.append(f"{item}: {traceback.format_exc(limit=-6)}")
    return outcome


def _event(*, event_id: str, series: str, rates: bool) -> tuple[int, int]:
    from hotline_trends.analysis.explain import explain
    from hotline_trends.pages import event

    dataset, metric = series.split(":", 1)
    result = event._analysis(event_id=event_id, dataset=dataset, metric=metric, rates=rates)
    charts = event._charts(event_id=event_id, dataset=dataset, metric=metric, rates=rates)
    _cited(charts)
    if isinstance(result, str):
        return 1, len(charts)
    _explained(explain(result), result.reason)
    state = str(result.event.get("state") or result.host)
    event._finer(state=state, days=int(result.window["days"]), dataset=dataset)
    return 0, len(charts)


def _event_type(*, event_type: str, series: str, rates: bool) -> tuple[int, int]:
    from hotline_trends.analysis.explain import explain_study
    from hotline_trends.pages import event_types

    dataset, metric = series.split(":", 1)
    study = event_types._study(event_type=event_type, dataset=dataset, metric=metric, rates=rates)
    charts = event_types._charts(event_type=event_type, dataset=dataset, metric=metric, rates=rates)
    _cited(charts)
    if isinstance(study, str):
        return 1, len(charts)
    from hotline_trends.charts.study import study_table

    study_table(study)  # the page's table of every event
    _explained(explain_study(study), study.reason)
    return 0, len(charts)


def _explained(explanation, reason: str) -> None:
    """The plain words of a verdict, and its reason as the page shows it (codes named): no None, nan or code."""
    from words import NOT_WORDS, codes, wording_problems

    from hotline_trends.pages.common import loaded
    from hotline_trends.pages.readable import named, page_names

    texts = [*explanation.why, *explanation.not_meaning, *explanation.settle, explanation.reconcile or ""]
    shown = [named(t, page_names()) for t in [*texts, reason]]
    problems = wording_problems(shown, codes(loaded("sources")))
    assert problems == [], problems[:3]
    assert not any(NOT_WORDS.search(t) for t in texts)


def _region(*, level: str, state: str, code: str, label: str) -> tuple[int, int]:
    from hotline_trends.pages import region
    from hotline_trends.pages.common import loaded

    categories = tuple(sorted(loaded("events")["category"].dropna().unique()))
    charts = []
    if level in ("state", "agency"):
        metrics = tuple(region._metrics(code=code))
        charts += region._series(code=code, label=label, state=state, metrics=metrics, categories=categories)
    if level in ("state", "county"):
        rolled = region._rollup(level=level, code=code, label=label, state=state, categories=categories)
        charts += [rolled] if rolled is not None else []
    _cited(charts)
    return 0, len(charts)


def _cited(charts) -> None:
    """Every chart names its sources, and every row of the data behind it has a source_id and reliability."""
    for chart in charts:
        assert chart.sources, f"chart {chart.title!r} names no source"
        for column in ("source_id", "reliability"):
            cells = chart.data[column].astype(str).str.strip() if column in chart.data else None
            assert cells is not None and not cells.isin(["", "nan", "None"]).any(), (
                f"chart {chart.title!r}: rows without a {column}"
            )


BUILDERS = {"event": _event, "event_type": _event_type, "region": _region}


# ------------------------------------------------------------------------------------------------ workers


def _start(work: str, source_db: str) -> None:
    """A worker: its own copy of the store (DuckDB lets one process hold the file), quiet Streamlit logs."""
    store_dir = Path(work) / f"worker-{os.getpid()}"
    store_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source_db, store_dir / "hotline.duckdb")
    os.environ[STORE_ENV] = str(store_dir)
    # builders called outside a script run warn about it, once per call: not what the sweep looks for
    logging.disable(logging.WARNING)


def _run(task: list[View | Build]) -> Outcome:
    total = Outcome()
    for item in task:
        total.add(render(item) if isinstance(item, View) else build(item))
    return total


class Sweeper:
    """Worker processes, each with its own store copy and caches; a task (a list of items) runs in one of
    them, in order, so a page rendered after its builders finds them cached."""

    def __init__(self, source_db: Path, work: Path, *, workers: int) -> None:
        self.pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=get_context("spawn"), initializer=_start,
            initargs=(str(work), str(source_db)),
        )  # fmt: skip

    def run(self, tasks: Iterable[list[View | Build]]) -> Outcome:
        total = Outcome()
        for outcome in self.pool.map(_run, list(tasks)):
            total.add(outcome)
        return total

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)
