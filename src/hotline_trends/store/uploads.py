"""Keep every uploaded file: ``<store>/uploads/<sha256>/<safe name>``, never overwritten, nothing lost."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from hotline_trends.errors import UserError
from hotline_trends.store.connection import Store

# Most file systems allow 255 bytes per name; this leaves room for the '.part' of a file being written.
MAX_NAME_BYTES = 180
# Controls (NUL, ESC, DEL, C1), invisible formatting (bidi overrides that reverse a name, zero widths),
# line and paragraph separators, lone surrogates and private-use characters: never part of a kept name.
DROPPED = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}
SUFFIX = re.compile(r"\.[0-9A-Za-z]{1,10}$")


def safe_name(name: str) -> str:
    """The last part of a browser-supplied name, without path parts, controls or invisible characters, at
    most ``MAX_NAME_BYTES`` in UTF-8 (a long name keeps its start, a '…' and its extension).

    Example:
        >>> safe_name("../../etc/passwd"), safe_name("C:\\\\Users\\\\me\\\\tips 2024.xlsx"), safe_name("")
        ('passwd', 'tips 2024.xlsx', 'upload')
        >>> safe_name("a\\x00b.csv"), safe_name("invoice\\u202eslx.csv"), safe_name("観" * 200 + ".csv")[-7:]
        ('ab.csv', 'invoiceslx.csv', '観観….csv')
    """
    last = re.split(r"[\\/]", name)[-1]
    kept = "".join(c for c in last if unicodedata.category(c) not in DROPPED)
    kept = unicodedata.normalize("NFC", kept).strip().lstrip(".").strip()
    return _bounded(kept) or "upload"


def _bounded(name: str) -> str:
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    found = SUFFIX.search(name)
    suffix = found.group() if found and found.start() > 0 else ""
    room = MAX_NAME_BYTES - len(suffix) - len("…".encode())
    stem = name[: len(name) - len(suffix)].encode("utf-8")[:room].decode("utf-8", errors="ignore").rstrip()
    return f"{stem}…{suffix}"


def save_upload(store: Store, name: str, data: bytes) -> Path:
    """Write the bytes under a folder named by their sha256 and return the path.

    The same bytes uploaded again land on the same path (written once); different bytes never share a
    folder, so no upload is ever overwritten. If the file cannot be written, nothing is left behind (no
    half-written file, no empty folder) and a ``UserError`` says why.
    """
    digest = hashlib.sha256(data).hexdigest()
    folder = store.uploads_dir / digest
    path = folder / safe_name(name)
    if path.exists():
        return path
    created = not folder.exists()
    partial = path.with_name(path.name + ".part")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        partial.replace(path)  # never leave a half-written file under the real name
    except OSError as exc:
        partial.unlink(missing_ok=True)
        if created and folder.exists() and not any(folder.iterdir()):
            folder.rmdir()
        raise UserError(
            f"could not keep the uploaded file as {path.name!r} under {store.uploads_dir}: "
            f"{exc.strerror or exc}; check that the disk has room and the store folder is writable"
        ) from exc
    return path
