"""Reader: an incident list (one row per incident or offense) -> daily counts per category, as observations.

input -> output: a portal export (Los Angeles, San Francisco, Chicago, Seattle crime or 911, New Orleans
calls; see ``incident_layouts``) or any list with a date and a category column -> one observation per
day and metric (dataset ``police_incidents`` unless ``--dataset``, region the agency's ``ori:`` unless
``--region``). Rules:

- every day from the file's first to last date (or ``--from``/``--to``) gets a value; a day with no row
  is 0, because the list would have had a row;
- rows of one incident (same id, day and category) count once where the file has an id column;
- dates are read as written, in local time, without a zone shift;
- a blank date or category cell skips the row (reported with its lines); a date that cannot be read
  rejects the whole file with its line;
- metrics are the category values as lowercase slugs, or what ``--categories "VALUE=metric,..."`` says
  (then only those categories are written; the rest are counted in the report).

DuckDB reads the file in one pass (``incident_scan``); pandas handles the few thousand groups after it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hotline_trends.errors import UserError
from hotline_trends.ingest.base import LINE, Incoming, NotThisFormat, sha256_in_background
from hotline_trends.ingest.duckscan import TextTable, open_table, scan_connection
from hotline_trends.ingest.incident_layouts import GENERIC, Layout, match_layout, named, pick
from hotline_trends.ingest.incident_options import IncidentOptions, parse_categories, slug
from hotline_trends.ingest.incident_report import report
from hotline_trends.ingest.incident_scan import Columns, scan, skipped_lines

FORMAT = "incidents"
DEFAULT_DATASET = "police_incidents"
MAX_METRICS = 300
MAX_OUTPUT_ROWS = 3_000_000
# Up to this size, skipped rows are reported by line and rows are counted per area; above, a second pass
# (or grouping) would cost more than the read, so skipped rows are named by incident id and areas left out.
LINES_BYTES = 64 << 20
SHOWN_IDS = 5
OBS_COLUMNS = ["dataset", "region", "period_start", "period_end", "metric", "value", "note"]


def read_incidents(path: Path, options: IncidentOptions | None = None) -> Incoming:
    """Daily counts per category from an incident list.

    Raises:
        NotThisFormat: no date and category columns were found and none were named.
        UserError / InputRejected: a named column is missing, a date cannot be read (with its line), the
            file has no rows, no region is known, or the output would be unreasonably large.
    """
    options = options or IncidentOptions()
    table = open_table(path)
    layout, columns = _columns(table, options)
    mapping = parse_categories(options.categories) if options.categories else None
    region = options.region or layout.region
    if not region:
        raise UserError(
            f"{path.name}: say which police agency or place this list covers with --region, e.g. "
            "--region ori:CA03801 (an agency's ORI) or --region CA"
        )
    if options.start and options.end and options.start > options.end:
        raise UserError(f"--from {options.start} is after --to {options.end}; give the first day, then the last")
    digest = sha256_in_background(path)
    con = scan_connection()
    try:
        found = scan(con, table, columns, with_areas=path.stat().st_size <= LINES_BYTES)
        if not found.rows:
            raise UserError(
                f"{path.name}: the file has a header (line {table.header_line}) but no data rows; export the list again"
            )
        counts = _counts(table, found.groups, mapping, options)
        skipped = _skipped(con, table, columns, found)
    finally:
        con.close()
    dataset = options.dataset or DEFAULT_DATASET
    frame = _frame(counts, table=table, columns=columns, dataset=dataset, region=region)
    detected, problems, skipped_rows = report(
        table=table,
        layout=layout,
        columns=columns,
        found=found,
        counts=counts,
        skipped=skipped,
        region=region,
        dataset=dataset,
    )
    return Incoming(
        table="observations",
        file_name=path.name,
        sha256=digest,
        reader=FORMAT,
        detected={"format": FORMAT, **detected},
        frame=frame,
        skipped=problems,
        skipped_total=skipped_rows,
    )


def _columns(table: TextTable, options: IncidentOptions) -> tuple[Layout, Columns]:
    header = list(table.header)
    layout = match_layout(header) or GENERIC

    def chosen(name: str | None, candidates: tuple[str, ...], what: str, flag: str) -> int | None:
        if name:
            index = named(header, name)
            if index is None:
                raise UserError(
                    f"{table.path.name} line {table.header_line}: no column {name!r} for {flag}; the header has "
                    f"{', '.join(repr(h) for h in header)}"
                )
            return index
        return pick(header, candidates)

    date = chosen(options.date_column, layout.dates, "date", "--date-column")
    category = chosen(options.category_column, layout.categories, "category", "--category-column")
    if date is None or category is None:
        missing = " and ".join(w for w, i in (("a date", date), ("a category", category)) if i is None)
        raise NotThisFormat(
            f"{table.path.name} line {table.header_line}: found no column with {missing} of each incident; name "
            f"them with --date-column and --category-column (the header has {', '.join(repr(h) for h in header)})"
        )
    return layout, Columns(date=date, category=category, id=pick(header, layout.ids), area=pick(header, layout.areas))


def _counts(table: TextTable, groups: pd.DataFrame, mapping: dict[str, str] | None, options) -> dict:
    """Incidents per day and metric over the range, plus what was left out and why (no rows walked)."""
    dated = groups.loc[groups["date_state"] == "ok"].copy()
    if dated.empty:
        raise UserError(f"{table.path.name}: no row has a date; check the date column (--date-column)")
    dated["day"] = pd.to_datetime(dated["day"])
    start = pd.Timestamp(options.start) if options.start else dated["day"].min()
    end = pd.Timestamp(options.end) if options.end else dated["day"].max()
    with_category = dated.loc[dated["category"].notna()]
    inside = with_category["day"].between(start, end)
    # Categories are few and groups many: name each distinct value once.
    values = pd.unique(with_category["category"])
    names = {v: mapping.get(v.strip().lower()) if mapping is not None else slug(v) for v in values}
    metric = with_category["category"].map(names)
    chosen = with_category.assign(metric=metric)
    kept = chosen.loc[inside & chosen["metric"].notna()]
    metrics = sorted(set(mapping.values()) if mapping is not None else set(kept["metric"]))
    days = pd.date_range(start, end, freq="D")
    _check_size(table, metrics, days, mapping)
    per_day = kept.groupby(["metric", "day"])["incidents"].sum()
    grid = pd.MultiIndex.from_product([metrics, days], names=["metric", "day"])
    return {
        "values": per_day.reindex(grid, fill_value=0).astype("int64"),
        "start": start,
        "end": end,
        "from_file": (options.start is None, options.end is None),
        "chosen": chosen,
        "outside": int(chosen.loc[~inside, "rows"].sum()),
        "mapping": mapping,
        "metrics": metrics,
    }


def _check_size(table: TextTable, metrics: list[str], days: pd.DatetimeIndex, mapping) -> None:
    if mapping is None and len(metrics) > MAX_METRICS:
        raise UserError(
            f"{table.path.name}: the category column has {len(metrics):,} different values; choose the ones to "
            'keep with --categories "VALUE=metric,..." (e.g. "Prostitution=prostitution")'
        )
    if len(metrics) * len(days) > MAX_OUTPUT_ROWS:
        raise UserError(
            f"{table.path.name}: {len(days):,} days ({days[0]:%Y-%m-%d}..{days[-1]:%Y-%m-%d}) x {len(metrics):,} "
            f"metrics is more than {MAX_OUTPUT_ROWS:,} daily values; choose the range with --from/--to (a "
            "placeholder date such as 1900-01-01 stretches it) or fewer categories with --categories"
        )


def _skipped(con, table: TextTable, columns: Columns, found) -> dict[str, tuple[int, list[int], list[str]]]:
    """Rows skipped on purpose: how many, the lines of the first ones, or (in a big file) some of their ids.

    Finding lines takes a second, single-threaded pass; in a file of millions of rows that would cost more
    than the read itself, so there the skipped rows are named by their incident id instead.
    """
    groups = found.groups
    cases = {
        "blank date": (groups["date_state"] == "blank", "d IS NULL"),
        "blank category": ((groups["date_state"] == "ok") & groups["category"].isna(), "d IS NOT NULL AND cat IS NULL"),
    }
    small = table.path.stat().st_size <= LINES_BYTES or columns.id is None
    result = {}
    for reason, (mask, where) in cases.items():
        count = int(groups.loc[mask, "rows"].sum())
        if not count:
            continue
        if small:
            result[reason] = (count, skipped_lines(con, table, columns, where, total=found.rows), [])
        else:
            examples = sorted(str(e) for e in groups.loc[mask, "example"].dropna().unique())[:SHOWN_IDS]
            result[reason] = (count, [], examples)
    return result


def _frame(counts: dict, *, table: TextTable, columns: Columns, dataset: str, region: str) -> pd.DataFrame:
    """The observations as text, metric by metric (the grid is metrics x days, in that order)."""
    values: pd.Series = counts["values"]
    metrics, days = counts["metrics"], pd.date_range(counts["start"], counts["end"], freq="D")
    header = table.header
    seen = counts["chosen"].groupby("metric")["category"].unique()
    notes = []
    for metric in metrics:
        raw = sorted(seen.get(metric, []))
        if counts["mapping"] is not None and not raw:
            raw = sorted(v for v, m in counts["mapping"].items() if m == metric)
        listed = "; ".join(repr(v) for v in raw)
        note = f"incident-list rows with {header[columns.category]} = {listed[:200]}, by {header[columns.date]}"
        notes.append(note + (f", one per {header[columns.id]}" if columns.id is not None else ", every row counted"))
    n, k = len(days), len(metrics)
    # Each column is a few distinct strings repeated: take them from pyarrow instead of building Python strings.
    day_index = pa.array(np.tile(np.arange(n, dtype=np.int32), k))
    metric_index = pa.array(np.repeat(np.arange(k, dtype=np.int32), n))
    constant = pa.array(np.zeros(n * k, dtype=np.int32))
    day = pc.take(pa.array(days.strftime("%Y-%m-%d").tolist()), day_index)
    arrays = {
        "dataset": pc.take(pa.array([dataset]), constant),
        "region": pc.take(pa.array([region]), constant),
        "period_start": day,
        "period_end": day,
        "metric": pc.take(pa.array(list(metrics), pa.string()), metric_index),
        "value": pc.cast(pa.array(values.to_numpy()), pa.string()),
        "note": pc.take(pa.array(notes, pa.string()), metric_index),
    }
    result = pa.table(arrays).to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get)
    result[LINE] = np.full(len(result), table.header_line, dtype="int64")
    return result
