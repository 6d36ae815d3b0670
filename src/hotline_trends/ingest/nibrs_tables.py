"""The columns the NIBRS reader needs from each CDE table, loaded into DuckDB as plain temp tables.

Column names are matched without case (CDE writes them lower case, some re-saves upper case). Both
layouts end in the same ``offenses(incident_id, code, rec)`` table: 2021 on, ``offense_code`` is in the
offense table; 2016-2020, ``offense_type_id`` is joined through ``nibrs_offense_type``.
"""

from __future__ import annotations

import duckdb

from hotline_trends.errors import UserError
from hotline_trends.ingest.duckscan import TextTable, open_table, run_scan
from hotline_trends.ingest.incident_layouts import header_key
from hotline_trends.ingest.nibrs_files import Extract

NEEDED = {
    "incident": ("incident_id", "agency_id", "incident_date"),
    "month": ("agency_id", "month_num", "data_year"),
    "agencies": ("agency_id", "ori"),
}
OPTIONAL = {
    "incident": ("report_date_flag",),
    "agencies": (
        "pub_agency_name",
        "ucr_agency_name",
        "agency_name",
        "state_abbr",
        "state_postal_abbr",
        "county_name",
        "agency_type_name",
        "population_group_desc",
        "population_group_code",
    ),
}
LEGACY = "CDE 2016-2020 (offense_type_id joined through nibrs_offense_type)"
CURRENT = "CDE 2021 on (offense_code in the offense table)"


def _position(table: TextTable, name: str) -> int | None:
    keys = [header_key(h) for h in table.header]
    return keys.index(header_key(name)) if header_key(name) in keys else None


def _select(table: TextTable, names: tuple[str, ...], label: str, *, required: bool = True) -> str:
    parts = []
    for name in names:
        i = _position(table, name)
        if i is None and required:
            raise UserError(
                f"{label} line {table.header_line}: no column {name!r}; a CDE table has it (the header has "
                f"{', '.join(table.header[:12])}{', ...' if len(table.header) > 12 else ''})"
            )
        parts.append(f"nullif(trim(c{i}), '') AS {name}" if i is not None else f"CAST(NULL AS VARCHAR) AS {name}")
    return ", ".join(parts)


def load(con: duckdb.DuckDBPyConnection, extract: Extract) -> tuple[dict[str, TextTable], str]:
    """Load incidents, offenses (with their code), months and agencies; return the tables and the layout."""
    tables = {name: open_table(path) for name, path in extract.tables.items()}
    labels = {name: f"{extract.label}/{member}" for name, member in extract.members.items()}
    for name in NEEDED:
        columns = _select(tables[name], NEEDED[name], labels[name])
        if name in OPTIONAL:
            columns += ", " + _select(tables[name], OPTIONAL[name], labels[name], required=False)
        _create(con, tables[name], name, columns)
    offense = tables["offense"]
    if _position(offense, "offense_code") is not None:
        layout = CURRENT
        _create(con, offense, "offenses", _select(offense, ("incident_id", "offense_code"), labels["offense"]))
        con.execute("UPDATE offenses SET offense_code = upper(offense_code)")
        con.execute("ALTER TABLE offenses RENAME COLUMN offense_code TO code")
    elif _position(offense, "offense_type_id") is not None:
        layout = LEGACY
        if "offense_type" not in tables:
            raise UserError(
                f"{extract.label}: its offense table names offense_type_id, which only nibrs_offense_type.csv "
                "translates to a code; give the whole extract"
            )
        kinds = tables["offense_type"]
        _create(
            con, kinds, "offense_types", _select(kinds, ("offense_type_id", "offense_code"), labels["offense_type"])
        )
        _create(con, offense, "offenses_raw", _select(offense, ("incident_id", "offense_type_id"), labels["offense"]))
        con.execute(
            """CREATE TEMP TABLE offenses AS SELECT o.rec, o.incident_id, o.offense_type_id, upper(t.offense_code) AS code
               FROM offenses_raw o LEFT JOIN offense_types t USING (offense_type_id)"""
        )
    else:
        raise UserError(
            f"{labels['offense']} line {offense.header_line}: neither offense_code (2021 on) nor offense_type_id "
            "(2016-2020); this is not a CDE offense table"
        )
    return tables, layout


def _create(con: duckdb.DuckDBPyConnection, table: TextTable, name: str, columns: str) -> None:
    # One thread keeps file order, so rec (the record number) can be turned into a line when needed.
    sql = f"CREATE TEMP TABLE {name} AS SELECT row_number() OVER () AS rec, {columns} FROM {{scan}}"
    run_scan(con, table, sql, ordered=True)
