"""Seeded daily series put into a test store through the ordinary ingest path (tests only)."""

from __future__ import annotations

from pathlib import Path

from hotline_trends.analysis.monitor_synthetic import simulate_daily
from hotline_trends.ingest import read_tables
from hotline_trends.ingest.daily_counts import tidy_csv
from hotline_trends.store import Store, ingest

DATASET, METRIC, REGION = "test_tipline", "tips", "TX"


def add_daily(
    store: Store,
    tmp_path: Path,
    *,
    scenario: str = "a",
    days: int = 240,
    level: float | None = 40.0,
    step_day: int | None = None,
    seed: int = 7,
    dataset: str = DATASET,
    metric: str = METRIC,
    region: str = REGION,
) -> dict:
    """Ingest a seeded synthetic daily series (source ``synthetic_<dataset>``, a tip line at ``level`` a day,
    None for the scenario's own) and return its truth."""
    data, truth = simulate_daily(scenario, days=days, level=level, step_day=step_day, start="2024-01-01", seed=seed)
    path = tmp_path / f"{dataset}_{metric}.csv"
    path.write_bytes(tidy_csv(data, dataset=dataset, metric=metric, region=region, source_id=f"synthetic_{dataset}"))
    ingest(store, read_tables(path))
    return {**truth, "data": data}


def without_daily(tmp_path: Path) -> Store:
    """A store holding only the bundled annual and monthly rows: the bundled data now include daily police
    series (San Francisco), so a store with none is built from the bundled observations minus their days."""
    import pandas as pd

    from hotline_trends.paths import REPO_ROOT

    rows = pd.read_csv(REPO_ROOT / "data" / "observations.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "observations_without_days.csv"
    rows.loc[rows["period_start"] != rows["period_end"]].to_csv(path, index=False)
    empty = Store(tmp_path / "no-daily-store")
    for table in ("sources", "regions", "agencies", "population", "events"):
        ingest(empty, read_tables(REPO_ROOT / "data" / f"{table}.csv"))
    ingest(empty, read_tables(path))
    return empty
