"""Event types: every Super Bowl is one instance of the type ``super-bowl``.

The type is the part of ``event_id`` before its year (``super-bowl-2013`` → ``super-bowl``,
``fifa-world-cup-2026-dallas`` → ``fifa-world-cup``); the label is what the instances' names share, without
years, numerals and remarks in parentheses ("Super Bowl XLVII (47)" and "Super Bowl 50" → "Super Bowl").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

import pandas as pd

from hotline_trends.errors import UserError

YEAR = re.compile(r"^(19|20)\d{2}$")
ROMAN = re.compile(r"^[IVXLCDM]+$")
TRAILING = {"in", "of", "at", "the", "and", "for"}


def event_type(event_id: str) -> str:
    """The type of an event id: everything before its year.

    Example:
        >>> [event_type(e) for e in ["super-bowl-2013", "fifa-world-cup-2026-dallas", "dnc-2008", "indy-500-2024"]]
        ['super-bowl', 'fifa-world-cup', 'dnc', 'indy-500']
    """
    parts = str(event_id).split("-")
    for i, part in enumerate(parts):
        if i > 0 and YEAR.match(part):
            return "-".join(parts[:i])
    return str(event_id)


def type_label(names: Iterable[str]) -> str:
    """A human label for a type from its instances' names: the words they share, without years or numerals.

    Example:
        >>> type_label(["Super Bowl XLVII (47)", "Super Bowl 50"])
        'Super Bowl'
        >>> type_label(["FIFA World Cup 2026 matches in Dallas (9 matches)", "FIFA World Cup 2026 matches in Miami (7 matches)"])
        'FIFA World Cup matches'
    """
    word_lists = [_words(n) for n in names]
    word_lists = [w for w in word_lists if w]
    if not word_lists:
        return ""
    common = word_lists[0]
    for words in word_lists[1:]:
        n = 0
        while n < min(len(common), len(words)) and common[n].lower() == words[n].lower():
            n += 1
        common = common[:n]
    if len(word_lists) == 1 or not common:
        common = common or word_lists[0]
    while len(common) > 1 and (common[-1].lower() in TRAILING or ROMAN.match(common[-1])):
        common = common[:-1]
    return " ".join(common)


def _words(name: str) -> list[str]:
    text = re.sub(r"\([^)]*\)", " ", str(name))
    return [w for w in text.split() if not YEAR.match(w)]


def with_types(events: pd.DataFrame) -> pd.DataFrame:
    """The events with ``event_type`` and ``type_label`` columns added."""
    out = events.assign(event_type=events["event_id"].map(event_type))
    labels = out.groupby("event_type")["name"].agg(lambda s: type_label(s.tolist()))
    return out.assign(type_label=out["event_type"].map(labels))


def match_type(events: pd.DataFrame, name: str) -> str:
    """The one event type that ``name`` means, matched on the type id or the label text.

    Raises:
        UserError: when nothing matches (with close names) or several types match (listing them).

    Example:
        >>> ev = pd.DataFrame({"event_id": ["super-bowl-2013", "dnc-2008"],
        ...                    "name": ["Super Bowl XLVII (47)", "Democratic National Convention 2008"]})
        >>> match_type(ev, "super bowl"), match_type(ev, "dnc")
        ('super-bowl', 'dnc')
    """
    typed = with_types(events)
    kinds = typed.drop_duplicates("event_type").set_index("event_type")["type_label"]
    wanted = name.strip().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", wanted).strip("-")
    exact = [t for t, label in kinds.items() if t == slug or label.lower() == wanted]
    if len(exact) == 1:
        return exact[0]
    found = [t for t, label in kinds.items() if slug in t or wanted in label.lower()]
    if len(found) == 1:
        return found[0]
    listing = ", ".join(f"{t} ({kinds[t]})" for t in sorted(found or kinds.index))
    if found:
        raise UserError(f"{name!r} matches several event types: {listing}; name one of them")
    close = difflib.get_close_matches(slug, list(kinds.index), n=5, cutoff=0.4)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UserError(f"no event type matches {name!r}{hint} Known types: {listing}")


def close_event_ids(events: pd.DataFrame, event_id: str, *, n: int = 5) -> list[str]:
    """Event ids that look like ``event_id`` (for "unknown event" messages)."""
    ids = events["event_id"].astype(str).tolist()
    close = difflib.get_close_matches(event_id, ids, n=n, cutoff=0.5)
    if not close:
        same_type = [i for i in ids if event_type(i) == event_type(event_id)]
        close = same_type[-n:]
    return close
