"""How the CLI speaks: text for people, ``--json`` for scripts, errors on stderr with exit code 2."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from typing import Any

import pandas as pd

from hotline_trends.errors import InputRejected, UserError


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date | pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, set):
        return sorted(value)
    return str(value)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts: None for missing values (JSON null, never NaN), dates as 'YYYY-MM-DD'."""
    frame = frame.copy()
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_datetime64_any_dtype(series) and (series.dropna() == series.dropna().dt.normalize()).all():
            frame[column] = series.dt.strftime("%Y-%m-%d")
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict(orient="records")


def emit(as_json: bool, payload: Any, text: str) -> None:
    if as_json:
        print(json.dumps(payload, default=_default, indent=2, ensure_ascii=False))
    else:
        print(text)


def note(message: str) -> None:
    """Progress and waiting messages: stderr, so ``--json`` output stays parseable."""
    print(message, file=sys.stderr, flush=True)


def table_text(frame: pd.DataFrame, *, empty: str, max_width: int = 48) -> str:
    if frame.empty:
        return empty
    shown = pd.DataFrame(records(frame), dtype=object).fillna("")  # object: blanks in number columns too
    shown = shown.map(lambda v: (str(v)[: max_width - 1] + "…") if len(str(v)) > max_width else v)
    return shown.to_string(index=False)


def fail(exc: UserError, as_json: bool) -> int:
    """Report a user error and return its exit code; never a traceback."""
    print(f"error: {exc}", file=sys.stderr)
    if as_json:
        payload: dict[str, Any] = {"error": str(exc), "exit_code": exc.exit_code}
        if isinstance(exc, InputRejected):
            payload.update(
                file=exc.file_name,
                rows_read=exc.rows_read,
                rejected=exc.bad_rows,
                added=0,
                revised=0,
                unchanged=0,
                problems=[{"line": p.line, "column": p.column, "message": p.message} for p in exc.problems],
            )
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    return exc.exit_code
