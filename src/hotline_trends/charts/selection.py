"""What the overview shows (dataset, metric, year, count or rate) and the one value per region behind it."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from hotline_trends.analysis.pick import annual, pick_most_reliable
from hotline_trends.analysis.rates import add_rates, describe_rates
from hotline_trends.vocabulary import dataset_label, metric_label, unit

HELP_SEEKING = "Hotline counts measure help-seeking (who contacted the hotline), not how much trafficking occurs."
CALLS_SIGNALS = "2012–2016 state figures count calls; from 2017 the hotline counts signals: different measures."
POLICE = (
    "Police counts include only agencies that reported human-trafficking offenses; a missing or low value can "
    "mean low participation, not little trafficking."
)
RATES = "Rates divide by all residents of the state, whatever share of it the reporting agencies cover."
VINTAGES = "Census Vintage 2019 (2012–2019) and Vintage 2024 (2020–2024) differ; the step between them is not growth."


@dataclass(frozen=True)
class Selection:
    """One view of the overview: which series, which year, and counts or rates per 100,000."""

    dataset: str
    metric: str
    year: int
    per_100k: bool = False

    @property
    def column(self) -> str:
        return "rate_per_100k" if self.per_100k else "value"

    @property
    def unit(self) -> str:
        return unit(self.metric, per_100k=self.per_100k)

    @property
    def what(self) -> str:
        """E.g. 'trafficking cases identified by the hotline, 2016 (count)'."""
        measure = "per 100,000 residents" if self.per_100k else "count"
        return f"{metric_label(self.metric)}, {self.year} ({measure})"

    @property
    def slug(self) -> str:
        return f"{self.dataset}-{self.metric}-{self.year}-{'per100k' if self.per_100k else 'count'}"

    def parameters(self) -> dict[str, object]:
        return {
            "dataset": f"{self.dataset} ({dataset_label(self.dataset)})",
            "metric": f"{self.metric} ({metric_label(self.metric)})",
            "year": self.year,
            "measure": "per 100,000 residents" if self.per_100k else "count",
        }

    def caveats(self) -> tuple[str, ...]:
        notes = [HELP_SEEKING, CALLS_SIGNALS] if self.dataset == "nhth" else []
        if self.dataset == "fbi_ucr_ht":
            notes.append(POLICE)
        if self.per_100k:
            notes += [RATES, VINTAGES]
        return tuple(notes)


def year_values(rows: pd.DataFrame, population: pd.DataFrame, *, year: int) -> pd.DataFrame:
    """One annual value per region for ``year``: the most reliable source, with its per-100,000 rate.

    Half-year and monthly rows are left out (they are not comparable with annual values); police-agency
    rows (``ori:...``) are left out too (the state rows and roll-ups say how many agencies reported).
    """
    states_only = rows.loc[~rows["region"].astype("str").str.startswith("ori:")]
    yearly = annual(states_only)
    yearly = yearly.loc[pd.to_datetime(yearly["period_start"]).dt.year == year]
    return add_rates(pick_most_reliable(yearly), population)


def left_out(rows: pd.DataFrame, *, year: int) -> pd.DataFrame:
    """Rows of ``year`` that the map and ranking leave out because they cover only part of the year."""
    states_only = rows.loc[~rows["region"].astype("str").str.startswith("ori:")]
    in_year = states_only.loc[pd.to_datetime(states_only["period_start"]).dt.year == year]
    full = annual(in_year)
    keys = ["region", "period_start", "period_end", "source_id"]
    merged = in_year.merge(full[keys], on=keys, how="left", indicator=True)
    return merged.loc[merged["_merge"] == "left_only"].drop(columns="_merge").reset_index(drop=True)


def processing(values: pd.DataFrame, selection: Selection) -> str:
    """One sentence on how the per-region values were made."""
    text = (
        f"one value per region for {selection.year}: annual figures only (half-year rows left out); where "
        "several sources give a value, the most reliable one"
    )
    if selection.per_100k:
        text += "; " + describe_rates(values)
    return text
