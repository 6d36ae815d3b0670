"""The dashboard in a real browser, offline: the map draws every state from the vendored topojson, downloads
start, every page renders, and no request leaves the machine."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from support import non_local, screenshot, wait_for_app


def _open(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)


def test_the_overview_map_draws_the_states_offline(page, app_url, requests_seen):
    _open(page, f"{app_url}/?dataset=nhth&metric=cases&year=2016&measure=count")
    states = page.locator("path.choroplethlocation")
    page.wait_for_function("() => document.querySelectorAll('path.choroplethlocation').length >= 50", timeout=60_000)
    assert states.count() >= 50
    assert page.get_by_role("heading", name="Overview").is_visible()
    assert page.get_by_text("Florida ranks 3rd of 51").is_visible()
    topojson = [u for u in requests_seen if u.endswith("usa_110m.json")]
    assert topojson and all(u.startswith(f"{app_url}/app/static/") for u in topojson)
    screenshot(page, "overview", height=3400)
    assert non_local(requests_seen) == []


def test_a_csv_download_starts_with_the_data_behind_the_map(page, app_url, requests_seen):
    _open(page, f"{app_url}/?dataset=nhth&metric=cases&year=2016")
    with page.expect_download(timeout=60_000) as started:
        page.locator(".st-key-map-csv").get_by_role("button", name="⬇ CSV").click()
    download = started.value
    assert download.suggested_filename == "map-nhth-cases-2016-count.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert len(rows) == 52 and {"source_id", "reliability"} <= set(rows[0])  # 50 states, DC and the US row
    behind = page.locator(".st-key-map-data")
    behind.get_by_text("Data behind this chart").click()  # the table is drawn only once opened
    behind.locator("[data-testid='stDataFrame']").wait_for(timeout=60_000)
    assert non_local(requests_seen) == []


def test_a_png_download_renders_the_map_offline(page, app_url, requests_seen):
    _open(page, f"{app_url}/?dataset=nhth&metric=cases&year=2016")
    with page.expect_download(timeout=120_000) as started:
        page.locator(".st-key-map-png").get_by_role("button", name="⬇ PNG").click()
    download = started.value
    assert download.suggested_filename == "map-nhth-cases-2016-count.png"
    with open(download.path(), "rb") as png:
        assert png.read(8) == b"\x89PNG\r\n\x1a\n"
    assert non_local(requests_seen) == []


def test_region_and_methods_pages_render_offline(page, app_url, requests_seen):
    _open(page, f"{app_url}/region?level=state&state=TX")
    page.locator("[data-testid='stPlotlyChart']").nth(2).wait_for(timeout=60_000)
    assert page.get_by_role("heading", name="Region").is_visible()
    screenshot(page, "region", height=3400)
    _open(page, f"{app_url}/methods?section=research")
    assert page.get_by_text("arXiv:1602.05048", exact=False).first.is_visible()
    screenshot(page, "methods")
    assert non_local(requests_seen) == []


def test_the_event_page_draws_the_expected_band_offline(page, app_url, requests_seen):
    _open(page, f"{app_url}/event?event=super-bowl-2013&series=nhth:cases")
    # plotly draws a filled scatter (the 95% band) as a path of class js-fill
    page.wait_for_function("() => document.querySelectorAll('.js-fill').length >= 1", timeout=60_000)
    assert page.get_by_role("heading", name="Verdict: cannot tell").is_visible()
    assert page.locator(".legendtext", has_text="expected, 95% interval").count() >= 1
    screenshot(page, "event", height=4200)
    _open(page, f"{app_url}/event-types?type=super-bowl&series=nhth:cases")
    page.locator("[data-testid='stPlotlyChart']").nth(1).wait_for(timeout=60_000)
    assert page.get_by_role("heading", name="Pooled verdict: cannot tell").is_visible()
    screenshot(page, "event-types", height=4200)
    assert non_local(requests_seen) == []
