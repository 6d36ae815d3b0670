"""What a person sees when adding a file on the Data page, in a real browser, offline."""

from __future__ import annotations

from support import DATA, non_local, screenshot, wait_for_app


def test_upload_shows_what_was_detected_then_adds_the_file(page, app_url, requests_seen):
    page.goto(f"{app_url}/data")
    wait_for_app(page)
    page.locator(".st-key-upload_file input[type='file']").set_input_files(
        str(DATA / "hotline_table" / "good" / "page.html")
    )
    page.get_by_text("What was detected").wait_for(timeout=60_000)
    page.get_by_text("Problems found: 1").wait_for(timeout=30_000)
    page.get_by_role("button", name="Add to store").scroll_into_view_if_needed()
    shot = screenshot(page, "upload-checked")
    assert shot.stat().st_size > 10_000
    page.get_by_role("button", name="Add to store").click()
    page.get_by_text("Added to the store as ingest #").wait_for(timeout=60_000)
    screenshot(page, "upload-added")
    assert page.get_by_text("Everything in this file is already in the store").count() == 1
    assert non_local(requests_seen) == []
