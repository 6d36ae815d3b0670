"""CSV exports cannot smuggle a formula into a spreadsheet, whatever the cells hold.

Every crafted cell is exported, then read back by a parser that ends a row at CR, LF or CRLF (as old
spreadsheets and ``csv`` with ``newline=''`` do): the rows and cells must come back exactly, and no cell may
start, after blanks and line breaks, with a formula sign unless it carries the ``'`` prefix.
"""

from __future__ import annotations

import csv
import io
import itertools

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline_trends.exports.table import FORMULA_SIGNS, FORMULA_STARTS, csv_bytes, is_formula_like

BLANKS = ["", " ", "  ", "\t", "\r", "\n", "\r\n", " \r", "\n ", "\u00a0", "\r\r"]
SIGNS = ["=", "+", "-", "@", "", "a", "'"]
BODIES = ["1", "1+1", 'HYPERLINK("https://e.vil")', "cmd|' /C calc'!A0", "1,2", 'x"y', "a\rb", "a\nb", ";", ""]
CRAFTED = ["".join(parts) for parts in itertools.product(BLANKS, SIGNS, BODIES)]


def _read_back(data: bytes) -> list[list[str]]:
    """Rows as a CR-aware parser sees them: any bare CR, LF or CRLF outside quotes ends a row."""
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def _frame(cells: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "note": cells,
            "value": range(len(cells)),
            "source_id": ["s"] * len(cells),
            "reliability": ["high"] * len(cells),
            "label": list(reversed(cells)),
        }
    )


def _check(cells: list[str]) -> None:
    frame = _frame(cells)
    rows = _read_back(csv_bytes(frame))
    assert rows[0] == list(frame.columns)
    assert len(rows) == len(frame) + 1, "a cell's line break started a row of its own"
    for row, (_, original) in zip(rows[1:], frame.iterrows(), strict=True):
        assert len(row) == len(frame.columns)
        for cell, (column, value) in zip(row, original.items(), strict=True):
            if column == "value":
                assert cell == str(value)
                continue
            expected = "'" + value if is_formula_like(value) else value
            assert cell == expected
            assert not cell.lstrip().startswith(FORMULA_SIGNS) or cell.startswith("'")
            assert not cell.startswith(FORMULA_STARTS) or cell.startswith("'")


def test_every_crafted_cell_survives_a_round_trip_without_a_live_formula():
    assert len(CRAFTED) == 770
    _check(CRAFTED)


def test_a_bare_carriage_return_before_a_formula_is_quoted_and_prefixed():
    result = csv_bytes(_frame(["\r=1"]))
    assert b'"\'\r=1"' in result  # quoted, so a CR-ending spreadsheet cannot start a row at '=1'
    assert _read_back(result)[1][0] == "'\r=1"


def test_cells_with_the_delimiter_or_a_line_break_are_quoted():
    result = csv_bytes(_frame(["a,b", "a\nb", "a\rb", "plain"])).decode()
    assert '"a,b"' in result and '"a\nb"' in result and '"a\rb"' in result
    assert ",plain," in result or "\r\nplain," in result


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("=+-@\t\r\n ,;\"'a1\u00a0|")), max_size=12), min_size=1))
def test_any_text_survives_a_round_trip_without_a_live_formula(cells):
    _check(cells)
