"""Every bundled file survives the trip into the store and back unchanged."""

from __future__ import annotations

import pandas as pd
import pytest

from hotline_trends.paths import BUNDLED_TABLES, bundled_file
from hotline_trends.schema import SPECS
from hotline_trends.store.read import table


def _as_text(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Both sides as text: '' for missing, dates ISO, integers without '.0'."""
    out = pd.DataFrame(index=frame.index)
    for col in columns:
        series = frame[col] if col in frame else pd.Series([None] * len(frame), index=frame.index)
        out[col] = [
            ""
            if v is None or (not isinstance(v, str) and pd.isna(v))
            else v.strftime("%Y-%m-%d")
            if hasattr(v, "strftime")
            else str(v)
            for v in series
        ]
    return out


@pytest.mark.parametrize("name", BUNDLED_TABLES)
def test_bundled_file_round_trips(bundled_store, name):
    spec = SPECS[name]
    columns = [c for c in spec.names if c != "user_provided"]
    expected = pd.read_csv(bundled_file(name), dtype=str, keep_default_na=False)
    expected = _as_text(expected, columns).sort_values(list(spec.key)).reset_index(drop=True)
    result = _as_text(table(bundled_store, name), columns).sort_values(list(spec.key)).reset_index(drop=True)
    pd.testing.assert_frame_equal(result, expected)


def test_bundled_row_counts_match_data_readme(bundled_store):
    result = {name: len(table(bundled_store, name)) for name in BUNDLED_TABLES}
    expected = {
        "sources": 273,
        "regions": 57,
        "agencies": 3245,
        "population": 689,
        "events": 233,
        "observations": 90951,
    }
    assert result == expected
