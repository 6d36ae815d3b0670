"""A task force's own counts as they keep them: ``date,count`` (any name for the count, e.g. ``date,tips``) or
``date,region,count``, plus what a small form says (dataset, metric, region, a description of the source).

The file is read like the monitor's quick look (``daily_counts``: same dialects, dates and counts, every
problem by line and column, all at once) and shaped into two tables for one ingest: the counts as
observations (one day per row) and their source, marked as the user's own upload so every chart can say
"your upload: <description>". Same file and form → same rows: adding it twice changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hotline_trends.errors import InputRejected, Problem, UserError
from hotline_trends.ingest.base import LINE, Incoming, text_frame
from hotline_trends.ingest.daily_counts import COUNT_NAMES, DATE_NAMES, MAX_ROWS, _count, _date, _text
from hotline_trends.ingest.grid import guess_grid_delimiter
from hotline_trends.ingest.regions import lookup
from hotline_trends.vocabulary import UPLOAD_MARK

REGION_NAMES = ("region", "state", "place")

TEMPLATE = "date,count\n2024-03-01,12\n2024-03-02,9\n2024-03-03,\n2024-03-04,15\n"
TEMPLATE_WITH_REGION = "date,region,count\n2024-03-01,TX,12\n2024-03-01,LA,4\n2024-03-02,TX,9\n"
COLUMNS = ["dataset", "region", "period_start", "period_end", "metric", "value", "source_id", "note"]


@dataclass(frozen=True)
class CountsForm:
    """What the form asks: names for the series, the region (when the file has no region column), the source."""

    dataset: str
    metric: str
    description: str
    region: str | None = None


def code_name(text: str) -> str:
    """A name as the store keeps it: lowercase letters, digits and underscores ('My tip line' → 'my_tip_line').

    Example:
        >>> code_name(" Houston Tip-line 2024 "), code_name("2024 tips")
        ('houston_tip_line_2024', 'n_2024_tips')
    """
    code = re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")
    return f"n_{code}" if code[:1].isdigit() else code


def source_id_for(form: CountsForm) -> str:
    """One source per dataset, metric and description: re-adding the same file under the same words is a no-op."""
    digest = hashlib.sha256(form.description.strip().encode()).hexdigest()[:8]
    return f"upload_{code_name(form.dataset)}_{code_name(form.metric)}_{digest}"


def check_form(form: CountsForm, *, region_in_file: bool) -> list[str]:
    """What the form is missing, in plain words ([] when complete)."""
    missing = []
    if not code_name(form.dataset):
        missing.append("Give the dataset a name with at least one letter, e.g. 'houston tip line'.")
    if not code_name(form.metric):
        missing.append("Say what is counted, e.g. 'tips' or 'calls'.")
    if not form.description.strip():
        missing.append("Describe the source in a few words, e.g. 'Houston task force tip line log, 2024'.")
    if not region_in_file and not form.region:
        missing.append("Choose the region the counts are for (or add a region column to the file).")
    return missing


def _columns(header: list[str], file_name: str, line: int) -> tuple[int, int | None, int, str]:
    """Positions of date, region (or None) and count, and the count column's name as written."""
    names = [h.strip().lower() for h in header]
    date_at = next((names.index(n) for n in DATE_NAMES if n in names), None)
    region_at = next((names.index(n) for n in REGION_NAMES if n in names), None)
    count_at = next((names.index(n) for n in COUNT_NAMES if n in names), None)
    if count_at is None:
        others = [i for i, n in enumerate(names) if i not in (date_at, region_at) and n]
        count_at = others[0] if len(others) == 1 else None
    if date_at is None or count_at is None:
        found = ", ".join(repr(h.strip()) for h in header) or "nothing"
        raise UserError(
            f"{file_name}, line {line}: the first line should name the columns, such as 'date,count' or "
            f"'date,region,count' (found {found}). Download the template to see the layout."
        )
    return date_at, region_at, count_at, header[count_at].strip()


def read_simple_counts(data: bytes, file_name: str, *, form: CountsForm) -> list[Incoming]:
    """The sources row and the observations of a plain counts file, for one all-or-nothing ingest.

    Raises ``UserError`` for a file or form that cannot be read, ``InputRejected`` listing every bad cell.

    Example:
        >>> form = CountsForm(dataset="tip line", metric="tips", description="our log", region="TX")
        >>> tables = read_simple_counts(b"date,tips\\n2024-03-01,4\\n", "log.csv", form=form)
        >>> tables[1].frame[["dataset", "region", "metric", "value"]].values.tolist()
        [['tip_line', 'TX', 'tips', '4']]
    """
    lines = [(i, line) for i, line in enumerate(_text(data).splitlines(), start=1) if line.strip()]
    if not lines:
        raise UserError(f"{file_name} is empty. Download the template to see the layout.")
    delimiter = guess_grid_delimiter("\n".join(line for _, line in lines[:40]))
    rows = [(i, next(csv.reader([line], delimiter=delimiter))) for i, line in lines]
    (header_line, header), body = rows[0], rows[1:]
    date_at, region_at, count_at, count_name = _columns(header, file_name, header_line)
    missing = check_form(form, region_in_file=region_at is not None)
    if missing:
        raise UserError(" ".join(missing))
    if not body:
        raise UserError(f"{file_name} has the column names but no counts; add one line per day, such as 2024-03-01,12.")
    if len(body) > MAX_ROWS:
        raise UserError(f"{file_name} has {len(body):,} lines; this form takes at most {MAX_ROWS:,}.")
    problems: list[Problem] = []
    skipped: list[Problem] = []
    seen: dict[tuple[object, str], int] = {}
    shaped: list[tuple[int, dict[str, str]]] = []
    source_id = source_id_for(form)
    for line, fields in body:
        day = _date(_cell(fields, date_at), line, problems)
        count = _count(_cell(fields, count_at), line, problems)
        region = _region(_cell(fields, region_at), line, problems) if region_at is not None else str(form.region)
        if day is None or region is None:
            continue
        if (day, region) in seen:
            where = f" for {region}" if region_at is not None else ""
            problems.append(
                Problem(f"{day}{where} is already on line {seen[day, region]}; keep one line per day", line, "date")
            )
            continue
        seen[day, region] = line
        if np.isnan(count):
            if _cell(fields, count_at) == "":
                skipped.append(Problem(f"{day}: no count given (left out: missing, not zero)", line, count_name))
            continue
        shaped.append(
            (line, {"dataset": code_name(form.dataset), "region": region, "period_start": day.isoformat(),
                    "period_end": day.isoformat(), "metric": code_name(form.metric), "value": str(int(count)),
                    "source_id": source_id})
        )  # fmt: skip
    if problems:
        raise InputRejected(
            file_name=file_name, problems=problems, bad_rows=len({p.line for p in problems}), rows_read=len(body)
        )
    if not shaped:
        raise UserError(f"{file_name} gives no count on any line; fill in at least one count.")
    digest = hashlib.sha256(data).hexdigest()
    detected = {
        "format": "date and count per line" + (" and region" if region_at is not None else ""),
        "delimiter": {",": "comma", ";": "semicolon", "\t": "tab"}.get(delimiter, repr(delimiter)),
        "count column": count_name,
        "region": "from the file's region column" if region_at is not None else str(form.region),
        "days": str(len({d for d, _ in seen})),
    }
    observations = Incoming(
        table="observations",
        file_name=file_name,
        sha256=digest,
        reader="simple_counts",
        detected=detected,
        frame=text_frame(shaped, COLUMNS),
        skipped=skipped,
    )
    return [_source(form, source_id=source_id, file_name=file_name, digest=digest), observations]


def _cell(fields: list[str], at: int | None) -> str:
    return fields[at].strip() if at is not None and at < len(fields) else ""


def _region(raw: str, line: int, problems: list[Problem]) -> str | None:
    code = lookup(raw) if raw else None
    if code is None:
        shown = repr(raw) if raw else "an empty cell"
        problems.append(
            Problem(f"{shown} is not a U.S. state; write a state's name or its code, e.g. TX", line, "region")
        )
    return code


def _source(form: CountsForm, *, source_id: str, file_name: str, digest: str) -> Incoming:
    """The upload's source row; publisher, location, terms (and whose data it is) are kept across re-uploads."""
    row = {
        "source_id": source_id,
        "title": form.description.strip(),
        "retrieved_via": UPLOAD_MARK,
    }
    frame = pd.DataFrame([row], dtype="str")
    frame[LINE] = 1
    return Incoming(
        table="sources",
        file_name=file_name,
        sha256=digest,
        reader="simple_counts",
        detected={"format": "form"},
        frame=frame,
        keep_absent=True,
    )
