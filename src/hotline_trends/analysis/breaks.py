"""Known breaks: dates after which a series measures something else, so a baseline must not span them.

These are registered facts, each with where it is documented. An analysis that meets one says which
break applies and what it did about it (for example, fitting the baseline only after the break).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Break:
    """A documented change in how a series is measured, from ``on`` onward."""

    break_id: str
    on: date
    datasets: tuple[str, ...]  # empty: any dataset (e.g. a population change affects every rate)
    metrics: tuple[str, ...]  # empty: every metric of those datasets
    applies_to: str  # 'counts' or 'rates'
    title: str
    description: str
    basis: str  # where the fact is documented

    def to_dict(self) -> dict:
        out = asdict(self)
        out["on"] = self.on.isoformat()
        return out


BREAKS: tuple[Break, ...] = (
    Break(
        break_id="nhth-calls-to-signals-2017",
        on=date(2017, 1, 1),
        datasets=("nhth",),
        metrics=(),
        applies_to="counts",
        title="Hotline: calls → signals (2017)",
        description=(
            "Through 2016 the hotline's state statistics counted phone calls; from 2017 it counts signals "
            "(calls, texts, web chats, webforms, emails). Counts before and after are different measures."
        ),
        basis="data/README.md, 'Caveats that matter: Calls vs signals' (shared hotline tables)",
    ),
    Break(
        break_id="census-vintage-2019-2020",
        on=date(2020, 1, 1),
        datasets=(),
        metrics=(),
        applies_to="rates",
        title="Census: Vintage 2019 → Vintage 2024 population (2020)",
        description=(
            "Population for 2012–2019 is from Vintage 2019 (2010 base) and for 2020–2024 from Vintage 2024 "
            "(2020 base); the step between the two estimate series is not growth."
        ),
        basis="sources census_v2019 and census_v2024 (caveat field); data/README.md, 'Census vintages differ'",
    ),
    Break(
        break_id="nhth-operator-change-2025-09-22",
        on=date(2025, 9, 22),
        datasets=("nhth",),
        metrics=(),
        applies_to="counts",
        title="Hotline: operator change (22 Sep 2025)",
        description=(
            "HHS moved the hotline from Polaris to Compass Connections on 2025-09-22; later figures may not "
            "be comparable with Polaris-era figures."
        ),
        basis="data/README.md, 'Caveats that matter: Operator change'",
    ),
)


def breaks_for(
    *, dataset: str, metric: str, start: date | pd.Timestamp, end: date | pd.Timestamp, rates: bool = False
) -> list[Break]:
    """Breaks that fall strictly inside (start, end] for this dataset and metric.

    Args:
        dataset, metric: the series.
        start, end: the span a baseline or chart covers.
        rates: include breaks of the population denominators (per-100,000 rates).

    Example:
        >>> [b.break_id for b in breaks_for(dataset="nhth", metric="cases", start=date(2012, 1, 1), end=date(2024, 12, 31))]
        ['nhth-calls-to-signals-2017']
    """
    low, high = pd.Timestamp(start), pd.Timestamp(end)
    found = []
    for brk in BREAKS:
        if brk.applies_to == "rates" and not rates:
            continue
        if brk.datasets and dataset not in brk.datasets:
            continue
        if brk.metrics and metric not in brk.metrics:
            continue
        if low < pd.Timestamp(brk.on) <= high:
            found.append(brk)
    return found


def event_side(
    period_start: pd.Series,
    period_end: pd.Series,
    *,
    dataset: str,
    metric: str,
    window_start: pd.Timestamp,
    window_end: pd.Timestamp,
    rates: bool = False,
) -> tuple[np.ndarray, list[dict], str | None]:
    """Keep only the periods on the event's side of every break inside the series, and say so.

    A baseline never spans a break: periods on the other side, and a period that contains the break date,
    are not used. If the event window itself straddles a break, nothing can be compared and the third
    value is the reason.

    Returns:
        (usable periods as a bool array, one dict per break applied with ``action``, reason or None).

    Example:
        >>> s = pd.Series(pd.date_range("2015-01-01", periods=4, freq="YS"))
        >>> usable, applied, why = event_side(s, s + pd.offsets.YearEnd(0), dataset="nhth", metric="cases",
        ...     window_start=pd.Timestamp("2016-02-01"), window_end=pd.Timestamp("2016-02-07"))
        >>> usable.tolist(), applied[0]["break_id"], why
        ([True, True, False, False], 'nhth-calls-to-signals-2017', None)
    """
    start, end = pd.to_datetime(period_start).to_numpy(), pd.to_datetime(period_end).to_numpy()
    if len(start) == 0:
        return np.ones(0, bool), [], None
    found = breaks_for(dataset=dataset, metric=metric, start=start.min(), end=end.max(), rates=rates)
    return side_of_breaks(start, end, found, window_start=window_start, window_end=window_end)


def side_of_breaks(
    start: np.ndarray, end: np.ndarray, found: list[Break], *, window_start: pd.Timestamp, window_end: pd.Timestamp
) -> tuple[np.ndarray, list[dict], str | None]:
    """``event_side`` on period bounds already as datetime64 arrays and the breaks already looked up."""
    usable = np.ones(len(start), bool)
    applied: list[dict] = []
    for brk in found:
        on = np.datetime64(pd.Timestamp(brk.on))
        if window_end < pd.Timestamp(brk.on):
            keep, side = end < on, f"before {brk.on.isoformat()}"
        elif window_start >= pd.Timestamp(brk.on):
            keep, side = start >= on, f"from {brk.on.isoformat()} on"
        else:
            reason = f"the event window straddles a break in the series: {brk.title}"
            applied.append({**brk.to_dict(), "action": "no baseline: the window straddles the break"})
            return np.zeros(len(start), bool), applied, reason
        dropped = int((usable & ~keep).sum())
        usable &= keep
        applied.append(
            {
                **brk.to_dict(),
                "action": f"baseline restricted to periods {side} (the event's side of the break); "
                f"{dropped} period(s) on the other side not used",
                "periods_dropped": dropped,
            }
        )
    return usable, applied, None


# A level shift the registry does not know (a reporting change in one agency's series): looked for in the
# residuals of a daily baseline, in blocks of four weeks (each day of the week equally often; blocks that
# far apart are close to independent even when days are correlated, so no long-run variance is needed).
SHIFT_BLOCK = 28
SHIFT_MIN_BLOCKS = 20  # fewer blocks cannot tell a shift from the model's own trend and seasons
SHIFT_MIN_FILLED = 14  # a block with fewer fitted days is left out
SHIFT_TRIM = 0.05  # candidate shifts leave at least this share of the blocks on either side
# Andrews (1993), Table 1: the 1% critical value of the sup-Wald statistic of one parameter with 5% trimming
SHIFT_SUP_WALD = 13.01
SHIFT_MIN_SIDE = 365  # periods on the event's side a restricted baseline keeps (a year for the seasons)


@dataclass(frozen=True)
class Shift:
    """A level shift found in a baseline's residuals: the first period after it and its statistic."""

    at: int  # index of the first period of the block after the shift
    wald: float  # the largest two-sample Wald statistic over the candidate block boundaries
    size: float  # the difference of the mean Pearson residuals after and before


def find_shift(resid: np.ndarray, used: np.ndarray, *, block: int = SHIFT_BLOCK) -> Shift | None:
    """The most likely level shift in one baseline, if its sup-Wald statistic passes Andrews' 1% value.

    The Pearson residuals of the fitted periods (``used``) are averaged in consecutive blocks of ``block``
    periods; at every block boundary leaving 5% of the blocks (at least two) on each side, the Wald statistic of the
    difference of the mean block residual after and before (the variance pooled within the two sides) is
    computed, and the largest is compared with Andrews' (1993) 1% critical value for an unknown break date
    (5% trimming: a shift near either end of the baseline is found too).

    Example:
        >>> rng = np.random.default_rng(0)
        >>> r = rng.normal(size=840); r[500:] += 0.8
        >>> find_shift(r, np.ones(840, bool)).at
        504
        >>> find_shift(rng.normal(size=840), np.ones(840, bool)) is None
        True
    """
    T = resid.size
    used = np.asarray(used, bool)
    where = np.flatnonzero(used)
    if where.size == 0:
        return None
    first = int(where[0])
    n_blocks = (T - first) // block
    if n_blocks < SHIFT_MIN_BLOCKS:
        return None
    span = slice(first, first + n_blocks * block)
    r = np.where(used, np.nan_to_num(resid), 0.0)[span].reshape(n_blocks, block)
    filled = used[span].reshape(n_blocks, block).sum(axis=1)
    keep = filled >= SHIFT_MIN_FILLED
    if keep.sum() < SHIFT_MIN_BLOCKS:
        return None
    means = r.sum(axis=1)[keep] / filled[keep]
    starts = first + block * np.flatnonzero(keep)
    B = means.size
    low = max(int(SHIFT_TRIM * B), 2)
    k = np.arange(low, B - low + 1)
    if k.size == 0:
        return None
    csum, csq = np.cumsum(means), np.cumsum(means * means)
    total, total_sq = csum[-1], csq[-1]
    before, after = csum[k - 1] / k, (total - csum[k - 1]) / (B - k)
    within = (csq[k - 1] - k * before**2) + ((total_sq - csq[k - 1]) - (B - k) * after**2)
    s2 = np.maximum(within / (B - 2), 1e-300)
    wald = (after - before) ** 2 / (s2 * (1.0 / k + 1.0 / (B - k)))
    best = int(np.argmax(wald))
    if not wald[best] > SHIFT_SUP_WALD:
        return None
    return Shift(int(starts[k[best]]), float(wald[best]), float(after[best] - before[best]))


def shift_side(
    shift: Shift, target: np.ndarray, used: np.ndarray, periods: pd.DataFrame
) -> tuple[np.ndarray | None, dict]:
    """The periods on the event window's (``target``) side of a found shift, or None when that side keeps
    fewer than ``SHIFT_MIN_SIDE`` fitted periods (or the window straddles it); and the record of it, in the
    shape of a registered break's (``Break.to_dict`` with ``action``)."""
    where = np.flatnonzero(target)
    index = np.arange(target.size)
    on = pd.Timestamp(periods["period_start"].iloc[shift.at]).date()
    record = {
        "break_id": "found-level-shift",
        "on": on.isoformat(),
        "datasets": [],
        "metrics": [],
        "applies_to": "counts",
        "title": f"Level shift found in the baseline ({on.isoformat()})",
        "description": (
            f"The baseline's residuals, averaged over {SHIFT_BLOCK}-day blocks, differ before and after "
            f"{on.isoformat()} by {shift.size:+.2f} (Pearson units; sup-Wald {shift.wald:.1f} against Andrews' 1% "
            f"value {SHIFT_SUP_WALD:g}): a change in the series' level that the model's trend does not follow, "
            "such as a reporting change."
        ),
        "basis": "found in the data (analysis/breaks.py, find_shift); Andrews (1993), Econometrica 61(4)",
    }
    if where.size and where[0] >= shift.at:
        keep, words = index >= shift.at, f"from {on.isoformat()} on"
    elif where.size and where[-1] < shift.at:
        keep, words = index < shift.at, f"before {on.isoformat()}"
    else:
        return None, {**record, "action": "not applied: the event window straddles it"}
    kept = int((used & keep).sum())
    if kept < SHIFT_MIN_SIDE:
        return None, {
            **record,
            "action": f"not applied: the event's side keeps only {kept} periods (at least {SHIFT_MIN_SIDE} "
            "are needed); the baseline spans it and the checks widen the interval",
        }
    dropped = int((used & ~keep).sum())
    return keep, {
        **record,
        "action": f"baseline restricted to periods {words} (the event's side of the shift); {dropped} period(s) "
        "on the other side not used",
        "periods_dropped": dropped,
    }
