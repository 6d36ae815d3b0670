"""What police-recorded counts measure, in the words every chart, export and verdict on them carries.

A police count is a record of police work: an operation or a sting is a burst of arrests or reports on a
few days, and a quiet month can mean officers were busy elsewhere. Prostitution counts are almost entirely
made by enforcement (there is rarely a complainant), so they say most about police activity. No plotly or
streamlit here: the CLI, charts and pages share these words.

Example:
    >>> is_police("police_incidents"), is_police("fbi_ucr_ht"), is_police("nhth"), is_police("tips", "ori:CA03801")
    (True, True, False, True)
    >>> police_caveat("nhth")
    ''
    >>> police_caveat("police_incidents", "prostitution").startswith("Police-recorded counts measure enforcement")
    True
"""

from __future__ import annotations

POLICE_DATASETS = frozenset({"police_incidents", "fbi_ucr_ht", "fbi_nibrs"})
ENFORCEMENT = (
    "Police-recorded counts measure enforcement (operations, stings) and reporting, not how much trafficking "
    "or prostitution occurs: a burst can be one operation, and a rise can mean more policing."
)
PROSTITUTION = (
    "Prostitution counts most of all: nearly every one comes from police initiative, so they track where and "
    "when police looked."
)
COLUMN = "what_it_measures"  # the column a police chart's CSV export carries the caveat in


def is_police(dataset: str, region: str = "") -> bool:
    """True for police-recorded series: the bundled police datasets, any FBI one, any named after police,
    and any series of a police agency (region ``ori:...``, e.g. an incident list a user uploaded)."""
    name = str(dataset or "").lower()
    agency = str(region or "").startswith("ori:")
    return agency or name in POLICE_DATASETS or name.startswith("fbi") or "police" in name


def police_caveat(dataset: str, metric: str = "", region: str = "") -> str:
    """The sentence(s) a police series carries ('' for any other); prostitution gets a second one."""
    if not is_police(dataset, region):
        return ""
    return f"{ENFORCEMENT} {PROSTITUTION}" if "prostitution" in str(metric or "").lower() else ENFORCEMENT


def series_caveat(series: list[tuple[str, str, str]] | set[tuple[str, str, str]]) -> str:
    """One caveat for a chart of several (dataset, metric, region) series: the strongest that applies, or ''."""
    texts = {police_caveat(d, m, r) for d, m, r in series} - {""}
    return max(texts, key=len) if texts else ""
