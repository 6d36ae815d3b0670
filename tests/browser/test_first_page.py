"""What a person sees on the Data & sources page, in a real browser, offline."""

from __future__ import annotations

from support import non_local, screenshot, wait_for_app


def test_data_page_shows_datasets_coverage_and_sources_offline(page, app_url, requests_seen):
    page.goto(f"{app_url}/data?dataset=nhth&metric=cases")
    wait_for_app(page)
    page.locator("[data-testid='stDataFrame']").nth(2).wait_for(state="attached", timeout=30_000)
    assert page.get_by_role("heading", name="Data & sources").is_visible()
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("help-seeking", exact=False).first.is_visible()
    shot = screenshot(page, "data-sources")
    assert shot.stat().st_size > 10_000
    assert non_local(requests_seen) == []
