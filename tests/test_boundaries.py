"""Architecture rules that keep the library usable without the dashboard."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys

import pytest

from hotline_trends.paths import BUNDLED_TABLES, DATA_DIR, REPO_ROOT

PACKAGE = REPO_ROOT / "src" / "hotline_trends"
PURE_PACKAGES = ["hotline_trends.ingest", "hotline_trends.store", "hotline_trends.analysis", "hotline_trends.schema"]


def _modules(package: str) -> list[str]:
    folder = PACKAGE / package.split(".", 1)[1].replace(".", "/")
    if folder.with_suffix(".py").exists():
        return [package]
    return [f"{package}.{p.stem}" if p.stem != "__init__" else package for p in sorted(folder.glob("*.py"))]


@pytest.mark.parametrize("module", [m for p in PURE_PACKAGES for m in _modules(p)])
def test_ingest_store_and_analysis_import_neither_streamlit_nor_plotly(module):
    code = (
        f"import sys, {module}; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'plotly')); "
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{module} pulls in {result.stdout.strip()}"


def test_no_test_or_app_code_reads_the_shared_folder():
    offenders = [
        str(p.relative_to(REPO_ROOT))
        for p in [*REPO_ROOT.glob("src/**/*.py"), *REPO_ROOT.glob("tests/**/*.py"), REPO_ROOT / "app.py"]
        if p.name != "test_boundaries.py" and re.search(r"\.\./shared|/shared/data", p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize("name", BUNDLED_TABLES)
def test_bundled_files_are_the_ones_the_data_readme_lists(name):
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256((DATA_DIR / f"{name}.csv").read_bytes()).hexdigest()
    assert f"| `{name}.csv` |" in readme
    assert digest in readme, f"data/{name}.csv differs from the copy documented in data/README.md"


def test_every_observation_and_event_resolves_to_a_described_source(bundled_store):
    from hotline_trends.store.read import query

    result = query(
        bundled_store,
        """SELECT 'observations' AS t, o.source_id FROM observations o LEFT JOIN sources s USING (source_id)
           WHERE s.publisher IS NULL OR s.location IS NULL
           UNION ALL
           SELECT 'events', e.source_id FROM events e LEFT JOIN sources s USING (source_id)
           WHERE s.publisher IS NULL OR s.location IS NULL""",
    )
    assert result.empty, result.head()
