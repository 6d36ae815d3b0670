"""Police files uploaded on the Data page: a known portal export and a NIBRS zip, detected and added."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from support import DATA, page_app

from hotline_trends.store.read import observations

pytestmark = pytest.mark.app


def _upload(name: str, content: bytes, mime: str) -> AppTest:
    app = page_app("data_sources")
    app.file_uploader(key="upload_file").set_value((name, content, mime)).run()
    return app


def _detected(app: AppTest) -> dict[str, str]:
    table = next(df.value for df in app.dataframe if list(df.value.columns) == ["detected", "value"])
    return dict(table.values.tolist())


@pytest.mark.parametrize(
    ("path", "mime", "fmt", "dataset", "rows"),
    [
        ("incidents/good/lapd_crime_data_2020_present.csv", "text/csv", "incidents", "police_incidents", 30),
        ("nibrs/good/TX-2020-current.zip", "application/zip", "nibrs", "fbi_nibrs", 765),
    ],
)
def test_a_police_file_uploads_is_detected_and_adds(store, path, mime, fmt, dataset, rows):
    app = _upload(path.rsplit("/", 1)[-1], (DATA / path).read_bytes(), mime)
    assert not app.exception
    assert _detected(app)["format"] == fmt
    app.button(key="upload_add").click().run()
    assert not app.exception
    assert any("Added to the store as ingest #" in s.value for s in app.success)
    added = observations(store, dataset=dataset)
    assert (added["source_id"].astype("str").str.startswith("user_")).sum() == rows
