"""Source ids turned into what a reader can cite: the publisher (and for exports the location) of each source.

Ids stay in exports (beside the names) and on hover; the page text names publishers.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

SEPARATOR = "; "
NOT_STATED = "publisher not stated"


def split_ids(cell: object) -> list[str]:
    """The ids in one ``source_id`` cell ('a; b' holds two; a blank holds none).

    Example:
        >>> split_ids("a; b"), split_ids(None), split_ids(float("nan"))
        (['a', 'b'], [], [])
    """
    if not isinstance(cell, str):
        return []
    return [part.strip() for part in cell.split(";") if part.strip()]


def _lookup(sources: pd.DataFrame, column: str) -> dict[str, str]:
    known = sources.loc[sources[column].notna() & (sources[column].astype("str").str.strip() != "")]
    return dict(zip(known["source_id"].astype("str"), known[column].astype("str"), strict=True))


def publishers(source_ids: Iterable[str], sources: pd.DataFrame) -> str:
    """The distinct publishers of ``source_ids``, in order, joined with '; ' (an undescribed id is named).

    Example:
        >>> src = pd.DataFrame({"source_id": ["a", "b", "c"], "publisher": ["Polaris", "Polaris", None]})
        >>> publishers(["a", "b", "c", "zz"], src)
        'Polaris; publisher not stated; zz (not described)'
    """
    names = _lookup(sources, "publisher")
    known = set(sources["source_id"].astype("str"))
    found = [names.get(s, NOT_STATED if s in known else f"{s} (not described)") for s in source_ids]
    return SEPARATOR.join(dict.fromkeys(found))


def with_publishers(frame: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``publisher`` and ``location`` (URL) columns right after ``source_id``.

    Example:
        >>> src = pd.DataFrame({"source_id": ["a"], "publisher": ["Polaris"], "location": ["https://x"]})
        >>> with_publishers(pd.DataFrame({"v": [1, 2], "source_id": ["a", None]}), src).values.tolist()
        [[1, 'a', 'Polaris', 'https://x'], [2, nan, '', '']]
    """
    if "source_id" not in frame.columns or "publisher" in frame.columns:
        return frame
    names, places = _lookup(sources, "publisher"), _lookup(sources, "location")
    ids = frame["source_id"].map(split_ids)
    known = set(sources["source_id"].astype("str"))
    publisher = ids.map(
        lambda xs: SEPARATOR.join(dict.fromkeys(names.get(x, NOT_STATED if x in known else "") for x in xs))
    )
    location = ids.map(lambda xs: SEPARATOR.join(dict.fromkeys(places.get(x, "") for x in xs if places.get(x))))
    at = list(frame.columns).index("source_id") + 1
    result = frame.copy()
    result.insert(at, "publisher", publisher.astype("str"))
    result.insert(at + 1, "location", location.astype("str"))
    return result
