"""Aggregation: combine normalised indicators into dimension scores and dimensions into overall.

One kernel for the pipeline and for the uncertainty analyses: every function takes one weight
vector or many (draws x items) at once, and gives the same numbers either way.

* ``AGGREGATORS[name].function(X, w, p=...) -> ndarray (n_units,)``: X is units x items (NaN =
  missing), w the item weights (>= 0). Missing items are dropped per unit and the remaining
  weights rescaled to sum 1 (COINr ``a_amean``/``a_gmean``/``a_hmean``); a unit with no item
  present gets NaN. With w draws x items: (draws x units), one matrix product per call.
* :func:`aggregate_levels` ``(N, dim_of, w_ind, w_dim, ...) -> (dimension_scores, overall)``:
  the two-level hierarchy. Items with weight 0 are left out. With weight draws: (draws x units
  x dims, draws x units), the Monte Carlo's hot path.
* :func:`rank_scores` ``(scores) -> ranks``: min method, 1 = best, NaN stays NaN (also row-wise
  on a 2-D array, vectorised).

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

from scoring.errors import Country, Dimension, EngineError, Id, Phrase

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


def _check_positive(X, W, present, rule, names, units, allow_zero=False):
    """Refuse a value the mean cannot take, naming the item and the unit (X: units x items, or
    items x draws x units; W: weights, 1-D or draws x items)."""
    used = (np.atleast_2d(W) > 0).any(axis=0)
    used = present & (used if X.ndim == 2 else used[:, None, None])
    bad = used & ((X < 0) if allow_zero else (X <= 0))
    if bad.any():
        at = tuple(np.argwhere(bad)[0])
        i, j = at if X.ndim == 2 else (at[2], at[0])
        item = Id(names[j]) if names is not None else f"item {j}"
        unit = Country(units[i]) if units is not None else f"unit {i}"
        if allow_zero:
            raise EngineError(
                "{rule} needs non-negative values, but {item} is {value:g} for {unit}; normalise "
                "to a range such as [1, 100] (min-max low = 1) or choose arithmetic aggregation",
                rule=rule,
                item=item,
                value=float(X[at]),
                unit=unit,
            )
        raise EngineError(
            "{rule} needs positive values, but {item} is {value:g} for {unit}; normalise "
            "to a range such as [1, 100] (min-max low = 1) or choose arithmetic aggregation",
            rule=rule,
            item=item,
            value=float(X[at]),
            unit=unit,
        )


def _mean(X, w, f=None, finv=None, *, harmonic=False) -> np.ndarray:
    """The quasi-arithmetic mean f^-1(sum w f(x) / sum w) over the items present, for one weight
    vector (w: items -> units) or many (w: draws x items -> draws x units). X is units x items,
    or items x draws x units (each draw's own values, as the dimension scores of
    :func:`aggregate_levels`). No item present: 0 / 0, NaN."""
    X = np.asarray(X, dtype=float)
    W = np.asarray(w, dtype=float)
    one = W.ndim == 1
    W = np.atleast_2d(W)
    counted = (W > 0).any(axis=0)
    present = ~np.isnan(X)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if X.ndim == 2:
            used = present & counted
            F0 = np.where(used, X if f is None else f(np.where(used, X, 1.0)), 0.0)
            num, den = W @ F0.T, W @ present.T.astype(float)
        else:
            num, den = np.zeros(X.shape[1:]), np.zeros((X.shape[1], 1))
            for k in np.flatnonzero(counted):
                x, has, wk = X[k], present[k], W[:, k : k + 1]
                if has.all():  # the usual case: the weight counts for every unit
                    fx = x if f is None else f(x)
                    den = den + wk
                else:
                    fx = np.where(has, x if f is None else f(np.where(has, x, 1.0)), 0.0)
                    den = den + wk * has
                num += fx * wk
        if harmonic:  # sum(w) / sum(w / x)
            out = den / num
        else:
            out = num / den
            if finv is not None:
                out = finv(out)
    return out[0] if one else out


def arithmetic(X, w, *, p=None, names=None, units=None) -> np.ndarray:
    """sum(w x) / sum(w) over the items present (COINr ``a_amean``).

    >>> arithmetic(np.array([[20.0, 80.0, 50.0]]), np.array([1.0, 1.0, 2.0])).tolist()
    [50.0]
    >>> arithmetic(np.array([[20.0, np.nan, 50.0]]), np.array([1.0, 1.0, 2.0])).tolist()
    [40.0]
    >>> arithmetic(np.array([[20.0, 80.0]]), np.array([[1.0, 1.0], [3.0, 1.0]])).tolist()
    [[50.0], [35.0]]
    """
    return _mean(X, w)


def geometric(X, w, *, p=None, names=None, units=None) -> np.ndarray:
    """exp(sum(w ln x) / sum(w)) over the items present; values must be positive (COINr ``a_gmean``).

    >>> [round(float(v), 2) for v in geometric(np.array([[20.0, 80.0, 50.0]]), np.array([1.0, 1, 2]))]
    [44.72]
    """
    X = np.asarray(X, dtype=float)
    _check_positive(X, w, ~np.isnan(X), Phrase("geometric mean"), names, units)
    return _mean(X, w, np.log, np.exp)


def harmonic(X, w, *, p=None, names=None, units=None) -> np.ndarray:
    """sum(w) / sum(w / x) over the items present; values must be positive (COINr ``a_hmean``).

    >>> [round(float(v), 2) for v in harmonic(np.array([[20.0, 80.0, 50.0]]), np.array([1.0, 1, 2]))]
    [39.02]
    """
    X = np.asarray(X, dtype=float)
    _check_positive(X, w, ~np.isnan(X), Phrase("harmonic mean"), names, units)
    return _mean(X, w, np.reciprocal, harmonic=True)


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
    X = np.asarray(X, dtype=float)
    rule = Phrase("generalised mean (p = {p:g})", p=p)
    _check_positive(X, w, ~np.isnan(X), rule, names, units, p > 0)
    return _mean(X, w, lambda x: x**p, lambda y: y ** (1.0 / p))


def outranking_matrix(X, w) -> np.ndarray:
    """O[i, j] = sum of weights where i beats j + half the weights where they tie (COINr).

    Weights are rescaled to sum 1 over all items; comparisons with a missing value count for
    neither unit. As COINr's ``outrankMatrix``, the upper triangle is computed and the lower
    triangle set to 1 - O[j, i]; the diagonal is 0.

    >>> outranking_matrix(np.array([[20.0, 80, 50], [30, 60, 50]]), np.array([1.0, 1, 2])).tolist()
    [[0.0, 0.5], [0.5, 0.0]]
    """
    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float)
    present = ~np.isnan(X)
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
    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float)
    if w.ndim == 2 or X.ndim == 3:  # one weight vector (and matrix) per draw
        W = np.atleast_2d(w)
        rows = [X[:, s, :].T if X.ndim == 3 else X for s in range(W.shape[0])]
        return np.array([copeland(x, ws) for x, ws in zip(rows, W, strict=True)])
    keep = w > 0
    X, w = X[:, keep], w[keep]
    out = outranking_matrix(X, w).sum(axis=1)
    out[~(~np.isnan(X)).any(axis=1)] = np.nan
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
    get a score but do not count in overall. Many weight draws at once: ``w_ind`` draws x
    indicators and ``w_dim`` draws x dimensions (either may stay 1-D) give (draws x units x
    dims, draws x units), the same numbers as one call per draw.

    >>> N = np.array([[20.0, 80.0, 50.0], [40.0, 40.0, 40.0]])
    >>> D, overall = aggregate_levels(N, np.array([0, 0, 1]), np.ones(3), np.ones(2))
    >>> D.tolist(), overall.tolist()
    ([[50.0, 50.0], [40.0, 40.0]], [50.0, 40.0])
    >>> _, overall = aggregate_levels(N, np.array([0, 0, 1]), np.array([[1.0, 1, 1], [3, 1, 1]]), np.ones(2))
    >>> overall.tolist()
    [[50.0, 40.0], [42.5, 40.0]]
    """
    N = np.asarray(N, dtype=float)
    dim_of = np.asarray(dim_of)
    W = np.asarray(w_ind, dtype=float)
    V = np.asarray(w_dim, dtype=float)
    one = W.ndim == 1 and V.ndim == 1
    draws = max(np.atleast_2d(W).shape[0], np.atleast_2d(V).shape[0])
    W = np.broadcast_to(np.atleast_2d(W), (draws, N.shape[1]))
    V = np.broadcast_to(np.atleast_2d(V), (draws, V.shape[-1]))
    n_dim = V.shape[1]
    f = AGGREGATORS[indicator_aggregation].function
    D = np.full((n_dim, draws, N.shape[0]), np.nan)  # a dimension's scores contiguous
    counted = (W > 0).any(axis=0)
    for d in range(n_dim):
        idx = np.flatnonzero((dim_of == d) & counted)
        if idx.size == 0:
            continue
        names = [indicators[i] for i in idx] if indicators is not None else None
        try:
            D[d] = f(N[:, idx], W[:, idx], p=indicator_power, names=names, units=units)
        except ValueError as err:
            label = Dimension(dimensions[d]) if dimensions is not None else f"dimension {d}"
            raise EngineError("{where}: {error}", where=label, error=err) from None
    keep = np.flatnonzero((V > 0).any(axis=0))
    f = AGGREGATORS[dimension_aggregation].function
    try:
        overall = f(
            D if keep.size == n_dim else D[keep],
            V[:, keep],
            p=dimension_power,
            names=[dimensions[d] for d in keep] if dimensions else None,
            units=units,
        )
    except ValueError as err:
        raise EngineError("overall: {error}", error=err) from None
    D = np.moveaxis(D, 0, -1)  # draws x units x dims
    return (np.ascontiguousarray(D[0]), overall[0]) if one else (D, overall)


#: Scores closer than this (relative to max(1, |score|)) rank as tied, so that float noise from
#: rescaled weights cannot split countries whose data are identical.
RANK_TOLERANCE = 1e-9


def rank_scores(scores: np.ndarray, tolerance: float = RANK_TOLERANCE) -> np.ndarray:
    """Rank, 1 = highest score, ties share the best (min) rank, NaN stays NaN; row-wise on 2-D input.

    Tie rule: in descending order, a score starts a new rank when it is more than
    ``tolerance * max(1, |score|)`` below the one before it.

    >>> rank_scores(np.array([50.0, 70.0, 50.0, np.nan, 10.0])).tolist()
    [2.0, 1.0, 2.0, nan, 4.0]
    >>> rank_scores(np.array([[50.0, 50.0 + 1e-12, 40.0], [1.0, 2.0, 3.0]])).tolist()
    [[1.0, 1.0, 3.0], [3.0, 2.0, 1.0]]
    """
    s = np.asarray(scores, dtype=float)
    if s.ndim == 1:
        return rank_scores(s[None, :], tolerance)[0]
    rows, n = s.shape
    if rows == 0 or n == 0:
        return np.full((rows, n), np.nan)
    down = np.negative(s)
    order = np.argsort(down, axis=1)  # ascending -score: best first, NaN last
    sv = np.take_along_axis(down, order, axis=1)
    gaps = np.diff(sv, axis=1)
    complete = not np.isnan(sv[:, -1]).any()  # NaN sorts last
    # No gap within the largest tolerance of all: no ties, ranks 1..n in order (the usual case).
    if complete and (gaps > tolerance * max(1.0, float(np.abs(sv).max()))).all():
        pos = np.broadcast_to(np.arange(1.0, n + 1.0), (rows, n))
    else:
        step = np.abs(sv[:, 1:])
        np.maximum(step, 1.0, out=step)
        step *= tolerance
        pos = np.empty((rows, n))
        pos[:, 0] = 1.0
        with np.errstate(invalid="ignore"):
            np.multiply(gaps > step, np.arange(2.0, n + 1.0), out=pos[:, 1:])
        np.maximum.accumulate(pos, axis=1, out=pos)
        if not complete:
            pos[np.isnan(sv)] = np.nan
    out = np.empty((rows, n))
    np.put_along_axis(out, order, pos, axis=1)
    return out
