"""Dashboard responsiveness and memory: each page's rerun time against a bare one-widget page, in a browser.

    python bench/app.py [--quick] [--reruns N]

Builds a temporary store from the bundled data, serves the dashboard and a bare one-widget Streamlit page
(two `streamlit run` servers, same flags), and opens both in headless Debian chromium through Playwright.
For each page it presses Streamlit's rerun key (R) repeatedly and times, inside the page, from the key
press to the end of the rerun (the root's ``data-test-script-state`` back to 'notRunning') plus two
animation frames, so the time covers the script, the transfer and the browser drawing the result. Every
page, and the bare page, is measured the same way in the same run; the headline ratio is the slowest
page's median over the bare page's median (target <= 3). It then downloads one CSV (and, without --quick,
one PNG) and reports the peak resident memory of the dashboard's server process (VmHWM; target <= 500 MB;
the chromium that kaleido starts for a PNG is a separate process and not counted).

Cold analysis: for the Event and Event types pages, a fresh dashboard server (every cache empty; only the
Methods page has run, so the modules are imported) is opened at an event, type and series no earlier run
chose; the time from opening the URL to the end of the first run (two frames drawn) is compared with the
bare page's median rerun (target <= 10x). Opening a URL also loads the page's frontend, which a rerun does
not: the bare page opened the same way is printed alongside, for scale.

The last line is `ratio=<number> target=<number>`. Needs /usr/bin/chromium (never downloads a browser).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ratio_line  # noqa: E402

from hotline_trends.chromium import HEADLESS_FLAGS as FLAGS  # noqa: E402
from hotline_trends.chromium import chromium_path  # noqa: E402
from hotline_trends.paths import REPO_ROOT, STORE_ENV  # noqa: E402
from hotline_trends.store import Store  # noqa: E402
from hotline_trends.store.build import build  # noqa: E402

TARGET_RATIO = 3.0
TARGET_PEAK_MB = 500
CHROMIUM = chromium_path()
PAGES = {
    "overview": "/?dataset=nhth&metric=cases&year=2016&measure=count",
    "region": "/region?level=state&state=TX",
    "event": "/event?event=super-bowl-2013&series=nhth:cases",
    "event types": "/event-types?type=super-bowl&series=nhth:cases",
    "monitor": "/monitor",
    "data & sources": "/data?dataset=nhth&metric=cases",
    "methods": "/methods",
}
TARGET_COLD = 10.0
COLD = {  # an event, type and series the warm runs above never chose
    "event": "/event?event=kentucky-derby-2015&series=fbi_ucr_ht:actual_total",
    "event types": "/event-types?type=kentucky-derby&series=fbi_ucr_ht:actual_total",
}
BARE = "import streamlit as st\n\nst.selectbox('Choice', ['a', 'b'], key='choice')\n"
SETTLED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.getAttribute('data-test-script-state') === 'notRunning'
        && document.querySelector('[data-testid="stElementContainer"]') !== null
        && !document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"], [data-testid="stSkeletonElement"]');
}"""
ARM = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    window.__rerun = new Promise((resolve, reject) => {
        const started = performance.now();
        // Any change of the state after the key press means a rerun began; mutations can arrive batched,
        // so the end is the first callback that finds the state back at 'notRunning'.
        const watch = new MutationObserver(() => {
            if (app.getAttribute('data-test-script-state') === 'notRunning') {
                watch.disconnect();
                requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - started)));
            }
        });
        watch.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
        setTimeout(() => { watch.disconnect(); reject(new Error('no rerun within 60 s')); }, 60000);
    });
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(script: Path, *, store_dir: Path):
    """A `streamlit run` server for ``script``; yields (url, process)."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    env = {**os.environ, STORE_ENV: str(store_dir)}
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise SystemExit(f"streamlit did not start: {process.stderr.read().decode()[-2000:]}") from None
            time.sleep(0.2)
    try:
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=20)


def peak_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a running process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmHWM in /proc: peak memory cannot be measured on this system")


def rerun_times(page, url: str, *, reruns: int, warmup: int = 2) -> list[float]:
    """Milliseconds per rerun (R key) of the page at ``url``, after ``warmup`` reruns."""
    page.goto(url)
    page.wait_for_function(SETTLED, timeout=120_000)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")  # the R key must reach the page
    times = []
    for i in range(warmup + reruns):
        page.evaluate(ARM)
        page.keyboard.press("r")
        elapsed = page.evaluate("window.__rerun")
        page.wait_for_function(SETTLED, timeout=120_000)
        if i >= warmup:
            times.append(elapsed)
    return times


def opened_ms(page, url: str) -> float:
    """Milliseconds from opening ``url`` to the end of its first run, two animation frames included."""
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(SETTLED, timeout=300_000)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return (time.perf_counter() - started) * 1000


def cold_times(page, *, store_dir: Path) -> dict[str, float]:
    """Each of ``COLD``'s pages opened on a fresh server: no cache holds anything of its analysis."""
    times = {}
    for name, path in COLD.items():
        with served(REPO_ROOT / "app.py", store_dir=store_dir) as (url, _):
            opened_ms(page, url + PAGES["methods"])  # imports the modules; computes nothing the page needs
            times[name] = opened_ms(page, url + path)
    return times


def downloads(page, url: str, *, png: bool) -> None:
    """Exercise the export path once (its memory counts in the peak)."""
    page.goto(url + PAGES["overview"])
    page.wait_for_function(SETTLED, timeout=120_000)
    buttons = {"map-csv": "⬇ CSV", "map-png": "⬇ PNG"} if png else {"map-csv": "⬇ CSV"}
    for key, label in buttons.items():
        with page.expect_download(timeout=120_000) as started:
            page.locator(f".st-key-{key}").get_by_role("button", name=label).click()
        started.value.path()


SCRIPT_PAGES = {
    "overview": "overview",
    "region": "region",
    "event": "event",
    "event types": "event_types",
    "monitor": "monitor",
    "data & sources": "data_sources",
    "methods": "methods",
}


def script_times(*, store_dir: Path, reruns: int) -> dict[str, float]:
    """For reference: median milliseconds of the Python script alone per rerun (AppTest, no browser)."""
    from streamlit.testing.v1 import AppTest

    os.environ[STORE_ENV] = str(store_dir)
    scripts = {"bare one-widget page": BARE}
    for name, module in SCRIPT_PAGES.items():
        scripts[name] = f"from hotline_trends.pages import {module}\n{module}.run()\n"
    medians = {}
    for name, script in scripts.items():
        app = AppTest.from_string(script, default_timeout=120).run()
        app.run()
        times = []
        for _ in range(reruns):
            started = time.perf_counter()
            app.run()
            times.append((time.perf_counter() - started) * 1000)
        medians[name] = statistics.median(times)
    return medians


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="4 reruns per page and no PNG: under a minute")
    parser.add_argument("--reruns", type=int, default=15, help="measured reruns per page (default 15)")
    args = parser.parse_args()
    reruns = 4 if args.quick else args.reruns
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="ht-bench-app-") as tmp:
        store_dir = Path(tmp) / "store"
        build(Store(store_dir))
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE)
        shutil.copytree(REPO_ROOT / ".streamlit", Path(tmp) / ".streamlit")
        with (
            served(REPO_ROOT / "app.py", store_dir=store_dir) as (app_url, app_server),
            served(bare, store_dir=store_dir) as (bare_url, _),
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
            page = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True).new_page()
            medians = {"bare one-widget page": statistics.median(rerun_times(page, bare_url, reruns=reruns))}
            for name, path in PAGES.items():
                medians[name] = statistics.median(rerun_times(page, app_url + path, reruns=reruns))
            downloads(page, app_url, png=not args.quick)
            memory = peak_mb(app_server.pid)
            bare_opened = opened_ms(page, bare_url)
            cold = cold_times(page, store_dir=store_dir)
            browser.close()
        scripts = script_times(store_dir=store_dir, reruns=reruns)
    baseline = medians.pop("bare one-widget page")
    print(f"bare one-widget page: median rerun {baseline:.1f} ms ({reruns} reruns, in chromium)")
    for name, value in medians.items():
        print(f"{name}: median rerun {value:.1f} ms, ratio {value / baseline:.2f} (target <= {TARGET_RATIO:g})")
    bare_script = scripts.pop("bare one-widget page")
    print(
        f"for reference, the Python script alone (AppTest, no browser): bare page {bare_script:.1f} ms; "
        + ", ".join(f"{name} {value:.0f} ms ({value / bare_script:.0f}x)" for name, value in scripts.items())
    )
    print(f"peak memory of the dashboard server: {memory:.0f} MB (target <= {TARGET_PEAK_MB} MB)")
    for name, value in cold.items():
        print(f"{name}, cold (fresh server, {COLD[name]}): {value:.0f} ms to the end of the first run, "
              f"{value / baseline:.1f}x the bare page's rerun (target <= {TARGET_COLD:g}); opening the bare page "
              f"takes {bare_opened:.0f} ms")  # fmt: skip
    worst = max(medians, key=medians.get)
    print(f"slowest page: {worst}")
    print(ratio_line(medians[worst] / baseline, TARGET_RATIO))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
