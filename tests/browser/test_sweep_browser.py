"""A lighter sweep in a real browser: every page and a sample of views show no exception, no traceback and
no apology, and the server logged none; an uploaded file's name is text, never a fetched image.

The AppTest sweep (tests/pages/test_sweep.py) covers the whole space; this pass proves the same in
chromium, with the real router (app.py, its guard and st.navigation). The sample: every page's default
view, the Event page of the latest event in two states where "What finer data would allow" once raised
(issue 16), the first event type on police months, the Region page's county level, the Overview per
100,000 and a Methods section.
"""

from __future__ import annotations

import re

from support import SERVER_LOG, non_local, wait_for_app
from sweep import space

from hotline_trends.pages.guard import APOLOGY
from hotline_trends.store.read import table

PAGES = ["", "region", "event", "event-types", "monitor", "plan", "data", "methods"]
# two of the states whose "What finer data would allow" raised (no agency at all; no complete agency year)
ONCE_BROKEN = ["CA", "MN"]


def _views(bundled_store) -> list[str]:
    found = space(bundled_store)
    events = table(bundled_store, "events").sort_values("start_date", ascending=False)
    one_per_state = events.loc[events["state"].isin(ONCE_BROKEN)].drop_duplicates("state")["event_id"].tolist()
    return (
        [f"/{p}" for p in PAGES]
        + [f"/event?event={e}&series=nhth:cases" for e in one_per_state]
        + [f"/event-types?type={found['types'][0]}&series=fbi_ucr_ht:actual_total"]
        + ["/region?level=county&state=TX"]
        + ["/?dataset=nhth&metric=cases&measure=per100k", "/methods?section=breaks"]
    )


def _broken(page) -> list[str]:
    found = []
    if page.locator("[data-testid='stException']").count():
        found.append("exception: " + page.locator("[data-testid='stException']").first.inner_text()[:1500])
    text = page.locator("[data-testid='stApp']").inner_text()
    for marker in ("Traceback (most recent call last)", APOLOGY[:60]):
        if marker in text:
            found.append(f"shows {marker!r}: " + text[text.index(marker) : text.index(marker) + 1500])
    return found


def test_every_page_and_a_sample_of_views_render_in_the_browser(page, app_url, bundled_store, requests_seen):
    views = _views(bundled_store)
    before = SERVER_LOG.read_text(errors="replace")
    broken = {}
    for view in views:
        page.goto(f"{app_url}{view}")
        wait_for_app(page)
        if problems := _broken(page):
            broken[view] = problems
    assert broken == {}, f"{len(broken)} of {len(views)} views broken: {broken}"
    logged = SERVER_LOG.read_text(errors="replace")[len(before) :]
    assert "Traceback" not in logged, logged[-3000:]
    assert len(views) == len(PAGES) + len(ONCE_BROKEN) + 4
    assert non_local(requests_seen) == []


def test_an_uploaded_file_name_is_text_and_never_fetched(page, app_url, requests_seen):
    name = "![x](probe-image.png) **bold**.csv"
    page.goto(f"{app_url}/data")
    wait_for_app(page)
    page.locator(".st-key-upload_file input[type='file']").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": b"State,2024\nTexas,5\n"}]
    )
    page.get_by_text("Problems found").wait_for(timeout=60_000)
    # the kept name, typed as it came (code blocks are drawn a moment after the rest)
    page.get_by_text(re.compile(r"^uploads/[0-9a-f]{64}/" + re.escape(name) + "$")).wait_for(timeout=60_000)
    assert not [u for u in requests_seen if "probe-image" in u]
    assert page.locator("img[src*='probe-image']").count() == 0
    assert _broken(page) == []
