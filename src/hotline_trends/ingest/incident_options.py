"""What a user tells the incident reader: which columns, which categories under which metric names, the range.

Example:
    >>> parse_categories("Human Trafficking (A), Commercial Sex Acts=ht_commercial_sex,Prostitution=prostitution")
    {'human trafficking (a), commercial sex acts': 'ht_commercial_sex', 'prostitution': 'prostitution'}
    >>> slug("Human Trafficking (A), Commercial Sex Acts")
    'human_trafficking_a_commercial_sex_acts'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from hotline_trends.errors import UserError

PAIR = re.compile(r"\s*(?P<value>[^=]+?)\s*=\s*(?P<metric>[a-z][a-z0-9_]*)\s*(?:[,;]|$)")


@dataclass(frozen=True)
class IncidentOptions:
    """Options of ``--format incidents`` (every one may be left out for a known portal export)."""

    date_column: str | None = None
    category_column: str | None = None
    categories: str | None = None  # "VALUE=metric,VALUE=metric"
    region: str | None = None
    dataset: str | None = None
    start: date | None = None
    end: date | None = None


def parse_categories(text: str) -> dict[str, str]:
    """``"VALUE=metric,..."`` as {value in lower case: metric}; values may contain commas, metrics may not.

    Raises:
        UserError: a pair is not VALUE=metric, or a metric name is not lowercase letters, digits and _.
    """
    mapping: dict[str, str] = {}
    position, text = 0, text.strip()
    while position < len(text):
        match = PAIR.match(text, position)
        if not match:
            raise UserError(
                f"--categories: cannot read {text[position:][:60]!r}; write VALUE=metric pairs separated by "
                'commas, e.g. "Prostitution=prostitution,Human Trafficking (A), Commercial Sex Acts=ht_commercial_'
                'sex"; metric names use lowercase letters, digits and _'
            )
        value = match.group("value").strip().lower()
        if value in mapping and mapping[value] != match.group("metric"):
            raise UserError(f"--categories names {match.group('value')!r} twice, with two metrics; keep one")
        mapping[value] = match.group("metric")
        position = match.end()
    if not mapping:
        raise UserError("--categories is empty; write VALUE=metric pairs separated by commas")
    return mapping


def slug(value: str) -> str | None:
    """A category value as a metric name: lowercase words joined by _ (None when it has no letter or digit)."""
    text = re.sub(r"[^a-z0-9]+", "_", value.lower()).strip("_")
    if not text:
        return None
    return text if text[0].isalpha() else f"c_{text}"
