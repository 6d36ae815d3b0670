"""Idempotence, revisions, removal and atomicity of ingests."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import DATA, assert_unchanged, snapshot

from hotline_trends.errors import UserError
from hotline_trends.ingest import read_file
from hotline_trends.store import ingest
from hotline_trends.store import merge as merge_module
from hotline_trends.store import stage as stage_module
from hotline_trends.store.read import history, ingests, observations
from hotline_trends.store.remove import remove_ingest

PLAIN = DATA / "tidy" / "good" / "plain.csv"


def _revised_copy(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "plain.csv"  # same file name: a corrected export of the same log
    path.write_text(PLAIN.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("bulk_bytes", [0, 1 << 40], ids=["bulk", "checked"])
def test_ingesting_twice_changes_nothing(store, bulk_bytes):
    first = ingest(store, read_file(PLAIN), bulk_bytes=bulk_bytes)
    before = snapshot(store)
    second = ingest(store, read_file(PLAIN), bulk_bytes=bulk_bytes)
    assert (first.added, first.revised) == (4, 0)
    assert (second.added, second.revised, second.unchanged) == (0, 0, 4)
    assert second.ingest_id is None
    assert second.earlier_ingests_of_file == [first.ingest_id]
    assert_unchanged(before, snapshot(store))


def test_rebuilding_the_bundled_store_changes_nothing(store):
    from hotline_trends.store.build import build

    before = snapshot(store)
    reports = build(store)
    assert all(r.added == 0 and r.revised == 0 for r in reports)
    assert_unchanged(before, snapshot(store))


@pytest.mark.parametrize("bulk_bytes", [0, 1 << 40], ids=["bulk", "checked"])
def test_a_new_value_is_a_revision_and_both_are_listed(store, tmp_path, bulk_bytes):
    first = ingest(store, read_file(PLAIN), bulk_bytes=bulk_bytes)
    second = ingest(store, read_file(_revised_copy(tmp_path, ",12,", ",13,")), bulk_bytes=bulk_bytes)
    assert (second.added, second.revised, second.unchanged) == (0, 1, 3)
    result = history(store, region="FL", metric="tips", year=2024)
    feb = result[result["period_start"].astype(str) == "2024-02-01"]
    assert sorted(zip(feb["value"], feb["status"], feb["ingest_id"], strict=True)) == [
        (12, "replaced", first.ingest_id),
        (13, "current", second.ingest_id),
    ]
    current = observations(store, region="FL", dataset="tipline")
    assert sorted(current["value"]) == [13, 1733]


def test_removing_an_ingest_restores_what_it_revised(store, tmp_path):
    ingest(store, read_file(PLAIN))
    before = observations(store, dataset="tipline")
    second = ingest(store, read_file(_revised_copy(tmp_path, ",12,", ",13,")))
    with pytest.raises(UserError, match="--yes"):
        remove_ingest(store, second.ingest_id)
    counts = remove_ingest(store, second.ingest_id, confirm=True)
    assert counts["observations_restored"] == 1
    assert counts["observations_deleted"] == 1
    after = observations(store, dataset="tipline")
    assert after.equals(before)
    log = ingests(store).set_index("ingest_id")
    assert log.loc[second.ingest_id, "status"] == "removed"
    with pytest.raises(UserError, match="already removed"):
        remove_ingest(store, second.ingest_id, confirm=True)


def test_removing_the_first_ingest_of_a_chain_keeps_the_newest_current(store, tmp_path):
    ingest(store, read_file(PLAIN))
    second = ingest(store, read_file(_revised_copy(tmp_path, ",12,", ",13,")))
    third = ingest(store, read_file(_revised_copy(tmp_path, ",12,", ",14,")))
    remove_ingest(store, second.ingest_id, confirm=True)
    result = history(store, region="FL", metric="tips", year=2024)
    feb = result[result["period_start"].astype(str) == "2024-02-01"].sort_values("ingest_id")
    assert list(zip(feb["value"], feb["replaced_by"].fillna(0).astype(int), strict=True)) == [
        (12, third.ingest_id),
        (14, 0),
    ]


def test_removing_an_ingest_whose_source_others_use_is_refused(store, tmp_path):
    first = ingest(store, read_file(PLAIN), source_id="shared_src")
    other = tmp_path / "other.csv"
    other.write_text(PLAIN.read_text(encoding="utf-8").replace("tipline", "otherline"), encoding="utf-8")
    ingest(store, read_file(other), source_id="shared_src")
    with pytest.raises(UserError, match="later data still refers"):
        remove_ingest(store, first.ingest_id, confirm=True)


@pytest.mark.parametrize("bulk_bytes", [0, 1 << 40], ids=["bulk", "checked"])
def test_a_failure_half_way_leaves_the_store_exactly_as_it_was(store, monkeypatch, bulk_bytes):
    before = snapshot(store)
    real_merge = merge_module.merge_new_rows

    def merge_then_fail(con, spec, ingest_id):
        real_merge(con, spec, ingest_id)  # rows are written and merged, then the disk "fails"
        raise OSError("disk full (injected)")

    monkeypatch.setattr("hotline_trends.store.apply.merge_new_rows", merge_then_fail)
    with pytest.raises(OSError, match="injected"):
        ingest(store, read_file(PLAIN), bulk_bytes=bulk_bytes)
    assert_unchanged(before, snapshot(store))


def test_the_bulk_and_checked_paths_store_the_same_rows(store, tmp_path, monkeypatch):
    bulk_calls = []
    real_bulk = stage_module.bulk_insert
    monkeypatch.setattr(
        "hotline_trends.store.apply.bulk_insert",
        lambda *a, **k: bulk_calls.append(1) or real_bulk(*a, **k),
    )
    ingest(store, read_file(PLAIN), bulk_bytes=0)
    result = observations(store, dataset="tipline")
    assert bulk_calls
    ingest_id = ingests(store)["ingest_id"].max()
    remove_ingest(store, int(ingest_id), confirm=True)
    ingest(store, read_file(PLAIN), bulk_bytes=1 << 40)
    expected = observations(store, dataset="tipline")
    assert result.equals(expected)


def test_dry_run_writes_nothing(store):
    before = snapshot(store)
    report = ingest(store, read_file(PLAIN), dry_run=True)
    assert (report.added, report.ingest_id, report.sources_registered) == (4, None, ["test_tipline"])
    assert_unchanged(before, snapshot(store))


def test_a_store_built_before_a_spec_gained_a_column_is_upgraded_in_place(store, monkeypatch):
    from dataclasses import replace

    from hotline_trends.schema import SPECS, Column
    from hotline_trends.store.read import table

    before = table(store, "regions")
    grown = replace(SPECS["regions"], columns=(*SPECS["regions"].columns, Column("parent", "region")))
    monkeypatch.setitem(SPECS, "regions", grown)
    result = table(store, "regions")
    assert list(result.columns) == [*before.columns, "parent"]
    assert result["parent"].isna().all()
    assert result.drop(columns="parent").equals(before)
