"""Dates as police exports write them, read by DuckDB: the date as written, never shifted to another zone.

Portals write ``2024-01-02``, ``2024-01-02T23:50:00.000`` (Socrata API, New Orleans), ``2024/01/02 11:50:00
PM`` (San Francisco), ``01/02/2024 11:50:00 PM`` (Los Angeles, Chicago, Seattle), ``1/2/2024 23:50`` (a
spreadsheet's re-save) or ``15-JAN-19`` (older FBI files). Slashed dates with the year last are read month
first, as U.S. portals write them. A time of day is checked for form but only the date is kept, so a 23:50
incident stays on its own day.

Example:
    >>> import duckdb
    >>> text = "'01/02/2024 11:50:00 PM'"
    >>> duckdb.connect().execute("SELECT " + date_sql(text) + " AS day").fetchone()
    (datetime.date(2024, 1, 2),)
"""

from __future__ import annotations

FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%g",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S.%gZ",
    "%Y-%m-%d %H:%M:%S.%g",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %I:%M %p",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%m/%d/%Y",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d-%b-%y",
    "%d-%b-%Y",
    "%d-%b-%y %H:%M:%S",
)
SAMPLE_ROWS = 2000
HOW_TO_WRITE = (
    "dates must read as YYYY-MM-DD, YYYY/MM/DD or MM/DD/YYYY (month first, as U.S. portals write them), "
    "optionally followed by a time"
)


def _list(formats: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in formats) + "]"


def date_sql(text_sql: str, formats: tuple[str, ...] | list[str] = FORMATS) -> str:
    """SQL for the DATE that ``text_sql`` writes (NULL when no format reads it); formats tried in order."""
    return f"CAST(try_strptime(trim({text_sql}), {_list(list(formats) or FORMATS)}) AS DATE)"


def detect_formats(con, values_sql: str) -> tuple[list[str], int]:
    """Every format, those that read the first non-blank values first (most used first), and how many did.

    ``values_sql`` is a query with one text column ``v``; putting the file's own format first makes the
    whole-file read try one format per value, and keeping the others still reads a file that mixes them.
    """
    counts = ", ".join(f"count(try_strptime(v, '{f}'))" for f in FORMATS)
    row = con.execute(
        f"""WITH sample AS (SELECT trim(v) AS v FROM ({values_sql}) WHERE nullif(trim(v), '') IS NOT NULL
                            LIMIT {SAMPLE_ROWS})
            SELECT {counts} FROM sample"""
    ).fetchone()
    hits = sorted((-n, i, f) for i, (f, n) in enumerate(zip(FORMATS, row, strict=True)) if n)
    used = [f for _, _, f in hits]
    return used + [f for f in FORMATS if f not in used], len(used)


def describe(formats: list[str], *, used: int) -> list[str]:
    """The formats a file used, as a person writes them ('MM/DD/YYYY hh:mm:ss AM')."""
    words = {"%Y": "YYYY", "%m": "MM", "%d": "DD", "%H": "hh", "%I": "hh", "%M": "mm", "%S": "ss", "%p": "AM"}
    words |= {"%g": "fff", "%f": "ffffff", "%b": "MON", "%y": "YY"}
    shown = []
    for fmt in formats[:used]:
        text = fmt
        for code, word in words.items():
            text = text.replace(code, word)
        shown.append(text)
    return shown
