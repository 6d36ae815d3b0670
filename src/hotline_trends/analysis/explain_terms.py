"""One-line definitions of the statistical words the Event pages use, for readers who are not statisticians."""

from __future__ import annotations

TERMS = {
    "observed / expected": "The count that was published divided by the count the host's own history predicts; "
    "1.00 means exactly as expected, 1.50 means half again as many.",
    "95% interval": "The range the count (or ratio) would fall in 95 times out of 100 if nothing unusual happened; "
    "values outside it are surprising.",
    "p-value": "How often a difference at least this large would turn up by chance alone if nothing had happened; "
    "small (below 0.05) means rarely.",
    "mid-p": "A p-value for counts that gives half weight to the observed count itself, so it is neither too strict "
    "nor too lenient with whole numbers.",
    "α (alpha)": "The line a p-value must fall below to be called significant; here 0.05 (one chance in 20).",
    "smallest detectable change": "The smallest rise the test would catch 8 times out of 10 (80% power at α = 0.05); "
    "smaller rises could be real and still go unseen.",
    "difference in differences": "The host's change from the year before divided by the same change in control "
    "regions: it asks whether the host moved more than places without the event.",
    "placebo": "The same test run where nothing happened (the host's other windows, or other regions on the event's "
    "dates), to see how often 'unusual' turns up anyway.",
    "in-time placebos": "The host's own other windows of the same length (other weeks, months or years): the "
    "comparison the verdict rests on.",
    "placebo rank": "Where the event falls when it and its placebos are sorted from most to least unusual; "
    "rank 1 of 20 is the most unusual, which chance alone gives 1 time in 20.",
    "empirical p": "The placebo rank as a probability: rank divided by the number of windows ranked.",
    "dispersion": "How much more the counts vary than pure chance would make them vary; when it is large the "
    "intervals are widened.",
    "autocorrelation": "Neighbouring periods moving together (a busy month followed by another); it makes "
    "chance look like a trend, so intervals are widened when found.",
    "q-value": "A p-value adjusted for testing many events at once: the share of 'significant' results at this "
    "line that would be flukes.",
    "Benjamini–Hochberg": "The usual way to compute q-values: sort the p-values and scale each by how many tests "
    "were run over its rank.",
    "pooled": "All events of a type added together (observed and expected), so small effects can add up to one "
    "that can be detected.",
}

EVENT_TERMS = (
    "observed / expected",
    "95% interval",
    "p-value",
    "mid-p",
    "α (alpha)",
    "smallest detectable change",
    "difference in differences",
    "placebo",
    "in-time placebos",
    "placebo rank",
    "empirical p",
    "dispersion",
    "autocorrelation",
)
STUDY_TERMS = (*EVENT_TERMS, "q-value", "Benjamini–Hochberg", "pooled")


def glossary(names: tuple[str, ...]) -> dict[str, str]:
    """The definitions of ``names``, in that order.

    Example:
        >>> list(glossary(("q-value", "mid-p")))
        ['q-value', 'mid-p']
    """
    return {name: TERMS[name] for name in names}
