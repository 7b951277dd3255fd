"""Uncertainty analysis: Monte Carlo over weights and method choices, vectorised.

What varies (COINr ``get_sensitivity(SA_type = "UA")`` practice):

* indicator and dimension weights (each optional), either
  ``uniform``: w_i (1 + noise u_i), u_i ~ U(-1, 1) independently (COINr ``get_noisy_weights``), or
  ``dirichlet``: within each group (the indicators of a dimension; the dimensions), the group's
  nominal total times Dirichlet(alpha_i) with alpha_i = concentration * w_i / mean(positive w).
  Weight 0 stays 0 in both schemes (an excluded indicator stays excluded);
* the data and method choices of :class:`scoring.alternatives.Variations` (normalisation,
  aggregation, imputation, one indicator left out): each feasible combination is drawn with
  equal probability, and its normalised matrix computed once. Nominal weights are the
  scorecard's (after preset and overrides); a data-driven preset (PCA) is not re-estimated per
  alternative. When the normalisation varies, score statistics mix scales (z-scores with 0-100
  values): compare ranks, not scores, across normalisations.

Per country the table reports the nominal rank and score (those of the scorecard), and the
median, mean, 5th and 95th percentile of the rank and of the score over the draws (R's default
quantile, type 7 = numpy's "linear", as COINr). Ranks: :func:`scoring.aggregate.rank_scores`
(min method, 1 = best); a country without an overall score is unranked in that draw and left
out of its statistics. Scores come from :func:`scoring.aggregate.aggregate_levels` with a
block of weight draws at once (matrix products), never a DataFrame per draw.

Worked example (3 countries, 2 indicators in one dimension, arithmetic, 2 weight draws):
X = [[100, 0], [0, 100], [50, NaN]]. Draw 1 w = (1, 1): scores (50, 50, 50), ranks (1, 1, 1).
Draw 2 w = (3, 1): scores (75, 25, 50) (country 3 keeps 50: its only value gets all the weight),
ranks (1, 3, 2). Median rank of country 2 over the two draws: (1 + 3) / 2 = 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.aggregate import aggregate_levels, rank_scores
from scoring.alternatives import Alternative, Variations, build_alternatives, nominal_scorecard
from scoring.errors import EngineError, Listed, Quoted, Setting

__all__ = [
    "WEIGHT_SCHEMES",
    "PERCENTILES",
    "UncertaintySettings",
    "perturb_weights",
    "draw_weights",
    "quantile_type7",
    "quantiles_from_counts",
    "simulate",
    "SimulationSummary",
    "monte_carlo",
]

#: Weight perturbation schemes (the UI lists these).
WEIGHT_SCHEMES: dict[str, str] = {
    "uniform": "w (1 + noise u), u ~ U(-1, 1), each weight independently (COINr)",
    "dirichlet": "group total x Dirichlet(concentration x w / mean w) within each group",
}

#: The percentiles reported besides the mean: median, 5th and 95th (COINr's).
PERCENTILES = (0.5, 0.05, 0.95)

#: Draws are made in blocks of this many (weights, then the alternatives of the block): the
#: order they have always been made in, so that a seed keeps giving the same table.
_BLOCK = 4096

#: Draws scored per matrix product: keeps a chunk's draws x countries arrays cache-sized.
_CHUNK_CELLS = 65536


# ---------------------------------------------------------------------------------------------
# weights


def perturb_weights(
    weights: np.ndarray,
    draws: int,
    rng: np.random.Generator,
    *,
    scheme: str = "uniform",
    noise: float = 0.25,
    concentration: float = 50.0,
    groups: np.ndarray | None = None,
) -> np.ndarray:
    """Random weight sets around ``weights``: (draws x len(weights)); weight 0 stays 0.

    uniform: w (1 + noise u), u ~ U(-1, 1). dirichlet: per group g, sum(w_g) x Dirichlet(alpha)
    with alpha_i = concentration x w_i / mean(positive w_g); E[w_i] is the nominal weight.

    >>> rng = np.random.default_rng(0)
    >>> W = perturb_weights(np.array([1.0, 0.0, 2.0]), 1000, rng, noise=0.25)
    >>> W.shape, bool((W[:, 1] == 0).all()), bool((W[:, 0] >= 0.75).all() and (W[:, 0] <= 1.25).all())
    ((1000, 3), True, True)
    >>> perturb_weights(np.array([1.0, 3.0]), 2, rng, noise=0.0).tolist()
    [[1.0, 3.0], [1.0, 3.0]]
    """
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1 or not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("weights: expected finite, non-negative weights")
    draws = int(draws)
    if scheme == "uniform":
        if not 0.0 <= noise < 1.0:
            raise EngineError("weight noise: must be in [0, 1), got {value:g}", value=noise)
        if noise == 0.0:
            return np.tile(w, (draws, 1))
        u = rng.random((draws, w.size))
        u *= 2.0 * noise
        u += 1.0 - noise
        u *= w
        return u
    if scheme == "dirichlet":
        if not concentration > 0:
            raise EngineError("concentration: must be positive, got {value:g}", value=concentration)
        if np.isinf(concentration):
            return np.tile(w, (draws, 1))
        g = np.zeros(w.size, dtype=np.intp) if groups is None else np.asarray(groups, np.intp)
        out = np.zeros((draws, w.size))
        pos = w > 0
        for code in np.unique(g[pos]):
            idx = np.flatnonzero(pos & (g == code))
            alpha = concentration * w[idx] / w[idx].mean()
            gam = rng.standard_gamma(alpha, size=(draws, idx.size))
            total = gam.sum(axis=1, keepdims=True)
            with np.errstate(invalid="ignore", divide="ignore"):
                share = np.where(total > 0, gam / total, 1.0 / idx.size)
            out[:, idx] = share * w[idx].sum()
        return out
    raise EngineError(
        "weight scheme: unknown choice {value} (known: {known})",
        value=Quoted(repr(scheme)),
        known=Listed(map(Setting, WEIGHT_SCHEMES)),
    )


# ---------------------------------------------------------------------------------------------
# percentiles


def quantile_type7(rows: np.ndarray, counts: np.ndarray, probs: Sequence[float]) -> np.ndarray:
    """Type-7 quantiles of each row's ``counts[i]`` valid values (R's default, as COINr).

    h = (m - 1) p; q = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]) over the row's m
    values in ascending order. Values past the valid ones must sort last (NaN, or a sentinel
    above every value). Rows are partitioned, not sorted: the row is not changed.

    >>> quantile_type7(np.array([[4.0, 2.0, np.nan, 1.0, 3.0]]), np.array([4]), [0.5, 0.05]).round(2).tolist()
    [[2.5, 1.15]]
    """
    X = np.atleast_2d(rows)
    m = np.asarray(counts)
    out = np.full((X.shape[0], len(probs)), np.nan)
    p = np.asarray(probs, dtype=float)
    for size in np.unique(m[m > 0]):
        which = np.flatnonzero(m == size)
        h = (size - 1) * p
        lo = np.floor(h).astype(np.intp)
        hi = np.minimum(lo + 1, size - 1)
        part = np.partition(X[which], np.unique(np.concatenate([lo, hi])), axis=1)
        a, b = part[:, lo].astype(float), part[:, hi].astype(float)
        out[which] = a + (h - lo) * (b - a)
    return out


def quantiles_from_counts(counts: np.ndarray, probs: Sequence[float]) -> np.ndarray:
    """Type-7 quantiles of integer ranks given as counts: counts[i, r] = draws with rank r.

    Column 0 (unranked draws) is ignored. Same result as ``np.quantile`` on the expanded sample.

    >>> quantiles_from_counts(np.array([[5, 1, 0, 1]]), [0.5, 0.05]).tolist()
    [[2.0, 1.1]]
    """
    C = np.atleast_2d(np.asarray(counts))[:, 1:]
    cum = np.cumsum(C, axis=1)
    m = cum[:, -1] if C.shape[1] else np.zeros(C.shape[0], dtype=np.int64)
    out = np.full((C.shape[0], len(probs)), np.nan)
    has = m > 0
    for j, p in enumerate(probs):
        h = (m - 1) * float(p)
        lo = np.floor(h).astype(np.int64)
        hi = np.minimum(lo + 1, np.maximum(m - 1, 0))
        # value of order statistic k (0-based) = 1 + number of ranks whose cumulative count <= k
        a = 1 + (cum <= lo[:, None]).sum(axis=1)
        b = 1 + (cum <= hi[:, None]).sum(axis=1)
        out[has, j] = (a + (h - lo) * (b - a))[has]
    return out


# ---------------------------------------------------------------------------------------------
# settings and draws


@dataclass(frozen=True)
class UncertaintySettings:
    """How the weights vary in a Monte Carlo run (see the module docstring)."""

    draws: int = 1000
    scheme: str = "uniform"
    weight_noise: float = 0.25
    concentration: float = 50.0
    vary_indicator_weights: bool = True
    vary_dimension_weights: bool = True
    seed: int = 0

    def __post_init__(self) -> None:
        if int(self.draws) < 1:
            raise EngineError("draws: must be at least 1, got {value}", value=Quoted(self.draws))
        if self.scheme not in WEIGHT_SCHEMES:
            raise EngineError(
                "weight scheme: unknown choice {value} (known: {known})",
                value=Quoted(repr(self.scheme)),
                known=Listed(map(Setting, WEIGHT_SCHEMES)),
            )
        if self.scheme == "uniform" and not 0.0 <= float(self.weight_noise) < 1.0:
            raise EngineError(
                "weight noise: must be in [0, 1), got {value:g}", value=float(self.weight_noise)
            )
        if self.scheme == "dirichlet" and not float(self.concentration) > 0:
            raise EngineError(
                "concentration: must be positive, got {value:g}", value=float(self.concentration)
            )

    def record(self) -> dict:
        """The settings as plain values (a table's ``attrs``)."""
        return {
            "draws": int(self.draws),
            "seed": int(self.seed),
            "scheme": self.scheme,
            "weight_noise": float(self.weight_noise),
            "concentration": float(self.concentration),
            "vary_indicator_weights": bool(self.vary_indicator_weights),
            "vary_dimension_weights": bool(self.vary_dimension_weights),
        }


def draw_weights(
    settings: UncertaintySettings,
    indicator_weights: np.ndarray,
    dimension_weights: np.ndarray,
    dimension_of: np.ndarray,
    n_alternatives: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every draw of a run: (W: draws x indicators, V: draws x dimensions, alternative index).

    Indicator weights are perturbed within dimensions (the Dirichlet groups); the same seed
    gives the same draws.
    """
    w_ind = np.asarray(indicator_weights, dtype=float)
    w_dim = np.asarray(dimension_weights, dtype=float)
    rng = np.random.default_rng(settings.seed)
    kw = dict(
        scheme=settings.scheme, noise=settings.weight_noise, concentration=settings.concentration
    )
    Ws, Vs, picks = [], [], []
    total = int(settings.draws)
    for start in range(0, total, _BLOCK):
        m = min(_BLOCK, total - start)
        if settings.vary_indicator_weights:
            Ws.append(perturb_weights(w_ind, m, rng, groups=dimension_of, **kw))
        else:
            Ws.append(np.tile(w_ind, (m, 1)))
        if settings.vary_dimension_weights:
            Vs.append(perturb_weights(w_dim, m, rng, **kw))
        else:
            Vs.append(np.tile(w_dim, (m, 1)))
        if n_alternatives > 1:
            picks.append(rng.integers(n_alternatives, size=m))
        else:
            picks.append(np.zeros(m, dtype=np.intp))
    return np.concatenate(Ws), np.concatenate(Vs), np.concatenate(picks)


# ---------------------------------------------------------------------------------------------
# the simulation on arrays


@dataclass
class SimulationSummary:
    """Per-country statistics over the draws (rows aligned with the countries)."""

    rank_stats: np.ndarray  # countries x 4: median, p05, p95, mean
    score_stats: np.ndarray  # countries x 4: median, p05, p95, mean
    alternative_counts: np.ndarray  # draws that used each alternative


def simulate(
    alternatives: Sequence[Alternative],
    dimension_of: np.ndarray,
    indicator_weights: np.ndarray,
    dimension_weights: np.ndarray,
    settings: UncertaintySettings | None = None,
) -> SimulationSummary:
    """Run the Monte Carlo on arrays: every draw picks weights and one alternative at random.

    Draws are scored alternative by alternative in cache-sized chunks; every draw's rank (2
    bytes) and score (8 bytes) is kept for exact percentiles (rank percentiles from each
    country's rank counts): 20 MB for 200 countries and 10,000 draws.
    """
    settings = settings or UncertaintySettings()
    alts = list(alternatives)
    if not alts:
        raise EngineError("uncertainty: no feasible alternative to draw from")
    dim_of = np.asarray(dimension_of, dtype=np.intp)
    w_ind = np.asarray(indicator_weights, dtype=float)
    w_dim = np.asarray(dimension_weights, dtype=float)
    W, V, choice = draw_weights(settings, w_ind, w_dim, dim_of, len(alts))
    order = np.argsort(choice, kind="stable")  # statistics do not depend on the draws' order
    W, V = W[order], V[order]
    bounds = np.searchsorted(choice[order], np.arange(len(alts) + 1))
    n, S = alts[0].normalised.shape[0], W.shape[0]
    # ranks 1..n, 0 = unranked in that draw
    rank_cells = np.empty((n, S), dtype=np.int16 if n < np.iinfo(np.int16).max else np.int32)
    score_cells = np.empty((n, S))
    chunk = int(max(64, _CHUNK_CELLS // max(n, 1)))
    for a, alt in enumerate(alts):
        counted = alt.active(w_ind).astype(float)  # 0 for the indicator it leaves out
        for c0 in range(bounds[a], bounds[a + 1], chunk):
            c1 = min(bounds[a + 1], c0 + chunk)
            _, y = aggregate_levels(
                alt.normalised,
                dim_of,
                W[c0:c1] * counted,
                V[c0:c1],
                alt.indicator_aggregation,
                alt.dimension_aggregation,
                indicator_power=alt.indicator_power,
                dimension_power=alt.dimension_power,
            )
            score_cells[:, c0:c1] = y.T
            rank_cells[:, c0:c1] = np.nan_to_num(rank_scores(y), nan=0.0).T
    # counts[i, r]: draws that ranked country i r-th (exact integer percentiles, r = 0 left out)
    counts = np.array([np.bincount(row, minlength=n + 1) for row in rank_cells])
    rank_valid = counts[:, 1:].sum(axis=1)
    rank_total = counts[:, 1:] @ np.arange(1.0, n + 1.0)
    scored = np.isfinite(score_cells)
    score_valid = scored.sum(axis=1)
    score_total = np.where(scored, score_cells, 0.0).sum(axis=1)
    score_cells[~scored] = np.nan  # sorts last
    with np.errstate(invalid="ignore", divide="ignore"):
        rank_mean = np.where(rank_valid > 0, rank_total / np.maximum(rank_valid, 1), np.nan)
        score_mean = np.where(score_valid > 0, score_total / np.maximum(score_valid, 1), np.nan)
    return SimulationSummary(
        rank_stats=np.column_stack([quantiles_from_counts(counts, PERCENTILES), rank_mean]),
        score_stats=np.column_stack(
            [quantile_type7(score_cells, score_valid, PERCENTILES), score_mean]
        ),
        alternative_counts=np.bincount(choice, minlength=len(alts)),
    )


# ---------------------------------------------------------------------------------------------
# from a scorecard


def monte_carlo(
    source,
    method=None,
    *,
    draws: int = 1000,
    weight_noise: float = 0.25,
    scheme: str = "uniform",
    concentration: float = 50.0,
    vary_indicator_weights: bool = True,
    vary_dimension_weights: bool = True,
    variations: Variations | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Rank and score uncertainty per country over ``draws`` random method variants.

    ``source``: a Scorecard (its method is the nominal one unless ``method`` is given) or a
    Prepared (scored with ``method``). ``variations``: the data and method choices drawn
    besides the weights (none by default). Returns a DataFrame indexed by iso3 (the scored
    countries) with nominal_rank, median_rank, p05_rank, p95_rank, mean_rank, nominal_score,
    median_score, p05_score, p95_score, mean_score. Percentiles are R's type 7 (as COINr); the
    same seed gives the same table. ``attrs`` records the settings, the alternatives and any
    dropped choices.
    """
    sc = nominal_scorecard(source, method)
    settings = UncertaintySettings(
        draws=draws,
        scheme=scheme,
        weight_noise=weight_noise,
        concentration=concentration,
        vary_indicator_weights=vary_indicator_weights,
        vary_dimension_weights=vary_dimension_weights,
        seed=seed,
    )
    grid = build_alternatives(sc, variations)
    k = sc.kernel
    summary = simulate(
        grid.alternatives, k.dim_of, k.indicator_weights, k.dimension_weights, settings
    )
    out = pd.DataFrame(
        {
            "nominal_rank": np.asarray(sc.rank_array, dtype=float),
            "median_rank": summary.rank_stats[:, 0],
            "p05_rank": summary.rank_stats[:, 1],
            "p95_rank": summary.rank_stats[:, 2],
            "mean_rank": summary.rank_stats[:, 3],
            "nominal_score": np.asarray(sc.overall_array, dtype=float),
            "median_score": summary.score_stats[:, 0],
            "p05_score": summary.score_stats[:, 1],
            "p95_score": summary.score_stats[:, 2],
            "mean_score": summary.score_stats[:, 3],
        },
        index=pd.Index(np.asarray(k.iso3).astype(str), name="iso3", dtype="str"),
    )
    out.attrs = settings.record() | {
        "varied": list((variations or Variations()).varied()),
        "factors": grid.labelled_factors(),
        "alternatives": [a.label for a in grid.alternatives],
        "alternative_draws": summary.alternative_counts.tolist(),
        "dropped": grid.dropped_records(),
    }
    return out
