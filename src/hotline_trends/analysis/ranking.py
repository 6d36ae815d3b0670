"""Rank regions by a value the way a story would cite it, with ties said out loud.

Competition ranking ("1, 2, 2, 4"): regions with equal values share the best rank and the next rank is
skipped, so "Florida ranks third" is only said when no other region has the same value; otherwise the
sentence says "tied for third with ...". Regions without a value are not ranked: missing is not zero.
"""

from __future__ import annotations

import pandas as pd


def rank_regions(values: pd.DataFrame, *, column: str = "value") -> pd.DataFrame:
    """Add ``rank`` (1 = highest), ``tied`` and ``rank_label`` ('3' or '=3') for rows with a value.

    Rows whose ``column`` is missing are dropped (they have no rank). Sorted by rank, then region.

    Example:
        >>> frame = pd.DataFrame({"region": ["A", "B", "C", "D"], "value": [9, 5, 5, 1]})
        >>> rank_regions(frame)[["region", "rank", "rank_label"]].values.tolist()
        [['A', 1, '1'], ['B', 2, '=2'], ['C', 2, '=2'], ['D', 4, '4']]
    """
    present = values.dropna(subset=[column]).copy()
    present["rank"] = present[column].rank(method="min", ascending=False).astype("int64")
    present["tied"] = present.duplicated("rank", keep=False)
    present["rank_label"] = [f"={r}" if t else str(r) for r, t in zip(present["rank"], present["tied"], strict=True)]
    return present.sort_values(["rank", "region"]).reset_index(drop=True)


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'.

    Example:
        >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)]
        ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_sentence(ranked: pd.DataFrame, *, region: str, names: dict[str, str], what: str, among: str) -> str:
    """The citable sentence for one region, e.g. 'Florida ranks 3rd of 51 states and DC with a value ...'.

    Args:
        ranked: output of :func:`rank_regions`.
        region: the region code to describe.
        names: region code -> readable name.
        what: what was ranked, e.g. 'by hotline cases in 2016 (count)'.
        among: who was ranked, e.g. 'states and DC with a value'.

    Example:
        >>> ranked = rank_regions(pd.DataFrame({"region": ["A", "B", "C"], "value": [9, 5, 5]}))
        >>> rank_sentence(ranked, region="C", names={"B": "Bee", "C": "Sea"}, what="by cases", among="places")
        'Sea is tied for 2nd of 3 places by cases, with Bee.'
    """
    row = ranked.loc[ranked["region"] == region]
    name = names.get(region, region)
    if row.empty:
        return f"{name} has no value for this selection, so it is not ranked (missing is not zero)."
    rank = int(row["rank"].iloc[0])
    of = len(ranked)
    if not bool(row["tied"].iloc[0]):
        return f"{name} ranks {ordinal(rank)} of {of} {among} {what}."
    mates = ranked.loc[(ranked["rank"] == rank) & (ranked["region"] != region), "region"]
    others = ", ".join(names.get(r, r) for r in mates)
    return f"{name} is tied for {ordinal(rank)} of {of} {among} {what}, with {others}."
