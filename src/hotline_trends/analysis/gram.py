"""Weighted Gram matrices X'WX of many jobs on one design, as one matrix product over distinct columns.

Every job's information matrix is sum_t w_jt x_t x_t'. Stacking the row-wise outer products x_t x_t'
(T x P**2) turns all jobs' matrices into one product (J x T) @ (T x P**2). Most of those P**2 columns
repeat: the matrix is symmetric, the intercept times a term is that term, a dummy times itself is the
dummy and two different dummies multiply to zero. Only the distinct non-zero columns are multiplied (57
instead of 144 for an intercept, a trend, two harmonics and six weekday dummies), and a product with a
dummy only over that dummy's rows (the 36 products of the weekdays with the other terms each over a seventh
of the periods); every entry is the same sum of products, copied where it repeats.
"""

from __future__ import annotations

import numpy as np


class Gram:
    """The distinct columns of the outer products of a design's rows, and where each entry comes from.

    Example:
        >>> X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 0.0]])
        >>> Gram(X).weighted(np.array([[1.0, 2.0, 3.0]])).tolist()
        [[[6.0, 2.0], [2.0, 2.0]]]
    """

    def __init__(self, X: np.ndarray) -> None:
        T, P = X.shape
        self.P = P
        outer = (X[:, :, None] * X[:, None, :]).reshape(T, P * P)
        seen: dict[bytes, int] = {}  # a column's bytes -> its slot among the distinct products
        slots, kept = [], []
        for c in range(P * P):
            column = np.ascontiguousarray(outer[:, c])
            if not column.any():
                slots.append(-1)  # an all-zero product: filled in from a padding zero
                continue
            key = column.tobytes()
            if key not in seen:
                seen[key] = len(kept)
                kept.append(c)
            slots.append(seen[key])
        self.n_kept = len(kept)
        self.index = np.where(np.array(slots) < 0, len(kept), np.array(slots))
        # A product with an indicator column (0/1, e.g. a weekday) is zero off that indicator's rows: it is
        # summed over those rows only (a seventh of a daily series for a weekday), the rest over every row.
        indicators = _indicators(X)
        everywhere, by_indicator = [], {d: [] for d in indicators}
        for slot, c in enumerate(kept):
            i, j = divmod(c, P)
            d = i if i in by_indicator else j if j in by_indicator else None
            (everywhere if d is None else by_indicator[d]).append(slot)
        self.slots = np.array(everywhere, dtype=int)
        self.columns = np.ascontiguousarray(outer[:, [kept[k] for k in everywhere]])
        self.blocks = []
        for d, block in by_indicator.items():
            if block:
                rows = _as_slice(np.flatnonzero(X[:, d]))
                self.blocks.append(
                    (rows, np.ascontiguousarray(outer[rows][:, [kept[k] for k in block]]), np.array(block))
                )

    def weighted(self, w: np.ndarray) -> np.ndarray:
        """sum_t w[j, t] x_t x_t' for every row j of ``w`` (J, T): shape (J, P, P)."""
        padded = np.empty((len(w), self.n_kept + 1))
        padded[:, -1] = 0.0
        padded[:, self.slots] = w @ self.columns
        for rows, columns, slots in self.blocks:
            padded[:, slots] = w[:, rows] @ columns
        return padded[:, self.index].reshape(len(w), self.P, self.P)


def _indicators(X: np.ndarray) -> list[int]:
    """Columns of zeros and ones (not all ones) whose rows of ones no other such column shares."""
    found = [p for p in range(X.shape[1]) if np.isin(X[:, p], (0.0, 1.0)).all() and 0 < X[:, p].sum() < len(X)]
    if found and (X[:, found].sum(axis=1) > 1).any():
        return []
    return found


def _as_slice(rows: np.ndarray) -> slice | np.ndarray:
    """Evenly spaced rows as a slice (a view, not a copy, when the weights are read), else the rows."""
    steps = np.diff(rows)
    if rows.size > 1 and steps[0] > 0 and (steps == steps[0]).all():
        return slice(int(rows[0]), int(rows[-1]) + 1, int(steps[0]))
    return rows
