"""The words that travel with every result: caveats, how the numbers were made, which sources were used."""

from __future__ import annotations

from hotline_trends.analysis.panel import Panel
from hotline_trends.vocabulary import METRICS

HELP_SEEKING = (
    "Hotline counts measure help-seeking (who contacted the hotline, which depends on awareness and "
    "promotion), not how much trafficking occurs."
)
POLARIS_STATEMENT = (
    "The data displayed in this report was generated based on limited criteria from calls received by the "
    "National Human Trafficking Resource Center (NHTRC) hotline. This is not a comprehensive report on the "
    "scale or scope of human trafficking on a state or national level. These statistics may be subject to change."
)
POLICE = (
    "Police counts depend on which agencies reported human-trafficking offenses; a zero or a missing month can "
    "mean low participation, not no trafficking."
)
BASELINE = (
    "A baseline is a model of the host's own past counts; anything else that changed in the window (a campaign, "
    "a reporting change) would look like an effect of the event."
)
# What police-recorded counts measure: the one wording of it, shared by results, the CLI, charts, exports
# and pages (``hotline_trends.police_words`` re-exports it for charts and pages).
ENFORCEMENT = (
    "Police-recorded counts measure enforcement (operations, stings) and reporting, not how much trafficking "
    "or prostitution occurs: a burst can be one operation, and a rise can mean more policing, such as an "
    "operation ahead of an event."
)
PROSTITUTION = (
    "Prostitution counts most of all: nearly every one comes from police initiative, so they track where and "
    "when police looked."
)
POLICE_DATASETS = frozenset({"police_incidents", "fbi_ucr_ht", "fbi_nibrs"})
NO_CONTROLS = (
    "No other place has this series at these dates, so there are no controls and no space placebos: the verdict "
    "rests on the model and on the host's own other windows of the event's length (in-time placebos)."
)
CONTROLS = "Controls are other regions; an effect of the event that also reached them would be hidden by the DiD."


def is_police(dataset: str, metric: str = "", region: str = "") -> bool:
    """Whether a series is police-recorded: a police or FBI dataset, a police metric, or any series of a
    police agency (region ``ori:...``, e.g. an incident list a user uploaded).

    Example:
        >>> is_police("police_incidents", "prostitution"), is_police("fbi_ucr_ht"), is_police("nhth", "cases")
        (True, True, False)
        >>> is_police("tips", region="ori:CA03801")
        True
    """
    name = str(dataset or "").lower()
    if str(region or "").startswith("ori:") or name in POLICE_DATASETS:
        return True
    if name.startswith("fbi") or any(w in name for w in ("police", "nibrs", "ucr", "arrest")):
        return True
    return METRICS.get(str(metric or ""), "").startswith("police")


def police_sentences(dataset: str, metric: str = "", region: str = "") -> list[str]:
    """What a police series' counts measure (none for any other series); prostitution gets a second one."""
    if not is_police(dataset, metric, region):
        return []
    return [ENFORCEMENT, PROSTITUTION] if "prostitution" in str(metric or "").lower() else [ENFORCEMENT]


def police_caveat(dataset: str, metric: str = "", region: str = "") -> str:
    """:func:`police_sentences` as one text ('' for a series that is not police-recorded).

    Example:
        >>> police_caveat("nhth", "cases")
        ''
        >>> police_caveat("police_incidents", "prostitution") == f"{ENFORCEMENT} {PROSTITUTION}"
        True
    """
    return " ".join(police_sentences(dataset, metric, region))


def dataset_caveats(dataset: str, metric: str = "", region: str = "") -> list[str]:
    """Caveats every result on this dataset (and metric, and place) carries: what the counts measure first."""
    if dataset == "nhth":
        return [HELP_SEEKING, POLARIS_STATEMENT]
    out = police_sentences(dataset, metric, region)
    if dataset.startswith("fbi"):
        out.append(POLICE)
    return out


def caveats(panel: Panel, host: str, *, extra: list[str] | None = None) -> list[str]:
    """Dataset caveats, how the host's series was made (agency sums), rows left out, then ``extra``."""
    out = dataset_caveats(panel.dataset, panel.metric, host)
    if host in panel.place_notes:
        out.append(panel.place_notes[host])
    out += panel.notes
    out += extra or []
    return list(dict.fromkeys(out))


def processing(panel: Panel, *, family: str, terms: str, n_fit: int, rates: bool) -> str:
    """One sentence: how the series and the expected counts were made."""
    offset = ", with log population as an offset (per-100,000 rates)" if rates else ""
    return (
        f"{panel.processing}; expected counts from a {family} model of the host's own {panel.kind} history "
        f"({terms}{offset}) fitted on {n_fit} periods outside the event window; interval, p-value (two-sided "
        "mid-p) and minimum detectable effect from its predictive distribution (count noise and parameter "
        "uncertainty, widened where a model check failed); the event ranked among the host's own other windows "
        "of its length, each tested the same way"
    )


def sources(panel: Panel, regions: list[str], *, extra: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Source ids of the values used for these regions, plus ``extra`` (event, population)."""
    found = {s for r in regions for s in panel.sources.get(r, [])}
    return sorted(found | {s for s in extra if s})
