"""A free-text event location ("Allegiant Stadium, 3333 Al Davis Way, Las Vegas, NV 89118, USA") → venue, city, state.

Only what the text says: the state must be written (USPS code or name); nothing is guessed from a city.

Example:
    >>> parse_location("Allegiant Stadium, 3333 Al Davis Way, Las Vegas, NV 89118, USA")
    Place(venue='Allegiant Stadium', city='Las Vegas', state='NV')
    >>> parse_location("New Orleans Louisiana"), parse_location("Online")
    (Place(venue='', city='New Orleans', state='LA'), Place(venue='', city='', state=None))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from hotline_trends.ingest.regions import _table, lookup, name_key

LAST_PARTS = 6
COUNTRY = {"usa", "us", "united states", "united states of america", "u s a"}
# Anchored at the end of already-stripped text: no leading '\s*' to retry at every blank (that was quadratic).
ZIP = re.compile(r"\b\d{5}(?:-\d{4})?$")


@dataclass(frozen=True)
class Place:
    venue: str
    city: str
    state: str | None


def _drop_zip(text: str) -> str:
    """'Las Vegas NV 89118' -> 'Las Vegas NV'; text without a trailing ZIP code comes back stripped."""
    return ZIP.sub("", text.strip()).strip()


def _state(text: str) -> str | None:
    text = _drop_zip(text)
    if len(text) == 2 and not text.isupper():
        return None  # 'in', 'or', 'me' in running text are words, not states
    code = lookup(text)
    return code if code and code != "US" and not code.startswith("ori:") else None


@cache
def _names_longest_first() -> list[tuple[str, str]]:
    return sorted(((k, v) for k, v in _table().items() if v != "US"), key=lambda kv: -len(kv[0]))


def _split_tail(part: str) -> tuple[str, str | None]:
    """'Las Vegas NV 89118' -> ('Las Vegas', 'NV'); 'New Orleans Louisiana' -> ('New Orleans', 'LA')."""
    text = _drop_zip(part)
    words = text.split()
    if len(words) > 1 and re.fullmatch(r"[A-Z]{2}|[A-Z]\.[A-Z]\.", words[-1]) and (code := _state(words[-1])):
        return " ".join(words[:-1]), code
    key = name_key(text)
    for name, code in _names_longest_first():
        if len(name) > 2 and key.endswith(" " + name):
            kept = len(words) - len(name.split())
            return " ".join(words[:kept]), code
    return text, None


def parse_location(text: str) -> Place:
    """Venue, city and state from a location written with commas; state None when it is not written."""
    parts = [p.strip() for p in text.replace("\n", ",").split(",") if p.strip()]
    while parts and name_key(parts[-1]) in COUNTRY:
        parts.pop()
    # The state is among the last few parts ("venue, street, city, ST ZIP"); looking further back only
    # costs time on crafted text.
    for i in range(len(parts) - 1, max(len(parts) - 1 - LAST_PARTS, -1), -1):
        if code := _state(parts[i]):
            city = parts[i - 1] if i >= 1 else ""
            before = parts[: max(i - 1, 0)]
            return Place(venue=_venue(before), city=_drop_zip(city), state=code)
        city, code = _split_tail(parts[i])
        if code:
            return Place(venue=_venue(parts[:i]), city=city, state=code)
    return Place(venue="", city="", state=None)


def _venue(parts: list[str]) -> str:
    """The first part, unless it is a street address (starts with a house number)."""
    return parts[0] if parts and not re.match(r"\d", parts[0]) else ""
