"""The briefing library: an upcoming event (super-bowl-2027, no data reaches it) and a past one (super-bowl-2026,
inside the San Francisco daily police days), an event with no state, and the seeded tip-line curve."""

from __future__ import annotations

import pandas as pd
import pytest

from hotline_trends.analysis.brief import briefing
from hotline_trends.analysis.brief_power import planner_curve, simulated_days
from hotline_trends.analysis.brief_series import host_series
from hotline_trends.errors import UserError
from hotline_trends.store import read


@pytest.fixture(scope="module")
def frames(bundled_store) -> dict:
    return {
        "observations": read.observations(bundled_store),
        "events": read.table(bundled_store, "events"),
        "agencies": read.table(bundled_store, "agencies"),
        "sources": read.table(bundled_store, "sources"),
    }


@pytest.fixture(scope="module")
def upcoming(frames):
    return briefing(**frames, event_id="super-bowl-2027", research="research text")


def _series(b, dataset, metric):
    return next(s for s in b.series if (s["dataset"], s["metric"]) == (dataset, metric))


def test_upcoming_super_bowl_lists_the_host_series_with_what_they_could_detect(upcoming):
    assert upcoming.upcoming is True
    assert upcoming.window == {"start": "2027-02-11", "end": "2027-02-17", "days": 7, "days_before": 3, "days_after": 3}
    assert (upcoming.host["city"], upcoming.host["state"]) == ("Inglewood", "CA")
    cases = _series(upcoming, "nhth", "cases")
    assert cases["frequency"] == "year" and cases["measures"] == "help-seeking"
    assert cases["detectable"] is False and cases["mde"] > 0.25 and 0 < cases["power"] < 0.2
    sf = _series(upcoming, "police_incidents", "prostitution")
    assert (sf["region"], sf["frequency"], sf["first"]) == ("ori:CA03801", "day", "2022-01-01")
    assert sf["measures"] == "enforcement" and sf["sources"] == ["sfpd_incidents_datasf_wg3w_h783"]
    assert sf["mde"] == pytest.approx(sf["mde_event_days"])  # daily data: the periods are the days
    assert _series(upcoming, "police_incidents", "ht_total")["frequency"] == "month"
    used = {s["source_id"] for s in upcoming.sources}
    assert {"sfpd_incidents_datasf_wg3w_h783", "lapd_crime_2020_present_monthly"} <= used


def test_past_instances_are_the_earlier_ones_each_with_a_verdict(upcoming):
    ids = [e.event_id for e in upcoming.past.events]
    assert ids[0] == "super-bowl-2007" and ids[-1] == "super-bowl-2026" and "super-bowl-2027" not in ids
    assert all(e.verdict for e in upcoming.past.events)
    assert upcoming.past.verdict in {"cannot tell", "no detectable change", "insufficient data", "spike", "drop"}
    payload = upcoming.to_dict()
    assert payload["past"]["events"][0]["event_id"] == "super-bowl-2007" and "details" not in payload["past"]
    assert payload["research"] == "research text"
    assert [c["layout"][:4] for c in payload["checklist"]][:2] == ["date", "tidy"]


def test_a_past_event_inside_the_daily_police_days_is_not_upcoming(frames):
    result = briefing(**frames, event_id="super-bowl-2026")
    assert result.upcoming is False
    assert [e.event_id for e in result.past.events][-1] == "super-bowl-2025"
    assert _series(result, "police_incidents", "prostitution")["place"].endswith(
        "(in CA; the host's county is unknown)"
    )


def test_an_event_without_a_state_still_gets_the_planning_parts(frames):
    events = pd.concat(
        [frames["events"], frames["events"].iloc[[0]].assign(event_id="fan-fest-2027", state=None)], ignore_index=True
    )
    result = briefing(**{**frames, "events": events}, event_id="fan-fest-2027")
    assert result.series == [] and result.past is None and result.curve and result.checklist
    assert any("no series" in c for c in result.caveats)


def test_an_unknown_event_is_a_user_error(frames):
    with pytest.raises(UserError, match="unknown event 'super-bowl-2099'"):
        briefing(**frames, event_id="super-bowl-2099")


def test_the_tip_line_curve_is_computed_seeded_and_behaves():
    result = planner_curve(days=7, means=(2, 40), baselines=(28, 365), seed=3)
    assert result == planner_curve(days=7, means=(2, 40), baselines=(28, 365), seed=3)
    power = {(r["mean_per_day"], r["baseline_days"]): r["power"] for r in result}
    assert power[(40, 365)] > power[(2, 365)] and power[(40, 365)] > power[(40, 28)]
    assert all(0 < p < 1 for p in power.values())
    # more day-to-day spread, less power: the dispersion is an input, not a constant in the answer
    spread = planner_curve(days=7, means=(40,), baselines=(365,), dispersion=0.4, seed=3)
    assert spread[0]["power"] < power[(40, 365)]


def test_simulated_days_average_the_mean_asked_for():
    days = simulated_days(mean=20, n_days=365, dispersion=0.1, seed=1)
    assert len(days) == 365 and days["value"].mean() == pytest.approx(20, rel=0.1)


def test_host_series_name_the_host_city_and_county_agencies_and_sum_the_many(frames):
    result = host_series(frames["observations"], frames["agencies"], city="Austin", state="TX")
    places = {(s["dataset"], s["metric"], s["place"]) for s in result}
    assert ("fbi_ucr_ht", "actual_total", "Austin (host city)") in places
    summed = [s for s in result if s["metric"] == "actual_total" and s.get("agencies")]
    assert len(summed) == 1 and summed[0]["region"] == "TX" and summed[0]["frequency"] == "month"
    assert all(s["measures"] in ("help-seeking", "enforcement") for s in result)
    assert not any("elsewhere" in s["place"] for s in result)  # TX has too many agencies to list one by one
