"""Event types: every Super Bowl is one instance of the type ``super-bowl``.

An event's type is its ``event_type`` column when the file gave one ("Marathon" → ``marathon``, "Super
Bowl" → ``super-bowl``); otherwise the part of ``event_id`` before its year (``super-bowl-2013`` →
``super-bowl``, ``fifa-world-cup-2026-dallas`` → ``fifa-world-cup``). The label is what the instances' names
share, without years, numerals and remarks in parentheses ("Super Bowl XLVII (47)" and "Super Bowl 50" →
"Super Bowl"); when the names share nothing, the type as the user wrote it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
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


def type_slug(text: str) -> str:
    """A written type as a type id: lower case, words joined by '-'.

    Example:
        >>> type_slug("Super Bowl"), type_slug("  Street festival / fair "), type_slug("Fiesta Señora")
        ('super-bowl', 'street-festival-fair', 'fiesta-senora')
    """
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


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


def _shared_words(names: list[str]) -> str:
    """The label two or more names share, or '' (one name, or names with no words in common)."""
    lists = [w for w in map(_words, names) if w]
    if len(lists) < 2 or any(w[0].lower() != lists[0][0].lower() for w in lists):
        return ""
    return type_label(names)


def _written(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def _humane(written: str) -> str:
    """A type as people read it: 'street-festival' (from a calendar) -> 'Street festival'; 'Marathon' stays."""
    if written == type_slug(written):
        words = re.sub(r"[-_]+", " ", written).strip()
        return words[:1].upper() + words[1:]
    return written


def with_types(events: pd.DataFrame) -> pd.DataFrame:
    """The events with their type (``event_type``, a slug) and its ``type_label``.

    A written ``event_type`` wins over the id rule, so a calendar whose ids carry no year pattern can still
    be pooled by type.
    """
    written = events["event_type"].map(_written) if "event_type" in events else pd.Series("", index=events.index)
    derived = events["event_id"].map(event_type)
    kinds = [type_slug(w) or d for w, d in zip(written, derived, strict=True)]
    out = events.assign(event_type=pd.Series(kinds, index=events.index, dtype="str"))
    labels = {}
    for kind, group in out.groupby("event_type", sort=False):
        names = group["name"].astype(str).tolist()
        texts = [w for w in written.loc[group.index] if w]
        label = _shared_words(names) or (
            _humane(max(sorted(set(texts)), key=texts.count)) if texts else type_label(names)
        )
        labels[kind] = label or kind
    return out.assign(type_label=out["event_type"].map(labels))


def type_table(events: pd.DataFrame) -> pd.DataFrame:
    """One row per event type: ``event_type``, ``type_label``, ``n`` (events), the biggest types first."""
    typed = with_types(events)
    table = typed.groupby(["event_type", "type_label"]).size().reset_index(name="n")
    return table.sort_values(["n", "event_type"], ascending=[False, True]).reset_index(drop=True)


def _listing(table: pd.DataFrame, limit: int = 40) -> str:
    shown = [f"{t} ({label}, {n})" for t, label, n in table[["event_type", "type_label", "n"]].itertuples(index=False)]
    more = f", ... and {len(shown) - limit} more" if len(shown) > limit else ""
    return ", ".join(shown[:limit]) + more


def exact_type(events: pd.DataFrame, kind: str) -> str:
    """The type id ``kind`` names exactly (written any way: 'Super Bowl', 'super-bowl').

    Raises:
        UserError: no type has that id; the message lists the types that exist, with their sizes.
    """
    wanted = type_slug(kind)
    table = type_table(events)
    if wanted and wanted in set(table["event_type"]):
        return wanted
    close = difflib.get_close_matches(wanted, table["event_type"].tolist(), n=5, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise UserError(
        f"no event type {kind!r}; {hint}Types that exist (id, label, events): {_listing(table)}. "
        "Give an event its type with an event_type column in its file, or list events with --events ID,ID"
    )


def pick_events(events: pd.DataFrame, event_ids: Iterable[str]) -> list[str]:
    """The ids asked for, each once and in the order given.

    Raises:
        UserError: none given, or some are unknown (each with the ids that look like it).
    """
    wanted = list(dict.fromkeys(e.strip() for e in event_ids if e and e.strip()))
    if not wanted:
        raise UserError("no event ids given; list them like --events super-bowl-2013,super-bowl-2014")
    known = set(events["event_id"].astype(str))
    unknown = [e for e in wanted if e not in known]
    if unknown:
        hints = []
        for e in unknown:
            close = close_event_ids(events, e, n=3)
            hints.append(f"{e!r}" + (f" (did you mean {', '.join(close)}?)" if close else ""))
        raise UserError(
            f"unknown event id{'s' if len(unknown) > 1 else ''} {'; '.join(hints)}. "
            "List events with: hotline-trends events --name TEXT"
        )
    return wanted


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
        raise UserError(
            f"{name!r} matches several event types: {listing}; name one of them exactly (--type), "
            "or pool chosen events with --events ID,ID,..."
        )
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
