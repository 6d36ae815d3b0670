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
    scenario: str = "model",
    days: int = 240,
    step_day: int | None = None,
    seed: int = 7,
    dataset: str = DATASET,
    metric: str = METRIC,
    region: str = REGION,
) -> dict:
    """Ingest a seeded synthetic daily series (source ``synthetic_<dataset>``) and return its truth."""
    data, truth = simulate_daily(scenario, days=days, step_day=step_day, start="2024-01-01", seed=seed)
    path = tmp_path / f"{dataset}_{metric}.csv"
    path.write_bytes(tidy_csv(data, dataset=dataset, metric=metric, region=region, source_id=f"synthetic_{dataset}"))
    ingest(store, read_tables(path))
    return {**truth, "data": data}
