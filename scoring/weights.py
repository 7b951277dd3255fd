"""Weights: validation, rescaling per level, presets, effective weights.

Rules
-----
* Weights are hierarchical: indicator weights within each dimension, dimension weights for the
  overall score. Each level is rescaled to sum 1 (within a dimension for indicators).
* Weight 0 leaves an item out; a negative or non-finite weight is rejected, and so is a level
  whose weights are all zero ("dimension weights: all are zero"; a dimension with positive weight
  whose indicator weights are all zero). Messages name the culprit.
* Effective weight (COINr ``get_eff_weights``): the product of the rescaled weights down the
  hierarchy, w_eff(i) = w_ind(i) / sum_{j in dim(i)} w_ind(j) * w_dim(dim(i)) / sum(w_dim).
  It is the nominal share of each indicator in the overall score (sums to 1).
* Correlation importance (Paruolo, Saisana and Saltelli 2013; COINr reports the correlations,
  the handbook uses them to check weights): S_i = r(x_i, overall)^2 / sum_j r(x_j, overall)^2
  with Pearson r over the countries that have both values. It shows how much each indicator
  actually drives the ranking, which can differ a lot from the nominal weight.

Presets (``WEIGHT_PRESETS``; ``Method.weight_preset`` picks one, overrides are applied after):

* ``catalogue``: the catalogue's default weights.
* ``equal_indicator``: every counted indicator (catalogue weight > 0) gets the same effective
  weight: indicator weights 1, dimension weight = number of counted indicators.
* ``equal_dimension``: every dimension weight 1, counted indicators equal within each.
* ``pca``: within each dimension, the loadings v of the first principal component of the
  correlation matrix of the normalised indicators over complete cases; weights v_i^2 / sum v^2
  (the OECD/JRC handbook's squared-loading rule). Indicators without spread in the complete
  cases get 0; a dimension with fewer than 3 complete cases keeps its catalogue weights.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.errors import Dimension, EngineError, Indicator, Listed, Quoted, Setting

__all__ = [
    "WEIGHT_PRESETS",
    "WeightPreset",
    "validate_weights",
    "rescale",
    "within_dimension",
    "effective_weight_array",
    "correlation_importance",
    "pca_weights",
    "apply_preset",
    "preset_arrays",
    "before_normalising",
    "with_overrides",
    "same_weight",
]


def rescale(w: np.ndarray) -> np.ndarray:
    """w / sum(w).

    >>> rescale(np.array([1.0, 3.0])).tolist()
    [0.25, 0.75]
    """
    w = np.asarray(w, dtype=float)
    return w / w.sum()


def within_dimension(w_ind: np.ndarray, dim_of: np.ndarray, n_dim: int) -> np.ndarray:
    """Indicator weights rescaled to sum 1 within each dimension (all-zero dimensions stay 0).

    >>> within_dimension(np.array([1.0, 3.0, 2.0]), np.array([0, 0, 1]), 2).tolist()
    [0.25, 0.75, 1.0]
    """
    w_ind = np.asarray(w_ind, dtype=float)
    sums = np.bincount(dim_of, weights=w_ind, minlength=n_dim)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = w_ind / sums[dim_of]
    return np.where(sums[dim_of] > 0, out, 0.0)


def effective_weight_array(w_ind: np.ndarray, dim_of: np.ndarray, w_dim: np.ndarray) -> np.ndarray:
    """COINr effective weights: within-dimension share times dimension share.

    >>> effective_weight_array(np.array([1.0, 3.0, 2.0]), np.array([0, 0, 1]), np.array([1.0, 1.0])).tolist()
    [0.125, 0.375, 0.5]
    """
    w_dim = np.asarray(w_dim, dtype=float)
    return within_dimension(w_ind, dim_of, len(w_dim)) * rescale(w_dim)[dim_of]


def validate_weights(
    w_ind: np.ndarray,
    dim_of: np.ndarray,
    w_dim: np.ndarray,
    indicators: Sequence[str],
    dimensions: Sequence[str],
) -> None:
    """Raise EngineError (a ValueError) naming negative/non-finite weights and all-zero levels.

    >>> validate_weights(np.array([1.0, -1.0]), np.array([0, 0]), np.array([1.0]), ["a", "b"], ["d"])
    Traceback (most recent call last):
    ...
    scoring.errors.EngineError: d: negative weight -1 for b
    """
    w_ind = np.asarray(w_ind, dtype=float)
    w_dim = np.asarray(w_dim, dtype=float)
    for i, v in enumerate(w_ind):
        if not np.isfinite(v):
            raise EngineError(
                "{dimension}: weight of {indicator} is not a number",
                dimension=Dimension(dimensions[dim_of[i]]),
                indicator=Indicator(indicators[i]),
            )
        if v < 0:
            raise EngineError(
                "{dimension}: negative weight {weight:g} for {indicator}",
                dimension=Dimension(dimensions[dim_of[i]]),
                weight=float(v),
                indicator=Indicator(indicators[i]),
            )
    for d, v in enumerate(w_dim):
        if not np.isfinite(v):
            raise EngineError(
                "dimension weights: weight of {dimension} is not a number",
                dimension=Dimension(dimensions[d]),
            )
        if v < 0:
            raise EngineError(
                "dimension weights: negative weight {weight:g} for {dimension}",
                weight=float(v),
                dimension=Dimension(dimensions[d]),
            )
    if not (w_dim > 0).any():
        raise EngineError("dimension weights: all are zero")
    sums = np.bincount(dim_of, weights=w_ind, minlength=len(w_dim))
    for d in np.flatnonzero((w_dim > 0) & (sums <= 0)):
        raise EngineError(
            "{dimension}: all indicator weights are zero (set the dimension weight to 0 to "
            "leave the dimension out)",
            dimension=Dimension(dimensions[d]),
        )


# ---------------------------------------------------------------------------- presets
def _catalogue(N, dim_of, base_ind, base_dim):
    return np.asarray(base_ind, float).copy(), np.asarray(base_dim, float).copy()


def _equal_indicator(N, dim_of, base_ind, base_dim):
    w = (np.asarray(base_ind) > 0).astype(float)
    counts = np.bincount(dim_of, weights=w, minlength=len(base_dim))
    return w, counts


def _equal_dimension(N, dim_of, base_ind, base_dim):
    w = (np.asarray(base_ind) > 0).astype(float)
    return w, np.ones(len(base_dim))


def pca_weights(N: np.ndarray, dim_of: np.ndarray, base_ind, base_dim):
    """Squared first-component loadings within each dimension (see module docstring).

    Returns (indicator weights, dimension weights); dimension weights are the base ones.

    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=50)
    >>> N = np.c_[f + 0.1 * rng.normal(size=50), f + 0.1 * rng.normal(size=50), rng.normal(size=50)]
    >>> w, _ = pca_weights(N, np.array([0, 0, 0]), np.ones(3), np.ones(1))
    >>> bool(w[0] > 0.4 and w[1] > 0.4 and w[2] < 0.1)
    True
    """
    N = np.asarray(N, dtype=float)
    base_ind = np.asarray(base_ind, dtype=float)
    w = base_ind.copy()
    for d in range(len(base_dim)):
        idx = np.flatnonzero((dim_of == d) & (base_ind > 0))
        if idx.size < 2:
            continue
        block = N[:, idx]
        complete = block[~np.isnan(block).any(axis=1)]
        if complete.shape[0] < 3:
            continue
        sd = complete.std(axis=0, ddof=1)
        live = sd > 0
        if live.sum() == 0:
            continue
        if live.sum() == 1:
            loadings = live.astype(float)
        else:
            z = (complete[:, live] - complete[:, live].mean(axis=0)) / sd[live]
            corr = np.atleast_2d(np.corrcoef(z, rowvar=False))
            vals, vecs = np.linalg.eigh(corr)
            v = vecs[:, np.argmax(vals)]
            loadings = np.zeros(idx.size)
            loadings[live] = v
        sq = loadings**2
        w[idx] = sq / sq.sum()
    return w, np.asarray(base_dim, dtype=float).copy()


@dataclass(frozen=True)
class WeightPreset:
    """A registry entry: ``function(N, dim_of, base_ind, base_dim) -> (w_ind, w_dim)``."""

    name: str
    label: str
    rule: str
    function: Callable
    data_driven: bool = False


WEIGHT_PRESETS: dict[str, WeightPreset] = {
    p.name: p
    for p in [
        WeightPreset("catalogue", "Catalogue defaults", "the catalogue's weights", _catalogue),
        WeightPreset(
            "equal_indicator",
            "Equal per indicator",
            "every counted indicator has the same effective weight",
            _equal_indicator,
        ),
        WeightPreset(
            "equal_dimension",
            "Equal per dimension",
            "every dimension weighs the same; indicators equal within it",
            _equal_dimension,
        ),
        WeightPreset(
            "pca",
            "PCA-derived",
            "squared first-component loadings within each dimension",
            pca_weights,
            data_driven=True,
        ),
    ]
}


def preset_arrays(
    name: str,
    weight: np.ndarray,
    dim_of: np.ndarray,
    dimension_weight: np.ndarray,
    normalised: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The one resolution of a weight preset: nominal (indicator, dimension) weights from the
    catalogue's, before a Method's overrides and before rescaling. `normalised` (countries x
    indicators) feeds a data-driven preset; without it such a preset is a ValueError.

    >>> w_ind, w_dim = preset_arrays("equal_dimension", np.array([2.0, 1.0, 0.0]),
    ...                              np.array([0, 0, 1]), np.array([3.0, 1.0]))
    >>> w_ind.tolist(), w_dim.tolist()
    ([1.0, 1.0, 0.0], [1.0, 1.0])
    """
    preset = WEIGHT_PRESETS.get(name)
    if preset is None:
        raise EngineError(
            "unknown weight preset {name} (known: {known})",
            name=Quoted(repr(name)),
            known=Listed(map(Setting, WEIGHT_PRESETS)),
        )
    if preset.data_driven and normalised is None:
        raise ValueError(f"weight preset {name} needs the normalised data")
    w_ind, w_dim = preset.function(
        normalised, dim_of, np.asarray(weight, dtype=float), np.asarray(dimension_weight, float)
    )
    return np.array(w_ind, dtype=float), np.array(w_dim, dtype=float)


def before_normalising(name: str) -> str:
    """The preset that stands for `name` before there are normalised data (screening the
    countries, seeding the sliders): a data-driven preset starts from the catalogue's weights.

    >>> before_normalising("pca"), before_normalising("equal_dimension")
    ('catalogue', 'equal_dimension')
    """
    return "catalogue" if WEIGHT_PRESETS[name].data_driven else name


def with_overrides(
    weights: np.ndarray, ids: Sequence[str], overrides: Iterable[tuple[str, float]]
) -> np.ndarray:
    """`weights` (one per id) with a Method's (id, weight) overrides put in.

    >>> with_overrides(np.array([1.0, 1.0]), ["a", "b"], [("b", 2.5)]).tolist()
    [1.0, 2.5]
    """
    out = np.array(weights, dtype=float)
    position = {key: k for k, key in enumerate(ids)}
    for key, value in overrides:
        out[position[key]] = float(value)
    return out


#: Two weights closer than this are the same weight (a slider's or a file's float noise).
WEIGHT_TOLERANCE = 1e-12


def same_weight(a: float, b: float) -> bool:
    """The one comparison of two weights: equal within ``WEIGHT_TOLERANCE``.

    >>> same_weight(0.1 + 0.2, 0.3), same_weight(1.0, 1.25)
    (True, False)
    """
    return abs(float(a) - float(b)) <= WEIGHT_TOLERANCE


def apply_preset(
    name: str,
    framework: pd.DataFrame,
    dimension_weights: Mapping[str, float] | None = None,
    normalised: pd.DataFrame | None = None,
) -> tuple[pd.Series, pd.Series]:
    """DataFrame form of :func:`preset_arrays`: (indicator weights, dimension weights).

    >>> fw = pd.DataFrame({"indicator": ["a", "b", "c"], "dimension": ["d1", "d1", "d2"],
    ...                    "direction": [1, 1, 1], "weight": [1.0, 0.0, 2.0]})
    >>> w_ind, w_dim = apply_preset("equal_indicator", fw)
    >>> w_ind.tolist(), w_dim.tolist()
    ([1.0, 0.0, 1.0], [1.0, 1.0])
    """
    dims = list(dict.fromkeys(framework["dimension"]))
    dim_of = framework["dimension"].map({d: i for i, d in enumerate(dims)}).to_numpy()
    base_dim = np.array([float((dimension_weights or {}).get(d, 1.0)) for d in dims])
    N = None
    if normalised is not None:
        N = normalised.reindex(columns=framework["indicator"]).to_numpy(dtype=float)
    w_ind, w_dim = preset_arrays(name, framework["weight"].to_numpy(float), dim_of, base_dim, N)
    return (
        pd.Series(w_ind, index=pd.Index(framework["indicator"], name="indicator"), name="weight"),
        pd.Series(w_dim, index=pd.Index(dims, name="dimension"), name="weight"),
    )


def correlation_importance(normalised: pd.DataFrame, overall: pd.Series) -> pd.Series:
    """r(x_i, overall)^2 / sum_j r(x_j, overall)^2, Pearson over pairwise-complete countries.

    >>> n = pd.DataFrame({"a": [0.0, 50, 100], "b": [10.0, 0, 20]}, index=["X", "Y", "Z"])
    >>> correlation_importance(n, pd.Series([0.0, 50, 100], index=["X", "Y", "Z"])).round(3).tolist()
    [0.8, 0.2]
    """
    o = overall.reindex(normalised.index)
    r = normalised.corrwith(o)
    sq = r.fillna(0.0) ** 2
    total = sq.sum()
    out = sq / total if total > 0 else sq
    out.name = "correlation_importance"
    out.index.name = "indicator"
    return out
