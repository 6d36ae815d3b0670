"""Which series the store holds for an event's host: its state's rows and the police agencies around it.

One row per series: the state's published rows per dataset and metric, each agency of the host city and
county (``places.match_place``), and, where a dataset has only a few agencies in the state (a city's open
data, say), each of those too; a dataset with many agencies in the state (the FBI files) is one row for
the state's agency sum, as the analysis uses it. Every row says what the series measures for an event.
"""

from __future__ import annotations

import pandas as pd

from hotline_trends.analysis.places import match_place

FEW_AGENCIES = 5  # a dataset with at most this many agencies in the state lists each of them
MEASURES = {"nhth": "help-seeking", "fbi_ucr_ht": "enforcement", "fbi_nibrs": "enforcement",
            "police_incidents": "enforcement"}  # fmt: skip
MEANINGS = {
    "help-seeking": "people who contacted the hotline (or a tip line): awareness and trust, not how much "
    "trafficking occurs",
    "enforcement": "what the police recorded: it rises with operations and stings (a sting is a burst of arrests)",
    "ads": "online advertisements, a proxy some studies use; not a count of victims",
    "your own data": "a series from a file of yours: say what it counts",
}


def measures(dataset: str) -> str:
    """How a dataset's counts relate to an event: 'help-seeking', 'enforcement', 'ads' or 'your own data'."""
    if dataset in MEASURES:
        return MEASURES[dataset]
    words = dataset.lower().split("_")
    return "ads" if "ads" in words or "ad" in words else "your own data"


def _describe(rows: pd.DataFrame, **extra) -> dict:
    kinds = rows["period_kind"].astype(str).value_counts()
    ids = sorted(rows["source_id"].dropna().astype(str).unique())
    return {
        **extra,
        "frequency": ", ".join(kinds.index),
        "first": rows["period_start"].min().date().isoformat(),
        "last": rows["period_end"].max().date().isoformat(),
        "values": len(rows),
        "sources": ids,
        "measures": measures(str(rows["dataset"].iloc[0])),
    }


def host_places(agencies: pd.DataFrame, *, city: str, state: str) -> dict:
    """The host city and county matches (``PlaceMatch.to_dict()``; no agencies when the city has none)."""
    return {level: match_place(agencies, city=city, state=state, level=level).to_dict() for level in ("city", "county")}


def host_series(observations: pd.DataFrame, agencies: pd.DataFrame, *, city: str, state: str) -> list[dict]:
    """Every series the store holds for a host in ``state`` (city ``city``), as described above."""
    places = host_places(agencies, city=city, state=state)
    city_oris = {a["ori"] for a in places["city"]["agencies"]}
    county_oris = {a["ori"] for a in places["county"]["agencies"]}
    in_state = agencies.loc[agencies["state"] == state]
    names = dict(zip("ori:" + in_state["ori"].astype(str), in_state["agency_name"].astype(str), strict=True))
    # without a county for the host (no agency of its city in the store) "elsewhere" could be wrong
    elsewhere = f"elsewhere in {state}" if places["county"]["counties"] else f"in {state}; the host's county is unknown"
    out = []
    own = observations.loc[observations["region"] == state]
    for (dataset, metric), rows in own.groupby(["dataset", "metric"], sort=True):
        out.append(_describe(rows, dataset=dataset, metric=metric, region=state, place=f"{state} (state rows)"))
    agency_rows = observations.loc[observations["region"].isin(list(names))]
    for (dataset, metric), rows in agency_rows.groupby(["dataset", "metric"], sort=True):
        regions = sorted(rows["region"].unique())
        for region in regions:
            ori = region[4:]
            where = "host city" if ori in city_oris else "host county" if ori in county_oris else None
            if where is None and len(regions) > FEW_AGENCIES:
                continue
            place = f"{names[region]} ({where or elsewhere})"
            one = rows.loc[rows["region"] == region]
            out.append(_describe(one, dataset=dataset, metric=metric, region=region, place=place))
        if len(regions) > FEW_AGENCIES:
            place = f"{state}: sum of {len(regions)} agencies' months (those reporting every month)"
            out.append(
                _describe(rows, dataset=dataset, metric=metric, region=state, place=place, agencies=len(regions))
            )
    return out
