"""The alarm rule: a negative-binomial CUSUM (Höhle & Paul 2008) whose days each carry at most half the
evidence an alarm needs, with its threshold set on the series' own past by a moving-block bootstrap.

Each day adds the log-likelihood ratio of "the mean is ``1 + rise`` times the expectation" against "it is
as expected" (negative when the day is ordinary); the running sum never goes below zero and an alarm is
raised when it reaches the threshold ``h``, after which it starts again from zero (as ``algo.glrnb`` and
``algo.cusum`` of the R package ``surveillance`` do). Capping a day at ``h / 2`` means a single day, however
high (a sting, a data dump), never raises an alarm alone: two strong days, or several moderate ones, do.

The threshold is the smallest ``h`` for which the series' own past, replayed, alarms at most
``alarms_per_year`` times per 365 days: the past days' evidence (computed exactly as it will be for new
days, each from its own earlier baseline) is cut into four-week blocks, drawn with replacement into many
synthetic years (Künsch 1989), and the CUSUM run on each. Blocks keep runs of correlated days together, so
a series whose days move together gets a higher threshold than independent days would need.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

YEAR = 365
GRID = np.geomspace(0.5, 400.0, 25)


def log_ratio(counts: np.ndarray, mu: np.ndarray, alpha: np.ndarray, *, rise: float) -> np.ndarray:
    """Per day: log P(count | mean (1 + rise) mu) - log P(count | mean mu), negative binomial (Poisson at 0).

    Example:
        >>> round(float(log_ratio(np.array([60.0]), np.array([40.0]), np.array([0.0]), rise=0.5)[0]), 3)
        4.328
    """
    kappa = 1 + rise
    alpha = np.maximum(alpha, 0.0)
    nb = alpha > 1e-9
    safe = np.where(nb, alpha, 1.0)
    with np.errstate(invalid="ignore"):
        negbin = counts * np.log(kappa) + (counts + 1 / safe) * np.log((1 + safe * mu) / (1 + safe * kappa * mu))
        poisson = counts * np.log(kappa) - rise * mu
    return np.where(nb, negbin, poisson)


@dataclass
class Run:
    """The CUSUM over a stretch of days: its value each day, the alarm days and where each alarm's rise began."""

    value: np.ndarray
    alarm: np.ndarray
    run_start: np.ndarray  # for every day, the first day of the current run (the day after the sum was last 0)


def cusum(evidence: np.ndarray, *, threshold: float, day_share: float = 0.5, reset: np.ndarray | None = None) -> Run:
    """Run the capped CUSUM; NaN evidence (a missing day, a day without baseline) leaves the sum unchanged.
    The sum also restarts after the days of ``reset`` (another rule's alarms: one rise, one alarm).

    Example:
        >>> cusum(np.array([1.0, 3.0, 3.0, -9.0, 2.0]), threshold=5).alarm.tolist()
        [False, False, True, False, False]
    """
    value = np.zeros(len(evidence))
    alarm = np.zeros(len(evidence), bool)
    run_start = np.zeros(len(evidence), int)
    total, start = 0.0, 0
    for i, step in enumerate(evidence):
        if np.isfinite(step):
            if total == 0.0:
                start = i
            total = max(0.0, total + min(step, threshold * day_share))
            if total >= threshold or (reset is not None and reset[i]):
                alarm[i] = total >= threshold
                value[i], run_start[i] = total, start
                total = 0.0
                continue
        value[i], run_start[i] = total, start
    return Run(value=value, alarm=alarm, run_start=run_start)


@dataclass(frozen=True)
class Calibration:
    threshold: float
    replay_days: int
    block_days: int
    years: int
    achieved: float  # alarms per 365 days on the replayed past at that threshold
    reachable: bool  # False when no threshold kept the replayed past under the target


def calibrate(
    evidence: np.ndarray,
    *,
    alarms_per_year: float,
    simulated: np.ndarray | None = None,
    block_days: int = 28,
    years: int = 500,
    day_share: float = 0.5,
    seed: int = 0,
) -> Calibration:
    """The smallest threshold on ``GRID`` for which replayed years of ``evidence`` alarm at most
    ``alarms_per_year`` times per 365 days (and so does every larger one on the grid).

    ``simulated`` (years x 365 evidence drawn from the fitted model itself) is replayed too and the larger
    of the two thresholds kept: a short past may by chance hold no high stretch, and the model's own noise
    then still sets a floor.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> calm = calibrate(rng.normal(-1, 1, 200), alarms_per_year=0.5)
        >>> noisy = calibrate(rng.normal(-1, 3, 200), alarms_per_year=0.5)
        >>> calm.threshold < noisy.threshold
        True
    """
    past = evidence[np.isfinite(evidence)]
    block = int(min(block_days, max(1, len(past) // 2)))
    rng = np.random.default_rng(seed)
    per_year = -(-YEAR // block)
    starts = rng.integers(0, len(past) - block + 1, size=(years, per_year))
    replay = past[(starts[..., None] + np.arange(block)).reshape(years, -1)[:, :YEAR]]
    picks = [_threshold(replay, alarms_per_year, day_share)]
    if simulated is not None:
        picks.append(_threshold(simulated, alarms_per_year, day_share))
    threshold, rate = max(picks)
    return Calibration(
        threshold=threshold,
        replay_days=len(past),
        block_days=block,
        years=years,
        achieved=float(rate),
        reachable=bool(rate <= alarms_per_year),
    )


def _threshold(replay: np.ndarray, alarms_per_year: float, day_share: float) -> tuple[float, float]:
    """The smallest threshold from which on the replayed years stay under the target: found on a coarse
    grid, then refined between the last failing and the first passing value."""
    grid = GRID
    rates = _rates(replay, grid, day_share)
    pick = _first_passing(rates, alarms_per_year)
    if 0 < pick < len(grid):
        fine = np.geomspace(grid[pick - 1], grid[pick], 12)[1:]
        fine_rates = _rates(replay, fine, day_share)
        fine_pick = _first_passing(fine_rates, alarms_per_year)
        return float(fine[fine_pick]), float(fine_rates[fine_pick])
    pick = min(pick, len(grid) - 1)
    return float(grid[pick]), float(rates[pick])


def _first_passing(rates: np.ndarray, target: float) -> int:
    """Index of the first rate after the last one above the target (len(rates) when the last fails)."""
    bad = np.flatnonzero(rates > target)
    return 0 if not len(bad) else int(bad[-1]) + 1


def _rates(replay: np.ndarray, grid: np.ndarray, day_share: float) -> np.ndarray:
    """Alarms per 365 days of the capped CUSUM on each replayed year, for every threshold of ``grid``."""
    years = len(replay)
    total = np.zeros((len(grid), years))
    alarms = np.zeros(len(grid))
    cap = grid[:, None] * day_share
    for day in range(replay.shape[1]):
        total = np.maximum(0.0, total + np.minimum(replay[:, day][None, :], cap))
        hit = total >= grid[:, None]
        alarms += hit.sum(axis=1)
        total[hit] = 0.0
    return alarms / years * YEAR / replay.shape[1]
