"""The incident-list reader: every portal export of the same incidents gives the same daily counts; each bad
file its own clear error, with nothing written.

Golden files: ``tests/data/incidents`` (written by ``make_incidents.py`` there).
"""

from __future__ import annotations

import sys
from datetime import date

import pandas as pd
import pytest
from support import DATA, assert_unchanged, snapshot

from hotline_trends.errors import InputRejected, UserError
from hotline_trends.ingest import ReadOptions, read_tables
from hotline_trends.store import ingest
from hotline_trends.store.read import query

sys.path.insert(0, str(DATA / "incidents"))
import make_incidents  # noqa: E402

GOOD = DATA / "incidents" / "good"
BAD = DATA / "incidents" / "bad"
SOURCE = "test_incidents"
TIPLINE = {"date_column": "Received", "category_column": "Kind", "region": "CA"}
# file -> (portal whose category values it uses, the region it is about, extra options)
VARIANTS = {
    "sfpd_incident_reports.csv": ("sfpd", "ori:CA03801", {}),
    "sfpd_excel_semicolon_bom_crlf.csv": ("sfpd", "ori:CA03801", {}),
    "sfpd_datetime_only_latin1_tab.tsv": ("sfpd", "ori:CA03801", {}),
    "sfpd_blank_lines.csv": ("sfpd", "ori:CA03801", {}),
    "lapd_crime_data_2020_present.csv": ("lapd", "ori:CA01942", {}),
    "chicago_crimes.csv": ("chicago", "ori:ILCPD00", {}),
    "seattle_spd_crime_data.csv": ("seattle", "ori:WASPD00", {}),
    "seattle_call_data.csv": ("seattle911", "ori:WASPD00", {}),
    "nola_calls_for_service.csv": ("nola", "ori:LANPD00", {}),
    "tipline.csv": ("tipline", "CA", TIPLINE),
}
# The ten incidents as daily counts: every day of 2024-01-01..2024-01-10 for both metrics.
NONZERO = {
    ("prostitution", "2024-01-02"): 2,  # incident 1002 in two rows counts once, plus 1003
    ("prostitution", "2024-01-07"): 2,  # 1006, and 1007 which is also a trafficking incident
    ("ht_commercial_sex", "2024-01-04"): 1,
    ("ht_commercial_sex", "2024-01-07"): 1,
}


def _expected(region: str) -> pd.DataFrame:
    days = [f"2024-01-{d:02d}" for d in range(1, 11)]
    rows = [
        (region, day, day, metric, NONZERO.get((metric, day), 0))
        for metric in ("ht_commercial_sex", "prostitution")
        for day in days
    ]
    frame = pd.DataFrame(rows, columns=["region", "period_start", "period_end", "metric", "value"])
    return frame.sort_values(["metric", "period_start"]).reset_index(drop=True)


def _options(name: str, **more) -> ReadOptions:
    portal, _, extra = VARIANTS[name]
    return ReadOptions(categories=make_incidents.categories(portal), **extra, **more)


def _written(store, ingest_id: int) -> pd.DataFrame:
    frame = query(
        store,
        """SELECT dataset, region, strftime(period_start, '%Y-%m-%d') AS period_start,
                  strftime(period_end, '%Y-%m-%d') AS period_end, metric, value, note
           FROM observations_v WHERE _ingest = ? ORDER BY metric, period_start""",
        [ingest_id],
    )
    return frame.reset_index(drop=True)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_portal_export_of_the_same_incidents_gives_the_same_daily_counts(store, name):
    tables = read_tables(GOOD / name, options=_options(name))
    assert [t.reader for t in tables] == ["incidents"]
    report = ingest(store, tables, source_id=SOURCE)
    result = _written(store, report.ingest_id)
    expected = _expected(VARIANTS[name][1])
    pd.testing.assert_frame_equal(result[expected.columns].astype({"value": "int64"}), expected, check_dtype=False)
    assert set(result["dataset"]) == {"police_incidents"}
    assert report.skipped == 1  # the row with a blank date


def test_the_reader_reports_columns_range_categories_and_skips():
    incoming = read_tables(GOOD / "sfpd_incident_reports.csv", options=_options("sfpd_incident_reports.csv"))[0]
    d = incoming.detected
    assert d["columns_used"] == {
        "date": "Incident Date",
        "category": "Incident Category",
        "id": "Incident ID",
        "area": "Police District",
    }
    assert d["range"] == "2024-01-01..2024-01-10" and d["days"] == 10
    assert d["date_formats"][0] == "YYYY/MM/DD"
    per_category = {r["category"]: (r["metric"], r["rows"], r["incidents"]) for r in d["rows_per_category"]}
    assert per_category == {
        "Prostitution": ("prostitution", 5, 4),
        "Human Trafficking (A), Commercial Sex Acts": ("ht_commercial_sex", 2, 2),
    }
    assert d["categories_not_written"] == {"values": 1, "rows": 2}  # Larceny Theft, still in the range
    assert d["rows_skipped"] == {"blank date": 1}
    assert d["repeated_rows_counted_once"] == 1
    assert d["areas"]["prostitution"].startswith("Mission")
    assert [(p.line, p.column) for p in incoming.skipped] == [(7, "Incident Date")]
    assert any("range 2024-01-01..2024-01-10" in line for line in d["summary"])


@pytest.mark.parametrize(
    ("name", "line"),
    [("sfpd_blank_lines.csv", 9), ("sfpd_datetime_only_latin1_tab.tsv", 12), ("sfpd_excel_semicolon_bom_crlf.csv", 7)],
)
def test_skipped_rows_are_reported_on_their_file_line(name, line):
    incoming = read_tables(GOOD / name, options=_options(name))[0]
    assert [p.line for p in incoming.skipped] == [line]


def test_without_categories_every_value_is_its_own_metric_named_by_its_slug():
    incoming = read_tables(GOOD / "sfpd_incident_reports.csv")[0]
    frame = incoming.frame
    assert set(frame["metric"]) == {"prostitution", "human_trafficking_a_commercial_sex_acts", "larceny_theft"}
    assert len(frame) == 30 and frame["region"].eq("ori:CA03801").all()


def test_from_and_to_choose_the_range_and_days_without_rows_are_zero():
    options = _options("sfpd_incident_reports.csv", start=date(2023, 12, 30), end=date(2024, 1, 5))
    incoming = read_tables(GOOD / "sfpd_incident_reports.csv", options=options)[0]
    frame = incoming.frame
    prostitution = frame.loc[frame["metric"] == "prostitution"].set_index("period_start")["value"]
    assert prostitution.index[0] == "2023-12-30" and prostitution.index[-1] == "2024-01-05"
    assert prostitution.tolist() == ["0", "0", "0", "2", "0", "0", "0"]
    assert incoming.detected["rows_outside_range"] == 4  # three rows on 01-07, one on 01-10


def test_dates_are_read_as_written_without_a_zone_shift():
    incoming = read_tables(GOOD / "nola_calls_for_service.csv", options=_options("nola_calls_for_service.csv"))[0]
    late = incoming.frame.loc[(incoming.frame["metric"] == "prostitution") & (incoming.frame["value"] != "0")]
    assert late["period_start"].tolist() == ["2024-01-02", "2024-01-07"]  # 23:50 stays on 01-02


def test_a_category_named_in_categories_but_absent_is_written_as_zero_and_said():
    options = ReadOptions(categories="Prostitution=prostitution,Human Trafficking (B), Involuntary Servitude=ht_is")
    incoming = read_tables(GOOD / "sfpd_incident_reports.csv", options=options)[0]
    zeros = incoming.frame.loc[incoming.frame["metric"] == "ht_is", "value"]
    assert len(zeros) == 10 and set(zeros) == {"0"}
    assert incoming.detected["categories_without_rows"] == ["human trafficking (b), involuntary servitude"]


def test_ingesting_the_same_export_again_changes_nothing(store):
    options = _options("sfpd_incident_reports.csv")
    first = ingest(store, read_tables(GOOD / "sfpd_incident_reports.csv", options=options), source_id=SOURCE)
    second = ingest(store, read_tables(GOOD / "sfpd_incident_reports.csv", options=options), source_id=SOURCE)
    assert first.added == 20 and second.added == second.revised == 0 and second.ingest_id is None


# file, options, (line, column) of the first problem or None, a phrase the message must contain
BAD_CASES = [
    ("bad_date.csv", {}, (5, "Incident Date"), "date '2024/13/45' cannot be read"),
    ("day_first.csv", TIPLINE, (2, "Received"), "looks day first"),
    ("header_only.csv", {}, None, "has a header (line 1) but no data rows"),
    ("no_category.csv", {"region": "CA"}, None, "found no column with a category"),
    ("tipline.csv", {"date_column": "Nope", "category_column": "Kind", "region": "CA"}, None, "no column 'Nope'"),
    ("tipline.csv", {"date_column": "Received", "category_column": "Kind"}, None, "say which police agency"),
    ("tipline.csv", {**TIPLINE, "categories": "commercial sex tip=Tips Sex"}, None, "--categories: cannot read"),
    ("tipline.csv", {**TIPLINE, "start": date(2024, 2, 1), "end": date(2024, 1, 1)}, None, "is after --to"),
    ("tipline.csv", {**TIPLINE, "region": "ori:ZZ99999"}, (1, "region"), "region 'ori:ZZ99999' is not a known"),
    ("long_range.csv", {"region": "CA"}, None, "choose the range with --from/--to"),
    ("too_many_fields.csv", {}, (4, None), "the row has 28 fields but the header has 27"),
    ("utf16.csv", TIPLINE, None, "UTF-16"),
]


@pytest.mark.parametrize(
    ("name", "options", "where", "phrase"), BAD_CASES, ids=[f"{c[0]}-{c[3][:20]}" for c in BAD_CASES]
)
def test_a_bad_file_gives_its_own_clear_error_and_changes_nothing(store, name, options, where, phrase):
    before = snapshot(store)
    with pytest.raises(UserError) as info:
        tables = read_tables(BAD / name, fmt="incidents", options=ReadOptions(**options))
        ingest(store, tables, source_id=SOURCE)
    assert phrase in str(info.value)
    if where is not None:
        assert isinstance(info.value, InputRejected)
        first = info.value.problems[0]
        assert (first.line, first.column) == where
    assert_unchanged(before, snapshot(store))


def test_a_file_without_date_and_category_is_left_to_other_readers():
    # Detection declines (NotThisFormat), so the tidy reader's own message stands.
    with pytest.raises(UserError, match="incidents: no_category.csv line 1: found no column"):
        read_tables(BAD / "no_category.csv")


def test_in_a_big_file_skipped_rows_are_named_by_their_id_not_searched_for(monkeypatch):
    from hotline_trends.ingest import incidents

    monkeypatch.setattr(incidents, "LINES_BYTES", 0)  # as if the file were too big for a second pass
    incoming = read_tables(GOOD / "sfpd_incident_reports.csv", options=_options("sfpd_incident_reports.csv"))[0]
    [problem] = incoming.skipped
    assert problem.line is None and "e.g. Incident ID '1005'" in problem.message


def test_in_a_big_file_areas_are_not_counted_and_that_is_said(monkeypatch):
    from hotline_trends.ingest import incidents

    monkeypatch.setattr(incidents, "LINES_BYTES", 0)
    incoming = read_tables(GOOD / "sfpd_incident_reports.csv", options=_options("sfpd_incident_reports.csv"))[0]
    assert incoming.detected["areas"] is None
    assert "rows per 'Police District' not counted in a file this big (over 64 MB)" in incoming.detected["summary"]
    assert len(incoming.frame) == 20  # the counts themselves do not change
