"""Where the Event page analyses a series: the level (state, county, city) and, where the analysis offers
it, the place analysed (a police agency with this series), both kept in the URL (``?level=``, ``?place=``).

A series that exists only for police agencies (no state rows) defaults to the city level, and the page says
so; a level or place the user picked is kept in the URL and wins over that default.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from hotline_trends.analysis import api
from hotline_trends.pages.common import cached_per_version, loaded, select_param

LEVELS = ("state", "county", "city")
AUTOMATIC = "automatic"  # the analysis' own rule picks the place (the event's, or its stated stand-in)
LEVEL_HELP = (
    "State: the host state's totals. County or city: the police agencies of the event's county or city, or, "
    "when they have no series, the one stated stand-in with data (the result says which place was analysed)."
)
PLACE_HELP = "Analyse this agency's own series instead of the place the level's rule picks."


@dataclass(frozen=True)
class PlaceChoice:
    level: str
    region: str | None  # an 'ori:...' override, or None for the analysis' own rule
    note: str  # said beside the controls when a default was applied ('' otherwise)


@cached_per_version
def agency_only(*, dataset: str, metric: str) -> bool:
    """True when the series has rows only for police agencies ('ori:...'), none for a state or county."""
    rows = loaded("observations", dataset=dataset, metric=metric)
    return bool(len(rows)) and bool(rows["region"].astype(str).str.startswith("ori:").all())


@cached_per_version
def offered_places(*, dataset: str, metric: str, state: str) -> dict[str, str]:
    """'ori:...' -> label of the agencies with this series in the event's state (empty for state series)."""
    found = api.places_with_series(
        observations=loaded("observations", dataset=dataset, metric=metric), agencies=loaded("table", name="agencies"),
        dataset=dataset, metric=metric, state=state or None,
    )  # fmt: skip
    return dict(zip(found["region"], found["label"], strict=True))


def _level(default: str) -> str:
    """The level radio; the URL keeps only a choice that differs from the series' default, so moving to a
    series with another default (agency-only police counts) takes that default unless the user chose."""
    wanted = st.query_params.get("level", None)
    if wanted not in LEVELS:
        wanted = default
    value = st.radio(
        "Place level", LEVELS, index=LEVELS.index(wanted), key=f"place_level_{default}", horizontal=True,
        help=LEVEL_HELP,
    )  # fmt: skip
    if value == default:
        st.query_params.pop("level", None)
    else:
        st.query_params["level"] = value
    return value


def choose_place(columns: list, *, dataset: str, metric: str, state: str) -> PlaceChoice:
    """The level and place widgets in two given columns, for this series and the event's state."""
    only_agencies = agency_only(dataset=dataset, metric=metric)
    default = "city" if only_agencies else "state"
    with columns[0]:
        level = _level(default)
    places = offered_places(dataset=dataset, metric=metric, state=state)
    region = None
    if places:
        labels = {AUTOMATIC: "the level's own rule (the event's place or its stand-in)", **places}
        with columns[1]:
            picked = select_param(
                "Place analysed", list(labels), key="place", default=AUTOMATIC, format_func=labels.get, help=PLACE_HELP
            )
        region = None if picked == AUTOMATIC else str(picked)
    else:
        st.query_params.pop("place", None)
    note = ""
    if only_agencies and level == default:
        note = (
            "This series exists only for police agencies (no state totals), so it is analysed at the city "
            "level; choose another level above."
        )
    return PlaceChoice(level, region, note)
