"""The Monitor page in a real browser, offline: a date,count file uploaded for a quick look."""

from __future__ import annotations

from support import non_local, screenshot, wait_for_app

from hotline_trends.analysis.monitor_synthetic import simulate_daily


def test_an_uploaded_daily_file_is_monitored_in_the_browser(page, app_url, requests_seen, tmp_path):
    data, _ = simulate_daily("d", days=240, step_day=225, start="2024-01-01", seed=9)
    path = tmp_path / "tipline.csv"
    data.assign(date=data["date"].dt.strftime("%Y-%m-%d"), count=data["count"].astype("Int64")).to_csv(
        path, index=False
    )
    page.goto(f"{app_url}/monitor?source=upload")
    wait_for_app(page)
    page.locator("input[type='file']").set_input_files(str(path))
    page.get_by_text("Alarm level").first.wait_for(timeout=90_000)
    wait_for_app(page)
    assert page.get_by_text("File: tipline.csv").count() == 1
    assert page.get_by_text("Alarms, and why").count() == 1  # the planted rise (+50% from 2024-08-13) is flagged
    assert page.get_by_text("How the alarm works").count() == 1
    page.locator(".st-key-monitor-png").wait_for(timeout=60_000)
    shot = screenshot(page, "monitor", height=3200)
    assert shot.stat().st_size > 10_000
    assert non_local(requests_seen) == []
