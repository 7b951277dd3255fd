"""Aggregation: combine normalised indicators into dimension scores and dimensions into overall.

Array kernels (the hot path; also used by ``scoring.uncertainty`` for Monte Carlo):

* ``AGGREGATORS[name].function(X, w, p=...) -> ndarray (n_units,)``: X is units x items (NaN =
  missing), w the item weights (>= 0). Missing items are dropped per unit and the remaining
  weights rescaled to sum 1 (COINr ``a_amean``/``a_gmean``/``a_hmean``); a unit with no item
  present gets NaN.
* :func:`aggregate_levels` ``(N, dim_of, w_ind, w_dim, ...) -> (dimension_scores, overall)``:
  the two-level hierarchy. Items with weight 0 are left out.
* :func:`rank_scores` ``(scores) -> ranks``: min method, 1 = best, NaN stays NaN (also row-wise
  on a 2-D array).

Worked example (3 items, weights [1, 1, 2], one unit x = [20, 80, 50]):

* arithmetic:  (20 + 80 + 2 * 50) / 4                    = 50
* geometric:   exp((ln 20 + ln 80 + 2 ln 50) / 4)        = 44.72
* harmonic:    4 / (1/20 + 1/80 + 2/50)                  = 39.02
* generalised p = 2: sqrt((400 + 6400 + 2 * 2500) / 4)   = 54.31
* copeland (units A = [20, 80, 50], B = [30, 60, 50], weights [1, 1, 2] -> [.25, .25, .5]):
  A beats B on item 2 (.25), ties on item 3 (.5 / 2) -> A: .25 + .25 = .5; B: 1 - .5 = .5.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "AGGREGATORS",
    "Aggregator",
    "arithmetic",
    "geometric",
    "harmonic",
    "generalised_mean",
    "copeland",
    "outranking_matrix",
    "aggregate_levels",
    "rank_scores",
    "RANK_TOLERANCE",
]


def _prep(X: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float)
    present = ~np.isnan(X)
    return X, w, present


def _check_positive(X, w, present, rule, names, units, allow_zero=False):
    used = present & (w > 0)
    bad = used & ((X < 0) if allow_zero else (X <= 0))
    if bad.any():
        i, j = np.argwhere(bad)[0]
        item = names[j] if names is not None else f"item {j}"
        unit = units[i] if units is not None else f"unit {i}"
        need = "non-negative" if allow_zero else "positive"
        raise ValueError(
            f"{rule} needs {need} values, but {item} is {X[i, j]:g} for {unit}; normalise to "
            "a range such as [1, 100] (min-max low = 1) or choose arithmetic aggregation"
        )


def arithmetic(X, w, *, p=None, names=None, units=None) -> np.ndarray:
    """sum(w x) / sum(w) over the items present (COINr ``a_amean``).

    >>> arithmetic(np.array([[20.0, 80.0, 50.0]]), np.array([1.0, 1.0, 2.0])).tolist()
    [50.0]
    >>> arithmetic(np.array([[20.0, np.nan, 50.0]]), np.array([1.0, 1.0, 2.0])).tolist()
    [40.0]
    """
    X, w, present = _prep(X, w)
    num = np.where(present, X, 0.0) @ w
    den = present @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def geometric(X, w, *, p=None, names=None, units=None) -> np.ndarray:
    """exp(sum(w ln x) / sum(w)) over the items present; values must be positive (COINr ``a_gmean``).

    >>> [round(float(v), 2) for v in geometric(np.array([[20.0, 80.0, 50.0]]), np.array([1.0, 1, 2]))]
    [44.72]
    """
    X, w, present = _prep(X, w)
    _check_positive(X, w, present, "geometric mean", names, units)
    used = present & (w > 0)
    logs = np.where(used, np.log(np.where(used, X, 1.0)), 0.0)
    den = present @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, np.exp((logs @ w) / np.where(den > 0, den, 1.0)), np.nan)


def harmonic(X, w, *, p=None, names=None, units=None) -> np.ndarray:
    """sum(w) / sum(w / x) over the items present; values must be positive (COINr ``a_hmean``).

    >>> [round(float(v), 2) for v in harmonic(np.array([[20.0, 80.0, 50.0]]), np.array([1.0, 1, 2]))]
    [39.02]
    """
    X, w, present = _prep(X, w)
    _check_positive(X, w, present, "harmonic mean", names, units)
    used = present & (w > 0)
    inv = np.where(used, 1.0 / np.where(used, X, 1.0), 0.0)
    den = present @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, den / (inv @ w), np.nan)


def generalised_mean(X, w, *, p=0.5, names=None, units=None) -> np.ndarray:
    """(sum(w x^p) / sum(w))^(1/p); p = 1 arithmetic, p -> 0 geometric, p = -1 harmonic.

    Values must be positive for p <= 0 and non-negative for p > 0.

    >>> [round(float(v), 2) for v in generalised_mean(np.array([[20.0, 80, 50]]), np.array([1.0, 1, 2]), p=2)]
    [54.31]
    """
    if p is None:
        raise ValueError("generalised mean needs a power p")
    p = float(p)
    if p == 0:
        return geometric(X, w, names=names, units=units)
    X, w, present = _prep(X, w)
    _check_positive(X, w, present, f"generalised mean (p = {p:g})", names, units, p > 0)
    used = present & (w > 0)
    with np.errstate(divide="ignore"):
        powed = np.where(used, np.where(used, X, 1.0) ** p, 0.0)
    den = present @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        m = (powed @ w) / np.where(den > 0, den, 1.0)
        return np.where(den > 0, m ** (1.0 / p), np.nan)


def outranking_matrix(X, w) -> np.ndarray:
    """O[i, j] = sum of weights where i beats j + half the weights where they tie (COINr).

    Weights are rescaled to sum 1 over all items; comparisons with a missing value count for
    neither unit. As COINr's ``outrankMatrix``, the upper triangle is computed and the lower
    triangle set to 1 - O[j, i]; the diagonal is 0.

    >>> outranking_matrix(np.array([[20.0, 80, 50], [30, 60, 50]]), np.array([1.0, 1, 2])).tolist()
    [[0.0, 0.5], [0.5, 0.0]]
    """
    X, w, present = _prep(X, w)
    w = w / w.sum()
    a = X[:, None, :]
    b = X[None, :, :]
    both = present[:, None, :] & present[None, :, :]
    with np.errstate(invalid="ignore"):
        wins = (both & (a > b)) @ w
        ties = (both & (a == b)) @ w
    outrank = wins + ties / 2.0
    n = X.shape[0]
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    outrank = np.where(upper, outrank, 1.0 - outrank.T)
    np.fill_diagonal(outrank, 0.0)
    return outrank


def copeland(X, w, *, p=None, names=None, units=None) -> np.ndarray:
    """Row sums of the weighted outranking matrix (COINr ``a_copeland``): non-compensatory.

    >>> copeland(np.array([[20.0, 80, 50], [30, 60, 50], [10, 10, 10]]), np.array([1.0, 1, 2])).tolist()
    [1.5, 1.5, 0.0]
    """
    X, w, present = _prep(X, w)
    keep = w > 0
    X, w, present = X[:, keep], w[keep], present[:, keep]
    out = outranking_matrix(X, w).sum(axis=1)
    out[~present.any(axis=1)] = np.nan
    return out


@dataclass(frozen=True)
class Aggregator:
    """A registry entry: ``function(X, w, *, p, names, units) -> ndarray``."""

    name: str
    label: str
    rule: str
    function: Callable[..., np.ndarray]
    compensatory: bool = True
    needs_positive: bool = False
    uses_power: bool = False


AGGREGATORS: dict[str, Aggregator] = {
    a.name: a
    for a in [
        Aggregator("arithmetic", "Arithmetic mean", "sum(w x) / sum(w)", arithmetic),
        Aggregator(
            "geometric",
            "Geometric mean",
            "prod(x^w)^(1 / sum(w)); needs positive values, e.g. min-max to [1, 100]",
            geometric,
            needs_positive=True,
        ),
        Aggregator(
            "harmonic",
            "Harmonic mean",
            "sum(w) / sum(w / x); needs positive values, e.g. min-max to [1, 100]",
            harmonic,
            needs_positive=True,
        ),
        Aggregator(
            "generalised",
            "Generalised mean",
            "(sum(w x^p) / sum(w))^(1/p)",
            generalised_mean,
            needs_positive=True,
            uses_power=True,
        ),
        Aggregator(
            "copeland",
            "Copeland (outranking)",
            "sum over other countries of the weight share of indicators on which it is better",
            copeland,
            compensatory=False,
        ),
    ]
}


def aggregate_levels(
    N: np.ndarray,
    dim_of: np.ndarray,
    w_ind: np.ndarray,
    w_dim: np.ndarray,
    indicator_aggregation: str = "arithmetic",
    dimension_aggregation: str = "arithmetic",
    *,
    indicator_power: float = 0.5,
    dimension_power: float = 0.5,
    indicators: Sequence[str] | None = None,
    dimensions: Sequence[str] | None = None,
    units: Sequence[str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Indicators -> dimension scores -> overall; returns (units x dims, units).

    ``dim_of[i]`` is the dimension index of indicator i; weights need not sum to 1 (each mean
    rescales). A dimension whose indicators all have weight 0 gets NaN; dimensions with weight 0
    get a score but do not count in overall.

    >>> N = np.array([[20.0, 80.0, 50.0], [40.0, 40.0, 40.0]])
    >>> D, overall = aggregate_levels(N, np.array([0, 0, 1]), np.ones(3), np.ones(2))
    >>> D.tolist(), overall.tolist()
    ([[50.0, 50.0], [40.0, 40.0]], [50.0, 40.0])
    """
    N = np.asarray(N, dtype=float)
    dim_of = np.asarray(dim_of)
    w_ind = np.asarray(w_ind, dtype=float)
    n_dim = len(w_dim)
    if indicator_aggregation == "arithmetic":
        B = np.zeros((N.shape[1], n_dim))
        B[np.arange(N.shape[1]), dim_of] = w_ind
        present = ~np.isnan(N)
        num = np.where(present, N, 0.0) @ B
        den = present @ B
        with np.errstate(invalid="ignore", divide="ignore"):
            D = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    else:
        f = AGGREGATORS[indicator_aggregation].function
        D = np.full((N.shape[0], n_dim), np.nan)
        for d in range(n_dim):
            idx = np.flatnonzero((dim_of == d) & (w_ind > 0))
            if idx.size == 0:
                continue
            names = [indicators[i] for i in idx] if indicators is not None else None
            try:
                D[:, d] = f(N[:, idx], w_ind[idx], p=indicator_power, names=names, units=units)
            except ValueError as err:
                label = dimensions[d] if dimensions is not None else f"dimension {d}"
                raise ValueError(f"{label}: {err}") from None
    w_dim = np.asarray(w_dim, dtype=float)
    keep = w_dim > 0
    f = AGGREGATORS[dimension_aggregation].function
    try:
        overall = f(
            D[:, keep],
            w_dim[keep],
            p=dimension_power,
            names=[dimensions[d] for d in np.flatnonzero(keep)] if dimensions else None,
            units=units,
        )
    except ValueError as err:
        raise ValueError(f"overall: {err}") from None
    return D, overall


RANK_TOLERANCE = 1e-9


def rank_scores(scores: np.ndarray, tolerance: float = RANK_TOLERANCE) -> np.ndarray:
    """Rank, 1 = highest score, ties share the best (min) rank, NaN stays NaN; row-wise on 2-D input.

    >>> rank_scores(np.array([50.0, 70.0, 50.0, np.nan, 10.0])).tolist()
    [2.0, 1.0, 2.0, nan, 4.0]
    """
    s = np.asarray(scores, dtype=float)
    if s.ndim == 2:
        return np.vstack([rank_scores(row, tolerance) for row in s]) if len(s) else s.copy()
    out = np.full(s.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(s))
    if ok.size == 0:
        return out
    v = s[ok]
    order = np.argsort(-v, kind="stable")
    sv = v[order]
    gap = sv[:-1] - sv[1:] > tolerance * np.maximum(1.0, np.abs(sv[1:]))
    starts = np.r_[True, gap]
    pos = np.arange(sv.size)
    first = np.maximum.accumulate(np.where(starts, pos, 0))
    ranks = np.empty(sv.size)
    ranks[order] = first + 1.0
    out[ok] = ranks
    return out
