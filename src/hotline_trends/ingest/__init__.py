"""Readers: one per real-world file format. Each returns raw rows plus what it detected.

``read_file`` picks the reader from the file itself unless a format is forced; an unknown file gets an
error listing every format tried and why it did not fit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hotline_trends.errors import UserError
from hotline_trends.ingest.base import Incoming
from hotline_trends.ingest.tidy import read_tidy_csv
from hotline_trends.schema import SPECS


class NotThisFormat(UserError):
    """A reader looked at a file and found it is not its format (try the next reader)."""


@dataclass(frozen=True)
class ReadOptions:
    """What a user may tell a reader that a file does not say itself."""

    table: str | None = None


@dataclass(frozen=True)
class Reader:
    name: str
    description: str
    read: Callable[[Path, ReadOptions], Incoming]
    auto: bool = True  # tried when no format is given


def _tidy(table: str | None) -> Callable[[Path, ReadOptions], Incoming]:
    return lambda path, options: read_tidy_csv(path, table=table or options.table)


READERS: dict[str, Reader] = {
    "tidy-csv": Reader("tidy-csv", "a tidy table as CSV; the table is detected from the header", _tidy(None)),
    **{
        f"{name}-csv": Reader(f"{name}-csv", f"the tidy {name} table as CSV", _tidy(name), auto=False) for name in SPECS
    },
}


def read_file(path: Path, *, fmt: str | None = None, options: ReadOptions | None = None) -> Incoming:
    """Read ``path`` with the named reader, or with the first reader that recognises it.

    Raises:
        UserError: the file is missing, no reader recognises it, or the forced reader rejects it.
    """
    options = options or ReadOptions()
    if not path.exists():
        raise UserError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise UserError(f"{path}: is a folder; give the path of one file")
    if fmt:
        if fmt not in READERS:
            raise UserError(f"unknown format {fmt!r}; known formats: {', '.join(READERS)}")
        return READERS[fmt].read(path, options)
    declined: list[str] = []
    for reader in READERS.values():
        if not reader.auto:
            continue
        try:
            return reader.read(path, options)
        except NotThisFormat as exc:
            declined.append(f"{reader.name}: {exc}")
    raise UserError(
        f"{path.name}: no reader recognised this file. Tried: " + "; ".join(declined) + ". Use --format to force one."
    )
