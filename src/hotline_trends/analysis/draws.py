"""Seeded samples without replacement, remembered: the events of a study draw the same positions.

Every event samples its placebo regions, placebo windows and control candidates with a generator seeded
the same way (``np.random.default_rng(seed)``), so its samples do not depend on the other events. Which
positions a draw picks depends only on the seed, the draws before it and how many items there are to
choose from, and hundreds of events on one panel choose among equally many regions: their draws repeat.
Drawing once per such sequence and remembering the positions gives each event exactly what its own
generator would have given (a generator's ``choice`` of an array takes the array at the positions it
draws).
"""

from __future__ import annotations

import numpy as np


class SeededDraws:
    """``np.random.default_rng(seed).choice(a, size=k, replace=False)``, call after call, with the positions
    of each call kept in ``memo`` (a dict the caller keeps, e.g. a panel's cache) for the next sequence.

    Example:
        >>> a = np.arange(100, 200)
        >>> rng, draws = np.random.default_rng(7), SeededDraws(7, {})
        >>> all((rng.choice(a, size=3, replace=False) == draws.choice(a, size=3)).all() for _ in range(2))
        True
    """

    def __init__(self, seed: int, memo: dict) -> None:
        self.seed, self.memo = seed, memo
        self.history: tuple[tuple[int, int], ...] = ()

    def choice(self, a: np.ndarray, *, size: int) -> np.ndarray:
        """``size`` items of ``a`` drawn without replacement (as the seeded generator's next ``choice``)."""
        key = ("draws", self.seed, self.history, len(a), size)
        if key not in self.memo:
            rng = self._generator()
            self.memo[key] = rng.choice(len(a), size=size, replace=False)
            self.memo[("state", self.seed, (*self.history, (len(a), size)))] = rng.bit_generator.state
        self.history += ((len(a), size),)
        return np.asarray(a)[self.memo[key]]

    def _generator(self) -> np.random.Generator:
        """A generator in the state the draws so far leave the seeded one in."""
        rng = np.random.default_rng(self.seed)
        state = self.memo.get(("state", self.seed, self.history))
        if state is not None:
            rng.bit_generator.state = state
        else:
            for n, k in self.history:
                rng.choice(n, size=k, replace=False)
        return rng
