"""Reshape coverage rows (region x year) into a matrix a person can scan: H, M, L or blank per cell."""

from __future__ import annotations

import pandas as pd

RANK = {"high": 3, "medium": 2, "low": 1, "unrated": 0}
LETTER = {3: "H", 2: "M", 1: "L", 0: "U"}


def coverage_matrix(rows: pd.DataFrame) -> pd.DataFrame:
    """Best reliability letter per region and year across the given rows ('' where nothing exists).

    A lowercase letter marks a cell whose values are all shorter than a year (months, half-years), so
    a partial year is never mistaken for a full one.

    Example:
        >>> rows = pd.DataFrame({"region": ["FL"], "year": [2024], "reliability": ["high"], "period_kinds": ["year"]})
        >>> coverage_matrix(rows).loc["FL", 2024]
        'H'
    """
    if rows.empty:
        return pd.DataFrame()
    frame = rows.assign(
        rank=rows["reliability"].map(RANK).fillna(0).astype(int),
        annual=rows["period_kinds"].map(lambda kinds: "year" in str(kinds).split(", ")),
    )
    best = frame.groupby(["region", "year"]).agg(rank=("rank", "max"), annual=("annual", "any")).reset_index()
    best["cell"] = [
        LETTER[r] if annual else LETTER[r].lower() for r, annual in zip(best["rank"], best["annual"], strict=True)
    ]
    matrix = best.pivot(index="region", columns="year", values="cell").fillna("")
    matrix.columns = [int(c) for c in matrix.columns]
    return matrix


def cell_sources(observations: pd.DataFrame, agencies: pd.DataFrame) -> pd.DataFrame:
    """The sources behind each region-year cell (';'-joined), agency rows counted in their state.

    Example:
        >>> obs = pd.DataFrame({"region": ["FL", "ori:FL1", "FL"], "source_id": ["b", "c", "a"],
        ...                     "period_start": pd.to_datetime(["2016-01-01", "2016-03-01", "2016-01-01"])})
        >>> cell_sources(obs, pd.DataFrame({"ori": ["FL1"], "state": ["FL"]})).values.tolist()
        [['FL', 2016, 'a;b;c']]
    """
    states = dict(zip("ori:" + agencies["ori"].astype("str"), agencies["state"].astype("str"), strict=True))
    region = observations["region"].astype("str")
    frame = pd.DataFrame(
        {
            "region": region.map(states).fillna(region),
            "year": pd.to_datetime(observations["period_start"]).dt.year.astype("int64"),
            "source_id": observations["source_id"].astype("str"),
        }
    )
    return (
        frame.groupby(["region", "year"], as_index=False)["source_id"]
        .agg(lambda s: ";".join(sorted(set(s))))
        .reset_index(drop=True)
    )
