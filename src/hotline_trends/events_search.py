"""Find events the way people ask for them: "super bowl 2013", "new orleans", "final four houston"."""

from __future__ import annotations

import pandas as pd

SEARCHED = ("event_id", "name", "city", "state", "venue", "category")


def matching_events(events: pd.DataFrame, text: str) -> pd.DataFrame:
    """Events whose name, id, city, state, venue, category or years contain every word of ``text``.

    Words match case-insensitively anywhere in those fields; a number also matches the event's years, so
    "super bowl 2013" finds Super Bowl XLVII. Empty text returns every event, newest first.

    Example:
        >>> ev = pd.DataFrame({"event_id": ["sb-2013", "ff-2013"], "name": ["Super Bowl XLVII", "Final Four"],
        ...     "city": ["New Orleans", "Atlanta"], "state": ["LA", "GA"], "venue": [None, None],
        ...     "category": ["sports", "sports"], "start_date": ["2013-02-03", "2013-04-06"],
        ...     "end_date": ["2013-02-03", "2013-04-08"]})
        >>> matching_events(ev, "super bowl 2013")["event_id"].tolist()
        ['sb-2013']
        >>> matching_events(ev, "ORLEANS")["event_id"].tolist(), matching_events(ev, "2014")["event_id"].tolist()
        (['sb-2013'], [])
    """
    ordered = events.sort_values(["start_date", "event_id"], ascending=[False, True])
    words = text.lower().split()
    if not words:
        return ordered
    present = [c for c in SEARCHED if c in ordered.columns]
    haystack = ordered[present].astype("str").fillna("").agg(" ".join, axis=1).str.lower()
    start, end = pd.to_datetime(ordered["start_date"]).dt.year, pd.to_datetime(ordered["end_date"]).dt.year
    keep = pd.Series(True, index=ordered.index)
    for word in words:
        found = haystack.str.contains(word, regex=False)
        if word.isdigit() and len(word) == 4:
            found = found | ((start <= int(word)) & (end >= int(word)))
        keep &= found
    return ordered.loc[keep]
