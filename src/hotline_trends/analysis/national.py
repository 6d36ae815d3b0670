"""A national trend that keeps two different things apart: the published national figure and the sum of
the states that have a value.

They differ on purpose: hotline signals and cases without a state count in the national total only, and a
sum over states covers only the states with a value that year (FBI participation varies). So the sum
carries how many states it covers, and its per-100,000 rate divides by the population of those states only.
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

from hotline_trends.analysis.rates import PER, latest_vintage

COLUMNS = [
    "year",
    "published",
    "published_source_id",
    "published_reliability",
    "published_rate",
    "states_sum",
    "states_reporting",
    "states_population",
    "states_rate",
    "population_vintage",
]


def national_series(picked: pd.DataFrame, population: pd.DataFrame, *, states: Collection[str]) -> pd.DataFrame:
    """Per year: the published national value (region 'US') and the sum over ``states`` with a value.

    Args:
        picked: one annual value per region and year for one dataset and metric
            (``analysis.pick.pick_most_reliable`` of ``analysis.pick.annual`` rows).
        population: the population table (region, year, population, vintage).
        states: the region codes that make up the nation (the 50 states and DC).

    Returns:
        One row per year with any value; ``published`` is missing where no national figure exists, and
        rates are missing where no population estimate exists. Columns: see ``COLUMNS``.

    Example:
        >>> picked = pd.DataFrame({"region": ["US", "FL", "TX"], "value": [100, 30, 20],
        ...     "period_start": pd.to_datetime(["2016-01-01"] * 3), "source_id": ["n", "s", "s"],
        ...     "reliability": ["high"] * 3})
        >>> pop = pd.DataFrame({"region": ["US", "FL", "TX"], "year": [2016] * 3,
        ...     "population": [1000, 200, 300], "vintage": ["v2019"] * 3})
        >>> row = national_series(picked, pop, states={"FL", "TX", "CA"}).iloc[0]
        >>> int(row["states_sum"]), int(row["states_reporting"]), float(row["states_rate"])
        (50, 2, 10000.0)
    """
    frame = picked.assign(year=pd.to_datetime(picked["period_start"]).dt.year)
    pop = latest_vintage(population)[["region", "year", "population", "vintage"]]
    frame = frame.merge(pop, on=["region", "year"], how="left")
    nation = frame.loc[frame["region"] == "US"].set_index("year")
    in_states = frame.loc[frame["region"].isin(list(states))]
    sums = in_states.groupby("year").agg(
        states_sum=("value", "sum"),
        states_reporting=("region", "nunique"),
        # min_count: a year where some state lacks a population gives no rate rather than a wrong one
        states_population=("population", lambda p: p.sum(min_count=len(p))),
    )
    years = sorted(set(nation.index) | set(sums.index))
    result = pd.DataFrame({"year": years}).set_index("year")
    result["published"] = nation["value"]
    result["published_source_id"] = nation["source_id"]
    result["published_reliability"] = nation["reliability"]
    result["published_rate"] = nation["value"] / nation["population"] * PER
    result = result.join(sums)
    result["states_rate"] = result["states_sum"] / result["states_population"] * PER
    vintages = pop.loc[pop["region"] == "US"].set_index("year")["vintage"]
    result["population_vintage"] = vintages.reindex(result.index)
    result["states_reporting"] = result["states_reporting"].fillna(0).astype("int64")
    return result.reset_index()[COLUMNS]
