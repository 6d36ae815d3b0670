"""Sum police-agency counts up to counties or states, carrying how many agencies reported.

Fewer agencies reporting is not a drop: every sum travels with ``agencies_reporting``, the number of
agencies with a row for that period (a reported zero counts; a missing month does not).
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

Level = Literal["state", "county"]
GROUP = ["dataset", "metric", "period_start", "period_end"]


def agency_places(agencies: pd.DataFrame) -> pd.DataFrame:
    """Each agency's region code, state and county place code.

    An agency listed in several counties ('KAUFMAN; DALLAS') counts in the first one only, so county sums
    never count an agency twice.
    """
    county = agencies["county"].fillna("").astype(str).str.split(";").str[0].str.strip().str.upper()
    return pd.DataFrame(
        {
            "region": "ori:" + agencies["ori"].astype(str),
            "state": agencies["state"].astype(str),
            "county": ("county:" + agencies["state"].astype(str) + ":" + county).where(county != "", None),
        }
    )


def rollup(observations: pd.DataFrame, agencies: pd.DataFrame, *, level: Level = "state") -> pd.DataFrame:
    """Sum agency rows (``region`` = 'ori:...') per place and period.

    Returns one row per (place, dataset, metric, period) with ``value`` (the sum), ``agencies_reporting``
    and ``source_ids`` (';'-joined). Agencies without a county are left out of county sums and counted in
    ``agencies_without_county`` of the result's attrs.

    Example:
        >>> obs = pd.DataFrame({"dataset": ["d", "d"], "region": ["ori:TX1", "ori:TX2"], "metric": ["m", "m"],
        ...     "period_start": ["2015-01-01"] * 2, "period_end": ["2015-01-31"] * 2, "value": [2, 0],
        ...     "source_id": ["s", "s"]})
        >>> ag = pd.DataFrame({"ori": ["TX1", "TX2"], "state": ["TX", "TX"], "county": ["DALLAS", None]})
        >>> rollup(obs, ag)[["region", "value", "agencies_reporting"]].values.tolist()
        [['TX', 2, 2]]
    """
    agency_rows = observations[observations["region"].astype(str).str.startswith("ori:")]
    places = agency_places(agencies)
    merged = agency_rows.merge(places, on="region", how="left", validate="many_to_one")
    missing = merged[level].isna()
    result = (
        merged[~missing]
        .groupby([level, *GROUP], as_index=False)
        .agg(
            value=("value", "sum"),
            agencies_reporting=("region", "nunique"),
            source_ids=("source_id", lambda s: ";".join(sorted(set(s)))),
        )
        .rename(columns={level: "region"})
    )
    result.attrs["agencies_without_" + level] = int(merged.loc[missing, "region"].nunique())
    result.attrs["processing"] = (
        f"sum of police-agency rows per {level} and period; agencies_reporting = agencies with a row "
        "for that period (a missing month is not a zero)"
        + ("; an agency in several counties counts in the first listed" if level == "county" else "")
    )
    return result


def rollup_places(observations: pd.DataFrame, places: dict[str, list[str]]) -> pd.DataFrame:
    """Sum agency rows per named place (an event's city or county, a state), carrying agencies reporting.

    ``places`` maps a place code to its agencies' regions ('ori:...'); an agency may belong to several
    places (a city and its county). Same columns as ``rollup``.

    Example:
        >>> obs = pd.DataFrame({"dataset": ["d", "d"], "region": ["ori:TX1", "ori:TX2"], "metric": ["m", "m"],
        ...     "period_start": ["2015-01-01"] * 2, "period_end": ["2015-01-31"] * 2, "value": [2, 5],
        ...     "source_id": ["s", "s"]})
        >>> rollup_places(obs, {"city": ["ori:TX1"], "county": ["ori:TX1", "ori:TX2"]})[["region", "value"]].values.tolist()
        [['city', 2], ['county', 7]]
    """
    membership = pd.DataFrame(
        [(place, member) for place, members in places.items() for member in members], columns=["place", "region"]
    )
    merged = observations.merge(membership, on="region", how="inner")
    return (
        merged.groupby(["place", *GROUP], as_index=False)
        .agg(
            value=("value", "sum"),
            agencies_reporting=("region", "nunique"),
            source_ids=("source_id", lambda s: ";".join(sorted(set(s)))),
        )
        .rename(columns={"place": "region"})
    )
