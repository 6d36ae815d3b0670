"""Words for datasets and metrics, so every chart and table names what a number counts and in what unit.

The meanings follow data/README.md ("Metric vocabulary"). A dataset or metric the store gained from a user
file has no entry here and is shown by its own name: a label is never guessed.
"""

from __future__ import annotations

DATASETS = {
    "nhth": "National Human Trafficking Hotline (Polaris)",
    "fbi_ucr_ht": "FBI UCR human-trafficking offenses",
    "police_incidents": "City police incident reports (open-data portals)",
    "fbi_nibrs": "FBI NIBRS incidents per agency and day",
}

# the same datasets named short enough for a choice box (a box cannot wrap: a long name is cut off at 1024 px)
SHORT_DATASETS = {
    "nhth": "Hotline (Polaris)",
    "fbi_ucr_ht": "FBI UCR",
    "police_incidents": "City police",
    "fbi_nibrs": "FBI NIBRS",
}

# metric -> what one unit of it is
METRICS = {
    "calls": "hotline phone calls",
    "signals": "hotline signals (calls, texts, chats, webforms, emails)",
    "contacts": "hotline contacts (the source's word; close to signals)",
    "cases": "trafficking cases identified by the hotline",
    "victims": "victims in hotline-identified cases",
    "cases_sex": "hotline cases: sex trafficking only",
    "cases_labor": "hotline cases: labor trafficking only",
    "cases_sex_and_labor": "hotline cases: sex and labor trafficking",
    "cases_not_specified": "hotline cases: type not specified",
    "signals_from_victims_survivors": "hotline signals from victims or survivors",
    "actual_csa": "police: actual offenses, commercial sex acts",
    "actual_is": "police: actual offenses, involuntary servitude",
    "actual_total": "police: actual offenses (commercial sex + involuntary servitude)",
    "cleared_total": "police: offenses cleared",
    "offenses_csa": "police (published table): offenses, commercial sex acts",
    "offenses_is": "police (published table): offenses, involuntary servitude",
    "offenses_total": "police (published table): offenses, total",
    "prostitution": "police incident reports: prostitution",
    "ht_commercial_sex": "police incident reports: human trafficking, commercial sex acts",
    "ht_involuntary_servitude": "police incident reports: human trafficking, involuntary servitude",
    "ht_total": "police crime reports: human trafficking (all kinds)",
    "assisting_prostitution": "police incident reports: assisting or promoting prostitution",
    "purchasing_prostitution": "police incident reports: purchasing prostitution",
}

# metrics whose code is already a plain word: axis units keep the short word ("cases per 100,000 residents")
WORD_METRICS = {"calls", "signals", "contacts", "cases", "victims"}

PERIOD_WORDS = {
    "day": "per day",
    "year": "per year",
    "half-year": "per half-year",
    "month": "per month",
    "week": "per week",
}


def dataset_label(dataset: str) -> str:
    """Readable name of a dataset, or its code when the project does not know it.

    Example:
        >>> dataset_label("nhth"), dataset_label("my_tipline")
        ('National Human Trafficking Hotline (Polaris)', 'my_tipline')
    """
    return DATASETS.get(dataset, dataset)


def series_label(dataset: str, metric: str) -> str:
    """A dataset and metric named short enough for a choice box; the charts keep the full names.

    Example:
        >>> series_label("nhth", "cases")
        'Hotline (Polaris): trafficking cases identified by the hotline'
    """
    return f"{SHORT_DATASETS.get(dataset, dataset)}: {metric_label(metric)}"


def metric_label(metric: str) -> str:
    """What one unit of a metric is, or the metric's code when unknown."""
    return METRICS.get(metric, metric)


def unit(metric: str, *, per_100k: bool = False, period: str = "year") -> str:
    """Axis unit for a metric: what is counted, per what population and per what period.

    Example:
        >>> unit("cases", per_100k=True)
        'cases per 100,000 residents, per year'
        >>> unit("actual_total", period="month")
        'police: actual offenses (commercial sex + involuntary servitude), count per month'
    """
    when = PERIOD_WORDS.get(period, f"per {period}")
    name = metric if metric in WORD_METRICS else metric_label(metric)
    return f"{name} per 100,000 residents, {when}" if per_100k else f"{name}, count {when}"


# sources.retrieved_via of a file added through the Data page's counts form: its series are the user's own,
# and every chart says so ("your upload: <description>") instead of a publisher.
UPLOAD_MARK = "your upload (Data page form)"


def upload_label(description: object, publisher: object = None) -> str:
    """How charts name a series the user uploaded, e.g. 'your upload: Houston tip line log, 2024'.

    Example:
        >>> upload_label("tip line log", "Houston HTRT")
        'your upload: tip line log (Houston HTRT)'
    """
    text = f"your upload: {description if isinstance(description, str) and description else 'no description'}"
    return f"{text} ({publisher})" if isinstance(publisher, str) and publisher else text
