"""Names, not codes: text and tables as a person reads them (publishers for source ids, labels for metric and
dataset codes, '–' for a missing value)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from urllib.parse import urlparse

import pandas as pd

from hotline_trends.vocabulary import DATASETS, METRICS, dataset_label, metric_label

MISSING = "–"
# a code is lower-case words joined by underscores (nhth_mo4ant_2024, actual_csa), or a known dataset code
_TOKEN = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


def code_names(sources: pd.DataFrame) -> dict[str, str]:
    """Every code a page might print -> the name a reader should see instead."""
    names = {code: metric_label(code) for code in METRICS if "_" in code}
    names |= {code: dataset_label(code) for code in DATASETS}
    known = sources.loc[sources["publisher"].notna()]
    where = known["location"] if "location" in known else pd.Series("", index=known.index)
    names |= {
        str(s): source_name(str(p), w) for s, p, w in zip(known["source_id"], known["publisher"], where, strict=True)
    }
    return names


def source_name(publisher: str, location: object) -> str:
    """A source as a reader cites it: its publisher, and the site that carried the figures when it is known.

    Example:
        >>> source_name("Polaris", "https://www.example.org/a"), source_name("Polaris", "github:me/repo/x.csv")
        ('Polaris (via example.org)', 'Polaris (via GitHub me/repo)')
    """
    text = str(location) if isinstance(location, str) else ""
    if text.startswith("github:"):
        return f"{publisher} (via GitHub {'/'.join(text.removeprefix('github:').split('/')[:2])})"
    host = urlparse(text).netloc.removeprefix("www.") if text.startswith(("http://", "https://")) else ""
    return f"{publisher} (via {host})" if host else publisher


def named(text: str, names: Mapping[str, str]) -> str:
    """``text`` with every code in ``names`` replaced by its name (unknown codes are left as they are).

    Example:
        >>> named("used 96 from nhth_x_1 (best), not actual_csa; nhth", {"nhth_x_1": "Polaris", "actual_csa": "police", "nhth": "hotline"})
        'used 96 from Polaris (best), not police; hotline'
    """
    text = _TOKEN.sub(lambda m: names.get(m.group(0), m.group(0)), text)
    plain = [code for code in names if "_" not in code]
    if plain:
        text = re.sub(r"\b(" + "|".join(map(re.escape, plain)) + r")\b", lambda m: names[m.group(0)], text)
    return text


def cell(value: object, fmt: Callable[[object], str] | None = None) -> str:
    """One table cell as text: '–' when missing (None, NaN, NaT, ''), else ``fmt(value)`` or ``str(value)``.

    Example:
        >>> cell(None), cell(float("nan")), cell(0.1234, "{:.2f}".format), cell("ok")
        ('–', '–', '0.12', 'ok')
    """
    if value is None or value is pd.NaT or value is pd.NA:
        return MISSING
    if isinstance(value, float) and not math.isfinite(value):
        return MISSING
    if isinstance(value, str) and not value.strip():
        return MISSING
    return fmt(value) if fmt else str(value)


def readable(frame: pd.DataFrame, formats: Mapping[str, Callable[[object], str]] | None = None) -> pd.DataFrame:
    """Every cell as text for a table a person reads (``st.table`` wraps it); nothing shows 'None' or 'nan'.

    Example:
        >>> readable(pd.DataFrame({"p": [0.01, None], "who": ["a", None]}), {"p": "{:.3f}".format}).values.tolist()
        [['0.010', 'a'], ['–', '–']]
    """
    formats = formats or {}
    return pd.DataFrame({c: [cell(v, formats.get(c)) for v in frame[c]] for c in frame.columns}, index=frame.index)


def page_names() -> dict[str, str]:
    """The store's codes and their names (sources as the store holds them now)."""
    from hotline_trends.pages.common import loaded

    return code_names(loaded("sources"))


def says(text: str) -> str:
    """Text for a page: codes named, Markdown and HTML made inert."""
    from hotline_trends.safe_text import inert

    return inert(named(str(text), page_names()))
