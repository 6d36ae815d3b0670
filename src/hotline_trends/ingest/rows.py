"""Read a delimited file row by row, keeping the file line where each row starts."""

from __future__ import annotations

import csv
from collections.abc import Iterator

import pandas as pd

from hotline_trends.errors import InputRejected, Problem
from hotline_trends.ingest.base import LINE, CsvLayout, Incoming
from hotline_trends.ingest.limits import CELL_CHARS, Limits, check_time, current


def iter_records(layout: CsvLayout, *, limits: Limits | None = None) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line, fields)`` for every record after the header, blank ones included.

    Raises:
        InputRejected: the bytes stop being valid in the detected encoding, a cell is longer than
            ``CELL_CHARS`` (usually an unclosed quote), a row has more than ``limits.columns`` cells, or
            the file has more than ``limits.rows`` rows.
    """
    limits = limits or current()
    with open(layout.path, encoding=layout.encoding, newline="", errors="strict") as handle:
        reader = csv.reader(handle, delimiter=layout.delimiter, quotechar='"', doublequote=True)
        previous_end = 0
        try:
            for count, fields in enumerate(reader):
                start, previous_end = previous_end + 1, reader.line_num
                if len(fields) > limits.columns:
                    raise _rejected(
                        layout,
                        start,
                        f"the row has {len(fields):,} cells; at most {limits.columns:,} are read (Excel's own "
                        "limit). Check the delimiter, or keep only the columns you need",
                    )
                if count > limits.rows:
                    raise _rejected(
                        layout, start, f"the file has more than {limits.rows:,} rows, the limit of one ingest; split it"
                    )
                if count % 4096 == 0:
                    check_time(start)
                if start > layout.header_line:
                    yield start, fields
        except UnicodeDecodeError as exc:
            raise _rejected(
                layout,
                previous_end + 1,
                f"bytes that are not valid {layout.encoding} text ({exc.reason}); save the whole file as 'CSV UTF-8'",
            ) from None
        except csv.Error as exc:
            if "field larger than field limit" not in str(exc):
                raise _rejected(layout, previous_end + 1, f"the row cannot be read as CSV ({exc})") from None
            raise _rejected(
                layout,
                previous_end + 1,
                f"a cell longer than {CELL_CHARS:,} characters, the limit for one cell; usually a quote "
                '(") that is never closed, so the rest of the file reads as one cell. Close or remove the quote',
            ) from None


def _rejected(layout: CsvLayout, line: int, message: str) -> InputRejected:
    return InputRejected(layout.path.name, [Problem(message, line=line)])


def read_frame(layout: CsvLayout) -> tuple[pd.DataFrame, int]:
    """All data rows as text columns named after the spec, plus ``_line``; also the number of blank lines.

    Raises:
        InputRejected: a row has more fields than the header (usually an unquoted delimiter in text).
    """
    keep = [(i, name) for i, name in enumerate(layout.columns) if name]
    width = len(layout.header)
    data: dict[str, list[str]] = {name: [] for _, name in keep}
    lines: list[int] = []
    problems: list[Problem] = []
    blank = 0
    for line, fields in iter_records(layout):
        if not any(f.strip() for f in fields):
            blank += 1
            continue
        if len(fields) > width and any(f.strip() for f in fields[width:]):
            problems.append(
                Problem(
                    f"the row has {len(fields)} fields but the header has {width}; a text field probably "
                    f"contains the delimiter {layout.delimiter!r} without quotes around it",
                    line=line,
                )
            )
            continue
        lines.append(line)
        for i, name in keep:
            data[name].append(fields[i] if i < len(fields) else "")
    if problems:
        raise InputRejected(layout.path.name, problems, bad_rows=len(problems), rows_read=len(lines) + len(problems))
    frame = pd.DataFrame(data, dtype="str")
    frame[LINE] = pd.array(lines, dtype="int64")
    return frame, blank


def preview(incoming: Incoming, *, limit: int = 50) -> pd.DataFrame:
    """The first ``limit`` rows a reader found, as text with their file line (for showing before adding).

    Example:
        >>> from hotline_trends.ingest.tidy import read_tidy_csv
        >>> from hotline_trends.paths import bundled_file
        >>> preview(read_tidy_csv(bundled_file("regions")), limit=2)["region"].tolist()
        ['US', 'AL']
    """
    if incoming.frame is not None:
        return incoming.frame.head(limit)
    layout = incoming.csv
    assert layout is not None
    keep = [(i, name) for i, name in enumerate(layout.columns) if name]
    rows, lines = [], []
    for line, fields in iter_records(layout):
        if not any(f.strip() for f in fields):
            continue
        rows.append([fields[i] if i < len(fields) else "" for i, _ in keep])
        lines.append(line)
        if len(rows) >= limit:
            break
    frame = pd.DataFrame(rows, columns=[name for _, name in keep], dtype="str")
    frame[LINE] = pd.array(lines, dtype="int64")
    return frame
