"""One pass over a whole text file before any reader parses it: NUL bytes, over-long lines and the encoding.

The first 64 KB say too little: a NUL byte or a Latin-1 letter can come later, and a file can turn from
Latin-1 to UTF-8 halfway (two exports pasted together). So every byte is looked at, in 1 MB steps, with
the standard library's strict UTF-8 decoder (a file is UTF-8 exactly when it decodes). A file that is not
UTF-8 is read as Windows-1252 (the Latin-1 that U.S. spreadsheets export) unless it holds bytes that code
page leaves undefined or ``charset-normalizer`` finds its non-ASCII lines are clearly another script; a
file that is UTF-8 in one place and not in another is refused, naming both lines, rather than stored as
mojibake.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from hotline_trends.errors import UserError
from hotline_trends.ingest.limits import Limits, check_time, size_text

STEP = 1 << 20
# UTF-8 encodings of Latin-1 letters (é = C3 A9) and of typographic punctuation (’ “ – … = E2 80 xx): as
# Windows-1252 they read 'Ã©', 'â€™', which no real text contains, so finding them marks a mixed file.
MOJIBAKE = re.compile(rb"[\xc2\xc3][\x80-\xbf]|\xe2\x80[\x80-\xbf]")
HIGH = re.compile(rb"[\x80-\xff]")
LEGACY_SAMPLE = 256 << 10  # bytes of non-ASCII lines given to charset-normalizer
LEGACY_CHAOS = 0.2  # charset-normalizer's "mess" above which the lines do not read as Windows-1252
UNDEFINED_1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
# Unicode blocks of letters in other scripts (charset-normalizer's names): text in them is not Latin-1.
OTHER_SCRIPTS = {
    "Cyrillic",
    "Greek and Coptic",
    "Arabic",
    "Hebrew",
    "Thai",
    "CJK Unified Ideographs",
    "Hiragana",
    "Katakana",
    "Hangul Syllables",
}


class _Scan:
    def __init__(self, name: str, newline: bytes) -> None:
        self.name, self.nl = name, newline
        self.lines_before = 0  # line breaks before the current chunk
        self.utf8_line: int | None = None  # first line with a valid multi-byte UTF-8 character
        self.bad: tuple[int, int] | None = None  # (line, byte) of the first byte that is not UTF-8
        self.mixed_line: int | None = None  # a UTF-8-looking sequence after the first bad byte
        self.legacy: list[bytes] = []
        self.legacy_size = 0

    def line(self, chunk: bytes, pos: int) -> int:
        return self.lines_before + chunk.count(self.nl, 0, pos) + 1

    def after_bad(self, chunk: bytes, start: int) -> None:
        """Look for UTF-8 text after the first bad byte, and keep non-ASCII lines for the legacy check."""
        if self.mixed_line is None and (found := MOJIBAKE.search(chunk, start)):
            self.mixed_line = self.line(chunk, found.start())
        pos = start
        while self.legacy_size < LEGACY_SAMPLE and (found := HIGH.search(chunk, pos)):
            begin = chunk.rfind(self.nl, 0, found.start()) + 1
            end = chunk.find(self.nl, found.start())
            end = len(chunk) if end < 0 else end
            self.legacy.append(chunk[begin:end])
            self.legacy_size += end - begin
            pos = end + 1


def scan_text(path: Path, *, bom: bool, newline: str, limits: Limits) -> str:
    """``'utf-8'`` or ``'cp1252'`` for the whole file.

    Raises:
        UserError: a NUL byte, a line over ``limits.line_bytes``, two encodings in one file, or bytes that
            are neither UTF-8 nor Windows-1252 text; the message names the line.
    """
    name = path.name
    scan = _Scan(name, b"\r" if newline == "CR" else b"\n")
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = max(1, min(STEP, limits.line_bytes))
    run = 0  # bytes since the last line break
    offset = 3 if bom else 0
    with open(path, "rb") as handle:
        handle.seek(offset)
        while chunk := handle.read(step):
            check_time()
            if (nul := chunk.find(b"\x00")) >= 0:
                raise UserError(
                    f"{name} line {scan.line(chunk, nul)}: a NUL byte (at byte {offset + nul:,}); text tables and "
                    "pages have none, so the file is binary or damaged. Export the table again as CSV"
                )
            first = chunk.find(scan.nl)
            if run + (first if first >= 0 else len(chunk)) > limits.line_bytes:
                raise UserError(
                    f"{name} line {scan.lines_before + 1}: a line longer than {size_text(limits.line_bytes)} (the "
                    "limit for one line of text); no table or page has lines that long. Check that this is the "
                    "right file and that its line ends were not lost"
                )
            run = len(chunk) - chunk.rfind(scan.nl) - 1 if first >= 0 else run + len(chunk)
            if scan.bad is None:
                _decode(scan, decoder, chunk)
            else:
                scan.after_bad(chunk, 0)
            scan.lines_before += chunk.count(scan.nl)
            offset += len(chunk)
    if scan.bad is None:
        try:
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            raise UserError(
                f"{name} line {scan.lines_before + 1}: the file ends in the middle of a UTF-8 character, so it was "
                "cut short; save or download it again"
            ) from None
    if bom:
        line, byte = scan.bad
        raise UserError(
            f"{name} line {line}: the file starts with a UTF-8 byte-order mark but this line is not UTF-8 (byte "
            f"0x{byte:02X}); save the whole file as 'CSV UTF-8' and ingest it again"
        )
    _refuse_mixed(scan)
    _check_legacy(scan)
    return "cp1252"


def _decode(scan: _Scan, decoder: codecs.IncrementalDecoder, chunk: bytes) -> None:
    pending = len(decoder.getstate()[0])
    if not pending and chunk.isascii():
        return  # ASCII is UTF-8; most chunks of a big table take this way, at memory speed
    try:
        text = decoder.decode(chunk)
    except UnicodeDecodeError as exc:
        pos = max(0, exc.start - pending)
        scan.bad = (scan.line(chunk, pos), chunk[pos])
        if scan.utf8_line is None and not chunk[:pos].isascii():
            scan.utf8_line = scan.line(chunk, HIGH.search(chunk).start())
        scan.after_bad(chunk, pos)
        return
    if scan.utf8_line is None and not text.isascii():
        found = HIGH.search(chunk)
        scan.utf8_line = scan.line(chunk, found.start() if found else 0)


def _refuse_mixed(scan: _Scan) -> None:
    assert scan.bad is not None
    line, byte = scan.bad
    utf8 = scan.utf8_line if scan.utf8_line is not None else scan.mixed_line
    if utf8 is None:
        return
    as_latin = bytes([byte]).decode("cp1252", errors="replace")
    raise UserError(
        f"{scan.name}: the file mixes two encodings: line {utf8} is UTF-8 text but line {line} is not (byte "
        f"0x{byte:02X}, {as_latin!r} in Windows-1252), so part of it would be stored garbled. Save the whole file "
        "in one encoding ('CSV UTF-8') and ingest it again"
    )


def _check_legacy(scan: _Scan) -> None:
    """Refuse a non-UTF-8 file that cannot be Windows-1252, or that clearly is text in another script.

    Bytes Windows-1252 leaves undefined settle it exactly. Otherwise ``charset-normalizer`` judges the
    non-ASCII lines: only when they do not read as Windows-1252 *and* its best reading is low-chaos text in
    another script (Cyrillic, Greek, CJK, ...) is the file refused; short or symbol-heavy Latin-1 text
    (a lone '£' or 'N°') is too little to judge and is read as Windows-1252, as the readers always have.
    """
    import charset_normalizer

    assert scan.bad is not None
    sample = b"\n".join(scan.legacy)
    undefined = UNDEFINED_1252.search(sample)
    if undefined:
        raise UserError(
            f"{scan.name} line {scan.bad[0]}: the file is neither UTF-8 nor Windows-1252 (Latin-1) text (byte "
            f"0x{undefined.group()[0]:02X} means nothing in Windows-1252); save it as 'CSV UTF-8' and ingest it again"
        )
    if not sample or charset_normalizer.from_bytes(sample, cp_isolation=["cp1252"], threshold=LEGACY_CHAOS).best():
        return
    guess = charset_normalizer.from_bytes(sample).best()
    if guess is None or guess.chaos > 0.05 or not OTHER_SCRIPTS & set(guess.alphabets):
        return
    script = sorted(OTHER_SCRIPTS & set(guess.alphabets))[0]
    raise UserError(
        f"{scan.name} line {scan.bad[0]}: the file is not UTF-8, and its accented text reads as {script} "
        f"({guess.encoding}), not as Windows-1252 (Latin-1); save it as 'CSV UTF-8' and ingest it again"
    )
