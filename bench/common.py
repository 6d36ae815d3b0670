"""Helpers every benchmark shares: timing in a child process, peak memory, the final ratio line."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent


# Child code calls report(**figures); its own peak resident memory is added as peak_mb.
PRELUDE = """
import json as _json, resource as _resource
def report(**figures):
    figures["peak_mb"] = _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss / 1024
    print(_json.dumps(figures), flush=True)
"""


def run_child(code: str, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``code`` in a fresh Python process and return what it reported (plus ``peak_mb``).

    Each measurement runs in its own process so that one's memory and caches never flatter another's.
    """
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", PRELUDE + code, *args], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"benchmark child failed with exit code {result.returncode}")
    payload = json.loads(result.stdout.strip().splitlines()[-1])
    payload.setdefault("wall_seconds", time.perf_counter() - started)
    return payload


def ratio_line(ratio: float, target: float) -> str:
    """The last line of every benchmark, read by scripts."""
    return f"ratio={ratio:.3f} target={target:g}"
