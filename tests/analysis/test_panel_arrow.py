"""The panel read straight from Parquet is the panel built from the same rows as a frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hotline_trends.analysis.panel import panel_from_regions
from hotline_trends.analysis.panel_arrow import panel_from_parquet
from hotline_trends.analysis.synthetic import simulate


def _rows(case: str) -> pd.DataFrame:
    data, _ = simulate(n_regions=7, n_periods=90, seed=4)
    data = data.sample(frac=1.0, random_state=1)  # any row order
    if case == "gaps":
        data = data.iloc[::3]
    elif case == "two sources":  # one period twice: the frame path's choice decides
        data = pd.concat([data, data.iloc[:2].assign(source_id="other", value=0, reliability="low")])
    elif case == "another kind":  # a month among days: left out with a note
        month = data.iloc[:1].assign(period_start=pd.Timestamp("2014-02-01"), period_end=pd.Timestamp("2014-02-28"))
        data = pd.concat([data, month])
    elif case == "agencies and nation":
        data = pd.concat([data, data.iloc[:5].assign(region="US"), data.iloc[:5].assign(region="ori:TX0001")])
    elif case == "other metric only":
        data = data.assign(metric="other")
    return data


@pytest.mark.parametrize(
    "case", ["plain", "gaps", "two sources", "another kind", "agencies and nation", "other metric only"]
)
def test_the_parquet_panel_equals_the_frame_panel(case, tmp_path):
    rows = _rows(case)
    rows.to_parquet(tmp_path / "rows.parquet", index=False)
    expected = panel_from_regions(rows, dataset="synthetic", metric="count")
    result = panel_from_parquet(tmp_path / "rows.parquet", dataset="synthetic", metric="count", threads=1)
    if expected is None:
        assert result is None
        return
    np.testing.assert_array_equal(result.values, expected.values)
    pd.testing.assert_frame_equal(result.periods, expected.periods, check_dtype=False)
    assert (result.regions, result.kind, result.sources) == (expected.regions, expected.kind, expected.sources)
    assert (result.processing, result.notes) == (expected.processing, expected.notes)
