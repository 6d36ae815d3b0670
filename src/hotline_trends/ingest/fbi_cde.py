"""Reader 3: the FBI Crime Data Explorer human-trafficking file → agencies and agency-year observations.

input → output: one row per agency report (DATA_YEAR, ORI, agency, state, county, OFFENSE_SUBCAT_ID 81 =
commercial sex acts or 82 = involuntary servitude, ACTUAL_COUNT, CLEARED_COUNT, ...) →

- ``agencies``: one row per 7-character ORI with its state and county (the file's latest year), so an
  agency can be placed in its state and county;
- ``observations`` (dataset ``fbi_ucr_ht``, region ``ori:<ORI7>``, one per agency, year and metric):
  ``actual_csa`` (81), ``actual_is`` (82), ``actual_total`` (both) and ``cleared_total`` (both). Several
  rows for the same agency, year and offense are separate reports and are summed; the note says how
  many. A metric appears only where the file has rows for it: no row is not a zero.

Both tables are added in one transaction (agencies first). "NB" in STATE_ABBR is Nebraska (NE).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from hotline_trends.errors import InputRejected, Problem
from hotline_trends.ingest.base import Incoming, NotThisFormat, file_sha256, text_frame
from hotline_trends.ingest.grid import Grid, peek_grid, read_grid
from hotline_trends.ingest.regions import region_code

FORMAT = "fbi-cde"
NEEDED = ("DATA_YEAR", "ORI", "PUB_AGENCY_NAME", "STATE_ABBR", "OFFENSE_SUBCAT_ID", "ACTUAL_COUNT", "CLEARED_COUNT")
SUBCATEGORY = {"81": "csa", "82": "is"}
STATE_FIXES = {"NB": "NE"}  # the CDE file writes Nebraska as NB
OBS_COLUMNS = ["dataset", "region", "period_start", "period_end", "metric", "value", "note"]
AGENCY_COLUMNS = ["ori", "agency_name", "state", "agency_type", "county", "population_group", "ori9"]
AGENCY_COLUMNS += ["population_group_code"]
NUMBER = re.compile(r"-?\d{1,3}(,\d{3})+|-?\d+")


def _header(grid: Grid) -> tuple[int, dict[str, int]]:
    for line, cells in grid.non_blank()[:5]:
        names = {c.strip().upper(): i for i, c in enumerate(cells)}
        if "ORI" in names and "OFFENSE_SUBCAT_ID" in names:
            missing = [n for n in NEEDED if n not in names]
            if missing:
                raise InputRejected(
                    grid.file_name,
                    [Problem(f"the FBI file lacks the column(s) {', '.join(missing)}; export the full file", line)],
                )
            return line, names
    raise NotThisFormat("no DATA_YEAR / ORI / OFFENSE_SUBCAT_ID header")


def _count(value: str, line: int, column: str, problems: list[Problem]) -> int:
    """A count cell as an integer (summing needs numbers); a problem with its line otherwise."""
    text = value.strip()
    if NUMBER.fullmatch(text):
        return int(text.replace(",", ""))
    problems.append(Problem(f"{column} {value!r} is not a whole number; the FBI file has counts here", line, column))
    return 0


def read_fbi_cde(path: Path, *, sheet: str | None = None) -> list[Incoming]:
    """Agencies and agency-year observations from a CDE human-trafficking file.

    Raises:
        NotThisFormat: the header is not the CDE human-trafficking layout.
        InputRejected: an unknown offense subcategory, or a count that is not a whole number (by line).
    """
    _header(peek_grid(path, sheet=sheet, rows=5))
    grid = read_grid(path, sheet=sheet)
    header_line, col = _header(grid)
    sums: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])  # value, records, first line
    agencies: dict[str, tuple[int, int, dict[str, str]]] = {}
    problems: list[Problem] = []
    rows_read = 0
    states_fixed = 0

    def cell(cells: list[str], name: str) -> str:
        i = col.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    for line, cells in grid.non_blank():
        if line <= header_line:
            continue
        rows_read += 1
        ori, year, sub = cell(cells, "ORI").upper(), cell(cells, "DATA_YEAR"), cell(cells, "OFFENSE_SUBCAT_ID")
        kind = SUBCATEGORY.get(sub)
        if kind is None:
            problems.append(
                Problem(
                    f"OFFENSE_SUBCAT_ID {sub!r} is neither 81 (commercial sex acts) nor 82 (involuntary "
                    "servitude); this reader knows only those two",
                    line,
                    "OFFENSE_SUBCAT_ID",
                )
            )
            continue
        actual = _count(cell(cells, "ACTUAL_COUNT"), line, "ACTUAL_COUNT", problems)
        cleared = _count(cell(cells, "CLEARED_COUNT"), line, "CLEARED_COUNT", problems)
        ori7 = ori[:7]
        for metric, value in ((f"actual_{kind}", actual), ("actual_total", actual), ("cleared_total", cleared)):
            total = sums[(ori7, year, metric)]
            total[0] += value
            total[1] += 1
            total[2] = total[2] or line
        state = cell(cells, "STATE_ABBR").upper()
        states_fixed += state in STATE_FIXES
        attributes = {
            "ori": ori7,
            "agency_name": cell(cells, "PUB_AGENCY_NAME"),
            "state": region_code(STATE_FIXES.get(state, state) or cell(cells, "STATE_NAME")),
            "agency_type": cell(cells, "AGENCY_TYPE_NAME"),
            "county": cell(cells, "COUNTY_NAME"),
            "population_group": cell(cells, "POPULATION_GROUP_DESC"),
            "ori9": ori if len(ori) == 9 else "",
            "population_group_code": cell(cells, "POPULATION_GROUP_CODE"),
        }
        year_number = int(year) if year.isdigit() else 0
        if ori7 not in agencies or year_number >= agencies[ori7][0]:  # keep the latest year's description
            agencies[ori7] = (year_number, line, attributes)
    if problems:
        raise InputRejected(path.name, problems, bad_rows=len({p.line for p in problems}), rows_read=rows_read)
    if not rows_read:
        raise InputRejected(path.name, [Problem("the FBI file has a header but no rows", header_line)])
    observations = []
    for (ori7, year, metric), (value, records, line) in sorted(sums.items(), key=lambda kv: kv[1][2]):
        note = f"sum of {records} record{'s' if records != 1 else ''}" if records > 1 else "1 record"
        start, end = (f"{year}-01-01", f"{year}-12-31") if year.isdigit() else (year, year)
        values = ["fbi_ucr_ht", f"ori:{ori7}", start, end, metric, str(value), note]
        observations.append((line, dict(zip(OBS_COLUMNS, values, strict=True))))
    agency_rows = [(line, attrs) for _, line, attrs in sorted(agencies.values(), key=lambda a: a[1])]
    digest = file_sha256(path)
    years = sorted({k[1] for k in sums})
    detected = {
        "format": FORMAT,
        "tables": ["agencies", "observations"],
        **grid.detected,
        "header_line": header_line,
        "records": rows_read,
        "agencies": len(agency_rows),
        "years": years,
        "agency_years": len({(k[0], k[1]) for k in sums}),
        "nebraska_written_nb": states_fixed,
        "not_stored": [c for c in ("UNFOUNDED_COUNT", "JUVENILE_CLEARED_COUNT") if c in col],
    }
    common = {"file_name": path.name, "sha256": digest, "reader": FORMAT, "detected": detected}
    return [
        Incoming(table="agencies", frame=text_frame(agency_rows, AGENCY_COLUMNS), keep_absent=True, **common),
        Incoming(table="observations", frame=text_frame(observations, OBS_COLUMNS), **common),
    ]
