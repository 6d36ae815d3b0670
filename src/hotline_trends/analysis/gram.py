"""Weighted Gram matrices X'WX of many jobs on one design, as one matrix product over distinct columns.

Every job's information matrix is sum_t w_jt x_t x_t'. Stacking the row-wise outer products x_t x_t'
(T x P**2) turns all jobs' matrices into one product (J x T) @ (T x P**2). Most of those P**2 columns
repeat: the matrix is symmetric, the intercept times a term is that term, a dummy times itself is the
dummy and two different dummies multiply to zero. Only the distinct non-zero columns are multiplied (57
instead of 144 for an intercept, a trend, two harmonics and six weekday dummies); every entry is the same
dot product as before, copied where it repeats.
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
        self.columns = np.ascontiguousarray(outer[:, kept])
        self.index = np.where(np.array(slots) < 0, len(kept), np.array(slots))

    def weighted(self, w: np.ndarray) -> np.ndarray:
        """sum_t w[j, t] x_t x_t' for every row j of ``w`` (J, T): shape (J, P, P)."""
        products = w @ self.columns
        padded = np.zeros((len(w), products.shape[1] + 1))
        padded[:, :-1] = products
        return padded[:, self.index].reshape(len(w), self.P, self.P)
