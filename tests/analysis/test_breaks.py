"""The registered breaks apply where they should and nowhere else."""

from __future__ import annotations

from datetime import date

import pytest

from hotline_trends.analysis.breaks import BREAKS, breaks_for


@pytest.mark.parametrize(
    ("dataset", "start", "end", "rates", "expected"),
    [
        ("nhth", date(2012, 1, 1), date(2016, 12, 31), False, []),
        ("nhth", date(2012, 1, 1), date(2024, 12, 31), False, ["nhth-calls-to-signals-2017"]),
        (
            "nhth",
            date(2012, 1, 1),
            date(2024, 12, 31),
            True,
            ["nhth-calls-to-signals-2017", "census-vintage-2019-2020"],
        ),
        ("nhth", date(2024, 1, 1), date(2026, 6, 30), False, ["nhth-operator-change-2025-09-22"]),
        ("fbi_ucr_ht", date(2013, 1, 1), date(2020, 12, 31), False, []),
        ("fbi_ucr_ht", date(2013, 1, 1), date(2020, 12, 31), True, ["census-vintage-2019-2020"]),
    ],
)
def test_breaks_inside_a_span(dataset, start, end, rates, expected):
    result = [b.break_id for b in breaks_for(dataset=dataset, metric="cases", start=start, end=end, rates=rates)]
    assert result == expected


def test_every_break_says_where_it_is_documented():
    assert all(b.basis and b.description and b.title for b in BREAKS)
