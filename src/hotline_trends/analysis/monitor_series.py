"""A daily series from the store's rows, ready to monitor: which exist, one value a day, its sources.

Pure: the caller reads the index of daily series (``store.daily.daily_index``) and the series' observations
(``store.read.observations``) and passes the frames in.
"""

from __future__ import annotations

import pandas as pd

from hotline_trends.analysis.monitor import MonitorResult, MonitorSettings, monitor
from hotline_trends.analysis.monitor_words import series_caveat
from hotline_trends.errors import UserError

RELIABILITY_ORDER = {"high": 0, "medium": 1, "low": 2}
LISTED = 6  # series named in a "no such series" message


def series_name(dataset: str, metric: str, region: str) -> str:
    return f"{dataset} {metric} {region}"


def find_series(index: pd.DataFrame, *, dataset: str, metric: str, region: str) -> pd.Series:
    """The index row of one daily series; a one-line ``UserError`` naming what exists when there is none."""
    hit = index.loc[(index["dataset"] == dataset) & (index["metric"] == metric) & (index["region"] == region)]
    if not hit.empty:
        return hit.iloc[0]
    if index.empty:
        raise UserError(
            "the store holds no daily series (values for single days); add one with: hotline-trends ingest FILE "
            "(a tidy file with period_start = period_end), or look at a file with: hotline-trends monitor --file FILE"
        )
    names = [series_name(d, m, r) for d, m, r in zip(index["dataset"], index["metric"], index["region"], strict=True)]
    more = f" and {len(names) - LISTED} more" if len(names) > LISTED else ""
    raise UserError(
        f"no daily series {series_name(dataset, metric, region)} in the store; daily series: "
        f"{', '.join(names[:LISTED])}{more} (list them: hotline-trends monitor --list)"
    )


def daily_counts(rows: pd.DataFrame) -> tuple[pd.DataFrame, list[str], int]:
    """``date`` / ``count`` from a series' observations (day periods only), its sources, and how many days
    had several sources (the most reliable kept, then the first source id)."""
    days = rows.loc[pd.to_datetime(rows["period_start"]) == pd.to_datetime(rows["period_end"])].copy()
    days["date"] = pd.to_datetime(days["period_start"])
    days["_rank"] = days["reliability"].map(RELIABILITY_ORDER).fillna(3)
    ordered = days.sort_values(["date", "_rank", "source_id"])
    several = int(ordered["date"].duplicated().sum())
    kept = ordered.drop_duplicates("date")
    frame = pd.DataFrame({"date": kept["date"].to_numpy(), "count": kept["value"].astype(float).to_numpy()})
    return frame, sorted(set(map(str, kept["source_id"]))), several


def monitor_series(
    rows: pd.DataFrame,
    *,
    index: pd.DataFrame,
    dataset: str,
    metric: str,
    region: str,
    start=None,
    settings: MonitorSettings | None = None,
) -> MonitorResult:
    """Monitor one stored daily series (``rows``: its observations) from ``start``."""
    found = find_series(index, dataset=dataset, metric=metric, region=region)
    daily, sources, several = daily_counts(rows)
    label = series_name(dataset, metric, region)
    result = monitor(daily, start=start, settings=settings, label=label, caveat=series_caveat(dataset, metric))
    result.sources = sources
    result.series = {
        "dataset": dataset,
        "metric": metric,
        "region": region,
        "first_day": found["first_day"],
        "last_day": found["last_day"],
        "days": int(found["days"]),
    }
    if several:
        result.caveats.append(f"{several} day(s) had values from several sources; the most reliable was used.")
    return result
