"""An incident export uploaded through the Data page's form in a real browser becomes a series on the
Region page; the Event page on the San Francisco police series says what its counts measure.

The upload runs on a dashboard with a store of its own (``dashboard_server``): it must not change the
store the other browser tests share (``app_url``, which the Event page test only reads).
"""

from __future__ import annotations

import hashlib
import shutil

from incident_export import sf_export
from support import non_local, screenshot, wait_for_app

DATASET = "sf_upload_test"
# Metric names of their own: the Region page can then be opened on the new series alone (the bundled San
# Francisco days are another chart, drawn by the page tests)
MAPPING = "Prostitution=upload_prostitution, Human Trafficking (A), Commercial Sex Acts=upload_ht"
EVENT = "/event?find=nba+all-star+2025&event=nba-all-star-2025&series=police_incidents:prostitution"


def _fill(page, key: str, text: str) -> None:
    box = page.locator(f".st-key-{key} input")
    box.fill(text)
    box.press("Enter")
    wait_for_app(page)


def test_an_incident_export_uploads_and_shows_on_the_region_page(
    page, bundled_store, dashboard_server, tmp_path, requests_seen
):
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    shutil.copy2(bundled_store.db_path, store_dir / "hotline.duckdb")
    export = tmp_path / "Police_Department_Incident_Reports.csv"
    sf_export(export, seed=21)
    key = hashlib.sha256(export.read_bytes()).hexdigest()[:12]
    with dashboard_server(store_dir) as url:
        page.goto(f"{url}/data")
        wait_for_app(page)
        page.locator(".st-key-incidents_file input[type='file']").set_input_files(str(export))
        page.get_by_text("Rows per category").wait_for(timeout=60_000)
        wait_for_app(page)
        _fill(page, f"incidents_categories_{key}", MAPPING)
        _fill(page, f"incidents_dataset_{key}", DATASET)
        # the summary names the final choice: the click cannot land on a page from before the last edit
        summary = f"to dataset {DATASET}, region ori:CA03801, metrics upload_ht, upload_prostitution."
        page.get_by_text(summary).wait_for(timeout=60_000)
        wait_for_app(page)
        add = page.get_by_role("button", name="Add incident counts to the store")
        add.scroll_into_view_if_needed()
        screenshot(page, "incidents-form-checked")
        add.click()
        page.get_by_text("Incident counts added to the store as ingest #").wait_for(timeout=60_000)

        page.goto(f"{url}/region?level=agency&state=CA&agency=ori:CA03801&metrics=upload_ht,upload_prostitution")
        wait_for_app(page)
        chart = page.locator(".st-key-region-0-figure")
        chart.locator(".gtitle").wait_for(timeout=60_000)
        assert DATASET in chart.locator(".gtitle").text_content()
        legend = " ".join(chart.locator(".legend text").all_text_contents())  # wrapped entries: one text a line
        assert "weeklysumsofdailycounts" in legend.replace(" ", "")
        # an agency's series is police-recorded whatever the dataset is called: said beside the chart
        caveat = page.locator(".st-key-region-0-figure ~ div").get_by_text("Police-recorded counts measure enforcement")
        assert caveat.count() >= 1
        screenshot(page, "incidents-region-after-upload", height=3200)
        assert page.locator("[data-testid='stException']").count() == 0
    assert non_local(requests_seen) == []


def test_the_event_page_on_the_san_francisco_series_says_what_police_counts_measure(page, app_url, requests_seen):
    page.goto(f"{app_url}{EVENT}")
    wait_for_app(page)
    page.get_by_text("Police-recorded counts measure enforcement").first.wait_for(timeout=60_000)
    screenshot(page, "event-sf-nba-all-star-2025-prostitution")
    assert page.locator("[data-testid='stException']").count() == 0
    assert non_local(requests_seen) == []
