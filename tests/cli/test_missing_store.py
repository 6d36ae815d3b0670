"""Commands that only read, pointed at a store that does not exist: one line, exit 2, nothing created."""

from __future__ import annotations

import json

import pytest

from hotline_trends.paths import STORE_ENV

READ_ONLY = [
    ("query", "--region", "FL"),
    ("coverage",),
    ("datasets",),
    ("sources",),
    ("ingests",),
    ("history", "--region", "FL", "--metric", "cases"),
    ("events",),
    ("events", "--flagged"),
    ("event", "super-bowl-2013"),
    ("study", "--name", "Super Bowl"),
    ("power", "--region", "FL", "--days", "7"),
    # writes that need something to exist first: they say the same and create nothing either
    ("ingests", "remove", "1", "--yes"),
    ("events", "assign", "super-bowl-2013", "--state", "TX"),
    ("sources", "describe", "x", "--publisher", "P", "--location", "L"),
]


@pytest.fixture
def nowhere(tmp_path, monkeypatch):
    root = tmp_path / "no" / "store"
    monkeypatch.setenv(STORE_ENV, str(root))
    return root


@pytest.mark.parametrize("args", READ_ONLY, ids=" ".join)
def test_a_missing_store_is_named_and_not_created(nowhere, cli, args):
    result = cli(*args)
    expected = (
        f"error: there is no store at {nowhere}; build it with: hotline-trends build "
        f"(or set {STORE_ENV} to a store that exists)\n"
    )
    assert (result.code, result.err, result.out) == (2, expected, "")
    assert not nowhere.parent.exists()


def test_the_json_error_says_the_same(nowhere, cli):
    result = cli("query", "--region", "FL", "--json")
    assert result.code == 2 and len(result.err.splitlines()) == 1
    assert json.loads(result.out) == {"error": result.err.removeprefix("error: ").strip(), "exit_code": 2}
    assert not nowhere.parent.exists()
