"""Issue 14 in a real browser at 1024 and 1440 px: every page holds its layout (nothing cut, chart notes at
12 px or more), its main control is a few tab stops from the top, and the journalist's and the planner's tasks
walk through without "None", a raw code where a name belongs, or a clipped label. Screenshots of every page at
both widths go to test-artifacts/ (layout-<page>-<width>.png, walk-*.png)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from layout_checks import LAYOUT_PROBLEMS, NONE_WORD, RAW_CODES
from support import non_local, screenshot, wait_for_app

WIDTHS = [1024, 1440]
# page, address, the label of its main control (None: a page of text)
PAGES = [
    ("overview", "/?dataset=nhth&metric=cases&year=2016&measure=per100k", "Dataset"),
    ("region", "/region?level=state&state=TX", "State"),
    ("event", "/event?event=super-bowl-2013&series=nhth:cases", "Event"),
    ("event-types", "/event-types?type=super-bowl&series=nhth:cases", "Event type"),
    ("monitor", "/monitor", "Dataset"),
    ("data", "/data", "Dataset"),
    ("methods", "/methods", None),
]
TAB_STOPS = 5  # after "Skip to main content" (the first stop on every page) and Enter
TIPS = b"date,tips\n2024-03-01,12\n2024-03-02,9\n2024-03-03,\n2024-03-04,15\n"
DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(chart => chart.querySelector('.main-svg'))"""


def _open(page, url: str) -> None:
    page.goto(url)
    _settled(page)


def _settled(page) -> None:
    wait_for_app(page)
    page.wait_for_function(DRAWN, timeout=60_000)


def _focused(page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement; return (e.getAttribute('aria-label') || e.innerText || '').trim() }"
    )


def _tabs_to(page, label: str) -> int | None:
    """Tab stops from the top of the page to the control labelled ``label`` via the skip link (None: not reached)."""
    page.locator("body").focus()
    page.keyboard.press("Tab")
    if _focused(page) != "Skip to main content":
        return None
    page.keyboard.press("Enter")
    for stop in range(1, TAB_STOPS + 1):
        page.keyboard.press("Tab")
        if _focused(page) == label:
            return stop
    return None


def _main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def _words_problems(page) -> list[str]:
    text = _main_text(page)
    return sorted(
        {m.group(0) for m in re.finditer(NONE_WORD, text)} | {m.group(0) for m in re.finditer(RAW_CODES, text)}
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_holds_its_layout_and_its_main_control_is_a_few_tab_stops_away(page, app_url, width):
    found: dict[str, object] = {}
    for name, path, control in PAGES:
        page.set_viewport_size({"width": width, "height": 900})
        _open(page, app_url + path)
        if control and _tabs_to(page, control) is None:
            found[f"{name}: keyboard"] = f"{control!r} not reached within {TAB_STOPS} tab stops after the skip link"
        problems = page.evaluate(LAYOUT_PROBLEMS)
        if problems:
            found[f"{name}: layout"] = problems
        screenshot(page, f"layout-{name}-{width}")
    assert not found, _said(found)


def _said(found: dict[str, object]) -> str:
    """One line per problem, so a failure reads as a list of what is cut where."""
    lines = []
    for where, what in found.items():
        items = what if isinstance(what, list) else [what]
        lines += [f"{where}: {item}" for item in items]
    return "\n".join(lines)


def _choose(page, key: str, text: str) -> None:
    """Pick ``text`` in the selectbox with widget key ``key`` (type to filter, then Enter)."""
    box = page.locator(f".st-key-{key} input[role='combobox']")
    box.click()
    box.fill(text)
    page.get_by_role("option", name=text, exact=True).first.click()


def _type(page, key: str, text: str) -> None:
    field = page.locator(f".st-key-{key} input")
    field.fill(text)
    field.press("Enter")
    wait_for_app(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_journalist_and_the_planner_walk_through_their_tasks(page, app_url, width, requests_seen):
    page.set_viewport_size({"width": width, "height": 900})
    seen: dict[str, object] = {}

    def look(step: str) -> None:
        words = _words_problems(page)
        layout = page.evaluate(LAYOUT_PROBLEMS)
        if words:
            seen[f"{step}: words"] = words
        if layout:
            seen[f"{step}: layout"] = layout
        screenshot(page, f"walk-{step}-{width}")
        page.set_viewport_size({"width": width, "height": 900})

    # The journalist: the map, then Super Bowl XLVII, then the CSV behind its chart.
    _open(page, f"{app_url}/?dataset=nhth&metric=cases&year=2013")
    look("overview")
    page.get_by_role("link", name="Event", exact=True).click()
    _settled(page)
    _type(page, "param_find", "super bowl 2013")
    _settled(page)
    assert "super-bowl-2013" in page.url
    look("event")
    with page.expect_download(timeout=60_000) as started:
        page.locator(".st-key-event-0-csv").get_by_role("button").click()
    rows = list(csv.DictReader(io.StringIO(Path(started.value.path()).read_text(encoding="utf-8"))))
    assert rows and {"source_id", "reliability"} <= set(rows[0])

    # The planner: a plain date,tips file through the Data page's form, then the Region page shows it as theirs.
    page.get_by_role("link", name="Data & sources").click()
    _settled(page)
    page.locator(".st-key-simple_upload_file input[type='file']").set_input_files(
        files=[{"name": "tips.csv", "mimeType": "text/csv", "buffer": TIPS}]
    )
    wait_for_app(page)
    _type(page, "simple_upload_dataset", "Burlington tip line")
    _type(page, "simple_upload_metric", "tips")
    _choose(page, "simple_upload_region", "Vermont")
    wait_for_app(page)
    _type(page, "simple_upload_description", f"Burlington task force tip log ({width} px walk)")
    page.locator(".st-key-simple_upload_add button").click()
    page.get_by_text("Added as ingest #").wait_for(timeout=60_000)
    look("data-added")
    _open(page, f"{app_url}/region?level=state&state=VT")
    legend = page.locator(".legendtext", has_text="your upload: Burlington")
    legend.first.wait_for(timeout=60_000)
    assert page.locator(".annotation-text", has_text="your upload: Burlington").count() >= 1
    assert page.locator(".annotation-text", has_text="publisher not stated").count() == 0
    look("region-upload")

    # ... and takes it back.
    _open(page, f"{app_url}/data")
    page.get_by_text("Undo an earlier upload").click()
    page.locator(".st-key-simple_upload_undo_earlier button").click()
    wait_for_app(page)
    page.get_by_text("Undo an earlier upload").wait_for(state="detached", timeout=60_000)
    assert not seen, _said(seen)
    assert non_local(requests_seen) == []
