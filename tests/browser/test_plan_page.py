"""The Plan page in a real browser, offline: the briefing for the next Super Bowl, saved as plan.png."""

from __future__ import annotations

from support import non_local, screenshot, wait_for_app


def test_the_plan_page_shows_the_next_super_bowl_briefing(page, app_url, requests_seen):
    page.goto(f"{app_url}/plan?event=super-bowl-2027")
    wait_for_app(page)
    page.get_by_text("What past Super Bowl events showed").wait_for(timeout=120_000)
    wait_for_app(page)
    assert page.get_by_text("What data you could collect would show").count() == 1
    assert page.locator(".st-key-plan-html").count() == 1
    shot = screenshot(page, "plan", height=3000)
    assert shot.stat().st_size > 10_000
    assert non_local(requests_seen) == []
