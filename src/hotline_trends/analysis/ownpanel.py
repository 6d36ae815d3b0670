"""Agency series of any period kind, as stored: a city police department's daily counts, a monthly file.

The FBI master file gives agency months, summed per place in ``agencypanel``. Other sources store a
series under the agency itself (``ori:CA03801``, San Francisco police incident rows per day) at whatever
period they publish. ``own_panel`` makes a panel for a host made of such agencies: the finest period kind
its members have, on a grid from their first to their last period. A host of several agencies counts a
period only when every one of its agencies with this series reported it (else the period is missing), so
a change in who reported cannot look like a change in counts. Every other agency with a series of the
same kind is a row of its own (controls, space placebos).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hotline_trends.analysis.panel import Panel, grid, kinds_of, one_value_per_period
from hotline_trends.analysis.verdict import frequency_word

FINEST_FIRST = ("day", "week", "month", "quarter", "half-year", "year")


def agency_label(agencies: pd.DataFrame, region: str) -> str:
    """'San Francisco Police Department (CA03801)' for 'ori:CA03801' (the code itself if unknown)."""
    found = agencies.loc[agencies["ori"] == region[4:], "agency_name"]
    return f"{found.iloc[0]} ({region[4:]})" if not found.empty else region


def own_panel(
    rows: pd.DataFrame,
    *,
    host: str,
    members: list[str],
    label: str,
    agencies: pd.DataFrame,
    dataset: str,
    metric: str,
) -> Panel | None:
    """The host's agencies' own series beside every other agency's series of the same kind.

    Args:
        rows: the rows of one dataset and metric (any regions, any period kinds).
        host: the panel's code for the host (an 'ori:' code, or 'place:...' for a city's agencies).
        members: the host's agencies ('ori:...').
        label: the host in words.
        agencies: the agencies table (labels of the other rows).

    Returns None when no member has a row of a regular period kind.
    """
    agency = rows["region"].astype(str).str.startswith("ori:").to_numpy()
    rows = rows.loc[agency]
    kinds = kinds_of(rows) if not rows.empty else pd.Series([], dtype=str)
    mine = rows["region"].isin(members).to_numpy()
    present = set(kinds[mine].astype(str))
    kind = next((k for k in FINEST_FIRST if k in present), None)
    if kind is None:
        return None
    same = rows.loc[(kinds == kind).to_numpy()]
    same, dup_notes = one_value_per_period(same)
    host_rows = same[same["region"].isin(members)]
    periods = grid(host_rows["period_start"].min(), host_rows["period_start"].max(), kind)
    starts = periods["period_start"].to_numpy()
    same = same[same["period_start"].isin(periods["period_start"])]
    col = np.searchsorted(starts, same["period_start"].to_numpy())
    reporting_members = sorted(set(host_rows["region"]))
    others = sorted(set(same["region"]) - set(members))
    regions = [host, *others]
    values = np.full((len(regions), len(periods)), np.nan)
    reporting = np.zeros((len(regions), len(periods)))
    value = same["value"].to_numpy(dtype=float)
    in_host = same["region"].isin(members).to_numpy()
    sums = np.bincount(col[in_host], weights=value[in_host], minlength=len(periods))
    counts = np.bincount(col[in_host], minlength=len(periods))
    values[0] = np.where(counts == len(reporting_members), sums, np.nan)
    reporting[0] = counts
    index = {r: i for i, r in enumerate(regions)}
    other_rows = same[~in_host]
    at = other_rows["region"].map(index).to_numpy(dtype=np.intp)
    values[at, col[~in_host]] = value[~in_host]
    reporting[at, col[~in_host]] = 1.0
    sources = {(host if r in members else r): sorted(set(g)) for r, g in same.groupby("region")["source_id"]}
    if len(reporting_members) > 1:
        merged: set[str] = set()
        for r in reporting_members:
            merged |= set(sources.pop(r, []))
        sources[host] = sorted(merged)
    summed = (
        f", summed over its {len(reporting_members)} agencies with this series (a {kind} counts only when every "
        "one of them reported it)"
        if len(reporting_members) > 1
        else ""
    )
    processing = f"{dataset} {metric} as recorded by {label}, one value per {kind}{summed}"
    missing = int(np.isnan(values[0]).sum())
    first, last = periods["period_start"].iloc[0].date(), periods["period_end"].iloc[-1].date()
    gaps = f", {missing} {kind}(s) missing (no value, not zero)" if missing else ", none missing"
    note = f"{label}: {len(periods) - missing} {frequency_word(kind)} values {first}..{last}{gaps}"
    labels = {host: label, **{r: agency_label(agencies, r) for r in others}}
    return Panel(
        dataset=dataset,
        metric=metric,
        kind=kind,
        periods=periods,
        regions=regions,
        values=values,
        sources=sources,
        processing=processing,
        notes=dup_notes,
        agencies_reporting=reporting,
        level="agency",
        labels=labels,
        place_notes={host: note},
    )


def series_places(rows: pd.DataFrame, agencies: pd.DataFrame, *, state: str | None = None) -> pd.DataFrame:
    """The agencies with a series in ``rows`` (one dataset and metric): where a stand-in can come from.

    Columns: region ('ori:...'), label, state, county (as the agencies table lists it), kind (the finest
    period kind it has), first, last (period starts), periods. Only ``state``'s agencies when given.
    """
    columns = ["region", "label", "state", "county", "kind", "first", "last", "periods"]
    table = agencies.assign(region="ori:" + agencies["ori"].astype(str)).drop_duplicates("region")
    if state is not None:
        table = table[table["state"] == state]
    agency_rows = rows.loc[rows["region"].isin(table["region"]).to_numpy()]
    if agency_rows.empty:
        return pd.DataFrame(columns=columns)
    rank = kinds_of(agency_rows).astype(str).map({k: i for i, k in enumerate(FINEST_FIRST)})
    found = agency_rows[["region", "period_start"]].assign(rank=rank.to_numpy()).dropna(subset=["rank"])
    finest = found.groupby("region")["rank"].transform("min")
    found = found[found["rank"].to_numpy() == finest.to_numpy()]
    summary = found.groupby("region", sort=True).agg(
        rank=("rank", "first"), first=("period_start", "min"), last=("period_start", "max"),
        periods=("period_start", "nunique"),
    )  # fmt: skip
    out = summary.reset_index().merge(table, on="region", how="left", validate="one_to_one")
    return pd.DataFrame({
        "region": out["region"],
        "label": out["agency_name"].astype(str) + " (" + out["region"].str[4:] + ")",
        "state": out["state"].astype(str),
        "county": out["county"].fillna("").astype(str),
        "kind": [FINEST_FIRST[int(r)] for r in out["rank"]],
        "first": out["first"],
        "last": out["last"],
        "periods": out["periods"].astype(int),
    }, columns=columns)  # fmt: skip
