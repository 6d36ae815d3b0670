"""The series an analysis runs on (dataset and metric) and whether it uses rates: shared by the Event pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from hotline_trends.analysis.inputs import SeriesParts
from hotline_trends.errors import UserError
from hotline_trends.pages.common import load, loaded, select_param, store, toggle_param
from hotline_trends.safe_text import inert
from hotline_trends.vocabulary import series_label

DEFAULT = "nhth:cases"
RATES_HELP = (
    "Fit the baseline with the host's population (Census, by year) as an offset, so growth in population is "
    "not read as a change; results are then also shown per 100,000 residents."
)


@dataclass(frozen=True)
class SeriesChoice:
    dataset: str
    metric: str
    rates: bool


def series_options() -> dict[str, str]:
    """'dataset:metric' -> a readable label, for every series in the store."""
    found = loaded("datasets")
    return {f"{d}:{m}": series_label(d, m) for d, m in zip(found["dataset"], found["metric"], strict=True)}


def choose_series(columns: list) -> SeriesChoice | None:
    """The series and rates widgets in two given columns; None (after saying so) when the store has none."""
    options = series_options()
    if not options:
        st.info("The store holds no observations. Run `hotline-trends build` to load the bundled public data.")
        return None
    with columns[0]:
        picked = select_param("Series", list(options), key="series", default=DEFAULT, format_func=options.get)
    with columns[1]:
        rates = toggle_param("Per 100,000 residents", key="rates", help=RATES_HELP)
    dataset, metric = picked.split(":", 1)
    return SeriesChoice(dataset, metric, rates)


@st.cache_resource(show_spinner=False, max_entries=64)
def _parts(version: str, dataset: str, metric: str) -> SeriesParts:
    """Shared, not copied: the panels in it are read-only, and building them is most of an event's cost."""
    observations = load("observations", version, dataset=dataset, metric=metric)
    return SeriesParts(observations, load("table", version, name="agencies"), dataset=dataset, metric=metric)


def series_parts(*, dataset: str, metric: str) -> SeriesParts:
    """What every event on this series shares (``api.analyse(parts=...)``), kept until the store changes."""
    return _parts(store().version(), dataset, metric)


def show_user_error(problem: UserError | str) -> None:
    """A mistake the user can fix (e.g. a series without the event's region), shown as typed text."""
    st.warning(inert(str(problem)))


def analysed(run: Callable, *, dataset: str, metric: str, rates: bool, **choices):
    """``run`` (``api.analyse`` or ``api.study``) on the store's frames, or the message of a mistake the
    user can fix (an unknown series, a rate without population, ...)."""
    # the series' own rows are all an analysis reads (a smaller copy out of the cache); without any, the
    # dataset's rows let the check say which series exist
    observations = loaded("observations", dataset=dataset, metric=metric)
    if observations.empty:
        observations = loaded("observations", dataset=dataset)
    try:
        return run(
            observations=observations, events=loaded("table", name="events"), agencies=loaded("table", name="agencies"),
            population=loaded("table", name="population") if rates else None, dataset=dataset, metric=metric,
            **choices,
        )  # fmt: skip
    except UserError as problem:
        return str(problem)
