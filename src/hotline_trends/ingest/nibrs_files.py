"""Find the tables of a CDE NIBRS state-year extract: a zip as downloaded, its unpacked folder, or a table in it.

CDE packs one state-year as CSV tables. 2016-2020 extracts name them in lower case (``nibrs_incident.csv``,
``nibrs_offense.csv`` with ``offense_type_id``, ``nibrs_offense_type.csv``, ``nibrs_month.csv``,
``agencies.csv``); from 2021 the names are upper case (``NIBRS_incident.csv``, ``NIBRS_OFFENSE.csv`` with
``offense_code``, ...). Names are matched without case, in any sub-folder; members of a zip are copied
to a temporary folder, within a size budget, so DuckDB can read them.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from hotline_trends.errors import UserError
from hotline_trends.ingest.base import NotThisFormat, file_sha256

TABLES = {
    "incident": ("nibrs_incident.csv",),
    "offense": ("nibrs_offense.csv",),
    "offense_type": ("nibrs_offense_type.csv",),
    "month": ("nibrs_month.csv",),
    "agencies": ("agencies.csv", "cde_agencies.csv", "nibrs_agencies.csv"),
}
REQUIRED = ("incident", "offense", "month", "agencies")
MAX_UNPACKED = 8 << 30  # bytes: a large state-year is a few GB
MAX_RATIO = 200  # CSV compresses 5-20x; far more is a zip bomb, not a table


@dataclass(frozen=True)
class Extract:
    """The tables found (name -> path on disk), what was given, and its digest."""

    tables: dict[str, Path]
    members: dict[str, str]  # name -> the member or file name as the extract has it
    label: str
    sha256: str


def is_archive(path: Path) -> bool:
    """A zip file that is not an Excel workbook (those are zips too)."""
    if not path.is_file() or not zipfile.is_zipfile(path):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" not in archive.namelist()
    except zipfile.BadZipFile:
        return False  # grid.file_kind explains a damaged zip


def _which(name: str) -> str | None:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return next((table for table, names in TABLES.items() if base in names), None)


def _pick(names: list[str], label: str) -> dict[str, str]:
    found: dict[str, list[str]] = {}
    for name in names:
        table = _which(name)
        if table:
            found.setdefault(table, []).append(name)
    if "incident" not in found or "offense" not in found:
        raise NotThisFormat(f"{label}: no nibrs_incident.csv and nibrs_offense.csv, so not a CDE NIBRS extract")
    twice = {t: n for t, n in found.items() if len(n) > 1}
    if twice:
        table, listed = next(iter(twice.items()))
        raise UserError(
            f"{label}: holds {len(listed)} {TABLES[table][0]} tables ({', '.join(listed[:3])}); give one state-year "
            "extract at a time"
        )
    missing = [TABLES[t][0] for t in REQUIRED if t not in found]
    if missing:
        raise UserError(
            f"{label}: a NIBRS extract needs {', '.join(missing)} as well; download the whole state-year zip "
            "from the FBI Crime Data Explorer (Documents & Downloads, NIBRS) and give that"
        )
    return {t: n[0] for t, n in found.items()}


@contextmanager
def open_extract(path: Path) -> Iterator[Extract]:
    """The extract's tables on disk for the duration of the block.

    Raises:
        NotThisFormat: no NIBRS incident and offense tables.
        UserError: a table is missing or twice, or the zip would unpack to more than the budget.
    """
    if path.is_dir() or _which(path.name):
        folder = path if path.is_dir() else path.parent
        # The folder itself and one level down (CDE zips unpack to a state folder); never a deep walk.
        files = [p for p in sorted([*folder.glob("*"), *folder.glob("*/*")]) if p.is_file()]
        members = _pick([str(p.relative_to(folder)) for p in files], folder.name)
        tables = {t: folder / m for t, m in members.items()}
        digest = hashlib.sha256("".join(f"{m}:{file_sha256(tables[t])};" for t, m in sorted(members.items())).encode())
        yield Extract(tables, members, folder.name, digest.hexdigest())
        return
    if not is_archive(path):
        raise NotThisFormat(f"{path.name}: not a CDE NIBRS extract (its zip, its folder or one of its tables)")
    with zipfile.ZipFile(path) as archive:
        members = _pick(archive.namelist(), path.name)
        infos = {t: archive.getinfo(m) for t, m in members.items()}
        size = sum(i.file_size for i in infos.values())
        packed = sum(max(i.compress_size, 1) for i in infos.values())
        if size > MAX_UNPACKED or size > MAX_RATIO * packed:
            raise UserError(
                f"{path.name}: the NIBRS tables would unpack to {size / 1e9:,.1f} GB from {packed / 1e6:,.1f} MB; "
                "that is not a CDE state-year extract (or it is damaged)"
            )
        with tempfile.TemporaryDirectory(prefix="ht-nibrs-") as tmp:
            tables = {}
            for table, info in infos.items():
                target = Path(tmp) / f"{table}.csv"
                with archive.open(info) as source, open(target, "wb") as sink:
                    shutil.copyfileobj(source, sink, 1 << 20)
                tables[table] = target
            yield Extract(tables, members, path.name, file_sha256(path))
