"""Uploaded file names are kept as safe, bounded names: no path parts, no controls, never too long."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hotline_trends.errors import UserError
from hotline_trends.store import Store
from hotline_trends.store.uploads import MAX_NAME_BYTES, safe_name, save_upload

CJK = "観" * 200
# (what a browser or a crafted request may send, the name kept on disk)
GOLDEN = [
    ("tips 2024.csv", "tips 2024.csv"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\me\\tips.xlsx", "tips.xlsx"),
    ("/abs/path/to/x.csv", "x.csv"),
    ("", "upload"),
    ("..", "upload"),
    ("...", "upload"),
    ("/", "upload"),
    (".hidden.csv", "hidden.csv"),
    ("  spaced name.csv  ", "spaced name.csv"),
    ("a\x00b.csv", "ab.csv"),
    ("\x00", "upload"),
    ("line\nbreak\r.csv", "linebreak.csv"),
    ("tab\there.csv", "tabhere.csv"),
    ("\x1b[31mred\x1b[0m.csv", "[31mred[0m.csv"),
    ("del\x7f\x85\x9f.csv", "del.csv"),
    ("invoice\u202egpj.csv", "invoicegpj.csv"),  # a right-to-left override would show 'invoicevsc.jpg'
    ("zero\u200b\u200dwidth\ufeff.csv", "zerowidth.csv"),
    ("para\u2028\u2029.csv", "para.csv"),
    ("lone\udc80surrogate.csv", "lonesurrogate.csv"),
    ("private\ue000.csv", "private.csv"),
    ("e\u0301te\u0301.csv", "\u00e9t\u00e9.csv"),  # decomposed accents kept, composed (NFC)
    ("![x](http://e.vil/p.png).csv", "p.png).csv"),
    ("![x](probe.png) <b>**bold**.csv", "![x](probe.png) <b>**bold**.csv"),  # text on disk, never Markdown
    ("データ 2024年.xlsx", "データ 2024年.xlsx"),
    (CJK + ".csv", "観" * 57 + "….csv"),
    (CJK, "観" * 59 + "…"),
    ("a" * 300 + ".xlsx", "a" * (MAX_NAME_BYTES - 5 - 3) + "….xlsx"),
    ("a" * 300 + ".not-an-extension", "a" * (MAX_NAME_BYTES - 3) + "…"),
    ("😀" * 100 + ".ics", "😀" * 43 + "….ics"),
]


@pytest.mark.parametrize(("given", "expected"), GOLDEN, ids=[f"name{i}" for i in range(len(GOLDEN))])
def test_safe_name(given, expected):
    result = safe_name(given)
    assert result == expected
    assert len(result.encode("utf-8")) <= MAX_NAME_BYTES
    assert "/" not in result and "\\" not in result and result not in ("", ".", "..")
    assert all(c.isprintable() or c == " " for c in result)


@pytest.mark.parametrize(("given", "expected"), GOLDEN, ids=[f"name{i}" for i in range(len(GOLDEN))])
def test_every_name_is_kept_on_disk_under_its_safe_name(tmp_path, given, expected):
    store = Store(tmp_path / "store")
    path = save_upload(store, given, b"State,2024\nTexas,5\n")
    assert path.name == expected and path.read_bytes() == b"State,2024\nTexas,5\n"
    assert path.parent.parent == store.uploads_dir
    assert [p.name for p in path.parent.iterdir()] == [expected]  # no '.part' left behind


def test_a_failed_write_leaves_no_folder_and_says_why(tmp_path, monkeypatch):
    store = Store(tmp_path / "store")

    def full(self, data):
        raise OSError(28, os.strerror(28))

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(UserError, match=r"could not keep the uploaded file as 'x.csv' .*No space left on device"):
        save_upload(store, "x.csv", b"1")
    assert not any(store.uploads_dir.iterdir())


def test_the_same_bytes_again_land_on_the_same_file(tmp_path):
    store = Store(tmp_path / "store")
    first = save_upload(store, "a.csv", b"1")
    assert save_upload(store, "a.csv", b"1") == first
    other = save_upload(store, "a.csv", b"2")
    assert other != first and first.read_bytes() == b"1"
