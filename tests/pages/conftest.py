"""Fixtures for page tests: record the media file managers AppTest creates, so downloads can be read."""

from __future__ import annotations

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import app_test


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[MediaFileManager]:
    """Every MediaFileManager made during the test, oldest first (AppTest makes one per run)."""
    made: list[MediaFileManager] = []

    class Recording(MediaFileManager):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(app_test, "MediaFileManager", Recording)
    return made
