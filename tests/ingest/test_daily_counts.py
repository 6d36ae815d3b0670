"""The plain date,count files of the Monitor page and ``monitor --file``: messy variants give the same days;
each bad file its own message, with line and column."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from support import DATA

from hotline_trends.errors import UserError
from hotline_trends.ingest.daily_counts import read_daily_counts, tidy_csv

FOLDER = DATA / "daily_counts"
EXPECTED = pd.DataFrame(
    {
        "date": pd.to_datetime(["2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04", "2024-03-06"]),
        "count": [12.0, 0.0, np.nan, 1204.0, 7.0],
    }
)
BAD = {
    "no_count_column.csv": "no_count_column.csv line 1: expected a header naming the columns date and count (found 'Day', 'Tips')",
    "bad_cells.csv": "bad_cells.csv: 4 bad rows of 4",
    "repeated_day.csv": "repeated_day.csv line 3, column 'date': 2024-03-01 is already on line 2; keep one line per day",
    "header_only.csv": "header_only.csv has a header but no days",
    "empty.csv": "empty.csv is empty",
}


@pytest.mark.parametrize("name", sorted(p.name for p in (FOLDER / "good").iterdir()))
def test_messy_variants_give_the_same_days(name):
    result = read_daily_counts((FOLDER / "good" / name).read_bytes(), name)
    pd.testing.assert_frame_equal(result, EXPECTED)


@pytest.mark.parametrize("name", sorted(BAD))
def test_each_bad_file_says_what_is_wrong_and_where(name):
    with pytest.raises(UserError) as problem:
        read_daily_counts((FOLDER / "bad" / name).read_bytes(), name)
    assert BAD[name] in str(problem.value)


def test_every_bad_cell_is_listed_with_its_line_and_column():
    with pytest.raises(UserError) as problem:
        read_daily_counts((FOLDER / "bad" / "bad_cells.csv").read_bytes(), "bad_cells.csv")
    lines = str(problem.value).splitlines()[1:]
    assert lines == [
        "  bad_cells.csv line 2, column 'date': '03/01/2024' is not a date; write dates as YYYY-MM-DD, e.g. 2024-03-01",
        "  bad_cells.csv line 3, column 'count': '-1' is not a count; write a whole number of 0 or more (leave it empty if unknown)",
        "  bad_cells.csv line 4, column 'count': '2.5' is not a count; write a whole number of 0 or more (leave it empty if unknown)",
        "  bad_cells.csv line 5, column 'count': 'x' is not a count; write a whole number of 0 or more (leave it empty if unknown)",
        "  bad_cells.csv line 5, column 'date': 2024-03-03 is already on line 4; keep one line per day",
    ]


def test_the_tidy_copy_leaves_missing_days_out_and_reads_back_as_observations():
    data = tidy_csv(EXPECTED, dataset="my_tipline", metric="tips", region="TX", source_id="user_tips")
    frame = pd.read_csv(io.BytesIO(data))
    assert list(frame.columns) == ["dataset", "region", "period_start", "period_end", "metric", "value", "source_id"]
    assert frame["period_start"].tolist() == ["2024-03-01", "2024-03-02", "2024-03-04", "2024-03-06"]
    assert (frame["period_start"] == frame["period_end"]).all() and frame["value"].tolist() == [12, 0, 1204, 7]
