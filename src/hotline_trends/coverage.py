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
