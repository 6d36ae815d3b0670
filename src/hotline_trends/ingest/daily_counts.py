"""A plain ``date,count`` file for a quick look on the Monitor page or ``monitor --file``: read and checked,
never stored. To keep the counts, ``tidy_csv`` writes them in the tidy layout the ingest path adds.

Comma, semicolon or tab; UTF-8 (with or without BOM) or Latin-1; a header naming the two columns (``date``
or ``day``; ``count``, ``value`` or ``n``); ISO dates; whole counts of 0 or more; an empty count is a day
whose count is unknown (missing, not zero). Every problem is reported by line and column, all at once.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import numpy as np
import pandas as pd

from hotline_trends.errors import InputRejected, Problem, UserError
from hotline_trends.ingest.grid import guess_grid_delimiter

DATE_NAMES = ("date", "day")
COUNT_NAMES = ("count", "value", "n")
MAX_ROWS = 100_000
LAYOUT_HINT = "a header line 'date,count', then one line per day such as '2024-03-01,12'"


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _columns(header: list[str], where: str) -> tuple[int, int]:
    names = [h.strip().lower() for h in header]
    found_date = next((names.index(n) for n in DATE_NAMES if n in names), None)
    found_count = next((names.index(n) for n in COUNT_NAMES if n in names), None)
    if found_date is None or found_count is None:
        shown = ", ".join(repr(h.strip()) for h in header) or "nothing"
        raise UserError(
            f"{where}: expected a header naming the columns date and count (found {shown}); "
            f"the file needs {LAYOUT_HINT}."
        )
    return found_date, found_count


def read_daily_counts(data: bytes, file_name: str) -> pd.DataFrame:
    """``date`` (datetime64) and ``count`` (float, NaN = missing), one row per day, oldest first.

    Raises ``UserError`` / ``InputRejected`` naming the line and column of every problem.

    Example:
        >>> read_daily_counts(b"date,count\\n2024-03-02,5\\n2024-03-01,\\n", "tips.csv").values.tolist()
        [[Timestamp('2024-03-01 00:00:00'), nan], [Timestamp('2024-03-02 00:00:00'), 5.0]]
    """
    text = _text(data)
    lines = [(i, line) for i, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        raise UserError(f"{file_name} is empty; the file needs {LAYOUT_HINT}.")
    delimiter = guess_grid_delimiter("\n".join(line for _, line in lines[:40]))
    rows = [(i, next(csv.reader([line], delimiter=delimiter))) for i, line in lines]
    (header_line, header), body = rows[0], rows[1:]
    date_at, count_at = _columns(header, f"{file_name} line {header_line}")
    if not body:
        raise UserError(f"{file_name} has a header but no days; add one line per day, such as '2024-03-01,12'.")
    if len(body) > MAX_ROWS:
        raise UserError(f"{file_name} has {len(body):,} days; a quick look takes at most {MAX_ROWS:,}.")
    problems: list[Problem] = []
    seen: dict[date, int] = {}
    dates, counts = [], []
    for line, fields in body:
        raw_date = fields[date_at].strip() if date_at < len(fields) else ""
        raw_count = fields[count_at].strip() if count_at < len(fields) else ""
        day = _date(raw_date, line, problems)
        count = _count(raw_count, line, problems)
        if day is not None and day in seen:
            problems.append(Problem(f"{day} is already on line {seen[day]}; keep one line per day", line, "date"))
        elif day is not None:
            seen[day] = line
        dates.append(day)
        counts.append(count)
    if problems:
        bad = len({p.line for p in problems})
        raise InputRejected(file_name=file_name, problems=problems, bad_rows=bad, rows_read=len(body))
    frame = pd.DataFrame({"date": pd.to_datetime([d.isoformat() for d in dates]), "count": np.array(counts, float)})
    return frame.sort_values("date").reset_index(drop=True)


def _date(raw: str, line: int, problems: list[Problem]) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        shown = repr(raw) if raw else "an empty cell"
        problems.append(Problem(f"{shown} is not a date; write dates as YYYY-MM-DD, e.g. 2024-03-01", line, "date"))
        return None


def _count(raw: str, line: int, problems: list[Problem]) -> float:
    if raw == "":
        return np.nan
    try:
        value = float(raw.replace(",", "").replace("_", ""))
    except ValueError:
        value = np.nan
    if not np.isfinite(value) or value < 0 or value != int(value):
        problems.append(
            Problem(
                f"{raw!r} is not a count; write a whole number of 0 or more (leave it empty if unknown)", line, "count"
            )
        )
        return np.nan
    return value


def tidy_csv(daily: pd.DataFrame, *, dataset: str, metric: str, region: str, source_id: str) -> bytes:
    """The counts as the tidy observations file the ingest path adds (days without a count left out)."""
    known = daily.loc[daily["count"].notna()]
    day = known["date"].dt.strftime("%Y-%m-%d")
    frame = pd.DataFrame(
        {
            "dataset": dataset,
            "region": region,
            "period_start": day,
            "period_end": day,
            "metric": metric,
            "value": known["count"].astype(int),
            "source_id": source_id,
        }
    )
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode()
