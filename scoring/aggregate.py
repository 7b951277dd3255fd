"""Aggregation: combine normalised indicators into dimension scores and dimensions into overall.

Array kernels (the hot path; the Monte Carlo and sensitivity analyses use the batch forms):

* ``AGGREGATORS[name].function(X, w, p=...) -> ndarray (n_units,)``: X is units x items (NaN =
  missing), w the item weights (>= 0). Missing items are dropped per unit and the remaining
  weights rescaled to sum 1 (COINr ``a_amean``/``a_gmean``/``a_hmean``); a unit with no item
  present gets NaN.
* :func:`aggregate_levels` ``(N, dim_of, w_ind, w_dim, ...) -> (dimension_scores, overall)``:
  the two-level hierarchy. Items with weight 0 are left out.
* :func:`arithmetic_batch` ``(X, W) -> (n_draws, n_units)``: weighted arithmetic means for many
  weight vectors at once (one matrix product).
* :func:`hierarchical_arithmetic_batch` ``(N, dim_of, W_ind, W_dim) -> (D, overall)`` with shapes
  (draws, units, dims) and (draws, units): both levels arithmetic, many weight draws at once.
* :class:`DrawAggregation` / :func:`aggregate_draws` ``(N, dim_of, W_ind, W_dim) -> overall``
  (draws, units): :func:`aggregate_levels` for many weight draws at once, every rule.
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
    "arithmetic_batch",
    "hierarchical_arithmetic_batch",
    "DrawAggregation",
    "aggregate_draws",
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


def arithmetic_batch(X: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Weighted arithmetic means of each unit for each weight vector: (draws x items) -> (draws x units).

    >>> arithmetic_batch(np.array([[20.0, 80.0], [np.nan, 40.0]]), np.array([[1.0, 1.0], [3.0, 1.0]])).tolist()
    [[50.0, 40.0], [35.0, 40.0]]
    """
    X = np.asarray(X, dtype=float)
    W = np.asarray(W, dtype=float)
    present = ~np.isnan(X)
    num = W @ np.where(present, X, 0.0).T
    den = W @ present.T.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def hierarchical_arithmetic_batch(
    N: np.ndarray, dim_of: np.ndarray, W_ind: np.ndarray, W_dim: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Both levels arithmetic for many weight draws: returns D (draws, units, dims), overall (draws, units).

    W_ind is (draws, indicators), W_dim (draws, dims); missing values are dropped and weights
    rescaled at each level, exactly as :func:`aggregate_levels` with arithmetic means.

    >>> N = np.array([[20.0, 80.0, 50.0], [40.0, 40.0, 40.0]])
    >>> D, o = hierarchical_arithmetic_batch(N, np.array([0, 0, 1]), np.ones((1, 3)), np.ones((1, 2)))
    >>> o.tolist()
    [[50.0, 40.0]]
    """
    N = np.asarray(N, dtype=float)
    W_ind = np.atleast_2d(np.asarray(W_ind, dtype=float))
    W_dim = np.atleast_2d(np.asarray(W_dim, dtype=float))
    n_dim = W_dim.shape[1]
    onehot = np.zeros((N.shape[1], n_dim))
    onehot[np.arange(N.shape[1]), np.asarray(dim_of)] = 1.0
    present = ~np.isnan(N)
    X0 = np.where(present, N, 0.0)
    # num[d, u, k] = sum_i X0[u, i] W_ind[d, i] onehot[i, k]
    num = np.einsum("ui,di,ik->duk", X0, W_ind, onehot, optimize=True)
    den = np.einsum("ui,di,ik->duk", present.astype(float), W_ind, onehot, optimize=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        D = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    pres_d = ~np.isnan(D)
    num_o = np.einsum("duk,dk->du", np.where(pres_d, D, 0.0), W_dim)
    den_o = np.einsum("duk,dk->du", pres_d.astype(float), W_dim)
    with np.errstate(invalid="ignore", divide="ignore"):
        overall = np.where(den_o > 0, num_o / np.where(den_o > 0, den_o, 1.0), np.nan)
    return D, overall


# ---------------------------------------------------------------------------------------------
# many weight draws at once: the Monte Carlo and sensitivity analyses' hot path


@dataclass(frozen=True)
class _Generator:
    """M_f(x; w) = f^-1(sum w f(x) / sum w); f None = identity."""

    f: Callable[[np.ndarray], np.ndarray] | None
    finv: Callable[[np.ndarray], np.ndarray] | None


def _generator(name: str, power: float) -> _Generator | None:
    """The quasi-arithmetic generator of an ``AGGREGATORS`` entry, or None (Copeland)."""
    if name == "arithmetic" or (name == "generalised" and float(power) == 1.0):
        return _Generator(None, None)
    if name == "geometric" or (name == "generalised" and float(power) == 0.0):
        return _Generator(np.log, np.exp)
    if name == "harmonic" or (name == "generalised" and float(power) == -1.0):
        return _Generator(np.reciprocal, np.reciprocal)
    if name == "generalised":
        p = float(power)
        return _Generator(lambda x: x**p, lambda y: y ** (1.0 / p))
    return None


class DrawAggregation:
    """:func:`aggregate_levels` for many weight draws at once, on one normalised matrix.

    Built once per matrix; ``overall(W, V)`` maps weights (draws x indicators, draws x dimensions)
    to overall scores (draws x units). Indicators outside ``active`` are left out, as weight 0 is
    in :func:`aggregate_levels`. Quasi-arithmetic means M_f(x; w) = f^-1(sum w f(x) / sum w)
    become matrix products, per dimension k (F0 = f(N) with missing -> 0, A = availability):

        D_k = f^-1((W_k @ F0_k.T) / (W_k @ A_k.T)),  overall = g^-1(sum_k V_k g(D_k) / sum_k V_k [D_k])

    Copeland (not such a mean) runs :func:`aggregate_levels` once per draw: slow. Values are not
    checked here (positive values for a geometric mean...): check the nominal weights with
    :func:`aggregate_levels` first.

    >>> N = np.array([[100.0, 0.0], [0.0, 100.0], [50.0, np.nan]])
    >>> DrawAggregation(N, np.array([0, 0]), 1).overall(np.array([[1.0, 1], [3, 1]]), np.ones((2, 1))).tolist()
    [[50.0, 50.0, 50.0], [75.0, 25.0, 50.0]]
    """

    def __init__(
        self,
        normalised: np.ndarray,
        dim_of: np.ndarray,
        n_dimensions: int,
        active: np.ndarray | None = None,
        indicator_aggregation: str = "arithmetic",
        dimension_aggregation: str = "arithmetic",
        *,
        indicator_power: float = 0.5,
        dimension_power: float = 0.5,
    ):
        X = np.asarray(normalised, dtype=float)
        self.X = X
        self.n = X.shape[0]
        self.dim_of = np.asarray(dim_of, dtype=np.intp)
        self.K = int(n_dimensions)
        self.active = np.ones(X.shape[1], bool) if active is None else np.asarray(active, bool)
        self.rules = (indicator_aggregation, dimension_aggregation)
        self.powers = (float(indicator_power), float(dimension_power))
        gi = _generator(indicator_aggregation, indicator_power)
        gd = _generator(dimension_aggregation, dimension_power)
        self.per_draw = gi is None or gd is None
        if self.per_draw:
            return
        self.same = indicator_aggregation == dimension_aggregation and (
            indicator_power == dimension_power or indicator_aggregation != "generalised"
        )
        self.gi, self.gd = gi, gd
        present = ~np.isnan(X) & self.active
        with np.errstate(all="ignore"):
            F = X if gi.f is None else gi.f(np.where(present, X, 1.0))
        F0 = np.where(present, F, 0.0)
        self.blocks = []
        ok = np.zeros((self.n, self.K))
        for k in range(self.K):
            idx = np.flatnonzero((self.dim_of == k) & self.active)
            pk = present[:, idx]
            has = pk.any(axis=1)
            ok[:, k] = has
            xt = np.ascontiguousarray(F0[:, idx].T)
            mt_raw = np.ascontiguousarray(pk.T.astype(float))
            # units without data in k: denominator 1, numerator 0 -> D_k = 0, not 0/0
            mt = mt_raw.copy()
            mt[:, ~has] = 1.0
            self.blocks.append((idx, xt, mt, mt_raw, has))
        self.okT = np.ascontiguousarray(ok.T)

    def overall(self, W: np.ndarray, V: np.ndarray) -> np.ndarray:
        W = np.asarray(W, dtype=float)
        V = np.asarray(V, dtype=float)
        if self.per_draw:
            return self._per_draw(W, V)
        fast = bool((W[:, self.active] > 0).all()) if self.active.any() else True
        c = W.shape[0]
        num = np.zeros((c, self.n))
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            if fast:
                for k, (idx, xt, mt, _, has) in enumerate(self.blocks):
                    if idx.size == 0:
                        continue
                    wk = W[:, idx]
                    vk = V[:, k : k + 1]
                    if self.same:
                        nk = (wk * vk) @ xt
                        nk /= wk @ mt
                    else:
                        nk = wk @ xt
                        nk /= wk @ mt
                        nk = self._convert(nk)
                        np.copyto(nk, 0.0, where=~has)
                        nk *= vk
                    num += nk
                den = V @ self.okT
            else:
                den = np.zeros((c, self.n))
                for k, (idx, xt, _, mt_raw, _) in enumerate(self.blocks):
                    if idx.size == 0:
                        continue
                    wk = W[:, idx]
                    dk = wk @ mt_raw
                    okk = dk > 0
                    d = np.divide(wk @ xt, dk, out=np.zeros_like(dk), where=okk)
                    if not self.same:
                        d = np.where(okk, self._convert(d), 0.0)
                    num += V[:, k : k + 1] * d
                    den += V[:, k : k + 1] * okk
            num /= den
            if self.gd.finv is not None:
                num = self.gd.finv(num)
        return num

    def _convert(self, d: np.ndarray) -> np.ndarray:
        """Mean in the indicator generator's space -> value in the dimension generator's space."""
        x = d if self.gi.finv is None else self.gi.finv(d)
        return x if self.gd.f is None else self.gd.f(x)

    def _per_draw(self, W: np.ndarray, V: np.ndarray) -> np.ndarray:
        out = np.empty((W.shape[0], self.n))
        for s in range(W.shape[0]):
            _, out[s] = aggregate_levels(
                self.X,
                self.dim_of,
                np.where(self.active, W[s], 0.0),
                V[s],
                *self.rules,
                indicator_power=self.powers[0],
                dimension_power=self.powers[1],
            )
        return out


def aggregate_draws(
    normalised: np.ndarray,
    dim_of: np.ndarray,
    indicator_weights: np.ndarray,
    dimension_weights: np.ndarray,
    indicator_aggregation: str = "arithmetic",
    dimension_aggregation: str = "arithmetic",
    *,
    indicator_power: float = 0.5,
    dimension_power: float = 0.5,
) -> np.ndarray:
    """Overall scores for many weight draws: (draws x units); 1-D weights give 1-D.

    The same numbers as :func:`aggregate_levels` draw by draw; indicators whose weight is 0 in
    every draw are left out.

    >>> X = np.array([[20.0, 80.0, 10.0], [40.0, np.nan, np.nan]])
    >>> aggregate_draws(X, np.array([0, 0, 1]), np.ones(3), np.array([1.0, 3.0])).tolist()
    [20.0, 40.0]
    """
    W = np.asarray(indicator_weights, dtype=float)
    V = np.asarray(dimension_weights, dtype=float)
    one = W.ndim == 1 and V.ndim == 1
    W, V = np.atleast_2d(W), np.atleast_2d(V)
    draws = max(W.shape[0], V.shape[0])
    W = np.broadcast_to(W, (draws, W.shape[1]))
    V = np.broadcast_to(V, (draws, V.shape[1]))
    kernel = DrawAggregation(
        normalised,
        dim_of,
        V.shape[1],
        (W > 0).any(axis=0),
        indicator_aggregation,
        dimension_aggregation,
        indicator_power=indicator_power,
        dimension_power=dimension_power,
    )
    out = kernel.overall(W, V)
    return out[0] if one else out


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
    out = np.full((rows, n), np.nan)
    if rows == 0 or n == 0:
        return out
    down = np.negative(s)
    order = np.argsort(down, axis=1)  # ascending -score: best first, NaN last
    sv = np.take_along_axis(down, order, axis=1)
    step = np.abs(sv[:, 1:])
    np.maximum(step, 1.0, out=step)
    step *= tolerance
    with np.errstate(invalid="ignore"):
        new = np.diff(sv, axis=1) > step
    complete = not np.isnan(sv[:, -1]).any()  # NaN sorts last
    if complete and new.all():  # no ties: ranks 1..n in order
        pos = np.broadcast_to(np.arange(1.0, n + 1.0), (rows, n))
    else:
        pos = np.empty((rows, n))
        pos[:, 0] = 1.0
        np.multiply(new, np.arange(2.0, n + 1.0), out=pos[:, 1:])
        np.maximum.accumulate(pos, axis=1, out=pos)
        if not complete:
            pos[np.isnan(sv)] = np.nan
    np.put_along_axis(out, order, pos, axis=1)
    return out
