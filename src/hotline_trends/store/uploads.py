"""Keep every uploaded file: ``<store>/uploads/<sha256>/<original name>``, never overwritten, nothing lost."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from hotline_trends.store.connection import Store


def safe_name(name: str) -> str:
    """The last part of a browser-supplied name, without path tricks or control characters.

    Example:
        >>> safe_name("../../etc/passwd"), safe_name("C:\\\\Users\\\\me\\\\tips 2024.xlsx"), safe_name("")
        ('passwd', 'tips 2024.xlsx', 'upload')
    """
    last = re.split(r"[\\\\/]", name)[-1]
    cleaned = re.sub(r"[\x00-\x1f]", "", last).strip().lstrip(".")
    return cleaned[:200] or "upload"


def save_upload(store: Store, name: str, data: bytes) -> Path:
    """Write the bytes under a folder named by their sha256 and return the path.

    The same bytes uploaded again land on the same path (written once); different bytes never share a
    folder, so no upload is ever overwritten.
    """
    digest = hashlib.sha256(data).hexdigest()
    path = store.uploads_dir / digest / safe_name(name)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(data)
        partial.replace(path)  # never leave a half-written file under the real name
    return path
