"""Every reader: messy variants of the same content give the same stored rows; bad variants their own error.

Golden inputs live in ``tests/data/<reader>/good`` and ``.../bad``; they were written for the tests.
"""

from __future__ import annotations

import re
import shutil
from datetime import date

import pandas as pd
import pytest
from support import DATA, assert_unchanged, snapshot

from hotline_trends.errors import InputRejected, UserError
from hotline_trends.ingest import ReadOptions, read_tables
from hotline_trends.schema import SPECS
from hotline_trends.store import Store, ingest
from hotline_trends.store.read import query

SOURCE = "test_golden"
ICAL_RANGE = {"expand_from": date(2023, 1, 1), "expand_to": date(2025, 12, 31)}
# reader folder -> (format name, the variant the others must match, options for every file)
READERS = {
    "hotline_table": ("hotline-table", "page.html", {}),
    "hotline_page": ("hotline-page", "texas.html", {}),
    "fbi_cde": ("fbi-cde", "plain.csv", {}),
    "census": ("census-nst", "NST-EST2024-ALLDATA.csv", {}),
    "wide": ("wide", "by_year.csv", {"dataset": "test_tipline", "metric": "tips"}),
    "events": ("events", "plain.csv", {}),
    "ical": ("ical", "calendar.ics", ICAL_RANGE),
}
PER_FILE = {("wide", "tipline.xlsx"): {"sheet": "Tips by year"}}
GOOD = [(reader, p.name) for reader in READERS for p in sorted((DATA / reader / "good").iterdir())]


def _options(reader: str, name: str) -> ReadOptions:
    return ReadOptions(**READERS[reader][2], **PER_FILE.get((reader, name), {}))


def written(store: Store, ingest_id: int) -> dict[str, pd.DataFrame]:
    """Every row an ingest wrote, per table, in a stable order (what 'the same tidy rows' means).

    The source registered for the file is left out: it names the file and its sha256, which differ.
    """
    result = {}
    for spec in SPECS.values():
        if spec.name == "sources":
            continue
        frame = query(
            store, f"SELECT * EXCLUDE (_ingest, _replaced_by) FROM {spec.name}_v WHERE _ingest = ?", [ingest_id]
        )
        if not frame.empty:
            result[spec.name] = frame.sort_values(list(spec.key)).reset_index(drop=True)
    return result


def _ingest(store: Store, reader: str, name: str, folder: str = "good"):
    tables = read_tables(DATA / reader / folder / name, options=_options(reader, name))
    return ingest(store, tables, source_id=SOURCE)


@pytest.fixture(scope="module")
def expected(bundled_store, tmp_path_factory) -> dict[str, dict[str, pd.DataFrame]]:
    """The rows of each reader's reference variant, ingested into a private copy of the bundled store."""
    result = {}
    for reader, (_, reference, _) in READERS.items():
        copy = Store(tmp_path_factory.mktemp(f"expected-{reader}"))
        shutil.copy2(bundled_store.db_path, copy.db_path)
        result[reader] = written(copy, _ingest(copy, reader, reference).ingest_id)
    return result


@pytest.mark.parametrize(("reader", "name"), GOOD, ids=[f"{r}/{n}" for r, n in GOOD])
def test_every_variant_gives_the_same_rows(store, expected, reader, name):
    report = _ingest(store, reader, name)
    result = written(store, report.ingest_id)
    assert result.keys() == expected[reader].keys()
    for table, frame in expected[reader].items():
        pd.testing.assert_frame_equal(result[table], frame, obj=f"{reader}/{name} {table}")


def _value(rows: pd.DataFrame, **where) -> list:
    mask = pd.Series(True, index=rows.index)
    for column, wanted in where.items():
        mask &= rows[column].astype(str) == str(wanted)
    return rows.loc[mask, "value"].tolist()


def test_hotline_table_keeps_counts_per_year_and_drops_totals_and_percents(expected):
    rows = expected["hotline_table"]["observations"]
    assert _value(rows, region="TX", metric="signals", period_start="2024-01-01") == [2418]
    assert _value(rows, region="TX", metric="cases", period_start="2023-01-01") == [900]
    assert _value(rows, region="MP", metric="cases", period_start="2024-01-01") == [0]
    assert set(rows["region"]) == {"CA", "TX", "DC", "GU", "PR", "VI", "MP"}  # no 'Total'
    assert set(rows["metric"]) == {"signals", "cases"}  # the % columns are not counts


def test_hotline_page_stores_years_not_all_time_totals(expected):
    rows = expected["hotline_page"]["observations"]
    assert sorted(zip(rows["period_start"].astype(str), rows["metric"], rows["value"], strict=True)) == [
        ("2023-01-01", "cases", 900),
        ("2023-01-01", "signals", 2373),
        ("2023-01-01", "victims", 1723),
        ("2024-01-01", "cases", 1360),
        ("2024-01-01", "signals", 2418),
        ("2024-01-01", "victims", 2655),
    ]
    assert set(rows["region"]) == {"TX"} and 25002 not in set(rows["value"])


def test_fbi_reports_for_the_same_agency_year_and_offense_add_up(expected):
    rows, agencies = expected["fbi_cde"]["observations"], expected["fbi_cde"]["agencies"]
    assert _value(rows, region="ori:TX99901", period_start="2019-01-01", metric="actual_csa") == [5]
    assert _value(rows, region="ori:TX99901", period_start="2019-01-01", metric="actual_total") == [6]
    assert _value(rows, region="ori:TX99901", period_start="2019-01-01", metric="cleared_total") == [2]
    assert _value(rows, region="ori:TX99901", period_start="2020-01-01", metric="actual_is") == []  # no row, not 0
    note = rows.loc[(rows["region"] == "ori:TX99901") & (rows["metric"] == "actual_total"), "note"].tolist()
    assert note == ["sum of 3 records", "1 record"]
    result = agencies[["ori", "state", "county", "agency_name"]].values.tolist()
    assert result == [
        ["NB99900", "NE", "DOUGLAS", "Test County"],  # 'NB' is Nebraska
        ["TX99901", "TX", "TRAVIS", "Doña Test Police Department"],  # the latest year's name
    ]


def test_census_rows_are_places_with_the_vintage(expected):
    rows = expected["census"]["population"]
    assert set(rows["region"]) == {"US", "TX", "DC", "AK", "PR"}
    assert set(rows["vintage"]) == {"v2024"}
    assert rows.loc[(rows["region"] == "TX") & (rows["year"] == 2024), "population"].tolist() == [31290831]


def test_wide_rows_skip_totals_and_empty_cells(expected):
    rows = expected["wide"]["observations"]
    assert len(rows) == 7 and set(rows["region"]) == {"TX", "FL", "DC", "PR"}
    assert _value(rows, region="TX", period_start="2023-01-01") == [1204]
    assert _value(rows, region="DC", period_start="2024-01-01") == []  # suppressed/empty: no row


def test_ical_expands_repeats_and_flags_unknown_states(expected):
    rows = expected["ical"]["events"].set_index("event_id")
    fiesta = rows.loc["fiesta-senora-san-antonio-2023-04-20"]
    assert [str(fiesta["end_date"])[:10], fiesta["city"], fiesta["state"], fiesta["venue"]] == [
        "2023-04-30",
        "San Antonio",
        "TX",
        "Alamo Plaza",
    ]
    assert "fiesta-senora-san-antonio-2024-04-20" not in rows.index  # EXDATE
    assert "fiesta-senora-san-antonio-2026-04-20" not in rows.index  # outside the range
    assert str(rows.loc["halftime-watch-party-2024-02-11", "start_date"])[:10] == "2024-02-11"  # UTC -> Pacific
    assert rows.loc["big-game-test-2025-02-09", "name"] == "Big Game Test"
    assert pd.isna(rows.loc["online-summit-2024-03-15", "state"])
    meetings = sorted(str(d)[:10] for i, d in rows["start_date"].items() if i.startswith("weekly-meeting"))
    days = ["01-02", "01-09", "01-16", "01-23", "01-30", "02-06", "02-13", "02-20", "02-27", "03-05"]
    assert meetings == [f"2024-{day}" for day in days]  # a weekly rule is expanded (it used to be one event)
    assert "assign" in rows.loc["online-summit-2024-03-15", "flag"]


# reader, file, options, (line, column) of the first problem or None, a phrase the message must contain
BAD = [
    ("hotline_table", "no_year.html", {}, None, "no year in a heading above it"),
    ("hotline_table", "percent_as_count.csv", {}, (3, "value"), "value '10.46%' is not a number"),
    ("hotline_table", "unknown_state.html", {}, (12, "region"), "region 'Narnia' is not a known region code"),
    ("hotline_page", "two_states.html", {}, None, "the page names two places, 'Texas' (line 2) and 'Florida'"),
    ("hotline_page", "no_state.txt", {}, None, "does not say which state it is about"),
    ("hotline_page", "all_time_only.html", {}, None, "only all-time totals"),
    ("hotline_page", "unknown_place.html", {}, (2, "region"), "region 'Narnia' is not a known region code"),
    ("hotline_page", "not_a_number.txt", {}, (5, "value"), "value '2,655.5' is not a number"),
    ("fbi_cde", "unknown_subcategory.csv", {}, (3, "OFFENSE_SUBCAT_ID"), "'83' is neither 81"),
    ("fbi_cde", "text_count.csv", {}, (3, "ACTUAL_COUNT"), "ACTUAL_COUNT 'three' is not a whole number"),
    ("fbi_cde", "missing_column.csv", {}, (1, None), "lacks the column(s) CLEARED_COUNT"),
    ("fbi_cde", "negative_sum.csv", {}, (2, "value"), "value -1 is negative"),
    ("fbi_cde", "bad_year.csv", {}, (2, "period_start"), "period_start '20x9' is not a date"),
    ("fbi_cde", "unknown_state.csv", {}, (2, "state"), "state 'ZZ' is not a known region"),
    ("census", "regions_only.csv", {}, None, "no nation or state rows"),
    ("census", "text_population.csv", {}, (3, "population"), "population 'n/a' is not a number"),
    ("census", "unknown_name.csv", {}, (3, "region"), "region 'Narnia' is not a known region code"),
    ("census", "../good/NST-EST2024-ALLDATA.csv", {"vintage": "latest"}, None, "--vintage 'latest' is not a vintage"),
    ("wide", "unknown_region.csv", {"dataset": "t", "metric": "tips"}, (3, "region"), "region 'Narnia' is not"),
    ("wide", "text_value.csv", {"dataset": "t", "metric": "tips"}, (3, "value"), "value 'about 40' is not a number"),
    ("wide", "no_year.csv", {"dataset": "t"}, None, "does not say which year; pass --year 2024"),
    ("wide", "no_metric.csv", {"dataset": "t"}, None, "does not say which metric the numbers count"),
    ("wide", "no_metric.csv", {"metric": "tips"}, None, "does not say which dataset"),
    ("events", "missing_start_date.csv", {}, None, "missing required column 'start_date' for events"),
    ("events", "unknown_state.csv", {}, (3, "state"), "state 'Narnia' is not a known region code"),
    ("events", "end_before_start.csv", {}, (2, "end_date"), "end_date 2024-04-18 is before start_date"),
    ("events", "us_dates.csv", {}, (2, "start_date"), "start_date '04/18/2024' is not a date in ISO form"),
    ("ical", "no_dtstart.ics", ICAL_RANGE, (10, None), "DTSTART is missing"),
    ("ical", "broken_dtstart.ics", ICAL_RANGE, (4, None), "the event cannot be read (DTSTART"),
    ("ical", "no_events.ics", ICAL_RANGE, None, "the calendar has no events in 2023-01-01..2025-12-31"),
    ("ical", "end_before_start.ics", ICAL_RANGE, (4, "end_date"), "end_date 2024-01-04 is before start_date"),
    ("ical", "vcard.ics", {}, None, "no reader recognised this file. Tried: ical: does not start with BEGIN:VCALENDAR"),
]


@pytest.mark.parametrize(("reader", "name", "options", "where", "phrase"), BAD, ids=[f"{c[0]}/{c[1]}" for c in BAD])
def test_a_bad_variant_gives_its_own_clear_error_and_changes_nothing(store, reader, name, options, where, phrase):
    before = snapshot(store)
    with pytest.raises(UserError) as info:
        ingest(store, read_tables(DATA / reader / "bad" / name, options=ReadOptions(**options)), source_id=SOURCE)
    assert phrase in str(info.value)
    if where is not None:
        assert isinstance(info.value, InputRejected)
        first = info.value.problems[0]
        assert (first.line, first.column) == where
        assert re.search(rf"{re.escape(name.split('/')[-1])} line {where[0]}\b", str(info.value))
    assert_unchanged(before, snapshot(store))


# reader, one good file, what its `detected` must say (besides the format)
DETECTED = [
    (
        "hotline_table",
        "copy.xlsx",
        {"sheet": "Statistics", "years": [2023, 2024], "tables_found": 2, "rows_skipped": 1},
    ),
    ("hotline_table", "semicolon_bom_crlf.csv", {"delimiter": "semicolon", "encoding": "UTF-8 with BOM"}),
    (
        "hotline_table",
        "captions_windows1252.html",
        {"source": "HTML page", "encoding": "WINDOWS-1252 (declared by the page)"},
    ),
    (
        "hotline_page",
        "wrapped_latin1_crlf.txt",
        {"source": "text", "encoding": "Latin-1 (Windows-1252)", "region": "TX"},
    ),
    ("hotline_page", "headings_only.html", {"region_from": "the page heading", "years": [2023, 2024]}),
    ("fbi_cde", "tab_quoted_latin1.tsv", {"delimiter": "tab", "records": 5, "agencies": 2, "nebraska_written_nb": 1}),
    ("census", "semicolon_latin1_estimates.csv", {"vintage": "v2024", "years": [2022, 2023, 2024], "rows_skipped": 2}),
    ("census", "NST-EST2024-ALLDATA.csv", {"vintage_from": "the file name (NST-EST2024)"}),
    ("wide", "codes_semicolon_latin1.csv", {"layout": "one column per year", "ignored_columns": ["Notes"]}),
    ("wide", "by_metric_year_column.csv", {"layout": "one column per metric", "ignored_columns": ["% of all tips"]}),
    ("events", "semicolon_latin1_names.csv", {"delimiter": "semicolon", "place_names_mapped": 2}),
    ("events", "events.xlsx", {"sheet": "Events", "table": "events"}),
    # Every frequency is expanded now: the weekly meeting's 10 dates are 10 events (it was 1, "not expanded").
    ("ical", "calendar.ics", {"vevents": 5, "events": 15, "repeats_merged": 0}),
    # Rows and cells without closing tags (valid HTML5) gave an empty table with the old parser.
    ("hotline_table", "unclosed_rows.html", {"source": "HTML page", "tables_found": 2, "years": [2023, 2024]}),
]


@pytest.mark.parametrize(("reader", "name", "facts"), DETECTED, ids=[f"{c[0]}/{c[1]}" for c in DETECTED])
def test_every_reader_reports_what_it_detected(reader, name, facts):
    result = read_tables(DATA / reader / "good" / name, options=_options(reader, name))[0].detected
    assert result["format"] == READERS[reader][0]
    assert {k: result.get(k) for k in facts} == facts


def test_unresolved_calendar_events_are_listed_for_the_user():
    [incoming] = read_tables(DATA / "ical" / "good" / "calendar.ics", options=ReadOptions(**ICAL_RANGE))
    result = [(u["event_id"], u["location"]) for u in incoming.detected["unresolved"]]
    assert result == [("online-summit-2024-03-15", "Online")]
    assert incoming.detected["utc_times"] == "converted to dates in America/Los_Angeles"


def test_a_page_saved_with_a_comment_before_the_markup_is_still_html(tmp_path):
    page = (DATA / "hotline_table" / "good" / "page.html").read_text(encoding="utf-8")
    saved = tmp_path / "saved.html"
    licence = "<!--\n" + "A long header comment, as browsers and servers write them.\n" * 60 + "-->\n"
    saved.write_text(licence + page, encoding="utf-8")
    [result] = read_tables(saved)
    assert (result.reader, result.detected["source"], result.detected["years"]) == (
        "hotline-table",
        "HTML page",
        [2023, 2024],
    )
