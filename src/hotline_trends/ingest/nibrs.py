"""Reader: a CDE NIBRS state-year extract -> agencies and daily incident counts per agency for five offenses.

input -> output: the CDE tables (see ``nibrs_files``) ->

- ``agencies``: every agency that submitted at least one month (ORI, name, state, county, type);
- ``observations`` (dataset ``fbi_nibrs`` unless ``--dataset``, region ``ori:<ORI7>``): for each day of each
  month the agency submitted (``nibrs_month``), the number of incidents with an offense 64A
  (``ht_commercial_sex``), 64B (``ht_involuntary_servitude``), 40A (``prostitution``), 40B
  (``assisting_prostitution``) or 40C (``purchasing_prostitution``). A submitted month's day without such an
  incident is 0; a month the agency did not submit has no rows at all (missing, not zero).

Incidents whose agency gave the report date because the incident date was unknown (``report_date_flag``)
are counted on that date, and each row's note says how many of its incidents are dated that way.
Incidents dated in a month the agency did not submit (e.g. an older incident reported this year) are not
counted and are reported. An unreadable date, an unknown offense type or an agency missing from the
agencies table rejects the extract with the table and line.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from hotline_trends.errors import InputRejected, Problem
from hotline_trends.ingest.base import LINE, Incoming
from hotline_trends.ingest.datetext import date_sql
from hotline_trends.ingest.duckscan import record_lines, scan_connection
from hotline_trends.ingest.fbi_cde import AGENCY_COLUMNS, STATE_FIXES
from hotline_trends.ingest.nibrs_files import open_extract
from hotline_trends.ingest.nibrs_report import report
from hotline_trends.ingest.nibrs_tables import load

FORMAT = "nibrs"
DEFAULT_DATASET = "fbi_nibrs"
OFFENSES = {
    "64A": ("ht_commercial_sex", "human trafficking, commercial sex acts"),
    "64B": ("ht_involuntary_servitude", "human trafficking, involuntary servitude"),
    "40A": ("prostitution", "prostitution"),
    "40B": ("assisting_prostitution", "assisting or promoting prostitution"),
    "40C": ("purchasing_prostitution", "purchasing prostitution"),
}
FLAG_YES = ("y", "yes", "t", "true", "1", "r")
FLAG_NO = ("n", "no", "f", "false", "0")
OBS_COLUMNS = ["dataset", "region", "period_start", "period_end", "metric", "value", "note"]
CODES = ", ".join(f"'{c}'" for c in OFFENSES)
SHOWN = 5


def read_nibrs(path: Path, *, dataset: str | None = None) -> list[Incoming]:
    """Agencies and agency-day observations from a CDE NIBRS extract (zip, folder, or a table in the folder).

    Raises:
        NotThisFormat: no NIBRS incident and offense tables.
        UserError / InputRejected: a table or column is missing, or a value cannot be used (table and line).
    """
    with open_extract(path) as extract:
        con = scan_connection()
        try:
            tables, layout = load(con, extract)
            labels = {name: f"{extract.label}/{member}" for name, member in extract.members.items()}
            _check(con, tables, labels)
            _build(con)
            observations = _observations(con, dataset or DEFAULT_DATASET)
            agencies = _agencies(con, tables["agencies"])
            detected = report(con, layout=layout, members=extract.members, offenses=OFFENSES)
        finally:
            con.close()
        digest, label = extract.sha256, extract.label
    common = {"file_name": label, "sha256": digest, "reader": FORMAT, "detected": {"format": FORMAT, **detected}}
    return [
        Incoming(table="agencies", frame=agencies, keep_absent=True, **common),
        Incoming(table="observations", frame=observations, **common),
    ]


def _check(con: duckdb.DuckDBPyConnection, tables: dict, labels: dict[str, str]) -> None:
    """Reject the extract, naming table and lines, if a counted value cannot be used."""
    flags = ", ".join(f"'{f}'" for f in (*FLAG_YES, *FLAG_NO))
    checks = [
        (
            "offense",
            "offense_type_id",
            "SELECT rec, offense_type_id FROM offenses WHERE code IS NULL",
            "is not in nibrs_offense_type.csv; the extract's tables do not belong together",
        ),
        (
            "incident",
            "incident_date",
            f"""SELECT rec, incident_date FROM incident
                WHERE incident_id IN (SELECT incident_id FROM offenses WHERE code IN ({CODES}))
                  AND {date_sql("incident_date")} IS NULL""",
            "cannot be read as a date (YYYY-MM-DD or DD-MON-YY as CDE writes it)",
        ),
        (
            "incident",
            "report_date_flag",
            f"""SELECT rec, report_date_flag FROM incident
                WHERE report_date_flag IS NOT NULL AND lower(report_date_flag) NOT IN ({flags})""",
            "is neither yes (the date is the report date: Y, T or R) nor no (N, F or blank)",
        ),
        (
            "month",
            "data_year, month_num",
            """SELECT rec, coalesce(data_year, '') || ', ' || coalesce(month_num, '') FROM month
               WHERE TRY_CAST(data_year AS INTEGER) IS NULL OR TRY_CAST(month_num AS INTEGER) NOT BETWEEN 1 AND 12""",
            "is not a year and a month 1-12",
        ),
        (
            "month",
            "agency_id",
            """SELECT rec, agency_id FROM month
               WHERE agency_id NOT IN (SELECT agency_id FROM agencies WHERE ori IS NOT NULL)""",
            "has no row with an ORI in agencies.csv; the extract's tables do not belong together",
        ),
    ]
    for table, column, sql, why in checks:
        if table == "offense" and "offense_type_id" not in _columns(con, "offenses"):
            continue
        bad = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
        if not bad:
            continue
        found = con.execute(f"SELECT * FROM ({sql}) ORDER BY rec LIMIT {SHOWN}").fetchall()
        total = con.execute(f"SELECT count(*) FROM {table if table != 'offense' else 'offenses'}").fetchone()[0]
        lines = record_lines(tables[table], [r for r, _ in found], total=total)
        problems = [Problem(f"{column} {value or '(blank)'!r} {why}", lines.get(rec), column) for rec, value in found]
        raise InputRejected(labels[table], problems, bad_rows=bad, rows_read=total)


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()]


def _build(con: duckdb.DuckDBPyConnection) -> None:
    """Agency ORIs, the days each agency submitted, and incidents per agency, day and offense."""
    con.execute(
        """CREATE TEMP TABLE ag AS SELECT agency_id, upper(left(ori, 7)) AS ori7 FROM agencies WHERE ori IS NOT NULL"""
    )
    con.execute(
        """CREATE TEMP TABLE covered AS
           SELECT DISTINCT a.ori7, CAST(m.data_year AS INTEGER) AS y, CAST(m.month_num AS INTEGER) AS m
           FROM month m JOIN ag a USING (agency_id)"""
    )
    con.execute(
        """CREATE TEMP TABLE days AS
           SELECT ori7, CAST(unnest(generate_series(make_date(y, m, 1), last_day(make_date(y, m, 1)), INTERVAL 1 DAY))
                       AS DATE) AS day
           FROM covered"""
    )
    yes = ", ".join(f"'{f}'" for f in FLAG_YES)
    con.execute(
        f"""CREATE TEMP TABLE counted AS
            SELECT a.ori7, {date_sql("i.incident_date")} AS day, o.code,
                   count(DISTINCT i.incident_id) AS n,
                   count(DISTINCT i.incident_id) FILTER (WHERE lower(i.report_date_flag) IN ({yes})) AS by_report
            FROM (SELECT DISTINCT incident_id, code FROM offenses WHERE code IN ({CODES})) o
            JOIN incident i USING (incident_id) JOIN ag a USING (agency_id)
            GROUP BY ALL"""
    )


def _observations(con: duckdb.DuckDBPyConnection, dataset: str) -> pd.DataFrame:
    metric = "CASE k.code " + " ".join(f"WHEN '{c}' THEN '{m}'" for c, (m, _) in OFFENSES.items()) + " END"
    name = "CASE k.code " + " ".join(f"WHEN '{c}' THEN '{c} {w}'" for c, (_, w) in OFFENSES.items()) + " END"
    frame = con.execute(
        f"""SELECT 'ori:' || d.ori7 AS region, strftime(d.day, '%Y-%m-%d') AS period_start, {metric} AS metric,
                   CAST(coalesce(c.n, 0) AS VARCHAR) AS value,
                   'NIBRS incidents with offense ' || {name} || ' on this day; the agency submitted this month'
                   || CASE WHEN coalesce(c.by_report, 0) > 0 THEN '; ' || c.by_report ||
                      ' of them dated by the report date (incident date unknown)' ELSE '' END AS note
            FROM days d CROSS JOIN (SELECT unnest([{CODES}]) AS code) k
            LEFT JOIN counted c ON c.ori7 = d.ori7 AND c.day = d.day AND c.code = k.code
            ORDER BY region, metric, period_start"""
    ).df()
    result = pd.DataFrame(
        {
            "dataset": dataset,
            "region": frame["region"],
            "period_start": frame["period_start"],
            "period_end": frame["period_start"],
            "metric": frame["metric"],
            "value": frame["value"],
            "note": frame["note"],
        },
        columns=OBS_COLUMNS,
        dtype="str",
    )
    result[LINE] = pd.array([1] * len(result), dtype="int64")
    return result


def _agencies(con: duckdb.DuckDBPyConnection, table) -> pd.DataFrame:
    """One row per ORI that submitted a month: the first agencies.csv row with that ORI."""
    rows = con.execute(
        """SELECT rec, upper(left(ori, 7)) AS ori, upper(ori) AS ori_full,
                  coalesce(pub_agency_name, ucr_agency_name, agency_name) AS agency_name,
                  upper(coalesce(state_abbr, state_postal_abbr)) AS state, agency_type_name, county_name,
                  population_group_desc, population_group_code
           FROM agencies WHERE upper(left(ori, 7)) IN (SELECT ori7 FROM covered)
           QUALIFY row_number() OVER (PARTITION BY upper(left(ori, 7)) ORDER BY rec) = 1 ORDER BY rec"""
    ).fetchall()
    total = con.execute("SELECT count(*) FROM agencies").fetchone()[0]
    lines = record_lines(table, [r[0] for r in rows], total=total)
    data = []
    for rec, ori, full, name, state, kind, county, group, code in rows:
        values = [ori, name, STATE_FIXES.get(state or "", state), kind, county, group]
        values += [full if full and len(full) == 9 else "", code]
        data.append({c: v or "" for c, v in zip(AGENCY_COLUMNS, values, strict=True)} | {LINE: lines.get(rec, rec)})
    frame = pd.DataFrame(data, columns=[*AGENCY_COLUMNS, LINE])
    frame[AGENCY_COLUMNS] = frame[AGENCY_COLUMNS].astype("str")
    frame[LINE] = frame[LINE].astype("int64")
    return frame
