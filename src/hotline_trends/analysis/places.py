"""Sub-state places: which police agencies stand for an event's city, and for that city's county.

An event's city looks like "Arlington", "Inglewood (Los Angeles)" or "Paradise (Las Vegas)". The city's
agencies are the agencies of type 'City' in the event's state whose name, without a trailing "Police
Department" or "Metropolitan Police Department", equals the city (case-insensitive); if none does, the
name in parentheses is tried (Paradise has no police of its own; Las Vegas Metropolitan Police
Department polices it). The county is every county listed for those agencies; the county's agencies are
those whose first listed county is one of them (as in ``rollup``, so no agency counts twice). Every match
comes with the rule as a sentence a user can check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

Level = Literal["city", "county"]
SUFFIX = re.compile(r"\s+(metropolitan\s+)?police(\s+department)?$|\s+pd$", re.IGNORECASE)


@dataclass(frozen=True)
class PlaceMatch:
    """The agencies that stand for a place, and the rule that chose them."""

    level: Level
    place: str  # e.g. "Arlington, TX" or "Tarrant County, TX"
    state: str
    oris: tuple[str, ...]
    names: tuple[str, ...]
    counties: tuple[str, ...]
    rule: str
    unplaced: int = 0  # agencies in the state with no county, which no county match can include
    details: dict = field(default_factory=dict)

    @property
    def regions(self) -> list[str]:
        """Observation region codes of the matched agencies ('ori:...')."""
        return [f"ori:{o}" for o in self.oris]

    def to_dict(self) -> dict:
        return {
            "level": self.level,
            "place": self.place,
            "state": self.state,
            "agencies": [{"ori": o, "name": n} for o, n in zip(self.oris, self.names, strict=True)],
            "counties": list(self.counties),
            "rule": self.rule,
        }


def city_candidates(city: str) -> list[str]:
    """Names to try for a city, in order: the name, then each name in parentheses.

    Example:
        >>> city_candidates("Paradise (Las Vegas)"), city_candidates("East Rutherford (New York/New Jersey)")
        (['Paradise', 'Las Vegas'], ['East Rutherford', 'New York', 'New Jersey'])
    """
    main = re.sub(r"\([^)]*\)", "", city).strip()
    inner = [p.strip() for group in re.findall(r"\(([^)]*)\)", city) for p in group.split("/")]
    return [n for n in [main, *inner] if n]


def _bare(name: str) -> str:
    return SUFFIX.sub("", str(name).strip()).strip().lower()


def first_county(county: pd.Series) -> pd.Series:
    return county.fillna("").astype(str).str.split(";").str[0].str.strip().str.upper()


def match_city(agencies: pd.DataFrame, *, city: str, state: str) -> PlaceMatch:
    """The 'City' agencies of ``state`` named like ``city`` (see the module docstring).

    Example:
        >>> ag = pd.DataFrame({"ori": ["NV1", "NV2"], "state": "NV", "agency_type": "City", "county": "CLARK",
        ...                    "agency_name": ["Las Vegas Metropolitan Police Department", "North Las Vegas"]})
        >>> match_city(ag, city="Paradise (Las Vegas)", state="NV").oris
        ('NV1',)
    """
    in_state = agencies[(agencies["state"] == state) & (agencies["agency_type"] == "City")]
    bare = in_state["agency_name"].map(_bare)
    tried = []
    for name in city_candidates(city):
        hit = in_state[bare == name.lower()]
        tried.append(name)
        if not hit.empty:
            break
    else:
        hit = in_state.iloc[0:0]
    counties = sorted({c.strip().upper() for v in hit["county"].dropna() for c in str(v).split(";") if c.strip()})
    names = tuple(hit["agency_name"].astype(str))
    rule = (
        f"city: agencies of type 'City' in {state} whose name (without 'Police Department') is "
        + " or, failing that, ".join(repr(t) for t in tried)
        + (f": {', '.join(f'{n} ({o})' for n, o in zip(names, hit['ori'], strict=True))}" if names else ": none")
    )
    place = f"{tried[-1] if names else city_candidates(city)[0]}, {state}"
    return PlaceMatch("city", place, state, tuple(hit["ori"].astype(str)), names, tuple(counties), rule)


def match_county(agencies: pd.DataFrame, *, city: str, state: str) -> PlaceMatch:
    """Every agency of ``state`` whose first listed county is a county of the city's agencies."""
    town = match_city(agencies, city=city, state=state)
    in_state = agencies[agencies["state"] == state]
    firsts = first_county(in_state["county"])
    unplaced = int((firsts == "").sum())
    hit = in_state[firsts.isin(town.counties)] if town.counties else in_state.iloc[0:0]
    county_text = " or ".join(c.title() for c in town.counties) or "none (no city agency matched)"
    rule = (
        f"county: agencies in {state} whose first listed county is {county_text} — the "
        f"count{'ies' if len(town.counties) > 1 else 'y'} of the city's agencies ({town.rule}); "
        f"{len(hit)} agencies; {unplaced} agencies in {state} list no county and cannot be placed"
    )
    place = f"{' + '.join(c.title() for c in town.counties)} County, {state}" if town.counties else town.place
    return PlaceMatch(
        "county",
        place,
        state,
        tuple(hit["ori"].astype(str)),
        tuple(hit["agency_name"].astype(str)),
        town.counties,
        rule,
        unplaced=unplaced,
        details={"city": town.to_dict()},
    )


def match_place(agencies: pd.DataFrame, *, city: str, state: str, level: Level) -> PlaceMatch:
    """``match_city`` or ``match_county`` by ``level``."""
    if level == "city":
        return match_city(agencies, city=city, state=state)
    return match_county(agencies, city=city, state=state)
