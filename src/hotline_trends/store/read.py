"""Read the store: current rows, coverage, revision history, sources, events and the ingest log.

Every function reads the store as last published (read-only, never waiting for an ingest) and returns a
pandas DataFrame. On a store that does not exist they raise ``StoreMissing`` and create nothing.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from hotline_trends.store.connection import Store, reading

RELIABILITY_RANK = "CASE reliability WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END"
RANK_RELIABILITY = "CASE {x} WHEN 3 THEN 'high' WHEN 2 THEN 'medium' WHEN 1 THEN 'low' ELSE 'unrated' END"
PERIOD_KIND = """CASE
    WHEN period_end - period_start + 1 = 1 THEN 'day'
    WHEN period_end - period_start + 1 = 7 THEN 'week'
    WHEN period_end - period_start + 1 BETWEEN 28 AND 31 AND day(period_start) = 1 THEN 'month'
    WHEN period_end - period_start + 1 BETWEEN 89 AND 92 AND day(period_start) = 1 THEN 'quarter'
    WHEN period_end - period_start + 1 BETWEEN 181 AND 184 AND day(period_start) = 1 THEN 'half-year'
    WHEN period_end - period_start + 1 IN (365, 366) AND month(period_start) = 1 AND day(period_start) = 1 THEN 'year'
    ELSE 'other' END"""


def query(store: Store, sql: str, params: list[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
    """Run one read-only SQL statement against the store and return the result."""
    with reading(store) as con:
        return con.execute(sql, params or []).df()


def _where(filters: dict[str, Any]) -> tuple[str, list[Any]]:
    parts, params = [], []
    for column, value in filters.items():
        if value is None:
            continue
        parts.append(f"{column} = ?")
        params.append(value)
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


def observations(
    store: Store, *, region: str | None = None, dataset: str | None = None, metric: str | None = None
) -> pd.DataFrame:
    """Current observations, with the period kind (year, month, ...), oldest period first."""
    where, params = _where({"region": region, "dataset": dataset, "metric": metric})
    return query(
        store,
        f"""SELECT dataset, region, period_start, period_end, {PERIOD_KIND} AS period_kind, metric, value,
                   source_id, reliability, note
            FROM observations{where}
            ORDER BY dataset, metric, region, period_start, period_end, source_id""",
        params,
    )


def datasets(store: Store) -> pd.DataFrame:
    """One row per dataset and metric: rows, places, agencies, years covered, period kinds and sources."""
    return query(
        store,
        f"""SELECT dataset, metric, count(*) AS rows,
                   count(DISTINCT region) FILTER (WHERE region NOT LIKE 'ori:%') AS places,
                   count(DISTINCT region) FILTER (WHERE region LIKE 'ori:%') AS agencies,
                   min(year(period_start)) AS first_year, max(year(period_end)) AS last_year,
                   string_agg(DISTINCT {PERIOD_KIND}, ', ' ORDER BY {PERIOD_KIND}) AS period_kinds,
                   count(DISTINCT source_id) AS sources
            FROM observations GROUP BY dataset, metric ORDER BY dataset, metric""",
    )


def coverage(
    store: Store, *, dataset: str | None = None, metric: str | None = None, agencies: bool = False
) -> pd.DataFrame:
    """Region x year: how many values exist, the best reliability among them, and their period kinds.

    Agency rows (``ori:...``) are summarised per state as ``agencies_reporting`` unless ``agencies``.
    """
    where, params = _where({"dataset": dataset, "metric": metric})
    region = "region" if agencies else "CASE WHEN region LIKE 'ori:%' THEN a.state ELSE region END"
    return query(
        store,
        f"""SELECT {region} AS region, year(period_start) AS year, dataset, metric,
                   count(*) AS values,
                   {RANK_RELIABILITY.format(x=f"max({RELIABILITY_RANK})")} AS reliability,
                   string_agg(DISTINCT {PERIOD_KIND}, ', ') AS period_kinds,
                   count(DISTINCT region) FILTER (WHERE region LIKE 'ori:%') AS agencies_reporting
            FROM (SELECT * FROM observations{where}) o
            LEFT JOIN agencies a ON o.region = 'ori:' || a.ori
            GROUP BY ALL ORDER BY dataset, metric, region, year""",
        params,
    )


def history(
    store: Store, *, region: str, metric: str, year: int | None = None, dataset: str | None = None
) -> pd.DataFrame:
    """Every version of the matching observations, current and replaced, with the ingest that wrote each."""
    filters = ["v.region = ?", "v.metric = ?"]
    params: list[Any] = [region, metric]
    if year is not None:
        filters.append("year(v.period_start) = ?")
        params.append(year)
    if dataset is not None:
        filters.append("v.dataset = ?")
        params.append(dataset)
    return query(
        store,
        f"""SELECT v.dataset, v.region, v.period_start, v.period_end, v.metric, v.value, v.source_id,
                   v.reliability, v.note,
                   CASE WHEN v._replaced_by IS NULL THEN 'current' ELSE 'replaced' END AS status,
                   v._ingest AS ingest_id, i.file_name, i.finished_at AS ingested_at,
                   v._replaced_by AS replaced_by
            FROM observations_v v LEFT JOIN ingests i ON i.ingest_id = v._ingest
            WHERE {" AND ".join(filters)}
            ORDER BY v.dataset, v.period_start, v.source_id, v._ingest""",
        params,
    )


def sources(store: Store) -> pd.DataFrame:
    """Every current source, with how many current observations and events cite it."""
    return query(
        store,
        """SELECT s.*, coalesce(o.n, 0) AS observations, coalesce(e.n, 0) AS events
           FROM sources s
           LEFT JOIN (SELECT source_id, count(*) AS n FROM observations GROUP BY 1) o USING (source_id)
           LEFT JOIN (SELECT source_id, count(*) AS n FROM events GROUP BY 1) e USING (source_id)
           ORDER BY s.source_id""",
    )


def events(store: Store, *, name: str | None = None, year: int | None = None) -> pd.DataFrame:
    """Current events, optionally those whose name, id or city contains ``name`` or that touch ``year``."""
    filters, params = [], []
    if name:
        filters.append("(name ILIKE ? OR event_id ILIKE ? OR city ILIKE ?)")
        params += [f"%{name}%"] * 3
    if year is not None:
        filters.append("? BETWEEN year(start_date) AND year(end_date)")
        params.append(year)
    where = (" WHERE " + " AND ".join(filters)) if filters else ""
    return query(store, f"SELECT * FROM events{where} ORDER BY start_date, event_id", params)


def table(store: Store, name: str) -> pd.DataFrame:
    """All current rows of a table (regions, agencies, population, ...)."""
    from hotline_trends.schema import SPECS

    if name not in SPECS:
        raise ValueError(f"unknown table {name!r}")
    order = ", ".join(SPECS[name].key)
    return query(store, f"SELECT * FROM {name} ORDER BY {order}")


def ingests(store: Store) -> pd.DataFrame:
    """The ingest log, newest first."""
    return query(store, "SELECT * FROM ingests ORDER BY ingest_id DESC")
