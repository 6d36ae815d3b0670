"""Differently formatted files with the same content give the same rows; bad files give their own error."""

from __future__ import annotations

import re

import pytest
from support import DATA, assert_unchanged, snapshot

from hotline_trends.errors import InputRejected, UserError
from hotline_trends.ingest import read_file
from hotline_trends.store import ingest
from hotline_trends.store.read import observations

GOOD = sorted((DATA / "tidy" / "good").iterdir())
BAD = DATA / "tidy" / "bad"


def _rows(store):
    frame = observations(store, dataset="tipline")
    return frame.drop(columns=["period_kind"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def expected_rows(bundled_store, tmp_path_factory):
    import shutil

    from hotline_trends.store import Store

    copy = Store(tmp_path_factory.mktemp("golden-expected"))
    shutil.copy2(bundled_store.db_path, copy.db_path)
    ingest(copy, read_file(DATA / "tidy" / "good" / "plain.csv"))
    return _rows(copy)


@pytest.mark.parametrize("path", GOOD, ids=[p.name for p in GOOD])
@pytest.mark.parametrize("bulk_bytes", [0, 1 << 40], ids=["bulk", "checked"])
def test_every_dialect_gives_the_same_rows(store, expected_rows, path, bulk_bytes):
    ingest(store, read_file(path), bulk_bytes=bulk_bytes)
    result = _rows(store)
    assert result.equals(expected_rows), result.compare(expected_rows)


@pytest.mark.parametrize(
    ("path", "delimiter", "encoding", "ignored"),
    [
        ("plain.csv", "comma", "UTF-8", []),
        ("bom_crlf.csv", "comma", "UTF-8 with BOM", []),
        ("semicolon_thousands.csv", "semicolon", "UTF-8", []),
        ("tab_latin1.tsv", "tab", "Latin-1 (Windows-1252)", []),
        ("messy_header_blank_lines.csv", "comma", "UTF-8", ["Comment"]),
    ],
)
def test_the_reader_reports_what_it_detected(path, delimiter, encoding, ignored):
    result = read_file(DATA / "tidy" / "good" / path).detected
    assert (result["format"], result["table"]) == ("tidy-csv", "observations")
    assert (result["delimiter"], result["encoding"], result["ignored_columns"]) == (delimiter, encoding, ignored)


# file, (line, column) of the first problem or None, a phrase the message must contain
BAD_CASES = [
    ("unknown_region.csv", (3, "region"), "region 'Narnia' is not a known region code; use a USPS code like 'FL'"),
    ("negative_value.csv", (3, "value"), "value -4 is negative"),
    ("non_integer_value.csv", (3, "value"), "value '3.5' is not a whole number"),
    ("text_value.csv", (3, "value"), "value 'about 40' is not a number"),
    (
        "unparsable_date.csv",
        (3, "period_start"),
        "period_start '02/01/2024' is not a date in ISO form; write YYYY-MM-DD",
    ),
    ("impossible_date.csv", (3, "period_end"), "period_end '2024-02-30' is not a real calendar date"),
    ("end_before_start.csv", (3, "period_end"), "period_end 2024-02-01 is before period_start"),
    (
        "duplicate_key.csv",
        (3, "value"),
        "the same key (dataset, region, period_start, period_end, metric, source_id) as line 2 but a different value ('5' there, '6' here)",
    ),
    ("too_many_fields.csv", (3, None), "the row has 10 fields but the header has 9"),
    ("bad_reliability.csv", (3, "reliability"), "reliability 'very high' is not one of high, medium, low"),
    ("empty_required.csv", (3, "region"), "region is empty; every observation needs one"),
    ("many_bad_rows.csv", (3, "value"), "value -1 is negative"),
]
WHOLE_FILE_CASES = [
    ("missing_column.csv", "line 1: missing required column 'value' for observations"),
    ("empty.csv", "the file is empty"),
    ("header_only.csv", "has a header (line 1) but no data rows"),
    ("blank_after_header.csv", "has a header (line 1) but no data rows"),
    ("binary.csv", "looks like a binary file, not a text table; save the data as CSV"),
    ("xlsx_renamed.csv", "looks like a zip archive (an .xlsx workbook is one)"),
]


@pytest.mark.parametrize(("name", "where", "phrase"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
@pytest.mark.parametrize("bulk_bytes", [0, 1 << 40], ids=["bulk", "checked"])
def test_a_bad_row_rejects_the_file_with_line_and_column(store, name, where, phrase, bulk_bytes):
    before = snapshot(store)
    with pytest.raises(InputRejected) as info:
        ingest(store, read_file(BAD / name), bulk_bytes=bulk_bytes)
    first = info.value.problems[0]
    assert (first.line, first.column) == where
    assert phrase in first.message
    assert f"{name} line {where[0]}" in str(info.value)
    assert "nothing was added" in str(info.value)
    assert_unchanged(before, snapshot(store))


def test_the_message_counts_bad_rows_and_lists_the_first_few(store):
    with pytest.raises(InputRejected) as info:
        ingest(store, read_file(BAD / "many_bad_rows.csv"))
    message = str(info.value)
    assert message.startswith("many_bad_rows.csv: 20 bad rows of 21; nothing was added.")
    assert len(re.findall(r"many_bad_rows\.csv line \d+", message)) == 5
    assert "and 15 more problems" in message


@pytest.mark.parametrize(("name", "phrase"), WHOLE_FILE_CASES, ids=[c[0] for c in WHOLE_FILE_CASES])
def test_an_unreadable_file_is_refused_with_a_reason(store, name, phrase):
    before = snapshot(store)
    with pytest.raises(UserError, match=re.escape(phrase)):
        ingest(store, read_file(BAD / name))
    assert_unchanged(before, snapshot(store))


def test_a_forced_format_that_does_not_fit_says_what_is_missing():
    with pytest.raises(UserError, match="missing required columns 'event_id', 'name', 'start_date', 'end_date'"):
        read_file(DATA / "tidy" / "good" / "plain.csv", fmt="events-csv")
