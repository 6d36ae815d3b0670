"""Event page views the sweep found broken: hosts without monthly police data, an undefined difference-in-differences."""

from __future__ import annotations

import dataclasses
import json

import pytest
from support import page_app, page_problems

pytestmark = pytest.mark.app


@pytest.mark.parametrize(
    ("event", "state", "says"),
    [
        # "no police agency of the state" is covered in tests/analysis/test_detectability_hosts.py: since the
        # San Francisco and Los Angeles police were bundled, every state with an event has an agency
        ("super-bowl-2018", "MN", "not one agency reported every month (MN: "),
    ],
)
def test_the_finer_data_table_says_why_a_state_has_no_monthly_series(store, event, state, says):
    app = page_app("event", {"event": event, "series": "nhth:cases"})
    assert not app.exception
    assert "What finer data would allow" in [s.value for s in app.subheader]
    table = app.table[-1].value
    series = "FBI UCR human-trafficking offenses — police: actual offenses (commercial sex + involuntary servitude)"
    row = table.loc[table["series"] == series].iloc[0]
    assert row["reason"].startswith(
        f"insufficient data: no monthly, weekly or daily FBI UCR human-trafficking offenses {series.split(' — ')[1]} "
        f"values for {state}"
    )
    assert says in row["reason"] and row["smallest detectable change of the periods"] == "–"


def test_an_undefined_difference_in_differences_is_said_not_drawn(store, monkeypatch):
    # The bundled case (SXSW 2015 on Texas police months, whose one control counted nothing in the window) has
    # no controls since the matched pre-window; the page must still say an undefined DiD, so one is made here
    # from a real result: AppTest runs the page in this process, so the patched analysis is the one it reads.
    from hotline_trends.pages import event

    real = event._analysis(event_id="super-bowl-2013", dataset="nhth", metric="cases", rates=False)
    assert real.did and real.controls.get("regions")
    undefined = dataclasses.replace(
        real, did={**real.did, "ratio": None, "undefined": "the controls counted nothing in the window"}
    )
    monkeypatch.setattr(event, "_analysis", lambda **_: undefined)
    app = page_app("event", {"event": "super-bowl-2013", "series": "nhth:cases"})
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
