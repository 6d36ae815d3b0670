"""Region names as people write them → the store's region codes (USPS code, ``US``, ``ori:<ORI>``).

Built from the bundled ``data/regions.csv`` plus common aliases. A name that does not map is returned
unchanged, so the store's region rule reports it with its file line instead of a reader guessing.

Example:
    >>> [region_code(t) for t in ["tx", "Washington, D.C.", "Northern Marianas Islands", "National", "Narnia"]]
    ['TX', 'DC', 'MP', 'US', 'Narnia']
"""

from __future__ import annotations

import csv
import re
from functools import cache

from hotline_trends.paths import bundled_file

# Spellings seen in hotline pages, Census files and spreadsheets, beyond the names in regions.csv.
ALIASES = {
    "washington dc": "DC",
    "washington d c": "DC",
    "d c": "DC",
    "dc": "DC",
    "district of columbia": "DC",
    "northern marianas islands": "MP",
    "northern mariana islands": "MP",
    "commonwealth of the northern mariana islands": "MP",
    "cnmi": "MP",
    "virgin islands": "VI",
    "us virgin islands": "VI",
    "united states virgin islands": "VI",
    "virgin islands of the united states": "VI",
    "national": "US",
    "nationwide": "US",
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "us": "US",
}
# Words that name a sum of the rows above, not a region (a spreadsheet's "Total" row).
TOTAL_WORDS = {"total", "totals", "grand total", "sum", "all", "all states", "total all states", "overall"}


def name_key(text: str) -> str:
    """'  Washington, D.C.* ' -> 'washington d c': case, punctuation, footnote marks and spacing removed."""
    text = text.replace("\u00a0", " ").strip().lower()
    # rstrip, not '[*†‡]+$': that pattern retries at every mark of a long run (quadratic on crafted text).
    text = re.sub(r"\(\d+\)$|\[\d+\]$", "", text.rstrip("*†‡")).strip()
    text = text.replace("&", " and ").replace("u.s.", "us ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@cache
def _table() -> dict[str, str]:
    """Every known spelling (as ``name_key``) -> code."""
    table = dict(ALIASES)
    with open(bundled_file("regions"), encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table[name_key(row["region"])] = row["region"]
            table[name_key(row["name"])] = row["region"]
    return table


def known_codes() -> set[str]:
    """The bundled region codes (``US``, states, DC, territories)."""
    return set(_table().values())


def lookup(text: str) -> str | None:
    """The region code for a name or code, or None when it is not a region name.

    Example:
        >>> lookup("u.s. virgin islands"), lookup("ori:tx0570100"), lookup("Total")
        ('VI', 'ori:TX0570100', None)
    """
    stripped = text.strip()
    if stripped.lower().startswith("ori:"):
        return "ori:" + stripped[4:].strip().upper()
    return _table().get(name_key(stripped))


def region_code(text: str) -> str:
    """The region code for ``text``, or ``text`` stripped when it names no known region."""
    return lookup(text) or text.strip()


def is_total(text: str) -> bool:
    """True for a 'Total' / 'Grand total' / 'All states' label (a sum of other rows, never a region)."""
    return name_key(text) in TOTAL_WORDS
