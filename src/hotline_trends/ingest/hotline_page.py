"""Reader 2: a hotline state (or national) statistics page, saved as HTML or copied as text.

input → output: sentences in the page's fixed wording, such as "2,373 signals were received by the
Hotline in 2023 from Texas", "900 cases were identified in 2023", "1,723 victims were identified in
2023" (the national page says "from National") → one nhth observation per year and metric. The year
comes from the sentence or from a heading that names one year; all-time totals ("since 2007") are not a
year and are skipped and reported. The state comes from "from <State>", else the page's heading, else
``--region``.
"""

from __future__ import annotations

import re
from pathlib import Path

from hotline_trends.errors import Problem, UserError
from hotline_trends.ingest.base import Incoming, NotThisFormat, rows_incoming
from hotline_trends.ingest.grid import TEXT, file_kind
from hotline_trends.ingest.html_text import check_page_size, clean, decode_page, looks_like_html, page_pieces
from hotline_trends.ingest.limits import check_time
from hotline_trends.ingest.limits import current as current_limits
from hotline_trends.ingest.regions import lookup, region_code
from hotline_trends.ingest.sniff import sniff_text
from hotline_trends.ingest.words import ALL_TIME_RE, HOTLINE_METRICS, heading_year, year_period

FORMAT = "hotline-page"
COLUMNS = ["dataset", "region", "period_start", "period_end", "metric", "value"]
# Every pattern here runs on text from the file, so each is linear in its input: a number is only tried where
# a run of digits starts (the look-behinds), and a place name is at most 60 characters. (An earlier version
# tried the next-sentence test at every digit of a long run: 39 s on 56 KB of crafted text.)
NUMBER_START = r"(?<![\d.,])"
START = (
    NUMBER_START
    + r"(?P<value>\d[\d,.]*\d|\d)\s+(?P<what>signal|call|case|victim)s?\s+(?:were|was|have been|has been)\s+"
)
# The rest of a sentence runs to a full stop or to the start of the next sentence (copied text may have
# no full stops between lines).
NEXT = NUMBER_START + r"\d[\d,.]*\s+(?:signal|call|case|victim)s?\s+(?:were|was|have been|has been)\b"
SENTENCE = re.compile(START + rf"(?:received|identified|reported|made)(?P<rest>(?:(?!{NEXT})[^.;!?])*)", re.IGNORECASE)
IN_YEAR = re.compile(r"\b(?:in|during)\s+((?:19|20)\d{2})\b", re.IGNORECASE)
FROM_PLACE = re.compile(r"\bfrom\s+(?:the\s+)?([A-Z][A-Za-z.'’ -]{0,60}?)\s*(?=$|,|\bin\b|\bduring\b|\bsince\b)")
REST_CHARS = 300
HEADING_NOISE = re.compile(r"\b(hotline|statistics|stats|data|state|report|national human trafficking)\b|[:|–—-]", re.I)


def _blocks(path: Path) -> tuple[list[tuple[str, int, str]], str, str]:
    """('heading'|'text', line, text) in page order, the source kind and the encoding."""
    sniff = sniff_text(path)
    if looks_like_html(sniff.sample):
        markup, encoding = decode_page(path)
        pieces = [(p.kind, p.line, p.text) for p in page_pieces(markup, file_name=path.name) if p.kind != "table"]
        return pieces, "HTML page", encoding
    check_page_size(path, current_limits(), what="page")
    text = path.read_text(encoding=sniff.encoding, errors="replace")
    blocks, current = [], []
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        if number % 4096 == 0:
            check_time(number)
        if line.strip():
            current.append((number, line.strip()))
            continue
        # A paragraph's leading short lines without a sentence are headings ("Texas", "2024", "Since 2007").
        while current and len(current[0][1]) < 80 and not SENTENCE.search(current[0][1]):
            blocks.append(("heading", *current.pop(0)))
        if current:
            blocks.append(("text", current[0][0], "\n".join(t for _, t in current)))
        current = []
    return blocks, "text", sniff.label


def _shown(sentence: str) -> str:
    return sentence if len(sentence) <= 200 else sentence[:200] + "…"


def _page_region(blocks: list[tuple[str, int, str]]) -> str | None:
    for kind, _, text in blocks:
        if kind == "heading":
            name = clean(HEADING_NOISE.sub(" ", text))
            if name and (code := lookup(name)):
                return code
    return None


def read_hotline_page(path: Path, *, region: str | None = None) -> Incoming:
    """Read the yearly sentences of a hotline statistics page.

    Raises:
        NotThisFormat: no sentence in the hotline's wording.
        UserError: the page names two states, does not say which state it is about, or has no yearly count.
    """
    if file_kind(path) != TEXT:
        raise NotThisFormat("not a text or HTML file")
    sample = sniff_text(path).sample
    if not looks_like_html(sample) and not SENTENCE.search(sample):
        raise NotThisFormat("no sentence like '2,373 signals were received by the Hotline in 2023'")
    blocks, source, encoding = _blocks(path)
    found, skipped, places = [], [], {}
    block_year: int | str | None = None
    for kind, line, text in blocks:
        if kind == "heading":
            block_year = heading_year(text)
            continue
        for match in SENTENCE.finditer(text):
            line_of = line + text.count("\n", 0, match.start())  # text copies keep their line breaks
            # The year and place follow within a few words; bounding the text bounds every search on it.
            rest, sentence = match.group("rest")[:REST_CHARS], _shown(clean(match.group(0)))
            place = FROM_PLACE.search(rest)
            if place:
                places.setdefault(region_code(place.group(1)), (line_of, place.group(1)))
            year_match = IN_YEAR.search(rest)
            if ALL_TIME_RE.search(rest) or (not year_match and block_year == "all-time"):
                skipped.append(Problem(f"all-time total, not a year: {sentence!r}", line_of))
                continue
            year = int(year_match.group(1)) if year_match else block_year
            if not isinstance(year, int):
                skipped.append(Problem(f"no year stated: {sentence!r}", line_of))
                continue
            metric = HOTLINE_METRICS[match.group("what").lower()]
            found.append((line_of, year, metric, match.group("value"), place.group(1) if place else None))
    if not found and not skipped:
        raise NotThisFormat("no sentence like '2,373 signals were received by the Hotline in 2023'")
    page = _one_region(path, places, region, _page_region(blocks))
    if not found:
        raise UserError(
            f"{path.name}: the page has only all-time totals or sentences without a year; nothing to add "
            "(a year's counts read like '900 cases were identified in 2023')"
        )
    rows = []
    for line, year, metric, value, place in found:
        start, end = year_period(year)
        where = region_code(place) if place else page
        rows.append((line, dict(zip(COLUMNS, ["nhth", where, start, end, metric, value], strict=True))))
    detected = {
        "format": FORMAT,
        "table": "observations",
        "source": source,
        "encoding": encoding,
        "region": page,
        "region_from": "the page's sentences" if places else ("--region" if region else "the page heading"),
        "years": sorted({y for _, y, *_ in found}),
        "metrics": sorted({m for _, _, m, *_ in found}),
        "sentences": len(found),
        "rows_skipped": len(skipped),
    }
    return rows_incoming(
        path, table="observations", reader=FORMAT, detected=detected, rows=rows, columns=COLUMNS, skipped=skipped
    )


def _one_region(path: Path, places: dict, option: str | None, heading: str | None) -> str:
    if len(places) > 1:
        (code_a, (line_a, a)), (code_b, (line_b, b)) = list(places.items())[:2]
        raise UserError(
            f"{path.name} line {line_b}: the page names two places, {a!r} (line {line_a}) and {b!r}; "
            "save one state's page per file"
        )
    if places:
        return next(iter(places))
    if option:
        return region_code(option)
    if heading:
        return heading
    raise UserError(
        f"{path.name}: the page does not say which state it is about (no 'from <State>' and no state in a "
        "heading); pass --region TX (or the state's name)"
    )
