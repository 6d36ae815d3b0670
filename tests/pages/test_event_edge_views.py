"""Event page views the sweep found broken: hosts without monthly police data, an undefined difference-in-differences."""

from __future__ import annotations

import json

import pytest
from support import page_app, page_problems

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


def test_an_undefined_difference_in_differences_is_said_not_drawn(store):
    # SXSW 2015 on Texas police months: the one control region counted nothing in the window
    app = page_app("event", {"event": "sxsw-2015", "series": "fbi_ucr_ht:actual_is"})
    assert not app.exception and page_problems(app) == []
    said = [m.value for m in app.markdown if m.value.startswith("Against control regions")]
    assert said and "no difference-in-differences (the controls counted nothing in the window)" in said[0]
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"].replace("<br>", " ") for c in app.get("plotly_chart")]
    assert titles and not [t for t in titles if "against control regions" in t]


def test_an_agency_sum_names_its_sources_in_the_expected_chart(store):
    from hotline_trends.pages import event

    expected, *_ = event._charts(
        event_id="cfp-championship-2015", dataset="fbi_ucr_ht", metric="actual_total", rates=False
    )
    assert "fbi_ucr_ht_master_2015" in expected.sources
    assert (expected.data["source_id"].str.contains("fbi_ucr_ht_master_2015")).all()
    assert set(expected.data["reliability"]) == {"derived here"}
