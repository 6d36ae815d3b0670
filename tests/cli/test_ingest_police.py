"""Police data through the CLI: an incident export and a NIBRS extract, detected from their content, with the
reader's own report; the options and formats in --help; the new rows queryable as daily series."""

from __future__ import annotations

import json

from support import DATA

SF = DATA / "incidents" / "good" / "sfpd_incident_reports.csv"
CATEGORIES = "Prostitution=prostitution,Human Trafficking (A), Commercial Sex Acts=ht_commercial_sex"


def test_an_incident_export_is_detected_reported_and_queryable(store, cli):
    result = cli("ingest", SF, "--categories", CATEGORIES)
    assert result.code == 0, result.err
    out = result.out
    assert "read as incidents (observations table)" in out
    assert "columns: date 'Incident Date' (YYYY/MM/DD), category 'Incident Category', id 'Incident ID'" in out
    assert "range 2024-01-01..2024-01-10 (10 days, the file's first and last day)" in out
    assert "'Prostitution' -> prostitution: 5 rows, 4 counted" in out
    assert "not written (not in --categories): 2 rows in 1 category ('Larceny Theft')" in out
    assert "skipped 1 row(s) on purpose" in out and "line 7, column 'Incident Date'" in out
    assert "added 20" in out
    rows = json.loads(cli("query", "--region", "ori:CA03801", "--metric", "prostitution", "--json").out)
    mine = [r for r in rows if r["source_id"] == "user_sfpd_incident_reports"]
    assert [(r["period_start"][:10], r["value"]) for r in mine if r["value"]] == [("2024-01-02", 2), ("2024-01-07", 2)]
    assert len(mine) == 10
    again = cli("ingest", SF, "--categories", CATEGORIES)
    assert "Nothing changed: this file is already in the store" in again.out


def test_a_nibrs_zip_is_detected_and_reported(store, cli):
    result = cli("ingest", DATA / "nibrs" / "good" / "TX-2020-current.zip")
    assert result.code == 0, result.err
    assert "read as nibrs (agencies and observations)" in result.out
    assert "2 agencies with 5 submitted months in 2020" in result.out
    assert "1 incident dated by the report date" in result.out
    assert "observations: 765 rows, added 765" in result.out


def test_a_bad_incident_date_exits_2_with_its_line(store, cli):
    result = cli("ingest", DATA / "incidents" / "bad" / "bad_date.csv")
    assert result.code == 2
    assert "bad_date.csv line 5, column 'Incident Date': date '2024/13/45' cannot be read" in result.err


def test_help_lists_the_police_formats_and_their_options(cli, capsys):
    import pytest

    with pytest.raises(SystemExit):
        cli("ingest", "--help")
    text = " ".join(capsys.readouterr().out.split())
    for phrase in ("incidents: an incident list", "nibrs: a CDE NIBRS state-year extract", "--date-column"):
        assert phrase in text
    for phrase in ("--category-column", "--categories", "--from", "--to"):
        assert phrase in text
