"""The Event page's place choice: police series that exist only for an agency are analysed at the city level
by default (and the page says so), a stand-in is named before the verdict, the URL restores level and place,
and what police counts measure is said once."""

from __future__ import annotations

import pytest
from support import page_app, query_value

from hotline_trends.police_words import ENFORCEMENT, PROSTITUTION

pytestmark = pytest.mark.app

SF = {"series": "police_incidents:prostitution"}


def _text(app) -> str:
    parts = [
        e.value for kind in ("warning", "info", "success", "error", "caption", "markdown") for e in getattr(app, kind)
    ]
    return "\n".join(str(p) for p in parts)


def test_an_agency_only_series_is_analysed_at_the_city_level_with_its_caveat_once(store):
    app = page_app("event", {"find": "nba all-star 2025", "event": "nba-all-star-2025", **SF})
    assert not app.exception
    assert app.radio(key="place_level_city").value == "city"
    assert any("exists only for police agencies" in c.value for c in app.caption)
    assert app.subheader[0].value == "Verdict: cannot tell"  # a real verdict, not "insufficient data"
    text = _text(app)
    assert text.count(ENFORCEMENT) == 1 and text.count(PROSTITUTION) == 1
    assert f"{ENFORCEMENT} {PROSTITUTION}" in [w.value for w in app.warning]
    assert app.get("plotly_chart")  # the ±60 days with the expected band
    assert query_value(app, "level") is None  # the default is not written, so another series takes its own


@pytest.mark.parametrize(
    ("event", "series", "venue", "analysed"),
    [
        ("super-bowl-2026", "police_incidents:prostitution", "Santa Clara", "San Francisco Police Department"),
        ("super-bowl-2022", "police_incidents:ht_total", "Inglewood", "Los Angeles Police Department"),  # monthly
    ],
)
def test_a_venue_without_a_series_names_its_stand_in_before_the_verdict(store, event, series, venue, analysed):
    app = page_app("event", {"find": event.replace("-", " "), "event": event, "series": series})
    assert not app.exception
    placed = [w.value for w in app.warning if w.value.startswith("Place analysed:")]
    assert len(placed) == 1
    assert venue in placed[0] and analysed in placed[0] and "not the venue's city" in placed[0]
    assert app.subheader[0].value == "Verdict: cannot tell"
    assert app.get("plotly_chart")
    assert _text(app).count(placed[0].removeprefix("Place analysed: ")) == 1  # not again among the caveats


@pytest.mark.parametrize(
    ("query", "verdict"),
    [
        ({"level": "state"}, "Verdict: insufficient data"),  # no state rows: the result lists the places
        ({"level": "county"}, "Verdict: cannot tell"),
        ({"level": "state", "place": "ori:CA03801"}, "Verdict: cannot tell"),
    ],
)
def test_the_url_restores_level_and_place(store, query, verdict):
    app = page_app("event", {"find": "nba all-star 2025", "event": "nba-all-star-2025", **SF, **query})
    assert not app.exception
    assert app.radio(key="place_level_city").value == query["level"]
    assert app.selectbox(key="param_place").value == query.get("place", "automatic")
    assert query_value(app, "level") == query["level"]
    assert not any("exists only for police agencies" in c.value for c in app.caption)  # the user chose
    assert app.subheader[0].value == verdict
    if "place" in query:  # the agency's own series, named as the host
        assert any("host San Francisco Police Department (CA03801) (agency)" in c.value for c in app.caption)


def test_hotline_series_keep_the_state_level_by_default(store):
    app = page_app("event")
    assert not app.exception
    assert app.radio(key="place_level_state").value == "state"
    assert not any("exists only for police agencies" in c.value for c in app.caption)
    assert not [w for w in app.warning if w.value.startswith("Place analysed:")]
    assert any("host" in c.value and "(state)" in c.value for c in app.caption)
