"""A panel: one series per region on a common grid of periods, missing periods left missing (NaN).

Built from region rows (``panel_from_regions``) or from police-agency rows summed per place
(``agencypanel.panel_from_agencies``). A series never mixes period kinds: rows of another kind (a
half-year among years) are left out and the panel says so, and where several sources give a value for the
same period one is chosen (highest reliability, then the source that gives most of the series' values),
never an average.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hotline_trends.analysis.periods import period_kind

RELIABILITY_RANK = {"high": 3, "medium": 2, "low": 1}
GRID_FREQ = {"year": "YS", "half-year": "6MS", "quarter": "QS", "month": "MS", "day": "D"}


@dataclass
class Panel:
    """Series of one dataset and metric: ``values`` (R regions × T periods), NaN where no value exists."""

    dataset: str
    metric: str
    kind: str
    periods: pd.DataFrame  # period_start, period_end
    regions: list[str]
    values: np.ndarray
    sources: dict[str, list[str]]
    processing: str
    notes: list[str] = field(default_factory=list)
    agencies_reporting: np.ndarray | None = None  # (R, T) for agency sums
    level: str = "region"  # "region" rows as published, or "agency sum"
    labels: dict[str, str] = field(default_factory=dict)  # region code -> human label
    place_notes: dict[str, str] = field(default_factory=dict)  # region -> how its sum was made
    cache: dict = field(default_factory=dict, repr=False)  # derived arrays shared by the events on this panel

    def index(self, region: str) -> int:
        """The row of ``region``; ValueError when the panel has none."""
        row = self.row(region)
        if row is None:
            raise ValueError(f"{region!r} is not a region of this panel")
        return row

    def row(self, region: str) -> int | None:
        """The row of ``region``, or None: a dict lookup (kept in ``cache``), not a search of the list."""
        rows = self.cache.get("rows")
        if rows is None or len(rows) != len(self.regions):
            rows = self.cache["rows"] = {r: i for i, r in reversed(list(enumerate(self.regions)))}
        return rows.get(region)

    def label(self, region: str) -> str:
        return self.labels.get(region, region)


def grid(first: pd.Timestamp, last: pd.Timestamp, kind: str) -> pd.DataFrame:
    """Every period of ``kind`` from the one starting at ``first`` to the one starting at ``last``.

    Example:
        >>> grid(pd.Timestamp("2015-01-01"), pd.Timestamp("2015-03-01"), "month")["period_end"].dt.day.tolist()
        [31, 28, 31]
    """
    if kind == "week":
        starts = pd.date_range(first, last, freq="7D")
        ends = starts + pd.Timedelta(days=6)
    else:
        starts = pd.date_range(first, last, freq=GRID_FREQ[kind])
        ends = (starts[1:] - pd.Timedelta(days=1)).append(
            pd.DatetimeIndex([pd.date_range(starts[-1], periods=2, freq=GRID_FREQ[kind])[1] - pd.Timedelta(days=1)])
        )
    return pd.DataFrame({"period_start": starts, "period_end": ends})


def kinds_of(frame: pd.DataFrame) -> pd.Series:
    """The period kind of every row, computed once per distinct (start, end) pair (fast on big frames)."""
    start_codes, starts = pd.factorize(frame["period_start"])
    end_codes, ends = pd.factorize(frame["period_end"])
    pair_codes, pairs = pd.factorize(start_codes.astype(np.int64) * max(len(ends), 1) + end_codes)
    pair_start = pd.Series(starts[pairs // max(len(ends), 1)])
    pair_end = pd.Series(ends[pairs % max(len(ends), 1)])
    labels, kind_codes = np.unique(period_kind(pair_start, pair_end).to_numpy(dtype=str), return_inverse=True)
    # categorical: building millions of strings would cost more than everything else here
    return pd.Series(pd.Categorical.from_codes(kind_codes[pair_codes], categories=labels), index=frame.index)


def one_value_per_period(rows: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Keep one row per (region, period_start): best reliability, then the most used source, then its id."""
    region_codes = rows["_r"].to_numpy() if "_r" in rows else pd.factorize(rows["region"])[0]
    start_codes, starts = pd.factorize(rows["period_start"])
    cells = region_codes.astype(np.int64) * max(len(starts), 1) + start_codes
    if np.bincount(cells).max(initial=0) <= 1:  # the common case, checked without building string keys
        return rows, []
    key = pd.Series(cells, index=rows.index)
    used = rows["source_id"].map(rows["source_id"].value_counts())
    ranked = rows.assign(
        _key=key,
        _rel=rows["reliability"].map(RELIABILITY_RANK).fillna(0) if "reliability" in rows else 0,
        _used=used,
    ).sort_values(["_key", "_rel", "_used", "source_id"], ascending=[True, False, False, True])
    kept = ranked.drop_duplicates("_key")
    notes = []
    for _, group in ranked[ranked["_key"].duplicated(keep=False)].groupby("_key", sort=False):
        first = group.iloc[0]
        values = sorted(set(group["value"].tolist()))
        if len(values) > 1:
            others = "; ".join(f"{r.value} ({r.source_id})" for r in group.iloc[1:].itertuples())
            notes.append(
                f"{first['region']} {pd.Timestamp(first['period_start']).date()}: sources disagree; used "
                f"{first['value']} from {first['source_id']} (best reliability, then the source of most values), "
                f"not {others}"
            )
    same = int(ranked["_key"].duplicated().sum()) - len(notes)
    if same > 0:
        notes.append(f"{same} value(s) appear in more than one source with the same number; counted once")
    return kept.drop(columns=["_key", "_rel", "_used"]), notes


def panel_from_regions(
    observations: pd.DataFrame, *, dataset: str, metric: str, kind: str | None = None
) -> Panel | None:
    """A panel of the published region rows (states, DC, territories; not 'US', not agencies).

    Returns None when there are no such rows. ``kind`` defaults to the most common period kind.
    """
    rows = observations[(observations["dataset"] == dataset) & (observations["metric"] == metric)]
    # Region codes once (sorted), reused below; agencies and the nation are dropped by their code.
    codes, uniques = pd.factorize(rows["region"], sort=True)
    wanted = np.array([not str(u).startswith("ori:") and u != "US" for u in uniques], dtype=bool)
    keep = wanted[codes] if len(uniques) else np.zeros(0, bool)
    rows = rows[keep].assign(_r=codes[keep])
    if rows.empty:
        return None
    kinds = kinds_of(rows)
    regular = kinds[kinds != "other"]
    chosen = kind if kind else (str(regular.value_counts().idxmax()) if not regular.empty else None)
    if chosen is None or chosen == "other" or not (kinds == chosen).any():
        return None
    notes = _left_out(rows, kinds, chosen)
    rows, dup_notes = one_value_per_period(rows[(kinds == chosen).to_numpy()])
    periods = grid(rows["period_start"].min(), rows["period_start"].max(), chosen)
    return _matrix(rows, periods, list(uniques), dataset=dataset, metric=metric, kind=chosen, notes=notes + dup_notes)


def _left_out(rows: pd.DataFrame, kinds: pd.Series, chosen: str) -> list[str]:
    other = rows[kinds != chosen]
    if other.empty:
        return []
    listed = ", ".join(
        f"{r.region} {pd.Timestamp(r.period_start).date()}..{pd.Timestamp(r.period_end).date()}"
        for r in other.head(8).itertuples()
    )
    more = f" and {len(other) - 8} more" if len(other) > 8 else ""
    return [
        f"{len(other)} row(s) covering a different kind of period than the {chosen} series were left out "
        f"({listed}{more}): they are not comparable with {chosen} values"
    ]


def _matrix(rows: pd.DataFrame, periods: pd.DataFrame, uniques: list, *, dataset, metric, kind, notes) -> Panel:
    """Regions (rows ``_r`` index ``uniques``) × periods; regions without a row of this kind are dropped."""
    codes = rows["_r"].to_numpy()
    counts = np.bincount(codes, minlength=len(uniques))
    present = np.flatnonzero(counts)
    region_codes = (np.cumsum(counts > 0) - 1)[codes]
    regions = [str(uniques[i]) for i in present]
    cols = np.searchsorted(periods["period_start"].to_numpy(), rows["period_start"].to_numpy())
    values = np.full((len(regions), len(periods)), np.nan)
    values[region_codes, cols] = rows["value"].to_numpy(dtype=float)
    source_codes, source_ids = pd.factorize(rows["source_id"])
    pairs = pd.unique(region_codes.astype(np.int64) * max(len(source_ids), 1) + source_codes)
    sources: dict[str, list[str]] = {}
    for pair in np.sort(pairs):
        sources.setdefault(regions[pair // max(len(source_ids), 1)], []).append(
            str(source_ids[pair % max(len(source_ids), 1)])
        )
    sources = {r: sorted(s) for r, s in sources.items()}
    processing = f"{dataset} {metric} as published, one value per region and {kind}"
    return Panel(dataset, metric, kind, periods, regions, values, sources, processing, notes)
