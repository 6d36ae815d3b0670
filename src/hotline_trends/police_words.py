"""What police-recorded counts measure, in the words every chart, export and verdict on them carries.

A police count is a record of police work: an operation or a sting is a burst of arrests or reports on a
few days, and a quiet month can mean officers were busy elsewhere. Prostitution counts are almost entirely
made by enforcement (there is rarely a complainant), so they say most about police activity. The sentences
live in ``analysis.describe`` (results and the CLI carry them too); this module hands them to charts and pages.

Example:
    >>> is_police("police_incidents"), is_police("fbi_ucr_ht"), is_police("nhth"), is_police("tips", "ori:CA03801")
    (True, True, False, True)
    >>> police_caveat("nhth")
    ''
    >>> police_caveat("police_incidents", "prostitution").startswith("Police-recorded counts measure enforcement")
    True
"""

from __future__ import annotations

from hotline_trends.analysis import describe
from hotline_trends.analysis.describe import ENFORCEMENT, POLICE_DATASETS, PROSTITUTION, police_caveat, police_sentences

__all__ = [
    "COLUMN",
    "ENFORCEMENT",
    "POLICE_DATASETS",
    "PROSTITUTION",
    "is_police",
    "police_caveat",
    "police_sentences",
    "series_caveat",
]

COLUMN = "what_it_measures"  # the column a police chart's CSV export carries the caveat in


def is_police(dataset: str, region: str = "") -> bool:
    """True for police-recorded series (see ``describe.is_police``), asked by dataset and place."""
    return describe.is_police(dataset, region=region)


def series_caveat(series: list[tuple[str, str, str]] | set[tuple[str, str, str]]) -> str:
    """One caveat for a chart of several (dataset, metric, region) series: the strongest that applies, or ''."""
    texts = {police_caveat(d, m, r) for d, m, r in series} - {""}
    return max(texts, key=len) if texts else ""
