"""Readers: one per real-world file format. Each returns raw rows plus what it detected.

``read_tables`` picks the reader from the file itself unless a format is forced; an unknown file gets an
error listing every format tried and why it did not fit. Most files give one table (``read_file``); the
FBI file gives two (agencies, then observations), which the store adds in one transaction.

Example:
    >>> from hotline_trends.paths import bundled_file
    >>> [i.table for i in read_tables(bundled_file("events"))]
    ['events']
"""

from __future__ import annotations

import csv
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hotline_trends.errors import UserError
from hotline_trends.ingest.base import Incoming, NotThisFormat
from hotline_trends.ingest.census import read_census
from hotline_trends.ingest.fbi_cde import read_fbi_cde
from hotline_trends.ingest.grid import TEXT, XLSX, file_kind
from hotline_trends.ingest.hotline_page import read_hotline_page
from hotline_trends.ingest.hotline_table import read_hotline_table
from hotline_trends.ingest.ical import read_ical
from hotline_trends.ingest.incident_options import IncidentOptions
from hotline_trends.ingest.incidents import read_incidents
from hotline_trends.ingest.limits import reading
from hotline_trends.ingest.nibrs import read_nibrs
from hotline_trends.ingest.nibrs_files import is_archive
from hotline_trends.ingest.tidy import read_tidy_csv
from hotline_trends.ingest.tidy_table import read_tidy_table
from hotline_trends.ingest.wide import read_wide
from hotline_trends.schema import SPECS

__all__ = ["READERS", "Incoming", "NotThisFormat", "ReadOptions", "read_file", "read_tables"]


@dataclass(frozen=True)
class ReadOptions:
    """What a user may tell a reader that a file does not say itself (each reader uses what applies)."""

    table: str | None = None  # tidy files: which table, when the header alone does not tell
    sheet: str | None = None  # Excel: sheet name or 1-based number (default: the first sheet)
    dataset: str | None = None  # wide files: the dataset of every row, e.g. 'my_tipline'
    metric: str | None = None  # wide files with one column per year: what the numbers count
    year: int | None = None  # hotline tables / wide files without a year in a heading or column
    region: str | None = None  # a hotline page that does not say which state it is about
    vintage: str | None = None  # Census: the estimates' vintage ('v2024'), when the file name does not say
    expand_from: date | None = None  # iCalendar: expand repeating events from this day ...
    expand_to: date | None = None  # ... to this day (default 2007-01-01..2030-12-31)
    timezone: str | None = None  # iCalendar: the zone in which UTC times become dates
    date_column: str | None = None  # incident lists: the column with each incident's date
    category_column: str | None = None  # incident lists: the column with each incident's category
    categories: str | None = None  # incident lists: "VALUE=metric,..." (only these are written)
    start: date | None = None  # incident lists: first day counted (default: the file's first date)
    end: date | None = None  # incident lists: last day counted (default: the file's last date)


ARCHIVE = "archive"
FOLDER = "folder"

Read = Callable[[Path, ReadOptions], "Incoming | list[Incoming]"]


@dataclass(frozen=True)
class Reader:
    name: str
    description: str
    read: Read
    kinds: tuple[str, ...] = (TEXT,)  # 'text', 'xlsx', 'archive' (a zip that is no workbook), 'folder'
    auto: bool = True  # tried when no format is given


def _tidy(table: str | None) -> Read:
    return lambda path, o: read_tidy_csv(path, table=table or o.table)


READERS: dict[str, Reader] = {
    r.name: r
    for r in [
        Reader(
            "ical",
            "iCalendar (.ics) events; every RRULE/RDATE expanded, LOCATION read as city/state",
            lambda p, o: read_ical(p, expand_from=o.expand_from, expand_to=o.expand_to, timezone=o.timezone),
        ),
        Reader(
            "hotline-table",
            "the hotline's 'Signals and cases by State in <year>' table(s): a saved page, or a CSV/XLSX copy",
            lambda p, o: read_hotline_table(p, sheet=o.sheet, year=o.year),
            (TEXT, XLSX),
        ),
        Reader(
            "hotline-page",
            "a hotline state or national statistics page (HTML or text) with its yearly sentences",
            lambda p, o: read_hotline_page(p, region=o.region),
        ),
        Reader(
            "fbi-cde",
            "the FBI Crime Data Explorer human-trafficking file (agencies and agency-year counts)",
            lambda p, o: read_fbi_cde(p, sheet=o.sheet),
            (TEXT, XLSX),
        ),
        Reader(
            "nibrs",
            "a CDE NIBRS state-year extract (zip or its folder) -> agencies and daily incidents per agency for "
            "64A, 64B, 40A, 40B, 40C",
            lambda p, o: read_nibrs(p, dataset=o.dataset),
            (ARCHIVE, FOLDER, TEXT),
        ),
        Reader(
            "incidents",
            "an incident list (one row per incident: a date and a category column; LA, SF, Chicago, Seattle, "
            "New Orleans portal exports) -> daily counts per category",
            lambda p, o: read_incidents(p, _incident_options(o)),
        ),
        Reader(
            "census-nst",
            "Census NST-EST 'alldata' state population estimates",
            lambda p, o: read_census(p, sheet=o.sheet, vintage=o.vintage),
            (TEXT, XLSX),
        ),
        Reader(
            "events",
            "events in the bundled events layout (CSV or XLSX; state names or codes)",
            lambda p, o: read_tidy_table(p, sheet=o.sheet, only="events", fmt="events"),
            (TEXT, XLSX),
        ),
        Reader(
            "wide",
            "a wide table: one row per region, one column per year (--metric) or per metric (--year); --dataset",
            lambda p, o: read_wide(p, sheet=o.sheet, dataset=o.dataset, metric=o.metric, year=o.year),
            (TEXT, XLSX),
        ),
        Reader(
            "tidy-xlsx",
            "a tidy table kept in an Excel sheet; the table is detected from the header",
            lambda p, o: read_tidy_table(p, table=o.table, sheet=o.sheet, fmt="tidy-xlsx"),
            (XLSX,),
        ),
        Reader("tidy-csv", "a tidy table as CSV; the table is detected from the header", _tidy(None)),
        *[Reader(f"{name}-csv", f"the tidy {name} table as CSV", _tidy(name), auto=False) for name in SPECS],
    ]
}


def _incident_options(o: ReadOptions) -> IncidentOptions:
    return IncidentOptions(
        date_column=o.date_column,
        category_column=o.category_column,
        categories=o.categories,
        region=o.region,
        dataset=o.dataset,
        start=o.start,
        end=o.end,
    )


def read_tables(path: Path, *, fmt: str | None = None, options: ReadOptions | None = None) -> list[Incoming]:
    """Read ``path`` with the named reader, or with the first reader that recognises it.

    Every read runs within the budgets of ``ingest.limits`` (size, lines, cells, rows, time).

    Raises:
        UserError: the file is missing, no reader recognises it, the forced reader rejects it, or the file
            breaks a limit.
    """
    with reading(path.name):
        try:
            return _read_tables(path, fmt=fmt, options=options or ReadOptions())
        except (csv.Error, OverflowError, RecursionError, zipfile.BadZipFile, zlib.error) as exc:
            # Parsers of damaged files raise these from deep inside; the user needs a sentence, not a trace.
            raise UserError(f"{path.name}: the file could not be read ({type(exc).__name__}: {exc})") from None
        except MemoryError:
            raise UserError(f"{path.name}: the file needs more memory than this machine has; split it") from None


def _read_tables(path: Path, *, fmt: str | None, options: ReadOptions) -> list[Incoming]:
    if not path.exists():
        raise UserError(f"{path}: no such file; check the path")
    kind = FOLDER if path.is_dir() else ARCHIVE if is_archive(path) else file_kind(path)
    if fmt:
        if fmt not in READERS:
            raise UserError(f"unknown format {fmt!r}; known formats: {', '.join(READERS)}")
        reader = READERS[fmt]
        if kind not in reader.kinds:
            what = {XLSX: "an Excel workbook", ARCHIVE: "a zip archive", FOLDER: "a folder"}.get(kind, "a text file")
            raise UserError(f"{path.name}: the {fmt} reader does not read {what}; leave out --format to detect it")
        return _as_list(reader.read(path, options))
    declined: list[str] = []
    for reader in READERS.values():
        if not reader.auto or kind not in reader.kinds:
            continue
        try:
            return _as_list(reader.read(path, options))
        except NotThisFormat as exc:
            declined.append(f"{reader.name}: {exc}")
    if kind == FOLDER:
        raise UserError(f"{path}: is a folder; give the path of one file (or of an unpacked CDE NIBRS extract)")
    if kind == ARCHIVE:
        raise UserError(
            f"{path.name}: a zip archive that is neither an Excel workbook nor a CDE NIBRS extract ("
            + "; ".join(declined)
            + "); save the data as .xlsx or CSV and ingest that file"
        )
    raise UserError(
        f"{path.name}: no reader recognised this file. Tried: " + "; ".join(declined) + ". Use --format to force one."
    )


def read_file(path: Path, *, fmt: str | None = None, options: ReadOptions | None = None) -> Incoming:
    """Like ``read_tables`` for a file that gives one table (every format but the FBI file).

    Raises:
        UserError: as ``read_tables``, or the file gives several tables (use ``read_tables``).
    """
    tables = read_tables(path, fmt=fmt, options=options)
    if len(tables) != 1:
        raise UserError(f"{path.name} gives {len(tables)} tables ({', '.join(t.table for t in tables)}); read_tables")
    return tables[0]


def _as_list(result: Incoming | list[Incoming]) -> list[Incoming]:
    return result if isinstance(result, list) else [result]
