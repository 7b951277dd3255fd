"""Sensitivity analysis: which uncertain choice drives the ranks, and what each element adds.

Variance-based indices (Saltelli et al. 2010, "Variance based sensitivity analysis of model
output", Comput. Phys. Commun. 181; the design COINr's ``get_sensitivity(SA_type = "SA")`` uses):

* two independent N x d matrices A and B of U(0, 1) draws, and for each input i the matrix
  A_B^i = A with column i taken from B: N (d + 2) model runs in all;
* first order (Saltelli 2010):  S_i  = mean(f(B) (f(A_B^i) - f(A))) / V
* total order (Jansen 1999):    ST_i = mean((f(A) - f(A_B^i))^2) / (2 V)
  with V = var(f(A) ++ f(B)) (sample variance, n - 1, as COINr).

For the scorecard the inputs are each dimension weight (w (1 + noise (2u - 1)), u ~ U(0, 1)),
and, when they have more than one feasible choice, the normalisation, the aggregation and
imputation on/off (discrete: choice floor(u x m) of m, each with probability 1/m). Outputs:
(a) a chosen country's rank and (b) the mean absolute rank shift against the nominal ranks,
mean_c |rank_c - nominal_rank_c| over the countries ranked in both (COINr's target).

Leave-one-out (COINr ``remove_elements``): drop each indicator and each dimension in turn (the
remaining weights are rescaled by the means) and report the mean and max |rank change|.

Worked example for the estimators: f(x1, x2) = x1 + 2 x2 with x ~ U(0, 1) has V = 5/12 and
S_1 = ST_1 = (1/12) / (5/12) = 0.2, S_2 = ST_2 = 0.8 (a linear model has no interactions).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.aggregate import aggregate_levels, rank_scores
from scoring.alternatives import Variations, build_alternatives, nominal_scorecard
from scoring.errors import Country, EngineError

__all__ = [
    "saltelli_sample",
    "sobol_indices",
    "variance_sensitivity",
    "leave_one_out",
]

#: What the variance-based indices vary besides the dimension weights, unless told otherwise.
DEFAULT_VARIATIONS = Variations.of(normalisation=True, aggregation=True)


# ---------------------------------------------------------------------------------------------
# generic estimators


def saltelli_sample(n: int, d: int, rng: np.random.Generator) -> np.ndarray:
    """The N (d + 2) x d design: rows of A, then B, then A_B^1 ... A_B^d (A with column i of B).

    >>> X = saltelli_sample(4, 3, np.random.default_rng(0))
    >>> X.shape, bool((X[8:12, 1:] == X[:4, 1:]).all()), bool((X[8:12, 0] == X[4:8, 0]).all())
    ((20, 3), True, True)
    """
    n, d = int(n), int(d)
    if n < 2 or d < 1:
        raise ValueError(f"saltelli sample: need N >= 2 and d >= 1, got N = {n}, d = {d}")
    base = rng.random((n, 2 * d))
    A, B = base[:, :d], base[:, d:]
    out = np.empty((n * (d + 2), d))
    out[:n] = A
    out[n : 2 * n] = B
    for i in range(d):
        block = out[(2 + i) * n : (3 + i) * n]
        block[:] = A
        block[:, i] = B[:, i]
    return out


def sobol_indices(
    y: np.ndarray, n: int, d: int, *, bootstrap: int = 0, rng: np.random.Generator | None = None
) -> pd.DataFrame:
    """First-order (Saltelli 2010) and total (Jansen) indices from outputs in
    :func:`saltelli_sample` row order. With ``bootstrap`` > 0 also 5 % / 95 % bootstrap bounds.

    Returns one row per input: first_order, total_order (and *_q05, *_q95); attrs["variance"].
    Indices are NaN when the output does not vary.

    >>> X = saltelli_sample(20000, 2, np.random.default_rng(0))
    >>> ind = sobol_indices(X[:, 0] + 2 * X[:, 1], 20000, 2)
    >>> ind.round(1).to_numpy().tolist()
    [[0.2, 0.2], [0.8, 0.8]]
    """
    y = np.asarray(y, dtype=float)
    n, d = int(n), int(d)
    if y.shape != (n * (d + 2),):
        raise ValueError(f"sobol indices: expected {n * (d + 2)} outputs, got {y.shape}")
    yA, yB = y[:n], y[n : 2 * n]
    yAB = y[2 * n :].reshape(d, n)
    var = float(np.var(np.concatenate([yA, yB]), ddof=1))
    first_terms = yB[None, :] * (yAB - yA[None, :])  # d x n
    total_terms = (yA[None, :] - yAB) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = 1.0 / var if var > 0 else np.nan
        out = pd.DataFrame(
            {
                "first_order": first_terms.mean(axis=1) * scale,
                "total_order": total_terms.mean(axis=1) * scale / 2.0,
            }
        )
        if bootstrap:
            rng = rng or np.random.default_rng(0)
            idx = rng.integers(n, size=(int(bootstrap), n))
            fb = first_terms[:, idx].mean(axis=2) * scale  # d x boot
            tb = total_terms[:, idx].mean(axis=2) * scale / 2.0
            out["first_order_q05"], out["first_order_q95"] = np.quantile(fb, [0.05, 0.95], axis=1)
            out["total_order_q05"], out["total_order_q95"] = np.quantile(tb, [0.05, 0.95], axis=1)
    out.attrs["variance"] = var
    return out


# ---------------------------------------------------------------------------------------------
# the scorecard as a model


def _rank_outputs(sc, alternatives, codes_per_row, W, V, country_pos):
    """Ranks for every row of (W, V) with alternative ``codes_per_row``; returns
    (country rank per row or None, mean |rank - nominal| per row)."""
    k = sc.kernel
    n = len(k.iso3)
    ranks = np.empty((V.shape[0], n))
    chunk = int(max(64, 65536 // max(n, 1)))  # cache-sized draws x countries arrays
    for a, alt in enumerate(alternatives):
        counted = alt.active(k.indicator_weights).astype(float)
        rows = np.flatnonzero(codes_per_row == a)
        for c0 in range(0, rows.size, chunk):
            r = rows[c0 : c0 + chunk]
            _, y = aggregate_levels(
                alt.normalised,
                k.dim_of,
                W[r] * counted,
                V[r],
                alt.indicator_aggregation,
                alt.dimension_aggregation,
                indicator_power=alt.indicator_power,
                dimension_power=alt.dimension_power,
            )
            ranks[r] = rank_scores(y)
    nominal = np.asarray(sc.rank_array, dtype=float)
    shift = np.abs(ranks - nominal[None, :])
    both = ~np.isnan(shift)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_shift = np.where(both, shift, 0.0).sum(axis=1) / both.sum(axis=1)
    country = None if country_pos is None else ranks[:, country_pos].copy()
    return country, mean_shift


def variance_sensitivity(
    source,
    method=None,
    *,
    country: str | None = None,
    n: int = 1000,
    weight_noise: float = 0.25,
    variations: Variations | None = DEFAULT_VARIATIONS,
    seed: int = 0,
    bootstrap: int = 0,
) -> pd.DataFrame:
    """First-order and total indices of each uncertain input on the ranks (see module docstring).

    Inputs: every dimension with positive weight ("weight: <dimension>"), and each factor of
    ``variations`` ("normalisation", "aggregation", "imputation", "left_out") that has more than
    one feasible choice (:func:`scoring.alternatives.build_alternatives`). Targets: "mean absolute rank shift" and, with
    ``country``, "rank of <ISO3>". Returns a long DataFrame: target, input, first_order,
    total_order (+ bootstrap bounds); attrs hold N, the variance per target and dropped choices.
    Uses N (d + 2) pipeline evaluations, vectorised.
    """
    sc = nominal_scorecard(source, method)
    if not 0.0 <= weight_noise < 1.0:
        raise EngineError("weight noise: must be in [0, 1), got {value:g}", value=weight_noise)
    grid = build_alternatives(sc, variations)
    k = sc.kernel
    iso3 = [str(c) for c in k.iso3]
    country_pos = None
    if country is not None:
        if country not in iso3:
            raise EngineError(
                "country: {country} is not among the scored countries", country=Country(country)
            )
        country_pos = iso3.index(country)
    w_dim = np.asarray(k.dimension_weights, dtype=float)
    dims = np.flatnonzero(w_dim > 0)
    names = [f"weight: {k.dimensions[j]}" for j in dims] + [name for name, _ in grid.factors]
    d = len(names)
    if d == 0:
        raise EngineError("sensitivity: nothing varies (no weighted dimension and no choices)")
    rng = np.random.default_rng(seed)
    U = saltelli_sample(n, d, rng)
    V = np.tile(w_dim, (U.shape[0], 1))
    V[:, dims] = w_dim[dims] * (1.0 + weight_noise * (2.0 * U[:, : dims.size] - 1.0))
    m_rows = U.shape[0]
    if grid.factors:
        sizes = np.array([len(c) for _, c in grid.factors])
        picks = np.minimum((U[:, dims.size :] * sizes).astype(np.intp), sizes - 1)
        strides = np.array([int(np.prod(sizes[i + 1 :])) for i in range(sizes.size)])
        codes = picks @ strides
    else:
        codes = np.zeros(m_rows, dtype=np.intp)
    W = np.broadcast_to(np.asarray(k.indicator_weights, dtype=float), (m_rows, len(k.indicators)))
    y_country, y_shift = _rank_outputs(sc, grid.alternatives, codes, W, V, country_pos)
    targets = [("mean absolute rank shift", y_shift)]
    if y_country is not None:
        targets.insert(0, (f"rank of {country}", y_country))
    frames, variances = [], {}
    for label, y in targets:
        ind = sobol_indices(y, n, d, bootstrap=bootstrap, rng=np.random.default_rng(seed + 1))
        variances[label] = ind.attrs["variance"]
        ind.insert(0, "input", names)
        ind.insert(0, "target", label)
        frames.append(ind)
    out = pd.concat(frames, ignore_index=True)
    out.attrs = {
        "n": int(n),
        "runs": int(m_rows),
        "seed": int(seed),
        "weight_noise": float(weight_noise),
        "variance": variances,
        "factors": grid.labelled_factors(),
        "dropped": grid.dropped_records(),
    }
    return out


# ---------------------------------------------------------------------------------------------
# leave one out


def _loo_runs(sc):
    """(level, removed) per weighted element, and the ranks with it removed (rows)."""
    k = sc.kernel
    w_ind = np.asarray(k.indicator_weights, dtype=float)
    w_dim = np.asarray(k.dimension_weights, dtype=float)
    labels, W, V = [], [], []
    for j in np.flatnonzero(w_ind > 0):
        w = w_ind.copy()
        w[j] = 0.0
        labels.append(("indicator", k.indicators[j]))
        W.append(w)
        V.append(w_dim)
    for j in np.flatnonzero(w_dim > 0):
        v = w_dim.copy()
        v[j] = 0.0
        labels.append(("dimension", k.dimensions[j]))
        W.append(w_ind)
        V.append(v)
    if not labels:
        return labels, np.zeros((0, len(k.iso3)))
    _, overall = aggregate_levels(
        k.normalised,
        k.dim_of,
        np.array(W),
        np.array(V),
        k.indicator_aggregation,
        k.dimension_aggregation,
        indicator_power=k.indicator_power,
        dimension_power=k.dimension_power,
    )
    return labels, rank_scores(overall)


def leave_one_out(source, method=None) -> pd.DataFrame:
    """Mean and max |rank change| when each weighted indicator and dimension is removed.

    One row per removed element: level ("indicator" / "dimension"), removed, mean_abs_rank_change
    and max_abs_rank_change over the countries ranked both before and after, compared (their
    number) and lost (countries left without a score). Weights of the rest are rescaled; the
    scored countries stay the scorecard's.
    """
    sc = nominal_scorecard(source, method)
    labels, ranks = _loo_runs(sc)
    nominal = np.asarray(sc.rank_array, dtype=float)
    change = np.abs(ranks - nominal[None, :])
    both = ~np.isnan(change)
    diff = np.where(both, change, 0.0)
    compared = both.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(compared > 0, diff.sum(axis=1) / np.maximum(compared, 1), np.nan)
    return pd.DataFrame(
        {
            "level": pd.array([lv for lv, _ in labels], dtype="str"),
            "removed": pd.array([r for _, r in labels], dtype="str"),
            "mean_abs_rank_change": mean,
            "max_abs_rank_change": np.where(
                compared > 0, diff.max(axis=1, initial=0).astype(np.int64), np.nan
            ),
            "compared": compared,
            "lost": (np.isnan(ranks) & ~np.isnan(nominal)[None, :]).sum(axis=1),
        }
    )
