"""The export bundle: a zip holding the chart's CSV, its PNG and methods.md (method, parameters, caveats,
sources, a citation line and the data version), so a chart can be cited and re-checked later."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date

import pandas as pd

from hotline_trends import __version__
from hotline_trends.charts.base import POLARIS_STATEMENT, Chart
from hotline_trends.safe_text import inert

# The ingest log identifies what the store holds: every ingest, its file hash and whether it was undone.
VERSION_COLUMNS = ["ingest_id", "table_name", "sha256", "status", "finished_at", "removed_at"]
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same data always zips to the same bytes
SOURCE_COLUMNS = ["source_id", "publisher", "title", "location", "terms", "caveat"]


def data_version(ingests: pd.DataFrame) -> str:
    """sha256 of the ingest log: changes whenever any ingest is added or removed, never otherwise."""
    log = ingests[[c for c in VERSION_COLUMNS if c in ingests.columns]].sort_values("ingest_id")
    text = log.astype("str").to_csv(index=False, lineterminator="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def citation(chart: Chart, *, version: str, today: date) -> str:
    """One line to cite the chart: project, title, data version and export date."""
    return (
        f"Hotline Trends {__version__}, “{inert(chart.title)}”, data version {version[:12]}, "
        f"exported {today.isoformat()}; sources as listed in methods.md."
    )


def methods_md(
    chart: Chart, *, sources: pd.DataFrame, version: str, csv_sha256: str, suppressed: bool, today: date
) -> str:
    """methods.md for one chart: what it shows, how, with which choices, caveats, sources and citation."""
    lines = [f"# {inert(chart.title)}", "", "## Method", "", inert(chart.method or chart.title), ""]
    lines += ["Processing: " + inert(chart.processing), "", "## Parameters", ""]
    lines += [f"- {inert(k)}: {inert(v)}" for k, v in chart.parameters.items()]
    lines += [f"- small counts suppressed in the CSV (1–2 shown as <3): {'yes' if suppressed else 'no'}", ""]
    lines += ["## Caveats", ""]
    lines += [f"- {inert(c)}" for c in chart.caveats] or ["- none recorded"]
    used = sources.loc[sources["source_id"].isin(list(chart.sources))]
    if used["source_id"].astype("str").str.startswith("nhth").any():
        lines += [f"- Statement Polaris asks reproductions of hotline statistics to carry: “{POLARIS_STATEMENT}”"]
    lines += ["", "## Sources", "", "| " + " | ".join(SOURCE_COLUMNS) + " |", "|" + "---|" * len(SOURCE_COLUMNS)]
    for row in used[SOURCE_COLUMNS].itertuples(index=False):
        lines.append("| " + " | ".join(inert(v) for v in row) + " |")
    unknown = sorted(set(chart.sources) - set(used["source_id"]))
    lines += [f"| {inert(s)} | (not described in the store) | | | | |" for s in unknown]
    lines += ["", "## Data version", "", f"- store ingest log sha256: `{version}`", f"- CSV sha256: `{csv_sha256}`"]
    lines += ["", "## Citation", "", citation(chart, version=version, today=today), ""]
    return "\n".join(lines)


def bundle_zip(*, slug: str, csv: bytes, png: bytes | None, methods: str) -> bytes:
    """Zip ``<slug>.csv``, ``<slug>.png`` (when rendered) and ``methods.md``; identical inputs, identical bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        files = {f"{slug}.csv": csv, "methods.md": methods.encode("utf-8")}
        if png is not None:
            files[f"{slug}.png"] = png
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
