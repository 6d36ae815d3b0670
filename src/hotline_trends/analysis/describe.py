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
ENFORCEMENT = (
    "Police-recorded counts measure enforcement (operations, stings, staffing) and reporting, not how much "
    "trafficking or prostitution occurs: a rise around an event can be a police operation ahead of it."
)
PROSTITUTION = (
    "Prostitution counts most of all: they are almost entirely police-initiated (arrests and citations from "
    "operations), so they follow enforcement, not prevalence."
)
NO_CONTROLS = (
    "No other place has this series at these dates, so there are no controls and no space placebos: the verdict "
    "rests on the model and on the host's own other windows of the event's length (in-time placebos)."
)
CONTROLS = "Controls are other regions; an effect of the event that also reached them would be hidden by the DiD."


def is_police(dataset: str, metric: str = "") -> bool:
    """Whether a series is police-recorded: an FBI dataset, a police dataset name, or a police metric.

    Example:
        >>> is_police("police_incidents", "prostitution"), is_police("fbi_ucr_ht"), is_police("nhth", "cases")
        (True, True, False)
    """
    name = dataset.lower()
    if name.startswith("fbi") or any(w in name for w in ("police", "nibrs", "ucr", "arrest")):
        return True
    return METRICS.get(metric, "").startswith("police")


def dataset_caveats(dataset: str, metric: str = "") -> list[str]:
    """Caveats every result on this dataset (and metric) carries: what the counts measure first."""
    if dataset == "nhth":
        return [HELP_SEEKING, POLARIS_STATEMENT]
    out = []
    if is_police(dataset, metric):
        out.append(ENFORCEMENT)
        if "prostitution" in metric.lower():
            out.append(PROSTITUTION)
    if dataset.startswith("fbi"):
        out.append(POLICE)
    return out


def caveats(panel: Panel, host: str, *, extra: list[str] | None = None) -> list[str]:
    """Dataset caveats, how the host's series was made (agency sums), rows left out, then ``extra``."""
    out = dataset_caveats(panel.dataset, panel.metric)
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
