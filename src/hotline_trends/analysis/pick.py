"""One value per region and period out of possibly several sources, without hiding that they disagree.

The bundled tables keep conflicting figures as separate rows (one per source) and say: never average them;
pick by reliability, or show them all. A map or a ranking needs one number per state, so this module picks
the most reliable row and carries what it did not pick.
"""

from __future__ import annotations

import pandas as pd

from hotline_trends.analysis.periods import period_kind

RELIABILITY_ORDER = {"high": 3, "medium": 2, "low": 1}
KEY = ["dataset", "metric", "region", "period_start", "period_end"]


def annual(rows: pd.DataFrame) -> pd.DataFrame:
    """Only rows covering one calendar year: half-years and months are different quantities.

    Example:
        >>> rows = pd.DataFrame({"period_start": pd.to_datetime(["2018-01-01", "2018-01-01"]),
        ...                      "period_end": pd.to_datetime(["2018-12-31", "2018-06-30"]), "value": [767, 367]})
        >>> annual(rows)["value"].tolist()
        [767]
    """
    kinds = period_kind(rows["period_start"], rows["period_end"])
    return rows.loc[kinds == "year"].reset_index(drop=True)


def pick_most_reliable(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (dataset, metric, region, period): the most reliable, with what else was published.

    At equal reliability the row whose ``source_id`` sorts first is kept; that choice is arbitrary, so the
    result says when equally reliable sources disagree. Added columns:

    - ``candidates``: how many rows (sources) there were for that region and period;
    - ``other_values``: the other distinct values, ';'-joined ('' when every source agrees);
    - ``disagree``: True when another source gave a different value.

    Example:
        >>> rows = pd.DataFrame({"dataset": "nhth", "metric": "cases", "region": ["US", "US"],
        ...     "period_start": pd.to_datetime(["2019-01-01"] * 2), "period_end": pd.to_datetime(["2019-12-31"] * 2),
        ...     "value": [11494, 11500], "reliability": ["medium", "high"], "source_id": ["b", "a"]})
        >>> pick_most_reliable(rows)[["value", "candidates", "other_values", "disagree"]].values.tolist()
        [[11500, 2, '11494', True]]
    """
    if rows.empty:
        return rows.assign(candidates=pd.Series(dtype="int64"), other_values="", disagree=False)
    ordered = rows.assign(_rank=rows["reliability"].map(RELIABILITY_ORDER).fillna(0)).sort_values(
        [*KEY, "_rank", "source_id"], ascending=[True] * len(KEY) + [False, True]
    )
    grouped = ordered.groupby(KEY, sort=False)["value"]
    counts = grouped.transform("size")
    firsts = grouped.transform("first")
    kept = ordered.drop_duplicates(KEY, keep="first").copy()
    others = (
        ordered.loc[ordered["value"] != firsts]
        .groupby(KEY, sort=False)["value"]
        .agg(lambda values: ";".join(str(v) for v in sorted(set(values))))
        .rename("other_values")
    )
    kept["candidates"] = counts.loc[kept.index].astype("int64")
    kept = kept.merge(others, left_on=KEY, right_index=True, how="left")
    kept["other_values"] = kept["other_values"].map(lambda v: v if isinstance(v, str) else "").astype("str")
    kept["disagree"] = kept["other_values"] != ""
    return kept.drop(columns="_rank").reset_index(drop=True)
