"""The sweep: every page, and every view the store allows, renders without an exception.

How the space is covered (all lists come from the store, see ``sweep.space``, so new bundled data are
swept without changing this file):

- **AppTest renders** (the page run through ``app.py``'s guard, failing on an exception, the guard's
  apology, a traceback in any text, or a choice the page did not keep): every page's default view; the
  Event page of the sampled events and the Event types page of the biggest type (every event and type with
  ``HOTLINE_SWEEP=full``; the builders below run for all of them); the
  Region page of every region the page offers at state level, and at county and agency level for every
  state with police-agency data (the page's first county / agency; and one state without, for its message); the Overview of every series (count and per 100,000); the
  Data page of every series; every section of Methods.
- **The pages' own cached builders**, called exactly as the pages call them, for the combinations too
  many to render: every event on the default series (and per 100,000 on it and on a police-month series,
  where the page must say a rate cannot be made) with the Event page's ``_analysis``, ``_charts`` and
  ``_finer`` (the "What finer data would allow" table), and every series on three events (``SAMPLED_EVENTS``:
  the hotline's state-year era, the FBI police months, San Francisco's daily police counts); every event type
  on the default series, and every series (and per 100,000) on the type with the most events, with the Event
  types page's ``_study``, ``_charts`` and table; every county with the Region page's rollup; per state the
  police agencies with the most and the fewest rows with the Region page's series (2,392 agencies at ~0.2 s
  each would not fit the test budget; the agency level itself is rendered for every state). Every (event,
  series) and every (type, series) — 5,592 event views and analyses, about 1,000 studies, well over ten
  minutes of two cores — run with ``HOTLINE_SWEEP=full``.

The slow part runs in worker processes (two), each on its own copy of the bundled store; the counts go
to ``test-artifacts/sweep.json``.
"""

from __future__ import annotations

import json
import os

import pytest
from support import ARTIFACTS
from sweep import DEFAULT_SERIES, PAGES, Build, Outcome, Sweeper, View, agency_sample, build, render, space

from hotline_trends.pages.methods import SECTIONS
from hotline_trends.store.read import observations

pytestmark = pytest.mark.app
WORKERS = max(1, min(2, os.cpu_count() or 1))


def _check(name: str, outcome: Outcome, expected: int) -> None:
    """Every item ran, nothing broke; the counts are kept for the report."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "sweep.json"
    counts = json.loads(path.read_text()) if path.exists() else {}
    counts[name] = {"items": outcome.done, "user_messages": outcome.messages, "charts": outcome.charts,
                    "problems": len(outcome.problems)}  # fmt: skip
    path.write_text(json.dumps(counts, indent=2, sort_keys=True))
    (ARTIFACTS / f"sweep-{name.replace(' ', '-').replace(',', '')}-problems.txt").write_text(
        "\n\n".join(outcome.problems)
    )
    shown = "\n\n".join(outcome.problems[:8])
    assert outcome.problems == [], f"{len(outcome.problems)} broken of {outcome.done}:\n{shown}"
    assert outcome.done == expected


@pytest.fixture(scope="module")
def the_space(bundled_store) -> dict:
    return space(bundled_store)


@pytest.fixture(scope="module")
def sweeper(bundled_store, tmp_path_factory):
    pool = Sweeper(bundled_store.db_path, tmp_path_factory.mktemp("sweep"), workers=WORKERS)
    yield pool
    pool.close()


def test_every_page_renders_its_default_view(store):
    result = Outcome()
    for page in PAGES:
        result.add(render(View(page)))
    _check("default views", result, len(PAGES))


FULL = os.environ.get("HOTLINE_SWEEP") == "full"
# every series on these (a state-year hotline era, an FBI police-month era, a San Francisco daily-police event)
SAMPLED_EVENTS = ("super-bowl-2013", "super-bowl-2016", "nba-all-star-2025")


def _series_for(the_space: dict, sampled: set[str], item: str) -> list[str]:
    """The series an event or type is swept on: every series for the sampled ones (or all, in a full sweep),
    else the default series only."""
    return the_space["series"] if FULL or item in sampled else [DEFAULT_SERIES]


@pytest.mark.slow
def test_every_event_on_every_series(sweeper, the_space):
    sampled = set(SAMPLED_EVENTS)
    tasks = [
        [Build("event", (("event_id", e), ("series", s), ("rates", False))) for s in _series_for(the_space, sampled, e)]
        + [Build("event", (("event_id", e), ("series", s), ("rates", True))) for s in the_space["rates_series"]]
        + [View("event", (("event", e),)) for _ in range(1) if FULL or e in sampled]  # AppTest: ~2 s a view
        for e in the_space["events"]
    ]  # fmt: skip
    outcome = sweeper.run(tasks)
    _check("event", outcome, sum(len(t) for t in tasks))
    assert sampled <= set(the_space["events"]) and outcome.done >= len(the_space["events"]) * 3
    assert outcome.messages > 0  # a rate on police-agency sums: the plain sentence, exercised


@pytest.mark.slow
def test_every_event_type_on_every_series(sweeper, the_space):
    biggest = sorted(the_space["by_type"], key=lambda t: (-len(the_space["by_type"][t]), t))[:1]
    tasks = [
        [Build("event_type", (("event_type", t), ("series", s), ("rates", False))) for s in _series_for(the_space, set(biggest), t)]
        + [Build("event_type", (("event_type", t), ("series", s), ("rates", True))) for s in the_space["rates_series"] if FULL or t in biggest]
        + [View("event_types", (("type", t),)) for _ in range(1) if FULL or t in biggest]
        for t in the_space["types"]
    ]  # fmt: skip
    _check("event types", sweeper.run(tasks), sum(len(t) for t in tasks))


@pytest.mark.slow
def test_every_region_at_every_level(sweeper, the_space, bundled_store):
    agencies = agency_sample(the_space["agencies"], observations(bundled_store))
    with_police = {s for s, _, _ in the_space["agencies"]}
    without = [s for s in the_space["states"] if s not in with_police][:1]  # the page's "no police data" message
    tasks = []
    for state in the_space["states"]:
        levels = ("state", "county", "agency") if state in with_police or state in without else ("state",)
        tasks.append(
            [View("region", (("level", level), ("state", state))) for level in levels]
            + [Build("region", (("level", "county"), ("state", s), ("code", c), ("label", n))) for s, c, n in the_space["counties"] if s == state]
            + [Build("region", (("level", "agency"), ("state", s), ("code", a), ("label", n))) for s, a, n in agencies if s == state]
        )  # fmt: skip
    views = len(the_space["states"]) + 2 * (len(with_police) + len(without))
    _check("region", sweeper.run(tasks), views + len(the_space["counties"]) + len(agencies))


@pytest.mark.slow
def test_every_overview_data_and_methods_view(sweeper, the_space):
    tasks = []
    for series in the_space["series"]:
        dataset, metric = series.split(":", 1)
        chosen = (("dataset", dataset), ("metric", metric))
        tasks.append(
            [View("overview", (*chosen, ("measure", m))) for m in ("count", "per100k")] + [View("data_sources", chosen)]
        )
    tasks.append([View("methods", (("section", s),)) for s in SECTIONS])
    _check("overview, data, methods", sweeper.run(tasks), 3 * len(the_space["series"]) + len(SECTIONS))


def test_the_sweep_follows_the_store(store, cli, tmp_path):
    """New data (here a synthetic daily count of a police agency that had none, seeded) join the space and
    are swept; the Region page offers the agency."""
    import numpy as np
    import pandas as pd

    from hotline_trends.store.read import table

    agencies = "ori:" + table(store, "agencies").query("state == 'TX'")["ori"]
    ori = agencies[~agencies.isin(set(observations(store)["region"]))].iloc[0]  # an agency without data so far
    days = pd.date_range("2015-01-01", "2015-03-31", freq="D")
    counts = np.random.default_rng(7).poisson(3, size=len(days))
    frame = pd.DataFrame(
        {"dataset": "test_daily", "region": ori, "period_start": days.strftime("%Y-%m-%d"),
         "period_end": days.strftime("%Y-%m-%d"), "metric": "count", "value": counts}
    )  # fmt: skip
    frame.to_csv(tmp_path / "daily.csv", index=False)
    assert cli("ingest", tmp_path / "daily.csv", "--source-id", "test_synthetic_daily").code == 0

    found = space(store)
    assert "test_daily:count" in found["series"] and "test_daily" in found["finer"]
    assert ori in [a for s, a, _ in found["agencies"] if s == "TX"]
    result = Outcome()
    result.add(render(View("region", (("level", "agency"), ("state", "TX"), ("agency", ori)))))
    result.add(render(View("event", (("event", "sxsw-2015"), ("series", "test_daily:count")))))
    for series in ("test_daily:count", "nhth:cases"):
        result.add(build(Build("event", (("event_id", "sxsw-2015"), ("series", series), ("rates", False)))))
    assert result.problems == [] and result.done == 4
    assert result.charts >= 1  # the agency's own daily series on the Region page

    from hotline_trends.pages import event

    finer = event._finer(state="TX", days=14, dataset="nhth")
    assert "test_daily — count" in set(finer["series"])  # a dataset without a label of its own: its id
