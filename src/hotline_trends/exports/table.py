"""CSV bytes of the data behind a chart: source and reliability always present, formula-like text made
inert, and an optional suppression of small counts."""

from __future__ import annotations

import pandas as pd

# A spreadsheet treats a cell beginning with one of these as a formula (CSV injection); tab and carriage
# return are in OWASP's list too because some spreadsheets strip them before parsing. Leading blanks and
# line breaks are skipped before looking, since a spreadsheet may skip them too (" =1", "\n=1", "\r=1").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_SIGNS = ("=", "+", "-", "@")
# CRLF between rows (RFC 4180): the csv module quotes every cell holding a character of the row
# terminator, so a cell with a bare CR or LF is always quoted and cannot start a row of its own.
LINE_END = "\r\n"
REQUIRED = ("source_id", "reliability")
COUNT_COLUMNS = ("value",)
# Columns computed from a count: a suppressed count must not be recoverable from them.
DERIVED_FROM_COUNT = ("rate_per_100k",)
SUPPRESSED = "<3"


def is_formula_like(text: str) -> bool:
    """True for text a spreadsheet could run: it starts with tab or CR, or with = + - @ after any blanks.

    Example:
        >>> [is_formula_like(t) for t in ["=1", " \\n=1", "\\r=1", "\\tq", "a=1", "1-2", ""]]
        [True, True, True, True, False, False, False]
    """
    return text.startswith(FORMULA_STARTS) or text.lstrip().startswith(FORMULA_SIGNS)


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe (numbers untouched).

    Example:
        >>> neutralise(pd.DataFrame({"t": ["=1+1", "ok", "-x", " @a", "\\tq"], "n": [-1, 2, 3, 4, 5]})).values.tolist()
        [["'=1+1", -1], ['ok', 2], ["'-x", 3], ["' @a", 4], ["'\\tq", 5]]
    """
    result = frame.copy()
    for column in result.columns:
        values = result[column]
        if not (pd.api.types.is_string_dtype(values) or values.dtype == object):
            continue
        text = values.map(lambda v: ("'" + v) if isinstance(v, str) and is_formula_like(v) else v)
        result[column] = text
    return result


def suppress_small(frame: pd.DataFrame) -> pd.DataFrame:
    """Show counts of 1 or 2 as '<3' and blank the rates computed from them; adds a ``suppressed`` column.

    Example:
        >>> suppress_small(pd.DataFrame({"value": [0, 1, 2, 3], "rate_per_100k": [0.0, 0.1, 0.2, 0.3]})).values.tolist()
        [['0', '0', False], ['<3', '', True], ['<3', '', True], ['3', '0.3', False]]
    """
    result = frame.copy()
    small = pd.Series(False, index=result.index)
    for column in COUNT_COLUMNS:
        if column in result:
            small |= pd.to_numeric(result[column], errors="coerce").between(1, 2)
    for column in (*COUNT_COLUMNS, *DERIVED_FROM_COUNT):
        if column in result:
            text = result[column].map(_text).astype("str")
            result[column] = text.mask(small, SUPPRESSED if column in COUNT_COLUMNS else "")
    result["suppressed"] = small
    return result


def _text(value: object) -> str:
    """A number as it would print in a CSV: whole floats without '.0', missing as ''."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def csv_bytes(frame: pd.DataFrame, *, suppress: bool = False) -> bytes:
    """UTF-8 CSV of ``frame`` for download, rows ending CRLF, any cell with a delimiter, quote, CR or LF quoted.

    Raises:
        ValueError: ``source_id`` or ``reliability`` is missing.
    """
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ValueError(f"an export needs the columns {', '.join(REQUIRED)}; missing: {', '.join(missing)}")
    shaped = suppress_small(frame) if suppress else frame
    return neutralise(shaped).to_csv(index=False, lineterminator=LINE_END, date_format="%Y-%m-%d").encode("utf-8")
