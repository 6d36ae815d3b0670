"""The Event page in a real browser on the San Francisco police series: Super Bowl LX (Santa Clara) is
analysed at the stated stand-in, at the city level chosen by default, with its chart."""

from __future__ import annotations

from support import non_local, screenshot, wait_for_app


def test_the_super_bowl_at_santa_clara_on_the_san_francisco_series(page, app_url, requests_seen):
    page.goto(f"{app_url}/event?find=super+bowl+2026&event=super-bowl-2026&series=police_incidents:prostitution")
    wait_for_app(page)
    page.get_by_text("Verdict: cannot tell").first.wait_for(timeout=120_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    wait_for_app(page)
    assert page.get_by_text("Place analysed: Santa Clara, CA has no police_incidents").count() == 1
    assert page.get_by_text("exists only for police agencies").count() == 1
    shot = screenshot(page, "event-sf", height=3000)
    # once in a box beside the verdict; the charts' images carry it in their source lines, as exports do
    boxes = page.locator("[data-testid='stAlert']").filter(has_text="Police-recorded counts measure enforcement")
    assert boxes.count() == 1
    assert shot.stat().st_size > 10_000
    assert non_local(requests_seen) == []
