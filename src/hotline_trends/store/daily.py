"""Which daily series the store holds: every dataset, metric and region with values of one day each."""

from __future__ import annotations

import pandas as pd

from hotline_trends.store.connection import Store
from hotline_trends.store.read import query

DAILY_INDEX = """
SELECT dataset, metric, region, count(DISTINCT period_start) AS days,
       min(period_start) AS first_day, max(period_start) AS last_day,
       string_agg(DISTINCT source_id, ', ' ORDER BY source_id) AS sources
FROM observations WHERE period_end = period_start
GROUP BY dataset, metric, region ORDER BY dataset, metric, region
"""


def daily_index(store: Store) -> pd.DataFrame:
    """One row per daily series: dataset, metric, region, days with a value, first and last day, sources."""
    return query(store, DAILY_INDEX)
