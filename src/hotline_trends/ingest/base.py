"""What a reader hands to the store: raw text rows named after a table spec, plus what it detected."""

from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from hotline_trends.errors import Problem, UserError

LINE = "_line"


class NotThisFormat(UserError):
    """A reader looked at a file and found it is not its format (auto-detection tries the next reader)."""


@dataclass(frozen=True)
class CsvLayout:
    """A delimited text file the store may bulk-read itself: the dialect and how headers map to columns."""

    path: Path
    encoding: str
    delimiter: str
    header_line: int
    header: tuple[str, ...]
    columns: tuple[str | None, ...]  # spec column for each header cell, None when ignored


@dataclass
class Incoming:
    """Rows a reader found, as raw text, ready for the store to check and add in one transaction.

    Exactly one of ``frame`` (text columns named after the spec plus ``_line``, the file line of each row)
    or ``csv`` (a plain file the store reads in bulk) is set.
    """

    table: str
    file_name: str
    sha256: str | Future[str]
    reader: str
    detected: dict[str, Any]
    frame: pd.DataFrame | None = None
    csv: CsvLayout | None = None
    skipped: list[Problem] = field(default_factory=list)
    # Columns the reader cannot know (an FBI file has no agency population) keep the stored value on a
    # revision instead of being blanked.
    keep_absent: bool = False
    # Rows skipped when a reader lists them per reason rather than one problem per row (incident lists).
    skipped_total: int | None = None

    def digest(self) -> str:
        """The file's sha256, waiting for it if it is still being computed in the background."""
        return self.sha256 if isinstance(self.sha256, str) else self.sha256.result()

    @property
    def rows_skipped(self) -> int:
        """How many rows the reader skipped on purpose."""
        return len(self.skipped) if self.skipped_total is None else self.skipped_total

    @property
    def present(self) -> set[str]:
        """Spec columns the input actually has."""
        if self.frame is not None:
            return {c for c in self.frame.columns if c != LINE}
        assert self.csv is not None
        return {c for c in self.csv.columns if c}


def text_frame(rows: list[tuple[int, dict[str, str]]], columns: list[str]) -> pd.DataFrame:
    """Rows ``(line, {column: text})`` as the text frame the store expects (``columns`` plus ``_line``).

    Example:
        >>> text_frame([(3, {"region": "TX", "value": "1,733"})], ["region", "value"]).to_dict("list")
        {'region': ['TX'], 'value': ['1,733'], '_line': [3]}
    """
    data = {c: [values.get(c, "") for _, values in rows] for c in columns}
    frame = pd.DataFrame(data, columns=columns, dtype="str")
    frame[LINE] = pd.array([line for line, _ in rows], dtype="int64")
    return frame


_HASHER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256")


def sha256_in_background(path: Path) -> Future[str]:
    """Start hashing a file on another thread (hashlib releases the GIL), so a bulk read can overlap it."""
    return _HASHER.submit(file_sha256, path)


def file_sha256(path: Path, *, chunk: int = 1 << 22) -> str:
    """Hex sha256 of a file's bytes, read in chunks so large files never sit in memory whole."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def rows_incoming(
    path: Path,
    *,
    table: str,
    reader: str,
    detected: dict[str, Any],
    rows: list[tuple[int, dict[str, str]]],
    columns: list[str],
    skipped: list[Problem] | None = None,
) -> Incoming:
    """The ``Incoming`` of a reader that shaped ``rows`` (``(line, {column: text})``) from the file at ``path``."""
    return Incoming(
        table=table,
        file_name=path.name,
        sha256=file_sha256(path),
        reader=reader,
        detected=detected,
        frame=text_frame(rows, columns),
        skipped=skipped or [],
    )
