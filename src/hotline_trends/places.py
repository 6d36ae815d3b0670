"""Places the dashboard can show: states (and DC), counties and police agencies, with readable names.

Counties exist here only through the FBI agency list (``county:<ST>:<NAME>``, as ``analysis.rollup`` names
them); the hotline publishes state figures only.
"""

from __future__ import annotations

import pandas as pd

from hotline_trends.analysis.rollup import agency_places

STATE_KINDS = ("state", "district")


def states_and_dc(regions: pd.DataFrame) -> dict[str, str]:
    """USPS code -> name for the 50 states and DC (the places a U.S. map and a ranking cover)."""
    kept = regions.loc[regions["kind"].isin(STATE_KINDS)].sort_values("region")
    return dict(zip(kept["region"], kept["name"], strict=True))


def region_names(regions: pd.DataFrame) -> dict[str, str]:
    """Every region code -> name (nation, states, DC, territories)."""
    return dict(zip(regions["region"], regions["name"], strict=True))


def counties(agencies: pd.DataFrame, *, state: str) -> dict[str, str]:
    """County place code -> 'NAME County, ST' for the counties of ``state`` that have police agencies.

    Example:
        >>> ag = pd.DataFrame({"ori": ["TX1", "TX2"], "state": ["TX", "TX"], "county": ["DALLAS; KAUFMAN", None]})
        >>> counties(ag, state="TX")
        {'county:TX:DALLAS': 'DALLAS County, TX'}
    """
    places = agency_places(agencies.loc[agencies["state"] == state]).dropna(subset=["county"])
    codes = sorted(set(places["county"]))
    return {code: f"{code.split(':', 2)[2]} County, {state}" for code in codes}


def agencies_in(agencies: pd.DataFrame, *, state: str, county: str | None = None) -> dict[str, str]:
    """Agency region code ('ori:...') -> 'Agency name (ORI)' for ``state`` (and ``county`` if given)."""
    kept = agencies.loc[agencies["state"] == state]
    places = agency_places(kept)
    if county is not None:
        places = places.loc[places["county"] == county]
    names = dict(zip("ori:" + kept["ori"].astype("str"), kept["agency_name"].astype("str"), strict=True))
    return {code: f"{names[code]} ({code[4:]})" for code in sorted(places["region"], key=lambda c: names[c].upper())}
