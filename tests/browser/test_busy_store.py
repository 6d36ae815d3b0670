"""While a 3M-row ingest runs, a browser reloading the dashboard in a loop sees no error and no partial data.

The pages are loaded once before (the store as it was, and a warm server), then in a loop from the moment
the ingest starts writing (its staging file appears) until it has finished. A load that began and ended
while the staging file existed ran entirely during the write: had reads waited for the writer, there
would be none. The Data page is opened on the dataset being ingested: until the ingest publishes, that
dataset does not exist and the page shows the default one; after, all of it. Anything else is partial.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

from bigfile import DATASET, write_busy_csv
from support import wait_for_app

from hotline_trends.coverage import coverage_matrix
from hotline_trends.paths import STORE_ENV
from hotline_trends.store import Store
from hotline_trends.store import read as store_read
from hotline_trends.store.connection import STAGE_PREFIX

ROWS = 3_000_000
DATA_PAGE = f"/data?dataset={DATASET}&metric=tips"
WARM = [DATA_PAGE, "/?dataset=nhth&metric=cases&year=2016", "/region?level=state&state=TX"]
# Views not opened before: their data are not in the dashboard's cache, so each reads the store (the
# other pages are served from the cache until the store's version changes).
METRICS = ["calls", "signals", "victims", "contacts", "cases_sex", "cases_labor", "cases_sex_and_labor"]
FRESH = [f"/data?dataset=nhth&metric={m}" for m in METRICS] + [
    f"/region?level=state&state={s}" for s in ("FL", "CA", "NY", "GA", "OH", "WA", "NV", "AZ", "MN", "LA")
]
CAPTION = re.compile(r"(\S+) · (\S+): (\d+) regions × (\d+) years")


def _stages(store: Store) -> set[str]:
    return {p.name for p in store.root.glob(STAGE_PREFIX + "*")}


def _load(page, url: str, store: Store) -> dict:
    started = time.monotonic()
    before = _stages(store)
    page.goto(url)
    wait_for_app(page)
    after = _stages(store)
    captions = " ".join(page.locator("[data-testid='stCaptionContainer']").all_inner_texts())
    found = CAPTION.search(captions.replace("\\", ""))
    return {
        "url": url,
        "seconds": round(time.monotonic() - started, 1),
        "during_ingest": bool(before) and before == after,
        "exceptions": page.locator("[data-testid='stException']").count(),
        "busy": page.get_by_text(re.compile("StoreBusy|Traceback|is in use by")).count(),
        "coverage": found.groups() if found else None,
    }


def test_reloading_during_a_3m_row_ingest_sees_no_error_and_no_partial_data(
    page, bundled_store, dashboard_server, tmp_path
):
    store = Store(tmp_path / "store")
    store.root.mkdir()
    shutil.copy2(bundled_store.db_path, store.db_path)
    big = tmp_path / "busy.csv"
    write_busy_csv(big, rows=ROWS)
    with dashboard_server(store.root) as url:
        warm = [_load(page, url + path, store) for path in WARM]  # the store before, and a warm server
        first = warm[0]
        assert first["coverage"][:2] == ("nhth", "cases")
        ingest = subprocess.Popen(
            [sys.executable, "-m", "hotline_trends", "ingest", str(big)],
            env={**os.environ, STORE_ENV: str(store.root)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        while not _stages(store) and ingest.poll() is None:  # reading the file comes first; then it writes
            time.sleep(0.05)
        loads = []
        for i, fresh in enumerate(FRESH):
            if ingest.poll() is not None:
                break
            loads.append(_load(page, url + fresh, store) | {"fresh": True})
            if i % 2:  # and the view of the dataset being ingested, to catch it half there
                loads.append(_load(page, url + DATA_PAGE, store))
        out, err = ingest.communicate()
        assert ingest.returncode == 0, err
        assert f"added {ROWS:,}" in out
        last = _load(page, url + DATA_PAGE, store)
    log = "".join(p.read_text(errors="replace") for p in tmp_path.glob("streamlit-*.log"))

    during = [r for r in loads if r["during_ingest"]]
    read_during = [r for r in during if r.get("fresh")]
    print(
        f"{len(loads)} page loads while the ingest wrote, {len(during)} of them entirely during the write, "
        f"{len(read_during)} of those reading the store"
    )
    print("seconds per load:", [r["seconds"] for r in loads])
    assert read_during, loads
    assert [r for r in [*warm, *loads, last] if r["exceptions"] or r["busy"]] == []
    assert "Traceback" not in log and "StoreBusy" not in log
    matrix = coverage_matrix(store_read.coverage(store, dataset=DATASET, metric="tips"))
    assert last["coverage"] == (DATASET, "tips", str(len(matrix)), str(len(matrix.columns)))  # all of it
    seen = {r["coverage"] for r in loads if r["url"].endswith(DATA_PAGE)}
    assert seen <= {first["coverage"], last["coverage"]}, seen  # the old store or the new one, nothing between
