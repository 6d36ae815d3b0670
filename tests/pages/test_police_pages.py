"""Police series on the pages: the Event page's verdict says what the counts measure; the Region page draws
San Francisco's days as weekly sums."""

from __future__ import annotations

import json

import pytest
from support import page_app

from hotline_trends.charts.weekly import WEEKLY_LABEL
from hotline_trends.police_words import ENFORCEMENT, PROSTITUTION
from hotline_trends.vocabulary import metric_label

pytestmark = pytest.mark.app


def test_a_verdict_on_a_police_series_says_what_the_counts_measure(store):
    app = page_app(
        "event", {"find": "nba all-star 2025", "event": "nba-all-star-2025", "series": "police_incidents:prostitution"}
    )
    assert not app.exception
    warnings = [w.value for w in app.warning]
    assert f"{ENFORCEMENT} {PROSTITUTION}" in warnings


def test_a_verdict_on_hotline_counts_carries_no_police_caveat(store):
    app = page_app("event")
    assert not app.exception
    assert not [w for w in app.warning if ENFORCEMENT in w.value]


def test_the_region_page_draws_the_san_francisco_days_as_weekly_sums(store):
    app = page_app("region", {"level": "agency", "state": "CA", "agency": "ori:CA03801", "metrics": "prostitution"})
    assert not app.exception
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    names = [t.get("name", "").replace("<br>", " ") for t in spec["data"]]  # long entries wrap at spaces
    called = metric_label("prostitution")  # the legend names the metric
    assert f"{called}: {WEEKLY_LABEL}" in names
    assert any(n.startswith(f"{called}: days (right axis") for n in names)
    assert spec["layout"]["xaxis"]["rangeslider"]["visible"] is True
