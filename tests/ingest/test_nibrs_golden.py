"""The NIBRS reader: both CDE layouts, zipped or unpacked, give the same agencies and daily counts; each bad
extract its own clear error, with nothing written.

Golden extracts: ``tests/data/nibrs`` (written by ``make_nibrs.py`` there).
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from support import DATA, assert_unchanged, snapshot

from hotline_trends.errors import InputRejected, UserError
from hotline_trends.ingest import read_tables
from hotline_trends.store import ingest
from hotline_trends.store.read import query

GOOD = DATA / "nibrs" / "good"
BAD = DATA / "nibrs" / "bad"
SOURCE = "test_nibrs"
VARIANTS = sorted(p.name for p in GOOD.iterdir())
REFERENCE = "TX-2020-legacy.zip"


def _written(store, ingest_id: int) -> dict[str, pd.DataFrame]:
    observations = query(
        store,
        """SELECT dataset, region, strftime(period_start, '%Y-%m-%d') AS day, metric, value, note
           FROM observations_v WHERE _ingest = ? ORDER BY region, metric, day""",
        [ingest_id],
    )
    agencies = query(
        store,
        "SELECT * EXCLUDE (_ingest, _replaced_by, source_id) FROM agencies_v WHERE _ingest = ? ORDER BY ori",
        [ingest_id],
    )
    return {"observations": observations.reset_index(drop=True), "agencies": agencies.reset_index(drop=True)}


@pytest.fixture(scope="module")
def expected(bundled_store, tmp_path_factory):
    from hotline_trends.store import Store

    copy = Store(tmp_path_factory.mktemp("nibrs-expected"))
    shutil.copy2(bundled_store.db_path, copy.db_path)
    report = ingest(copy, read_tables(GOOD / REFERENCE), source_id=SOURCE)
    return _written(copy, report.ingest_id)


@pytest.mark.parametrize("name", VARIANTS)
def test_both_layouts_zipped_or_unpacked_give_the_same_rows(store, expected, name):
    tables = read_tables(GOOD / name)
    assert [t.table for t in tables] == ["agencies", "observations"] and tables[0].reader == "nibrs"
    result = _written(store, ingest(store, tables, source_id=SOURCE).ingest_id)
    for table, frame in expected.items():
        pd.testing.assert_frame_equal(result[table], frame, obj=f"{name} {table}")


def test_a_table_inside_an_unpacked_extract_reads_the_whole_extract(expected):
    incoming = read_tables(GOOD / "TX-2020-legacy-unpacked" / "nibrs_incident.csv")
    assert len(incoming[1].frame) == len(expected["observations"])


def test_submitted_months_get_every_day_and_missing_months_no_rows(expected):
    rows = expected["observations"]
    assert set(rows["dataset"]) == {"fbi_nibrs"}
    days = rows.groupby("region")["day"].agg(lambda d: sorted({x[:7] for x in d}))
    assert days.to_dict() == {
        "ori:TX99901": ["2020-01", "2020-02", "2020-03"],
        "ori:TX99902": ["2020-01", "2020-03"],  # February not submitted: missing, not zero
    }
    per_agency_days = rows.groupby("region")["day"].nunique().to_dict()
    assert per_agency_days == {"ori:TX99901": 31 + 29 + 31, "ori:TX99902": 31 + 31}
    assert set(rows["metric"]) == {
        "ht_commercial_sex",
        "ht_involuntary_servitude",
        "prostitution",
        "assisting_prostitution",
        "purchasing_prostitution",
    }
    nonzero = rows.loc[rows["value"] > 0, ["region", "day", "metric", "value"]].values.tolist()
    assert sorted(nonzero) == [
        ["ori:TX99901", "2020-01-05", "ht_commercial_sex", 1],
        ["ori:TX99901", "2020-01-05", "prostitution", 2],  # incident 2's two 40A offenses count once
        ["ori:TX99901", "2020-02-29", "purchasing_prostitution", 1],
        ["ori:TX99902", "2020-01-31", "ht_involuntary_servitude", 1],
        ["ori:TX99902", "2020-03-01", "assisting_prostitution", 1],
    ]


def test_incidents_dated_by_report_date_are_counted_and_flagged_in_the_note(expected):
    rows = expected["observations"]
    flagged = rows.loc[rows["note"].str.contains("dated by the report date"), ["day", "metric"]].values.tolist()
    assert flagged == [["2020-02-29", "purchasing_prostitution"]]


def test_agencies_come_with_state_county_and_name(expected):
    agencies = expected["agencies"][["ori", "agency_name", "state", "county", "agency_type", "ori9"]]
    assert agencies.values.tolist() == [
        ["TX99901", "Test City Police Department", "TX", "TRAVIS", "City", "TX9990100"],
        ["TX99902", "Test County Sheriff's Office", "TX", "HAYS", "County", "TX9990200"],
    ]  # TX99903 submitted no month: not written


def test_the_reader_reports_what_it_counted_and_left_out():
    d = read_tables(GOOD / REFERENCE)[0].detected
    assert d["years"] == [2020] and d["agencies"] == 2 and d["agency_months"] == 5
    assert d["incidents_counted"]["40A prostitution"] == 2
    assert d["dated_by_report_date"] == 1
    assert d["outside_submitted_months"] == 3  # February for 102, an older incident, an agency without months
    assert d["agencies_without_months"] == 1
    assert "2016-2020" in d["layout"]
    assert "2021 on" in read_tables(GOOD / "TX-2020-current.zip")[0].detected["layout"]


# extract, (line, column) of the first problem or None, a phrase the message must contain
BAD_CASES = [
    ("missing_month.zip", None, "needs nibrs_month.csv as well"),
    ("no_offense_type_table.zip", None, "only nibrs_offense_type.csv translates"),
    ("unknown_offense_type.zip", (4, "offense_type_id"), "offense_type_id '999' is not in nibrs_offense_type.csv"),
    ("bad_incident_date.zip", (5, "incident_date"), "incident_date '2020-02-30' cannot be read"),
    ("bad_flag.zip", (3, "report_date_flag"), "report_date_flag 'maybe' is neither yes"),
    ("bad_month.zip", (7, "data_year, month_num"), "'2020, 13' is not a year and a month 1-12"),
    ("agency_not_listed.zip", (7, "agency_id"), "agency_id '104' has no row with an ORI in agencies.csv"),
    ("unknown_state.zip", (2, "state"), "state 'ZZ' is not a known region"),
    ("two_states.zip", None, "holds 2 nibrs_incident.csv tables"),
    ("not_nibrs.zip", None, "neither an Excel workbook nor a CDE NIBRS extract"),
]


@pytest.mark.parametrize(("name", "where", "phrase"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_a_bad_extract_gives_its_own_clear_error_and_changes_nothing(store, name, where, phrase):
    before = snapshot(store)
    with pytest.raises(UserError) as info:
        ingest(store, read_tables(BAD / name), source_id=SOURCE)
    assert phrase in str(info.value)
    if where is not None:
        assert isinstance(info.value, InputRejected)
        first = info.value.problems[0]
        assert (first.line, first.column) == where
    assert_unchanged(before, snapshot(store))
