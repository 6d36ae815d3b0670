"""Reader 4: Census state population estimates in the NST-EST "alldata" layout → population by state and year.

input → output: rows with SUMLEV, REGION, DIVISION, STATE, NAME and POPESTIMATE<YEAR> columns → one
population row per nation/state/DC/Puerto Rico and year, July 1 estimates as published. Census regions
and divisions (SUMLEV 020/030) are not places the store holds; they are skipped and reported. The
vintage is ``--vintage``, else the file name's ``NST-EST2024`` (→ ``v2024``), else the latest estimate
year (the vintage of an NST-EST file is its last estimate year); ``detected`` says which.
"""

from __future__ import annotations

import re
from pathlib import Path

from hotline_trends.errors import Problem, UserError
from hotline_trends.ingest.base import Incoming, NotThisFormat, rows_incoming
from hotline_trends.ingest.grid import Grid, peek_grid, read_grid
from hotline_trends.ingest.regions import region_code

FORMAT = "census-nst"
ESTIMATE = re.compile(r"POPESTIMATE(\d{4})")
FILE_VINTAGE = re.compile(r"NST[-_]?EST(\d{4})", re.IGNORECASE)
PLACE_LEVELS = {"010": "nation", "040": "state"}
AREA_LEVELS = {"020": "Census region", "030": "Census division"}
COLUMNS = ["region", "year", "population", "vintage"]


def _header(grid: Grid) -> tuple[int, list[str]]:
    for line, cells in grid.non_blank()[:5]:
        upper = [c.strip().upper() for c in cells]
        if "SUMLEV" in upper and "NAME" in upper and any(ESTIMATE.fullmatch(c) for c in upper):
            return line, upper
    raise NotThisFormat("no SUMLEV / NAME / POPESTIMATE<YEAR> header")


def vintage_of(path: Path, years: list[int], given: str | None) -> tuple[str, str]:
    """The vintage code (``v2024``) and where it came from."""
    if given:
        text = given.strip().lower().lstrip("v")
        if not re.fullmatch(r"\d{4}", text):
            raise UserError(f"--vintage {given!r} is not a vintage; write the year, like 2024 or v2024")
        return f"v{text}", "given with --vintage"
    found = FILE_VINTAGE.search(path.name)
    if found:
        return f"v{found.group(1)}", f"the file name ({found.group(0)})"
    return f"v{max(years)}", f"the latest estimate year in the file ({max(years)}); pass --vintage if it is another"


def read_census(path: Path, *, sheet: str | None = None, vintage: str | None = None) -> Incoming:
    """Population by state and year from an NST-EST alldata file.

    Raises:
        NotThisFormat: the header is not the alldata layout.
        UserError: a bad --vintage, or no nation/state rows.
    """
    _header(peek_grid(path, sheet=sheet, rows=5))
    grid = read_grid(path, sheet=sheet)
    header_line, header = _header(grid)
    estimates = {i: int(m.group(1)) for i, c in enumerate(header) if (m := ESTIMATE.fullmatch(c))}
    code, source = vintage_of(path, list(estimates.values()), vintage)
    level_at, name_at = header.index("SUMLEV"), header.index("NAME")
    rows, skipped = [], []
    for line, cells in grid.non_blank():
        if line <= header_line:
            continue
        level = cells[level_at].strip().zfill(3) if level_at < len(cells) else ""
        name = cells[name_at] if name_at < len(cells) else ""
        if level in AREA_LEVELS:
            skipped.append(Problem(f"{AREA_LEVELS[level]} '{name}' is not a state; skipped", line))
            continue
        if level not in PLACE_LEVELS:
            skipped.append(Problem(f"SUMLEV {level!r} ('{name}') is not a nation or state row; skipped", line))
            continue
        for i, year in estimates.items():
            value = cells[i] if i < len(cells) else ""
            rows.append((line, {"region": region_code(name), "year": str(year), "population": value, "vintage": code}))
    if not rows:
        raise UserError(f"{path.name}: no nation or state rows (SUMLEV 010 or 040); nothing to add")
    detected = {
        "format": FORMAT,
        "table": "population",
        **grid.detected,
        "header_line": header_line,
        "vintage": code,
        "vintage_from": source,
        "years": sorted(estimates.values()),
        "places": len({r["region"] for _, r in rows}),
        "rows_skipped": len(skipped),
    }
    return rows_incoming(
        path, table="population", reader=FORMAT, detected=detected, rows=rows, columns=COLUMNS, skipped=skipped
    )
