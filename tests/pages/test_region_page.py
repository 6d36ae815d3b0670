"""The Region page: every series of a state, county or agency, with events, breaks and agency counts rolled
up with how many agencies reported; the choice lives in the URL."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from support import download_bytes, page_app, query_value

from hotline_trends.charts.weekly import WEEKLY_LABEL
from hotline_trends.police_words import COLUMN
from hotline_trends.store.read import query

pytestmark = pytest.mark.app


def _titles(app) -> list[str]:
    return [
        json.loads(chart.proto.spec)["layout"]["title"]["text"].replace("<br>", " ")
        for chart in app.get("plotly_chart")
    ]


def test_a_state_shows_its_series_events_and_breaks(store):
    app = page_app("region")
    assert not app.exception
    assert [t.value for t in app.title] == ["Region"]
    assert _titles(app) == [
        "Texas: FBI UCR human-trafficking offenses",
        "Texas: National Human Trafficking Hotline (Polaris)",
        "Texas: police-agency counts per month, with agencies reporting",
    ]
    tables = {tuple(df.value.columns): df.value for df in app.dataframe}
    events = next(v for k, v in tables.items() if "venue" in k)
    assert "Super Bowl LI (51)" in set(events["name"])
    breaks = next(v for k, v in tables.items() if "break_id" in k)
    assert breaks["break_id"].tolist() == ["nhth-calls-to-signals-2017"]


def test_switching_to_an_agency_shows_that_agency_and_updates_the_url(store):
    app = page_app("region")
    app.radio(key="param_level").set_value("agency").run()
    assert not app.exception
    agency = app.selectbox(key="param_agency").value
    assert agency.startswith("ori:TX") and query_value(app, "agency") == agency
    assert query_value(app, "level") == "agency"
    titles = _titles(app)
    assert len(titles) == 1 and titles[0].endswith("FBI UCR human-trafficking offenses")
    assert "Texas: National Human Trafficking Hotline (Polaris)" not in titles
    assert "Breaks in these series" not in [h.value for h in app.subheader]  # none apply: no empty table


def test_a_county_url_restores_the_view_and_its_csv_counts_reporting_agencies(store, downloads):
    app = page_app("region", {"level": "county", "state": "TX", "county": "county:TX:DALLAS"})
    assert not app.exception
    assert app.radio(key="param_level").value == "county"
    assert app.selectbox(key="param_county").value == "county:TX:DALLAS"
    assert _titles(app) == ["DALLAS County, TX: police-agency counts per month, with agencies reporting"]
    result = pd.read_csv(io.BytesIO(download_bytes(app, "region-0-csv", downloads)), parse_dates=["period_start"])
    expected = query(
        store,
        """SELECT o.period_start, count(DISTINCT o.region) AS agencies, sum(o.value) AS value
           FROM observations o JOIN agencies a ON o.region = 'ori:' || a.ori
           WHERE a.state = 'TX' AND upper(trim(split_part(a.county, ';', 1))) = 'DALLAS'
             AND o.metric = 'actual_total' GROUP BY 1 ORDER BY 1""",
    )
    got = result.loc[result["metric"] == "actual_total"].sort_values("period_start").reset_index(drop=True)
    assert got["agencies_reporting"].tolist() == expected["agencies"].tolist()
    assert got["value"].tolist() == expected["value"].tolist()
    assert {"source_id", "reliability"} <= set(result.columns)


def test_a_place_without_values_says_what_is_missing(store):
    app = page_app("region", {"level": "state", "state": "AS"})
    assert not app.exception
    assert any("hotline-trends ingest" in i.value for i in app.info)


@pytest.mark.parametrize(
    ("agency", "metrics", "per"),
    [
        (
            "ori:CA03801",
            {"prostitution", "ht_commercial_sex", "ht_involuntary_servitude"},
            f"per week ({WEEKLY_LABEL})",
        ),
        ("ori:CA01942", {"ht_total"}, "per month"),
    ],
)
def test_a_city_police_series_without_fbi_months_is_offered_and_drawn(store, downloads, agency, metrics, per):
    app = page_app("region", {"level": "agency", "state": "CA", "agency": agency})
    assert not app.exception
    assert app.selectbox(key="param_agency").value == agency
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert (
        spec["layout"]["title"]["text"]
        .replace("<br>", " ")
        .endswith("City police incident reports (open-data portals)")
    )
    assert spec["layout"]["yaxis"]["title"]["text"] == f"count {per}"
    exported = pd.read_csv(io.BytesIO(download_bytes(app, "region-0-csv", downloads)))
    expected = query(store, "SELECT * FROM observations WHERE region = ?", [agency])
    # a daily series also exports the weekly sums drawn (marked as such); the published rows are all there
    result = exported.loc[exported["period_kind"] != WEEKLY_LABEL]
    assert set(result["metric"]) == metrics
    assert len(result) == len(expected)
    assert result["value"].sum() == expected["value"].sum()
    assert exported[COLUMN].str.startswith("Police-recorded counts measure enforcement").all()
    assert any(w.value.startswith("Police-recorded counts measure enforcement") for w in app.warning)
