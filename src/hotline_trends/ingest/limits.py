"""The budgets every reader works within, so a hostile or broken file gets a clear error, not hours or gigabytes.

The numbers are generous for real files (a hotline page is under 1 MB, a city calendar a few hundred
events, an FBI download a few thousand rows) and small enough that a zip bomb, a 200 MB line or a rule that
repeats every second is refused within seconds. Each limit's message names it, says what was found and how
to fix the file. ``read_tables`` opens a time budget for each read (``reading``); long loops call
``check_time``. Tests and ``bench/hostile.py`` tighten the limits with ``limited(...)``.

Example:
    >>> with limited(columns=3):
    ...     current().columns
    3
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace

from hotline_trends.errors import UserError

MB = 1_000_000  # decimal, as file managers show sizes
SECONDS_ENV = "HOTLINE_TRENDS_READ_SECONDS"
# One cell of a delimited file: the csv module's own cap (process-wide, so it is not changed here).
CELL_CHARS = 131_072


@dataclass(frozen=True)
class Limits:
    """What one read may take. Sizes in bytes, counts in items, time in seconds."""

    line_bytes: int = 8 * MB  # the longest line of a text file (found before anything is parsed)
    columns: int = 16_384  # cells in one row (Excel's own maximum)
    grid_cells: int = 4_000_000  # rows x columns a reader holds in memory (every reader but tidy-csv)
    rows: int = 50_000_000  # data rows of a tidy CSV (read in bulk by the store)
    page_bytes: int = 16 * MB  # an HTML page or an iCalendar file, parsed as a whole
    page_cells: int = 100_000  # table cells of one HTML page (the hotline's table has about 300)
    zip_bytes: int = 250 * MB  # the parts of an .xlsx workbook, uncompressed, together
    zip_ratio: int = 200  # uncompressed / compressed size of any part over ``zip_ratio_from`` bytes
    zip_ratio_from: int = 1 * MB
    zip_parts: int = 10_000  # files inside an .xlsx workbook
    calendar_events: int = 20_000  # VEVENT blocks in one calendar
    occurrences: int = 20_000  # dates one calendar gives after expanding its rules
    seconds: float = 120.0  # wall time of one read (HOTLINE_TRENDS_READ_SECONDS)


def _defaults() -> Limits:
    seconds = os.environ.get(SECONDS_ENV)
    try:
        return Limits(seconds=float(seconds)) if seconds else Limits()
    except ValueError:
        raise UserError(f"{SECONDS_ENV}={seconds!r} is not a number of seconds; unset it or write e.g. 300") from None


_LIMITS: ContextVar[Limits | None] = ContextVar("hotline_trends_limits", default=None)
_DEADLINE: ContextVar[tuple[float, float, str] | None] = ContextVar("hotline_trends_deadline", default=None)


def current() -> Limits:
    """The limits in force (the defaults unless ``limited`` changed them)."""
    return _LIMITS.get() or _defaults()


@contextmanager
def limited(**changes: float) -> Iterator[Limits]:
    """Run a block with some limits changed, e.g. ``with limited(seconds=0.5, grid_cells=1000):``."""
    token = _LIMITS.set(replace(current(), **changes))
    try:
        yield current()
    finally:
        _LIMITS.reset(token)


@contextmanager
def reading(file_name: str) -> Iterator[None]:
    """Start the time budget of one read (a read inside another keeps the outer budget)."""
    if _DEADLINE.get() is not None:
        yield
        return
    seconds = current().seconds
    token = _DEADLINE.set((time.monotonic() + seconds, seconds, file_name))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_time(line: int | None = None) -> None:
    """Raise when the read has used up its time budget; cheap enough to call once per row."""
    deadline = _DEADLINE.get()
    if deadline is None or time.monotonic() < deadline[0]:
        return
    _, seconds, file_name = deadline
    where = f" (stopped at line {line:,})" if line else ""
    raise UserError(
        f"{file_name}: reading took longer than {seconds:g} s, the time budget of one read{where}; nothing was "
        f"added. Split the file, save it as a plain tidy CSV, or raise {SECONDS_ENV}"
    )


def size_text(n: float) -> str:
    """'125 MB', '8 MB', '512 KB' (decimal units, as file managers show them).

    Example:
        >>> size_text(125_000_000), size_text(8 * MB), size_text(131_072), size_text(999_999_000)
        ('125 MB', '8.0 MB', '131 KB', '1.0 GB')
    """
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= size * 0.9995:  # 999.9 MB reads '1.0 GB', not '1000 MB'
            value = n / size
            return f"{value:.0f} {unit}" if value >= 10 else f"{value:.1f} {unit}"
    return f"{n:.0f} bytes"
