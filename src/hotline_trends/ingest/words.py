"""Words readers share: years in headings, hotline metric names, cells that hold no count.

Example:
    >>> heading_year("Signals and cases by State in 2024"), heading_year("Since 2007"), heading_year("Texas")
    (2024, 'all-time', None)
"""

from __future__ import annotations

import re
from typing import Literal

YEAR_RE = re.compile(r"(?<![\d-])((?:19|20)\d{2})(?![\d-])")
ALL_TIME_RE = re.compile(
    r"\bsince\b|\ball[- ]time\b|\bto date\b|\bcumulative\b|\bin total\b|\btotal since\b|(?:19|20)\d{2}\s*[-–—]\s*(?:19|20)?\d{2}",
    re.IGNORECASE,
)
# The hotline's column and sentence words -> the nhth metric vocabulary (data/README.md).
HOTLINE_METRICS = {"signal": "signals", "call": "calls", "case": "cases", "victim": "victims"}
# Cells that say "no count here": suppressed (< 3), not applicable, missing. No row is not a zero.
NO_COUNT = {"", "-", "--", "—", "–", "n/a", "na", "*", "**", "<3", "< 3", "x", "(x)", "…", "...", "null", "none"}


def heading_year(text: str) -> int | Literal["all-time"] | None:
    """The one year a heading is about, 'all-time' for cumulative/multi-year headings, else None."""
    if ALL_TIME_RE.search(text):
        return "all-time"
    years = set(YEAR_RE.findall(text))
    return int(years.pop()) if len(years) == 1 else None


def hotline_metric(header: str) -> str | None:
    """'Signals received' -> 'signals', 'Cases identified' -> 'cases'; None for '% of total ...' and others.

    Example:
        >>> [hotline_metric(h) for h in ["Signals received", "% of total signals", "Victims identified", "State"]]
        ['signals', None, 'victims', None]
    """
    text = header.lower()
    if "%" in text or "percent" in text or "share" in text or "rank" in text:
        return None
    words = re.findall(r"[a-z]+", text)
    for word, metric in HOTLINE_METRICS.items():
        if word in words or word + "s" in words:
            return metric
    return None


def is_percent_header(header: str) -> bool:
    text = header.lower()
    return "%" in text or "percent" in text or "share of" in text


def no_count(cell: str) -> bool:
    """True for an empty or suppressed cell ('', '-', 'n/a', '<3', ...)."""
    return cell.strip().lower() in NO_COUNT


def year_period(year: int) -> tuple[str, str]:
    """('2024-01-01', '2024-12-31')."""
    return f"{year}-01-01", f"{year}-12-31"
