"""Per-100,000 rates from Census population by year, saying which vintage each rate used.

Population estimates come in vintages (2010-based Vintage 2019, 2020-based Vintage 2024); the step
between vintages is not growth, so every rate carries its vintage and the description says so.
"""

from __future__ import annotations

import pandas as pd

PER = 100_000


def latest_vintage(population: pd.DataFrame) -> pd.DataFrame:
    """One population per region and year: the latest vintage that has that year ('v2024' > 'v2019')."""
    ordered = population.sort_values(["region", "year", "vintage"])
    return ordered.drop_duplicates(["region", "year"], keep="last").reset_index(drop=True)


def add_rates(observations: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Add ``population``, ``population_vintage``, ``population_source_id`` and ``rate_per_100k``.

    The population is that of the period's starting year. Regions without an estimate (police agencies,
    territories the Census table lacks, years outside it) get a missing rate, never an invented one.

    Example:
        >>> obs = pd.DataFrame({"region": ["FL"], "period_start": pd.to_datetime(["2024-01-01"]), "value": [832]})
        >>> pop = pd.DataFrame({"region": ["FL"], "year": [2024], "population": [23372215],
        ...                     "vintage": ["v2024"], "source_id": ["census_v2024"]})
        >>> float(round(add_rates(obs, pop).loc[0, "rate_per_100k"], 2))
        3.56
    """
    pop = latest_vintage(population).rename(
        columns={"vintage": "population_vintage", "source_id": "population_source_id"}
    )[["region", "year", "population", "population_vintage", "population_source_id"]]
    frame = observations.assign(year=pd.to_datetime(observations["period_start"]).dt.year)
    merged = frame.merge(pop, on=["region", "year"], how="left", validate="many_to_one")
    merged["rate_per_100k"] = merged["value"] / merged["population"] * PER
    return merged.drop(columns="year")


def describe_rates(rated: pd.DataFrame) -> str:
    """One sentence on how the rates were made, naming every vintage used and the break between them.

    Example:
        >>> describe_rates(pd.DataFrame({"population_vintage": ["v2019", "v2024"],
        ...                              "period_start": pd.to_datetime(["2019-01-01", "2020-01-01"])}))
        'per 100,000 residents (Census July 1 estimates: vintage 2019 for 2019, vintage 2024 for 2020; the step between vintages is not growth)'
    """
    used = rated.dropna(subset=["population_vintage"])
    if used.empty:
        return "per 100,000 residents (no population estimate for these regions and years)"
    years = pd.to_datetime(used["period_start"]).dt.year
    parts = []
    for vintage, group in years.groupby(used["population_vintage"]):
        low, high = int(group.min()), int(group.max())
        span = f"{low}" if low == high else f"{low}–{high}"
        parts.append(f"vintage {str(vintage).lstrip('v')} for {span}")
    text = "per 100,000 residents (Census July 1 estimates: " + ", ".join(parts)
    if len(parts) > 1:
        text += "; the step between vintages is not growth"
    return text + ")"
