"""Police-agency months summed per place, from the agencies that reported every month.

Agencies send reports for some months and not others, and a month an agency did not report is missing,
not zero. Summing whoever reported would make a month with fewer reporters look like a drop, so a place's
series is the sum over the agencies that reported every month of the stretch analysed (a contiguous run
of months with agency data: the bundled master file has 2013 and 2015, not 2014). Agencies that reported
only some months are left out and counted, and every sum carries ``agencies_reporting``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hotline_trends.analysis.panel import Panel, grid, kinds_of
from hotline_trends.analysis.rollup import agency_places, rollup_places


def agency_rows(observations: pd.DataFrame, *, dataset: str, metric: str) -> pd.DataFrame:
    """Monthly agency rows ('ori:...') of one dataset and metric."""
    rows = observations[
        (observations["dataset"] == dataset)
        & (observations["metric"] == metric)
        & observations["region"].astype(str).str.startswith("ori:")
    ]
    return rows[kinds_of(rows) == "month"] if not rows.empty else rows


def stretch(rows: pd.DataFrame, around: pd.Timestamp) -> pd.DataFrame | None:
    """The contiguous run of months with any agency data that contains ``around``, as a period grid."""
    months = pd.DatetimeIndex(sorted(rows["period_start"].unique()))
    if months.empty:
        return None
    target = around.to_period("M").to_timestamp()
    if target not in months:
        return None
    position = months.get_loc(target)
    gaps = np.flatnonzero(np.diff(months.to_period("M").astype(int)) > 1)
    first = months[gaps[gaps < position].max() + 1] if (gaps < position).any() else months[0]
    last = months[gaps[gaps >= position].min()] if (gaps >= position).any() else months[-1]
    return grid(first, last, "month")


def state_places(agencies: pd.DataFrame) -> dict[str, list[str]]:
    """Each state's agencies as observation regions ('ori:...')."""
    places = agency_places(agencies)
    return {str(s): g["region"].tolist() for s, g in places.groupby("state", sort=True)}


def state_members(agencies: pd.DataFrame, state: str) -> list[str]:
    """One state's agencies as observation regions ('ori:...'), as in ``state_places``."""
    return ("ori:" + agencies.loc[agencies["state"] == state, "ori"].astype(str)).tolist()


def panel_from_agencies(
    rows: pd.DataFrame,
    *,
    places: dict[str, list[str]],
    periods: pd.DataFrame,
    dataset: str,
    metric: str,
    labels: dict[str, str] | None = None,
) -> Panel:
    """Sum the agencies of each place that reported every month of ``periods``.

    Args:
        rows: monthly agency rows (see ``agency_rows``).
        places: place code -> its agencies' regions ('ori:...').
        periods: the months to cover (see ``stretch``).
    """
    starts = periods["period_start"].to_numpy()
    inside = rows[rows["period_start"].isin(periods["period_start"])]
    months_reported = inside.groupby("region")["period_start"].nunique()
    complete = set(months_reported[months_reported == len(periods)].index)
    sums = rollup_places(inside[inside["region"].isin(complete)], places)
    values = np.full((len(places), len(periods)), np.nan)
    reporting = np.zeros((len(places), len(periods)))
    index = {place: i for i, place in enumerate(places)}
    # int indices even when no agency reported every month (an empty ``sums`` has no integer dtype to give)
    cols = np.searchsorted(starts, sums["period_start"].to_numpy()).astype(np.intp)
    rows_at = sums["region"].map(index).to_numpy(dtype=np.intp)
    values[rows_at, cols] = sums["value"].to_numpy(dtype=float)
    reporting[rows_at, cols] = sums["agencies_reporting"].to_numpy(dtype=float)
    sources = {
        place: sorted({s for joined in group for s in joined.split(";")})
        for place, group in sums.groupby("region")["source_ids"]
    }
    notes = []
    for place, members in places.items():
        member_rows = inside[inside["region"].isin(members)]
        notes.append(
            _place_note(
                place, member_rows, member_rows[member_rows["region"].isin(complete)], len(periods), labels or {}
            )
        )
    span = f"{periods['period_start'].iloc[0]:%b %Y}–{periods['period_start'].iloc[-1]:%b %Y}"
    processing = (
        f"{dataset} {metric}: sum per place of the police agencies that reported every month of {span}; "
        "agencies that reported only some months are left out, so a change in who reported cannot look like "
        "a change in counts"
    )
    return Panel(
        dataset=dataset,
        metric=metric,
        kind="month",
        periods=periods.reset_index(drop=True),
        regions=list(places),
        values=values,
        sources=sources,
        processing=processing,
        agencies_reporting=reporting,
        level="agency sum",
        labels=dict(labels or {}),
        place_notes=dict(zip(places, notes, strict=True)),
    )


def _place_note(place: str, member_rows: pd.DataFrame, used: pd.DataFrame, months: int, labels: dict) -> str:
    name = labels.get(place, place)
    reported = member_rows["region"].nunique()
    if reported == 0:
        return f"no agency of {name} reported in these months"
    zeros = " (every one of them zero)" if (member_rows["value"] == 0).all() else ""
    kept = used["region"].nunique()
    return (
        f"{name}: {reported} agencies sent {len(member_rows)} agency-months{zeros}; {kept} reported all {months} "
        f"months and are summed, {reported - kept} reported only some months and are left out"
    )
