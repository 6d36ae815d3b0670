"""A stand-in place: when an event's city or county has no series, the place with data the rule offers.

The store has no metro-area table (and none may be invented), so nearness is judged by what the agencies
table says: an agency's state and counties. The rule (``RULE``): the one agency with this series in the
county of the event's city (the county is known only when the city has agencies in the agencies table),
else the one agency with this series in the event's state. When several qualify at that step, they are
listed and none is chosen (the user names one with ``--region``). The result then says plainly that the
place analysed is not the venue's.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from hotline_trends.analysis.ownpanel import series_places
from hotline_trends.analysis.places import PlaceMatch

RULE = (
    "When the event's city (or county) has no series of this dataset and metric, a stand-in is offered: the "
    "one police agency with this series in the city's county (the county is known only when the city has "
    "agencies in the agencies table), else the one agency with this series in the event's state. When several "
    "qualify, they are listed and none is chosen (name one with --region ori:<ORI>). There is no metro-area "
    "table, so nearness is judged by county and state only: a stand-in can be far from the venue."
)
LISTED = 10  # candidates named in a sentence; the JSON lists every one


@dataclass(frozen=True)
class StandIn:
    """The place asked for, the place analysed instead (``region`` None: none chosen) and why."""

    asked: str  # "Santa Clara, CA"
    level: str  # "city" or "county"
    region: str | None  # "ori:CA03801", or None when none or several qualify
    label: str | None
    scope: str  # where the stand-in was looked for: "San Francisco County" or "CA"
    reason: str  # the sentence every result carries
    candidates: tuple[tuple[str, str], ...] = ()  # (region, label) of every agency that qualified

    def to_dict(self) -> dict:
        return {
            "asked": self.asked,
            "level": self.level,
            "analysed": self.label,
            "region": self.region,
            "scope": self.scope,
            "reason": self.reason,
            "rule": RULE,
            "candidates": [{"region": r, "label": label} for r, label in self.candidates],
        }


def find_stand_in(
    rows: pd.DataFrame, agencies: pd.DataFrame, *, place: PlaceMatch, dataset: str, metric: str
) -> StandIn:
    """The stand-in for ``place`` (which has no series in ``rows``, the rows of one dataset and metric).

    Example:
        >>> ag = pd.DataFrame({"ori": ["CA1"], "agency_name": ["Far City Police Department"], "state": ["CA"],
        ...                    "agency_type": ["City"], "county": ["FAR"]})
        >>> rows = pd.DataFrame({"region": ["ori:CA1"], "period_start": pd.to_datetime(["2024-01-01"]),
        ...                      "period_end": pd.to_datetime(["2024-01-01"]), "value": [1], "source_id": ["s"]})
        >>> from hotline_trends.analysis.places import match_city
        >>> find_stand_in(rows, ag, place=match_city(ag, city="Venue", state="CA"), dataset="d", metric="m").region
        'ori:CA1'
    """
    what = f"{dataset} {metric}"
    why = "no police agency of that name is in the agencies table" if not place.oris else "its agencies have none"
    # a county is named only through its city's agencies: without them it is "the county of" the city
    asked = place.place if place.level == "city" or place.counties else f"the county of {place.place}"
    lead = f"{asked} has no {what} series in the store ({why})"
    have = series_places(rows, agencies, state=place.state)
    steps = []
    if place.counties:
        counties = set(place.counties)
        listed = have["county"].map(lambda v: {c.strip().upper() for c in str(v).split(";") if c.strip()})
        in_county = have[listed.map(lambda c: bool(c & counties)).to_numpy(dtype=bool)] if len(have) else have
        steps.append((" + ".join(c.title() for c in sorted(counties)) + " County", in_county))
    steps.append((place.state, have))
    for scope, found in steps:
        pairs = tuple(zip(found["region"], found["label"], strict=True))
        if len(pairs) == 1:
            region, label = pairs[0]
            reason = (
                f"{lead}; analysed at {label}, the only place in {scope} with this series — not the venue's "
                f"{place.level}."
            )
            return StandIn(asked, place.level, region, label, scope, reason, pairs)
        if len(pairs) > 1:
            named = ", ".join(label for _, label in pairs[:LISTED])
            more = f" and {len(pairs) - LISTED} more" if len(pairs) > LISTED else ""
            reason = (
                f"{lead}; {len(pairs)} places in {scope} have one: {named}{more}. None is chosen for you: "
                "name one with --region ori:<ORI>"
            )
            return StandIn(asked, place.level, None, None, scope, reason, pairs)
    reason = f"{lead}, and no place in {place.state} has one"
    return StandIn(asked, place.level, None, None, place.state, reason)
