"""What the NIBRS reader tells the user: layout, years, agencies and months, incidents counted and left out."""

from __future__ import annotations

from typing import Any

import duckdb


def report(con: duckdb.DuckDBPyConnection, *, layout: str, members: dict[str, str], offenses: dict) -> dict[str, Any]:
    """Figures for ``detected`` and the lines the CLI prints under its report."""
    codes = ", ".join(f"'{c}'" for c in offenses)

    def one(sql: str) -> Any:
        return con.execute(sql).fetchone()[0]

    years = [y for (y,) in con.execute("SELECT DISTINCT y FROM covered ORDER BY y").fetchall()]
    inside = "FROM counted c SEMI JOIN days d ON c.ori7 = d.ori7 AND c.day = d.day"
    per_code = dict(con.execute(f"SELECT code, sum(n) {inside} GROUP BY code").fetchall())
    outside = one("SELECT coalesce(sum(n), 0) FROM counted c ANTI JOIN days d ON c.ori7 = d.ori7 AND c.day = d.day")
    detected = {
        "layout": layout,
        "tables_found": sorted(members.values()),
        "years": years,
        "agencies": one("SELECT count(DISTINCT ori7) FROM covered"),
        "agency_months": one("SELECT count(*) FROM covered"),
        "agencies_without_months": one(
            "SELECT count(DISTINCT upper(left(ori, 7))) FROM agencies WHERE ori IS NOT NULL "
            "AND upper(left(ori, 7)) NOT IN (SELECT ori7 FROM covered)"
        ),
        "incidents_counted": {f"{code} {offenses[code][0]}": int(per_code.get(code, 0) or 0) for code in offenses},
        "dated_by_report_date": int(one(f"SELECT coalesce(sum(by_report), 0) {inside}")),
        "outside_submitted_months": int(outside),
        "offenses_without_incident": one(
            f"""SELECT count(DISTINCT incident_id) FROM offenses WHERE code IN ({codes})
                AND incident_id NOT IN (SELECT incident_id FROM incident)"""
        ),
        "incidents_without_agency": one(
            f"""SELECT count(DISTINCT incident_id) FROM incident
                WHERE incident_id IN (SELECT incident_id FROM offenses WHERE code IN ({codes}))
                  AND agency_id NOT IN (SELECT agency_id FROM ag)"""
        ),
        "daily_rows": one("SELECT count(*) FROM days") * len(offenses),
    }
    detected["summary"] = _summary(detected)
    return detected


def _summary(d: dict[str, Any]) -> list[str]:
    counted = ", ".join(f"{name}: {n:,}" for name, n in d["incidents_counted"].items())
    lines = [
        f"layout: {d['layout']}; tables: {', '.join(d['tables_found'])}",
        f"{d['agencies']:,} agencies with {d['agency_months']:,} submitted months in {', '.join(map(str, d['years']))}: "
        f"every day of a submitted month gets a value (0 without an incident); months not submitted have no rows",
        f"incidents counted: {counted}",
    ]
    if d["agencies_without_months"]:
        lines.append(f"agencies that submitted no month (not written): {d['agencies_without_months']:,}")
    if d["dated_by_report_date"]:
        lines.append(
            f"{_n(d['dated_by_report_date'], 'incident')} dated by the report date (the incident date unknown): counted "
            "on that date, and each row's note says how many of its incidents are dated so"
        )
    if d["outside_submitted_months"]:
        lines.append(
            f"{_n(d['outside_submitted_months'], 'incident')} dated in a month the agency did not submit here (e.g. an older "
            "incident reported this year): not counted"
        )
    if d["offenses_without_incident"]:
        lines.append(
            f"{d['offenses_without_incident']:,} offenses whose incident is not in the incident table: not counted"
        )
    if d["incidents_without_agency"]:
        lines.append(f"{_n(d['incidents_without_agency'], 'incident')} of an agency without an ORI: not counted")
    return lines


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"
