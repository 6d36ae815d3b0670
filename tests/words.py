"""What a person reads on a page: every text, label and table cell, and the codes that must not stand there."""

from __future__ import annotations

import re

import pandas as pd
from support import elements

from hotline_trends.vocabulary import DATASETS, METRICS

# a missing value printed as such; "None of ..." is English
NOT_WORDS = re.compile(r"\b(None(?! of\b)|nan|NaN|NaT)\b")
# elements whose text a reader sees; charts (ids allowed on hover) and download buttons (exports) are not read
SKIPPED = {"plotly_chart", "download_button"}
# a widget's value is the option behind the label it shows (e.g. 'nhth:cases'), not text a reader sees
WIDGETS = {"selectbox", "radio", "multiselect", "toggle", "text_input", "checkbox", "number_input", "slider"}
ID_COLUMNS = {"source_id"}  # a key column listing ids beside their publisher (the sources tables)


def codes(sources: pd.DataFrame) -> set[str]:
    """Codes a name belongs in place of: source ids, metric codes with an underscore, dataset codes."""
    return set(sources["source_id"].astype(str)) | {m for m in METRICS if "_" in m} | set(DATASETS)


def page_texts(app) -> list[str]:
    """Every piece of text the page shows (tables cell by cell, without their id columns)."""
    found = []
    for element in elements(app._tree):
        if element.type in SKIPPED:
            continue
        value = getattr(element, "value", None)
        if isinstance(value, pd.DataFrame):
            shown = value.drop(columns=[c for c in value.columns if c in ID_COLUMNS])
            found += [str(c) for c in shown.columns] + [str(v) for v in shown.to_numpy().ravel()]
            continue
        names = ("label", "placeholder") if element.type in WIDGETS else ("label", "body", "value", "placeholder")
        for name in names:
            text = getattr(element, name, None)
            if isinstance(text, str):
                found.append(text)
        options = getattr(element, "options", None)
        if isinstance(options, list):
            found += [str(o) for o in options]
    return found


def wording_problems(texts: list[str], known_codes: set[str]) -> list[str]:
    """Texts showing 'None'/'nan' or a raw code where a name belongs."""
    pattern = re.compile(
        r"(?<![\w:/.-])(" + "|".join(sorted(map(re.escape, known_codes), key=len, reverse=True)) + r")(?![\w-])"
    )
    problems = []
    for text in texts:
        if NOT_WORDS.search(text):
            problems.append(f"'None'/'nan' in: {text[:300]}")
        hit = pattern.search(text)
        if hit:
            problems.append(f"code {hit.group(0)!r} in: {text[:300]}")
    return problems
