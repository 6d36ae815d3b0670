"""Hostile and broken files: each gives one clear line and exit 2 (or a bounded success), and the store is unchanged.

The files are made by ``tests/hostile_files.py`` (nothing big is committed); ``bench/hostile.py`` runs the
same set at full size and prints time and peak memory per file.
"""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from hostile_files import CASES, OBS_HEADER, OBS_ROW, ics_calendar, ics_event, obs_rows
from support import DATA, assert_unchanged, snapshot

from hotline_trends.errors import UserError
from hotline_trends.ingest import ReadOptions, read_tables
from hotline_trends.ingest.limits import SECONDS_ENV, limited
from hotline_trends.paths import STORE_ENV, bundled_file
from hotline_trends.store import Store, ingest
from hotline_trends.store.read import query


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> tuple[Store, dict]:
    """A store with sources, regions and events (small, so its snapshot is quick), and its snapshot."""
    store = Store(tmp_path_factory.mktemp("hostile") / "store")
    for name in ("sources", "regions", "events"):
        ingest(store, read_tables(bundled_file(name)))
    return store, snapshot(store)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_hostile_file_gives_one_clear_line_or_a_bounded_success(small_store, cli, monkeypatch, tmp_path, case):
    store, before = small_store
    monkeypatch.setenv(STORE_ENV, str(store.root))
    path = case.make(tmp_path, False)
    dry = ("--dry-run",) if case.expect is None else ()
    with limited(**case.quick_limits):
        result = cli("ingest", path, *case.args, *dry)
    assert "Traceback" not in result.err
    if case.expect is None:
        assert result.code == 0, result.err
    else:
        assert result.code == 2, result.out
        lines = result.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: {path.name}"), result.err
        assert case.expect in lines[0]
    assert_unchanged(before, snapshot(store))


def test_a_latin1_file_whose_first_accent_comes_after_64kb_reads_correctly(store, tmp_path):
    path = tmp_path / "late_accent.csv"
    accented = OBS_ROW.format(day=1, value=7, note='"Doña Ana, Señora"').replace("tipline", "late")
    path.write_bytes((OBS_HEADER + obs_rows(2000)).encode() + accented.encode("cp1252"))
    assert path.stat().st_size > 1 << 16
    [incoming] = read_tables(path)
    assert incoming.detected["encoding"] == "Latin-1 (Windows-1252)"
    ingest(store, [incoming])
    result = query(store, "SELECT note FROM observations WHERE dataset = 'late'")["note"].tolist()
    assert result == ["Doña Ana, Señora"]


@pytest.mark.parametrize(
    ("note", "encoding", "phrase"),
    [
        ("Москва, Санкт-Петербург, Новосибирск", "cp1251", "reads as Cyrillic"),
        ("東京都, 大阪府, 北海道, 神奈川県", "shift_jis", "neither UTF-8 nor Windows-1252"),  # 0x8D
        ("a\x81b", "latin-1", "byte 0x81 means nothing in Windows-1252"),
    ],
)
def test_a_file_in_another_legacy_encoding_is_refused_not_stored_garbled(tmp_path, note, encoding, phrase):
    path = tmp_path / "other.csv"
    rows = "".join(OBS_ROW.format(day=1 + i, value=i, note=f'"{note}"') for i in range(20))
    path.write_bytes(OBS_HEADER.encode() + rows.encode(encoding))
    with pytest.raises(UserError, match=phrase):
        read_tables(path)


def test_latin1_symbols_alone_are_still_read_as_windows_1252(tmp_path):
    path = tmp_path / "symbols.csv"
    rows = "".join(OBS_ROW.format(day=1 + i, value=i, note=f"N° {i}, £{i}, ½, ©") for i in range(20))
    path.write_bytes((OBS_HEADER + rows).encode("cp1252"))
    assert read_tables(path)[0].detected["encoding"] == "Latin-1 (Windows-1252)"


@pytest.mark.parametrize(
    ("name", "data", "phrase"),
    [
        ("bom_then_latin1.csv", b"\xef\xbb\xbf" + OBS_HEADER.encode() + "x,Doña\n".encode("cp1252"), "byte-order mark"),
        ("cut_short.csv", OBS_HEADER.encode() + "x,Doñ".encode()[:-1], "ends in the middle of a UTF-8 character"),
    ],
)
def test_broken_utf8_is_refused_with_its_line(tmp_path, name, data, phrase):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UserError, match=phrase) as info:
        read_tables(path)
    assert f"{name} line 2" in str(info.value)


def test_the_time_budget_stops_a_read_with_one_line(store, cli, tmp_path):
    before = snapshot(store)
    with limited(seconds=0):
        result = cli("ingest", DATA / "tidy" / "good" / "plain.csv")
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        "error: plain.csv: reading took longer than 0 s, the time budget of one read; nothing was added. Split the "
        f"file, save it as a plain tidy CSV, or raise {SECONDS_ENV}"
    ]
    assert_unchanged(before, snapshot(store))


def test_the_time_budget_can_be_set_from_the_environment(monkeypatch):
    monkeypatch.setenv(SECONDS_ENV, "0")
    with pytest.raises(UserError, match="reading took longer than 0 s"):
        read_tables(DATA / "tidy" / "good" / "plain.csv")
    monkeypatch.setenv(SECONDS_ENV, "soon")
    with pytest.raises(UserError, match="is not a number of seconds"):
        read_tables(DATA / "tidy" / "good" / "plain.csv")


def test_a_workbook_is_refused_when_it_would_expand_past_the_limit():
    with limited(zip_bytes=1000), pytest.raises(UserError, match="would expand to 19 KB .* over the 1.0 KB"):
        read_tables(DATA / "tidy" / "good" / "plain.xlsx")


# (name, start date) of every event of a calendar with one event per kind of repeat; the old reader
# expanded yearly rules only and ignored RDATE.
EVERY_RULE = [
    ("Monthly Market", "2024-01-05"),
    ("Monthly Market", "2024-02-05"),
    ("Monthly Market", "2024-03-05"),
    ("Weekly Meeting", "2024-01-02"),  # UNTIL in UTC, start in Chicago
    ("Weekly Meeting", "2024-01-09"),
    ("Weekly Meeting", "2024-01-16"),
    ("Daily Fair", "2024-03-01"),  # 2024-03-02 is an EXDATE
    ("Daily Fair", "2024-03-03"),
    ("Daily Fair", "2024-03-04"),
    ("Hourly Show", "2024-04-01"),  # 22:00 and 23:00 UTC are one day's event ...
    ("Hourly Show", "2024-04-02"),  # ... 00:00 and 01:00 the next day's
    ("Minutely Race", "2024-05-01"),
    ("Secondly Countdown", "2024-06-01"),
    ("Yearly Festival", "2023-06-10"),
    ("Yearly Festival", "2023-12-25"),  # RDATE beside the rule
    ("Yearly Festival", "2024-06-10"),
    ("Listed Dates", "2024-09-01"),  # RDATE without a rule
    ("Listed Dates", "2024-09-15"),
    ("Listed Dates", "2024-10-01"),
    ("Evening Vigil", "2024-01-10"),  # 8 pm Chicago; the next one (Jan 12, 02:00 UTC) is after UNTIL
]


def test_every_rule_frequency_rdate_exdate_and_until_in_utc_are_expanded(store):
    path = DATA / "ical" / "recurrences" / "every_rule.ics"
    [incoming] = read_tables(path, options=ReadOptions(expand_from=date(2023, 1, 1), expand_to=date(2025, 12, 31)))
    result = list(zip(incoming.frame["name"], incoming.frame["start_date"], strict=True))
    assert result == EVERY_RULE
    assert incoming.detected["repeats_merged"] == 8  # same-day repeats of the hourly, minutely and secondly rules
    festival = incoming.frame[incoming.frame["name"] == "Yearly Festival"]["end_date"].tolist()
    assert festival == ["2023-06-11", "2023-12-26", "2024-06-11"]  # every occurrence keeps the two days
    ingest(store, [incoming])  # and the store takes them


def test_an_html_table_without_closing_tags_is_read(tmp_path):
    page = tmp_path / "minimal.html"
    shutil.copy(DATA / "hotline_table" / "good" / "unclosed_rows.html", page)
    [incoming] = read_tables(page)
    rows = incoming.frame
    texas = rows[(rows["region"] == "TX") & (rows["period_start"] == "2024-01-01")]
    assert sorted(zip(texas["metric"], texas["value"], strict=True)) == [("cases", "1,360"), ("signals", "2,418")]
    assert rows.loc[rows["region"] == "TX", "_line"].tolist() == [10, 10, 24, 24]  # the line of each row


def test_a_rule_is_counted_in_the_range_and_from_its_start(tmp_path):
    daily = tmp_path / "daily_since_1970.ics"
    daily.write_text(ics_calendar(ics_event("d", "19700101", "RRULE:FREQ=DAILY\r\n")), newline="")
    options = ReadOptions(expand_from=date(2024, 1, 1), expand_to=date(2024, 12, 31))
    assert read_tables(daily, options=options)[0].detected["events"] == 366  # 19,720 days from its start: fine
    hourly = tmp_path / "hourly_since_1980.ics"
    hourly.write_text(ics_calendar(ics_event("h", "19800101T000000Z", "RRULE:FREQ=HOURLY\r\n")), newline="")
    with pytest.raises(UserError, match=r"repeats more than 200,000 times from its start; .* UNTIL or COUNT$"):
        read_tables(hourly, options=options)
