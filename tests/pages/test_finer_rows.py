"""The Event page's "What finer data would allow" for hosts without monthly police data: plain rows."""

from __future__ import annotations

import pytest
from support import page_app

pytestmark = pytest.mark.app


@pytest.mark.parametrize(
    ("event", "state", "says"),
    [
        ("olympics-2028-los-angeles", "CA", "the agencies table lists no police agency of CA"),
        ("super-bowl-2018", "MN", "not one agency reported every month (MN: "),
    ],
)
def test_the_finer_data_table_says_why_a_state_has_no_monthly_series(store, event, state, says):
    app = page_app("event", {"event": event, "series": "nhth:cases"})
    assert not app.exception
    assert "What finer data would allow" in [s.value for s in app.subheader]
    table = app.dataframe[-1].value
    row = table.loc[table["series"] == "fbi_ucr_ht actual_total"].iloc[0]
    assert row["reason"].startswith(
        f"insufficient data: no monthly, weekly or daily fbi_ucr_ht actual_total values for {state}"
    )
    assert says in row["reason"] and row["smallest detectable change of the periods"] == "–"
