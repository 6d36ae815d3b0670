"""A seeded San Francisco "Police Department Incident Reports" export with its truth (tests only).

Rows carry the portal's column names; some incidents appear twice (one row per offense, same id) and one row
has a blank date, as real exports do. ``truth`` is the number of distinct incidents per category and day.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

HEADER = ["Incident Date", "Incident Category", "Police District", "Incident ID"]
CATEGORIES = ("Prostitution", "Human Trafficking (A), Commercial Sex Acts", "Larceny Theft")
DISTRICTS = ("Mission", "Tenderloin", "Central", "Northern")


def sf_export(path: Path, *, seed: int, start: str = "2025-01-06", days: int = 70, rows: int = 400) -> pd.DataFrame:
    """Write the export to ``path``; returns the truth: incidents per ``category`` and ``day``."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(start, periods=days, freq="D")
    incidents = pd.DataFrame(
        {
            "day": dates[rng.integers(0, days, rows)],
            "category": np.array(CATEGORIES)[rng.choice(3, rows, p=[0.3, 0.1, 0.6])],
            "district": np.array(DISTRICTS)[rng.integers(0, len(DISTRICTS), rows)],
            "id": np.arange(rows) + 1000,
        }
    )
    # the first and last day always have a row, so the range is the one asked for
    incidents.loc[0, "day"], incidents.loc[1, "day"] = dates[0], dates[-1]
    repeated = incidents.sample(n=rows // 10, random_state=seed)
    lines = pd.concat([incidents, repeated]).sample(frac=1.0, random_state=seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in lines.itertuples(index=False):
            writer.writerow([f"{row.day:%Y/%m/%d}", row.category, row.district, row.id])
        writer.writerow(["", "Prostitution", "Mission", 99999])  # a blank date: skipped and reported
    return incidents.groupby(["category", "day"]).size().rename("incidents").reset_index()
