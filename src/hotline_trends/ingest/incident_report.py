"""What the incident reader tells the user: the columns it used, the range, rows per category, what it skipped.

``detected`` holds the figures (for ``--json`` and the Data page); ``summary`` the same as short lines the
CLI prints under its usual report.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from hotline_trends.errors import Problem
from hotline_trends.ingest.datetext import describe
from hotline_trends.ingest.duckscan import TextTable
from hotline_trends.ingest.incident_layouts import Layout
from hotline_trends.ingest.incident_scan import Columns, Scan

LISTED = 12


def report(
    *,
    table: TextTable,
    layout: Layout,
    columns: Columns,
    found: Scan,
    counts: dict,
    skipped: dict[str, tuple[int, list[int], list[str]]],
    region: str,
    dataset: str,
) -> tuple[dict[str, Any], list[Problem], int]:
    """``(detected, skipped problems, rows skipped)`` for an incident list."""
    header = table.header
    used = {"date": header[columns.date], "category": header[columns.category]}
    used |= {k: header[i] for k, i in (("id", columns.id), ("area", columns.area)) if i is not None}
    start, end = counts["start"], counts["end"]
    days = (end - start).days + 1
    chosen: pd.DataFrame = counts["chosen"]
    per_value = _per_value(chosen, start, end)
    written = per_value.loc[per_value["metric"].notna()]
    others = per_value.loc[per_value["metric"].isna()]
    missing = []
    if counts["mapping"] is not None:
        present = {str(v).strip().lower() for v in written["category"]}
        missing = sorted(v for v in counts["mapping"] if v not in present)
    rows_written = int(written["rows"].sum())
    repeats = rows_written - int(written["incidents"].sum())
    skipped_rows = sum(n for n, _, _ in skipped.values())
    problems = [
        Problem(
            f"{n:,} row{'s' if n != 1 else ''} with a {reason} cell skipped"
            + (f" ({_lines(lines, n)})" if lines else "")
            + (f" (e.g. {used.get('id', 'id')} {', '.join(map(repr, ids))})" if ids else ""),
            lines[0] if lines else None,
            used["date"] if reason == "blank date" else used["category"],
        )
        for reason, (n, lines, ids) in skipped.items()
    ]
    detected = {
        "layout": layout.label,
        **table.detected,
        "columns_used": used,
        "date_formats": describe(found.formats, used=found.formats_used),
        "range": f"{start:%Y-%m-%d}..{end:%Y-%m-%d}",
        "range_from": "the file's first and last day" if all(counts["from_file"]) else "--from/--to",
        "days": days,
        "region": region,
        "dataset": dataset,
        "metrics": counts["metrics"],
        "records": found.rows,
        "rows_per_category": written.head(200).to_dict("records"),
        "categories_not_written": {"values": len(others), "rows": int(others["rows"].sum())},
        "categories_without_rows": missing,
        "rows_outside_range": counts["outside"],
        "repeated_rows_counted_once": repeats,
        "rows_skipped": {reason: n for reason, (n, _, _) in skipped.items()},
        "areas": _areas(found.areas, chosen) if found.areas_counted or "area" not in used else None,
    }
    detected["summary"] = _summary(detected, others)
    return detected, problems, skipped_rows


def _lines(lines: list[int], n: int) -> str:
    if n == 1:
        return f"line {lines[0]}"
    return f"{'first ' if n > len(lines) else ''}on lines {', '.join(map(str, lines))}"


def _per_value(chosen: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    inside = chosen.loc[chosen["day"].between(start, end)]
    result = (
        inside.groupby("category", dropna=False)
        .agg(metric=("metric", "first"), rows=("rows", "sum"), incidents=("incidents", "sum"))
        .reset_index()
        .sort_values(["rows", "category"], ascending=[False, True])
    )
    result["rows"] = result["rows"].astype("int64")
    result["incidents"] = result["incidents"].astype("int64")
    return result.reset_index(drop=True)


def _areas(areas: pd.DataFrame, chosen: pd.DataFrame) -> dict[str, str]:
    """The busiest areas of each written metric ('Mission 3, Tenderloin 1'), all dates."""
    if areas["area"].notna().sum() == 0:
        return {}
    metric_of = chosen.drop_duplicates("category").set_index("category")["metric"]
    frame = areas.assign(metric=areas["category"].map(metric_of)).dropna(subset=["metric", "area"])
    totals = frame.groupby(["metric", "area"], as_index=False)["rows"].sum()
    top = totals.sort_values(["metric", "rows", "area"], ascending=[True, False, True]).groupby("metric").head(3)
    text = top["area"].astype("str") + " " + top["rows"].map("{:,}".format)
    return {str(metric): ", ".join(part) for metric, part in text.groupby(top["metric"])}


def _summary(d: dict[str, Any], others: pd.DataFrame) -> list[str]:
    used = d["columns_used"]
    columns = (
        f"date {used['date']!r} ({', '.join(d['date_formats']) or 'no readable date'}), category {used['category']!r}"
    )
    columns += f", id {used['id']!r}" if "id" in used else " (no id column: every row counts)"
    columns += f", area {used['area']!r}" if "area" in used else ""
    lines = [
        f"layout: {d['layout']}; columns: {columns}",
        f"range {d['range']} ({d['days']:,} days, {d['range_from']}); every day without a row is 0; "
        f"region {d['region']}; dataset {d['dataset']}",
    ]
    for row in d["rows_per_category"][:LISTED]:
        lines.append(f"{row['category']!r} -> {row['metric']}: {row['rows']:,} rows, {row['incidents']:,} counted")
    if len(d["rows_per_category"]) > LISTED:
        lines.append(f"... and {len(d['rows_per_category']) - LISTED} more categories (see --json)")
    for value in d["categories_without_rows"]:
        lines.append(f"{value!r}: no rows in the range (written as 0 every day)")
    if len(others):
        names = ", ".join(repr(v) for v in others["category"].head(3))
        lines.append(
            f"not written (not in --categories): {int(others['rows'].sum()):,} rows in {len(others):,} "
            f"categor{'y' if len(others) == 1 else 'ies'} ({names}{', ...' if len(others) > 3 else ''})"
        )
    if d["rows_outside_range"]:
        lines.append(f"outside the range: {d['rows_outside_range']:,} rows not counted")
    if d["repeated_rows_counted_once"]:
        lines.append(f"repeated rows of one incident counted once: {d['repeated_rows_counted_once']:,}")
    for metric, areas in (d["areas"] or {}).items():
        lines.append(f"busiest areas, {metric}: {areas}")
    if d["areas"] is None:
        lines.append(f"rows per {used['area']!r} not counted in a file this big (over 64 MB)")
    return lines
