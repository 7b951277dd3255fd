"""Uncertainty analysis: Monte Carlo over weights and method choices, vectorised.

What varies (each optional, COINr ``get_sensitivity(SA_type = "UA")`` practice):

* indicator and dimension weights, either
  ``uniform``: w_i (1 + noise u_i), u_i ~ U(-1, 1) independently (COINr ``get_noisy_weights``), or
  ``dirichlet``: within each group (the indicators of a dimension; the dimensions), the group's
  nominal total times Dirichlet(alpha_i) with alpha_i = concentration * w_i / mean(positive w).
  Weight 0 stays 0 in both schemes (an excluded indicator stays excluded);
* the normalisation, the aggregation and imputation on/off: discrete alternatives, each feasible
  combination drawn with equal probability. Every alternative's normalised matrix is computed once.
  Nominal weights are the scorecard's (after preset and overrides); a data-driven preset (PCA)
  is not re-estimated per alternative. When the normalisation varies, score statistics mix
  scales (z-scores with 0-100 values): compare ranks, not scores, across normalisations.

Per country the table reports the nominal rank and score (those of the scorecard), and the
median, mean, 5th and 95th percentile of the rank and of the score over the draws (R's default
quantile, type 7 = numpy's "linear", as COINr). Ranks: min method, 1 = best, countries without
an overall score are unranked in that draw and left out of its statistics.

The hot path never builds a DataFrame per draw. For one alternative and a chunk of draws
(weights W: draws x indicators, V: draws x dimensions) with quasi-arithmetic means
M_f(x; w) = f^-1(sum w f(x) / sum w) (f = x arithmetic, ln x geometric, 1/x harmonic, x^p
generalised), the missing-aware means are matrix products:

    D_k = (W_k @ F0_k.T) / (W_k @ A_k.T)       (F0 = f(X) with NaN -> 0, A = availability)
    overall = f^-1( sum_k V_k D_k / sum_k V_k [D_k present] )

Copeland (not a quasi-arithmetic mean) falls back to one pipeline aggregation per draw: slow.
Memory stays bounded (``memory_mb``, default 200): see :func:`simulate`.

Worked example (3 countries, 2 indicators in one dimension, arithmetic, 2 weight draws):
X = [[100, 0], [0, 100], [50, NaN]]. Draw 1 w = (1, 1): scores (50, 50, 50), ranks (1, 1, 1).
Draw 2 w = (3, 1): scores (75, 25, 50) (country 3 keeps 50: its only value gets all the weight),
ranks (1, 3, 2). Median rank of country 2 over the two draws: (1 + 3) / 2 = 2.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "TIE_TOLERANCE",
    "WEIGHT_SCHEMES",
    "Alternative",
    "UncertaintySettings",
    "perturb_weights",
    "overall_scores",
    "rank_rows",
    "quantile_type7",
    "quantiles_from_counts",
    "simulate",
    "SimulationSummary",
    "monte_carlo",
    "nominal_scorecard",
    "AlternativeGrid",
    "build_alternatives",
    "method_choices",
    "DEFAULT_AGGREGATIONS",
    "DEFAULT_IMPUTATION",
]

#: Scores closer than this (relative to max(1, |score|)) count as tied when ranking draws;
#: matrix products may differ in the last bits for countries whose data are identical.
TIE_TOLERANCE = 1e-9

#: Weight perturbation schemes (the UI lists these).
WEIGHT_SCHEMES: dict[str, str] = {
    "uniform": "w (1 + noise u), u ~ U(-1, 1), each weight independently (COINr)",
    "dirichlet": "group total x Dirichlet(concentration x w / mean w) within each group",
}

#: Generation block: draws are generated in blocks of this many, so a seed gives the same draws
#: whatever the memory limit.
_BLOCK = 4096


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
            raise ValueError(f"weight noise: must be in [0, 1), got {noise:g}")
        if noise == 0.0:
            return np.tile(w, (draws, 1))
        u = rng.random((draws, w.size))
        u *= 2.0 * noise
        u += 1.0 - noise
        u *= w
        return u
    if scheme == "dirichlet":
        if not concentration > 0:
            raise ValueError(f"concentration: must be positive, got {concentration:g}")
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
    raise ValueError(
        f"weight scheme: unknown choice {scheme!r} (known: {', '.join(WEIGHT_SCHEMES)})"
    )


# ---------------------------------------------------------------------------------------------
# aggregation generators: M_f(x; w) = f^-1(sum w f(x) / sum w)


@dataclass(frozen=True)
class _Generator:
    f: Callable[[np.ndarray], np.ndarray] | None  # None = identity
    finv: Callable[[np.ndarray], np.ndarray] | None
    strict: bool  # values must be > 0 (else >= 0 when positive_only)
    positive_only: bool


def _generator(name: str, power: float) -> _Generator | None:
    """The quasi-arithmetic generator of an ``AGGREGATORS`` entry, or None (not quasi-arithmetic)."""
    if name == "arithmetic" or (name == "generalised" and float(power) == 1.0):
        return _Generator(None, None, False, False)
    if name == "geometric" or (name == "generalised" and float(power) == 0.0):
        return _Generator(np.log, np.exp, True, True)
    if name == "harmonic" or (name == "generalised" and float(power) == -1.0):
        return _Generator(np.reciprocal, np.reciprocal, True, True)
    if name == "generalised":
        p = float(power)
        return _Generator(lambda x: x**p, lambda y: y ** (1.0 / p), p < 0, True)
    return None


@dataclass(frozen=True)
class Alternative:
    """One method variant for the Monte Carlo: its normalised matrix and aggregation rule.

    normalised: countries x indicators, NaN = missing (after direction and normalisation).
    """

    label: str
    normalised: np.ndarray
    indicator_aggregation: str = "arithmetic"
    dimension_aggregation: str = "arithmetic"
    indicator_power: float = 0.5
    dimension_power: float = 0.5
    choices: tuple[tuple[str, str], ...] = ()  # e.g. (("normalisation", "min_max"), ...)


class _Kernel:
    """Overall scores of one alternative for many weight draws (see the module docstring).

    Built once per alternative; ``__call__(W, V)`` maps (draws x indicators, draws x dimensions)
    to (draws x countries). Indicators with nominal weight 0 are left out, as in the pipeline.
    """

    def __init__(
        self,
        alt: Alternative,
        dimension_of: np.ndarray,
        n_dimensions: int,
        active: np.ndarray,
        rows: np.ndarray | None = None,
    ):
        X = np.asarray(alt.normalised, dtype=float)
        if rows is not None:
            X = X[rows]
        self.n = X.shape[0]
        self.K = n_dimensions
        self.fallback = None
        gi = _generator(alt.indicator_aggregation, alt.indicator_power)
        gd = _generator(alt.dimension_aggregation, alt.dimension_power)
        self.active = np.asarray(active, dtype=bool)
        if gi is None or gd is None:
            self.fallback = (X, np.asarray(dimension_of), alt)
            return
        self.same = alt.indicator_aggregation == alt.dimension_aggregation and (
            alt.indicator_power == alt.dimension_power or alt.indicator_aggregation != "generalised"
        )
        self.gi, self.gd = gi, gd
        present = ~np.isnan(X) & self.active
        with np.errstate(all="ignore"):
            F = X if gi.f is None else gi.f(np.where(present, X, 1.0))
        F0 = np.where(present, F, 0.0)
        self.blocks = []
        ok = np.zeros((self.n, n_dimensions))
        for k in range(n_dimensions):
            idx = np.flatnonzero((np.asarray(dimension_of) == k) & self.active)
            pk = present[:, idx]
            has = pk.any(axis=1)
            ok[:, k] = has
            xt = np.ascontiguousarray(F0[:, idx].T)
            mt_raw = np.ascontiguousarray(pk.T.astype(float))
            # countries without data in k: denominator 1, numerator 0 -> D_k = 0, not 0/0
            mt = mt_raw.copy()
            mt[:, ~has] = 1.0
            self.blocks.append((idx, xt, mt, mt_raw, has))
        self.ok = ok
        self.okT = np.ascontiguousarray(ok.T)

    def __call__(self, W: np.ndarray, V: np.ndarray) -> np.ndarray:
        W = np.asarray(W, dtype=float)
        V = np.asarray(V, dtype=float)
        if self.fallback is not None:
            return self._loop(W, V)
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

    def _loop(self, W: np.ndarray, V: np.ndarray) -> np.ndarray:
        # Non-quasi-arithmetic rules (Copeland): one pipeline aggregation per draw (slow).
        from scoring.aggregate import aggregate_levels

        X, dim_of, alt = self.fallback
        out = np.empty((W.shape[0], self.n))
        for s in range(W.shape[0]):
            w = np.where(self.active, W[s], 0.0)
            _, out[s] = aggregate_levels(
                X,
                dim_of,
                w,
                V[s],
                alt.indicator_aggregation,
                alt.dimension_aggregation,
                indicator_power=alt.indicator_power,
                dimension_power=alt.dimension_power,
            )
        return out


def overall_scores(
    normalised: np.ndarray,
    dimension_of: np.ndarray,
    indicator_weights: np.ndarray,
    dimension_weights: np.ndarray,
    *,
    indicator_aggregation: str = "arithmetic",
    dimension_aggregation: str = "arithmetic",
    indicator_power: float = 0.5,
    dimension_power: float = 0.5,
    n_dimensions: int | None = None,
) -> np.ndarray:
    """Overall scores for many weight draws at once: (draws x countries); 1-D weights give 1-D.

    Missing values are dropped and weights rescaled at each level (COINr); indicators whose
    weights are 0 in every draw are left out.

    >>> X = np.array([[100.0, 0.0], [0.0, 100.0], [50.0, np.nan]])
    >>> overall_scores(X, np.array([0, 0]), np.array([[1.0, 1.0], [3.0, 1.0]]), np.ones((2, 1))).tolist()
    [[50.0, 50.0, 50.0], [75.0, 25.0, 50.0]]
    """
    W = np.asarray(indicator_weights, dtype=float)
    V = np.asarray(dimension_weights, dtype=float)
    one = W.ndim == 1 and V.ndim == 1
    W = np.atleast_2d(W)
    V = np.atleast_2d(V)
    if W.shape[0] == 1 and V.shape[0] > 1:
        W = np.repeat(W, V.shape[0], axis=0)
    if V.shape[0] == 1 and W.shape[0] > 1:
        V = np.repeat(V, W.shape[0], axis=0)
    K = int(n_dimensions if n_dimensions is not None else V.shape[1])
    alt = Alternative(
        "",
        normalised,
        indicator_aggregation,
        dimension_aggregation,
        indicator_power,
        dimension_power,
    )
    active = (W > 0).any(axis=0)
    out = _Kernel(alt, np.asarray(dimension_of), K, active)(W, V)
    return out[0] if one else out


# ---------------------------------------------------------------------------------------------
# ranks and quantiles


def rank_rows(scores: np.ndarray, tolerance: float = TIE_TOLERANCE) -> np.ndarray:
    """Rank each row: 1 = highest, ties (within tolerance) share the min rank, NaN -> 0 (unranked).

    >>> rank_rows(np.array([[50.0, 70.0, 50.0, np.nan, 10.0], [1.0, 2.0, 3.0, 4.0, 5.0]])).tolist()
    [[2, 1, 2, 0, 4], [5, 4, 3, 2, 1]]
    """
    Y = np.atleast_2d(np.asarray(scores, dtype=float))
    S, n = Y.shape
    out = np.zeros((S, n), dtype=np.int32)
    if S == 0 or n == 0:
        return out
    finite = np.isfinite(Y)
    complete = bool(finite.all())
    if complete:
        lo, hi = float(Y.min()), float(Y.max())
    elif not finite.any():
        return out
    else:
        with np.errstate(invalid="ignore"):
            lo = float(np.nanmin(np.where(finite, Y, np.nan)))
            hi = float(np.nanmax(np.where(finite, Y, np.nan)))
    # Sort one int64 key per cell: quantised score (descending) in the high bits, column index in
    # the low bits. Levels stay below 2^53, so the float -> int conversion is exact to one level.
    bits_i = max(1, (n - 1).bit_length())
    bits_v = min(53, 62 - bits_i)
    top = (1 << bits_v) - 1  # the level of unranked cells
    span = hi - lo
    scale = float((1 << bits_v) - 4) / span if span > 0 else 0.0
    q = np.subtract(hi, Y)
    q *= scale
    if not complete:
        q[~finite] = 0.0
    key = q.astype(np.int64)
    if not complete:
        key[~finite] = top
    key <<= bits_i
    key |= np.arange(n, dtype=np.int64)
    key.sort(axis=1)
    col = key & ((1 << bits_i) - 1)
    key >>= bits_i
    tol = int(tolerance * max(1.0, abs(lo), abs(hi)) * scale)
    gaps = np.diff(key, axis=1)
    if complete and bool((gaps > tol).all()):
        pos = np.broadcast_to(np.arange(1, n + 1, dtype=np.int32), (S, n))
    else:
        new = np.empty((S, n), dtype=bool)
        new[:, 0] = True
        np.greater(gaps, tol, out=new[:, 1:])
        pos = np.where(new, np.arange(1, n + 1, dtype=np.int32), np.int32(0))
        np.maximum.accumulate(pos, axis=1, out=pos)
        if not complete:
            pos[key == top] = 0
    np.put_along_axis(out, col, pos, axis=1)
    return out


def quantile_type7(
    sorted_rows: np.ndarray, counts: np.ndarray, probs: Sequence[float]
) -> np.ndarray:
    """Type-7 quantiles of each row's first ``counts[i]`` values (rows sorted ascending).

    h = (m - 1) p; q = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]) (R's default).

    >>> quantile_type7(np.array([[1.0, 2.0, 3.0, 4.0, np.nan]]), np.array([4]), [0.5, 0.05]).round(2).tolist()
    [[2.5, 1.15]]
    """
    X = np.atleast_2d(sorted_rows)
    m = np.asarray(counts)
    out = np.full((X.shape[0], len(probs)), np.nan)
    has = m > 0
    if not has.any():
        return out
    rows = np.flatnonzero(has)
    mm = m[has]
    for j, p in enumerate(probs):
        h = (mm - 1) * float(p)
        lo = np.floor(h).astype(np.intp)
        hi = np.minimum(lo + 1, mm - 1)
        a = X[rows, lo]
        b = X[rows, hi]
        out[rows, j] = a + (h - lo) * (b - a)
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
# the simulation on arrays


@dataclass(frozen=True)
class UncertaintySettings:
    """What varies in a Monte Carlo run (see the module docstring)."""

    draws: int = 1000
    scheme: str = "uniform"
    weight_noise: float = 0.25
    concentration: float = 50.0
    vary_indicator_weights: bool = True
    vary_dimension_weights: bool = True
    seed: int = 0
    memory_mb: float = 200.0

    def __post_init__(self) -> None:
        if int(self.draws) < 1:
            raise ValueError(f"draws: must be at least 1, got {self.draws}")
        if self.scheme not in WEIGHT_SCHEMES:
            raise ValueError(
                f"weight scheme: unknown choice {self.scheme!r} (known: {', '.join(WEIGHT_SCHEMES)})"
            )
        if self.scheme == "uniform" and not 0.0 <= float(self.weight_noise) < 1.0:
            raise ValueError(f"weight noise: must be in [0, 1), got {self.weight_noise:g}")
        if self.scheme == "dirichlet" and not float(self.concentration) > 0:
            raise ValueError(f"concentration: must be positive, got {self.concentration:g}")
        if not float(self.memory_mb) > 0:
            raise ValueError("memory_mb: must be positive")


@dataclass
class SimulationSummary:
    """Per-country statistics over the draws (rows aligned with the countries)."""

    rank_stats: np.ndarray  # countries x 4: median, p05, p95, mean
    score_stats: np.ndarray  # countries x 4: median, p05, p95, mean
    alternative_counts: np.ndarray  # draws that used each alternative
    extra: dict = field(default_factory=dict)


_PROBS = (0.5, 0.05, 0.95)


def _draw_block(rng, m, w_ind, w_dim, groups, settings, n_alt):
    if settings.vary_indicator_weights:
        W = perturb_weights(
            w_ind,
            m,
            rng,
            scheme=settings.scheme,
            noise=settings.weight_noise,
            concentration=settings.concentration,
            groups=groups,
        )
    else:
        W = np.broadcast_to(w_ind, (m, w_ind.size))
    if settings.vary_dimension_weights:
        V = perturb_weights(
            w_dim,
            m,
            rng,
            scheme=settings.scheme,
            noise=settings.weight_noise,
            concentration=settings.concentration,
        )
    else:
        V = np.broadcast_to(w_dim, (m, w_dim.size))
    choice = rng.integers(n_alt, size=m) if n_alt > 1 else np.zeros(m, dtype=np.intp)
    return W, V, choice


def _blocks(settings, w_ind, w_dim, groups, n_alt):
    """Yield (start, W, V, choice) for consecutive blocks of draws; a seed fixes them all."""
    rng = np.random.default_rng(settings.seed)
    for start in range(0, int(settings.draws), _BLOCK):
        m = min(_BLOCK, int(settings.draws) - start)
        yield (start, *_draw_block(rng, m, w_ind, w_dim, groups, settings, n_alt))


def _ordered_blocks(settings, w_ind, w_dim, groups, n_alt):
    """As :func:`_blocks`, with each block's draws ordered by alternative (statistics do not
    depend on the order of draws); also yields the (alternative, start, stop) segments."""
    for start, W, V, choice in _blocks(settings, w_ind, w_dim, groups, n_alt):
        if n_alt > 1:
            order = np.argsort(choice, kind="stable")
            W, V, choice = W[order], V[order], choice[order]
            bounds = np.searchsorted(choice, np.arange(n_alt + 1))
            segments = [(a, bounds[a], bounds[a + 1]) for a in range(n_alt)]
        else:
            segments = [(0, 0, W.shape[0])]
        yield start, W, V, choice, segments


def _chunks(segments, size):
    for a, s0, s1 in segments:
        for c0 in range(s0, s1, size):
            yield a, c0, min(s1, c0 + size)


def _chunk_size(n: int) -> int:
    # keep a chunk's draws x countries arrays cache-sized (~64k doubles)
    return int(max(64, min(_BLOCK, 65536 // max(n, 1))))


def _memory_parts(n: int, p: int, k: int, draws: int) -> dict[str, int]:
    """Bytes used by :func:`simulate`: fixed (a block of weights, a chunk's work arrays), ranks
    (kept per cell), counts (the rank histogram used instead, with its block buffers), and the
    scores of one country."""
    rank_size = 2 if n < np.iinfo(np.int16).max else 4
    return {
        "fixed": _BLOCK * (p + k) * 8 * 2 + _chunk_size(n) * n * 8 * 8,
        "ranks": n * draws * rank_size,
        "counts": n * (n + 1) * 8 * 2 + _BLOCK * n * 12,
        "scores_per_country": draws * 8,
    }


def _memory_plan(n: int, p: int, k: int, draws: int, budget: float) -> tuple[bool, int]:
    """(keep every rank?, how many countries' scores to keep) within ``budget`` bytes."""
    parts = _memory_parts(n, p, k, draws)
    keep_ranks = parts["fixed"] + parts["ranks"] <= budget
    room = budget - parts["fixed"] - (parts["ranks"] if keep_ranks else parts["counts"])
    return keep_ranks, int(min(n, max(0, room // parts["scores_per_country"])))


def simulate(
    alternatives: Sequence[Alternative],
    dimension_of: np.ndarray,
    indicator_weights: np.ndarray,
    dimension_weights: np.ndarray,
    settings: UncertaintySettings | None = None,
) -> SimulationSummary:
    """Run the Monte Carlo on arrays: every draw picks weights and one alternative at random.

    Memory stays within ``settings.memory_mb``: draws are scored in cache-sized chunks and only
    per-country results are kept: ranks (2 bytes a cell; else per-country rank counts) and
    scores (8 bytes a cell; if they do not fit, they are recomputed block of countries by block
    of countries in a second pass). Quantiles are exact either way.
    """
    settings = settings or UncertaintySettings()
    alts = list(alternatives)
    if not alts:
        raise ValueError("uncertainty: no feasible alternative to draw from")
    dim_of = np.asarray(dimension_of, dtype=np.intp)
    w_ind = np.asarray(indicator_weights, dtype=float)
    w_dim = np.asarray(dimension_weights, dtype=float)
    K = w_dim.size
    n = alts[0].normalised.shape[0]
    S = int(settings.draws)
    active = w_ind > 0
    kernels = [_Kernel(a, dim_of, K, active) for a in alts]
    budget = float(settings.memory_mb) * 2**20
    rank_type = np.int16 if n < np.iinfo(np.int16).max else np.int32
    unranked = np.iinfo(rank_type).max  # sorts after every rank
    keep_ranks, kept_rows = _memory_plan(n, w_ind.size, K, S, budget)
    rank_cells = np.empty((n, S), dtype=rank_type) if keep_ranks else None
    score_cells = np.empty((kept_rows, S))
    counts = None if keep_ranks else np.zeros((n, n + 1), dtype=np.int64)
    rank_sum = np.zeros(n)
    rank_valid = np.zeros(n, dtype=np.int64)
    score_sum = np.zeros(n)
    score_valid = np.zeros(n, dtype=np.int64)
    alt_counts = np.zeros(len(alts), dtype=np.int64)
    for start, W, V, choice, segments in _ordered_blocks(settings, w_ind, w_dim, dim_of, len(alts)):
        alt_counts += np.bincount(choice, minlength=len(alts))
        block_ranks = None if keep_ranks else np.empty((W.shape[0], n), dtype=np.int32)
        for a, c0, c1 in _chunks(segments, _chunk_size(n)):
            y = kernels[a](W[c0:c1], V[c0:c1])
            r = rank_rows(y)
            ranked = r > 0
            rank_sum += r.sum(axis=0)
            rank_valid += ranked.sum(axis=0)
            fin = np.isfinite(y)
            score_sum += np.where(fin, y, 0.0).sum(axis=0)
            score_valid += fin.sum(axis=0)
            cols = slice(start + c0, start + c1)
            if keep_ranks:
                rank_cells[:, cols] = np.where(ranked, r, unranked).T  # cache-sized transposes
            else:
                block_ranks[c0:c1] = r
            if kept_rows:
                score_cells[:, cols] = y[:, :kept_rows].T
        if not keep_ranks:
            offsets = np.arange(n, dtype=np.int64) * (n + 1)
            flat = (block_ranks + offsets).ravel()
            counts += np.bincount(flat, minlength=n * (n + 1)).reshape(n, n + 1)
    if keep_ranks:
        rank_cells.sort(axis=1)
        rank_q = quantile_type7(rank_cells, rank_valid, _PROBS)
        del rank_cells
    else:
        rank_q = quantiles_from_counts(counts, _PROBS)
    score_cells.sort(axis=1)
    score_q = np.full((n, len(_PROBS)), np.nan)
    score_q[:kept_rows] = quantile_type7(score_cells, score_valid[:kept_rows], _PROBS)
    del score_cells
    if kept_rows < n:
        score_q[kept_rows:] = _score_quantiles_blocked(
            alts, dim_of, active, w_ind, w_dim, settings, budget, kept_rows
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        rank_mean = np.where(rank_valid > 0, rank_sum / np.maximum(rank_valid, 1), np.nan)
        score_mean = np.where(score_valid > 0, score_sum / np.maximum(score_valid, 1), np.nan)
    return SimulationSummary(
        rank_stats=np.column_stack([rank_q, rank_mean]),
        score_stats=np.column_stack([score_q, score_mean]),
        alternative_counts=alt_counts,
        extra={"kept_ranks": keep_ranks, "kept_scores": kept_rows == n, "kept_rows": kept_rows},
    )


def _score_quantiles_blocked(alts, dim_of, active, w_ind, w_dim, settings, budget, first=0):
    """Second pass: exact score quantiles of countries ``first``.. in blocks that fit in memory."""
    n = alts[0].normalised.shape[0]
    S = int(settings.draws)
    per_country = S * 10  # the scores and a finite-mask byte
    rows_per = int(max(1, (budget - _BLOCK * (w_ind.size + w_dim.size + n) * 8) // per_country))
    out = np.full((n - first, len(_PROBS)), np.nan)
    for r0 in range(first, n, rows_per):
        rows = np.arange(r0, min(n, r0 + rows_per))
        kernels = [_Kernel(a, dim_of, w_dim.size, active, rows=rows) for a in alts]
        buf = np.empty((rows.size, S))
        chunk = _chunk_size(rows.size)
        for start, W, V, _, segments in _ordered_blocks(settings, w_ind, w_dim, dim_of, len(alts)):
            for a, c0, c1 in _chunks(segments, chunk):
                buf[:, start + c0 : start + c1] = kernels[a](W[c0:c1], V[c0:c1]).T
        finite = np.isfinite(buf)
        valid = finite.sum(axis=1)
        buf[~finite] = np.nan
        del finite
        buf.sort(axis=1)
        out[rows - first] = quantile_type7(buf, valid, _PROBS)
    return out


# ---------------------------------------------------------------------------------------------
# from a scorecard: the alternatives (method variants) and the public Monte Carlo

#: Aggregation alternatives drawn when ``vary_aggregation`` is on and none are given (the same
#: rule at both levels). Copeland is left out by default: it is not a quasi-arithmetic mean, so it
#: runs one aggregation per draw.
DEFAULT_AGGREGATIONS = ("arithmetic", "geometric", "harmonic")

#: Imputation used for "imputation on" when the method itself imputes nothing.
DEFAULT_IMPUTATION = "group_mean"


def nominal_scorecard(source, method=None):
    """The scorecard to perturb: ``source`` itself, or one built from it with ``method``.

    ``source`` is a :class:`scoring.pipeline.Scorecard` or :class:`scoring.pipeline.Prepared`.
    """
    from scoring.method import Method
    from scoring.pipeline import Prepared, Scorecard, build_scorecard

    if isinstance(source, Scorecard):
        if method is None or method == source.method:
            return source
        return build_scorecard(source.prepared, method=method, countries=source.countries)
    if isinstance(source, Prepared):
        return build_scorecard(source, method=method or Method(), countries=source.countries)
    raise TypeError(f"expected a Scorecard or Prepared, got {type(source).__name__}")


@dataclass
class AlternativeGrid:
    """Every combination of the varied choices that can be computed, as a product grid.

    factors: (name, choices) per varied factor, e.g. ("normalisation", ("min_max", "z_score"));
    alternatives: one per combination, in ``itertools.product`` order of the factors' choices;
    codes: (alternatives x factors) index of each alternative's choice in each factor;
    dropped: (factor, choice, reason) for choices left out because some combination failed.
    """

    factors: list[tuple[str, tuple]]
    alternatives: list[Alternative]
    codes: np.ndarray
    dropped: list[tuple[str, str, str]]


def _agg_pair(a) -> tuple[str, str]:
    if isinstance(a, str):
        return (a, a)
    ind, dim = a
    return (str(ind), str(dim))


def _label(choice) -> str:
    return choice if isinstance(choice, str) else " / ".join(choice)


def build_alternatives(
    sc,
    *,
    normalisations: Sequence[str] | None = None,
    aggregations: Sequence[str | tuple[str, str]] | None = None,
    imputations: Sequence[str] | None = None,
) -> AlternativeGrid:
    """Method variants of scorecard ``sc`` for the given choices (None = the scorecard's own).

    Each (imputation, normalisation) pair runs the pipeline once (arithmetic aggregation, so the
    normalised matrix does not depend on the aggregation); each aggregation is then checked on it
    with the nominal weights. A choice that fails in some combination (geometric mean of a zero,
    a constant indicator under min-max...) is dropped so the rest stays a full product grid:
    from the failing combination, the first choice that differs from the scorecard's method, in
    the order aggregation, normalisation, imputation. The nominal combination always stays.
    An aggregation is a name (both levels) or an (indicator level, dimension level) pair.
    """
    from itertools import product

    from scoring.aggregate import aggregate_levels
    from scoring.pipeline import build_scorecard

    m = sc.method
    nominal = {
        "imputation": m.imputation,
        "normalisation": m.normalisation,
        "aggregation": (m.indicator_aggregation, m.dimension_aggregation),
    }
    choices = {
        "imputation": list(dict.fromkeys([m.imputation, *(imputations or [])])),
        "normalisation": list(dict.fromkeys([m.normalisation, *(normalisations or [])])),
        "aggregation": list(
            dict.fromkeys([nominal["aggregation"], *(_agg_pair(a) for a in aggregations or [])])
        ),
    }
    k = sc.kernel
    matrices: dict[tuple[str, str], np.ndarray | str] = {}
    for imp, norm in product(choices["imputation"], choices["normalisation"]):
        if imp == m.imputation and norm == m.normalisation:
            matrices[(imp, norm)] = sc.normalised_array
            continue
        variant = m.with_(
            imputation=imp,
            normalisation=norm,
            normalisation_params=m.normalisation_params if norm == m.normalisation else (),
            indicator_aggregation="arithmetic",
            dimension_aggregation="arithmetic",
            peer_group=(),
        )
        try:
            alt_sc = build_scorecard(sc.prepared, method=variant, countries=sc.countries)
        except ValueError as err:
            matrices[(imp, norm)] = str(err)
            continue
        if list(alt_sc.iso3) != list(sc.iso3):  # screening does not depend on these choices
            matrices[(imp, norm)] = "a different set of countries was scored"
            continue
        matrices[(imp, norm)] = alt_sc.normalised_array

    def failure(imp, norm, agg) -> str | None:
        N = matrices[(imp, norm)]
        if isinstance(N, str):
            return N
        if (imp, norm, agg) == (m.imputation, m.normalisation, nominal["aggregation"]):
            return None
        try:
            aggregate_levels(
                N,
                k.dim_of,
                k.indicator_weights,
                k.dimension_weights,
                agg[0],
                agg[1],
                indicator_power=m.indicator_power,
                dimension_power=m.dimension_power,
                indicators=k.indicators,
                dimensions=k.dimensions,
                units=k.iso3,
            )
        except ValueError as err:
            return str(err)
        return None

    dropped: list[tuple[str, str, str]] = []
    order = ("aggregation", "normalisation", "imputation")
    while True:
        bad = None
        for imp, norm, agg in product(
            choices["imputation"], choices["normalisation"], choices["aggregation"]
        ):
            why = failure(imp, norm, agg)
            if why is not None:
                bad = ({"imputation": imp, "normalisation": norm, "aggregation": agg}, why)
                break
        if bad is None:
            break
        combo, why = bad
        for name in order:
            if combo[name] != nominal[name]:
                choices[name].remove(combo[name])
                dropped.append((name, _label(combo[name]), why))
                break
    factors = [(name, tuple(choices[name])) for name in order[::-1] if len(choices[name]) > 1]
    alternatives, codes = [], []
    grids = [range(len(c)) for _, c in factors]
    for idx in product(*grids):
        pick = dict(nominal)
        for (name, c), i in zip(factors, idx, strict=True):
            pick[name] = c[i]
        ia, da = pick["aggregation"]
        alternatives.append(
            Alternative(
                label=", ".join(f"{name} {_label(pick[name])}" for name, _ in factors) or "nominal",
                normalised=matrices[(pick["imputation"], pick["normalisation"])],
                indicator_aggregation=ia,
                dimension_aggregation=da,
                indicator_power=m.indicator_power,
                dimension_power=m.dimension_power,
                choices=tuple((name, _label(pick[name])) for name, _ in factors),
            )
        )
        codes.append(idx)
    codes_arr = np.array(codes, dtype=np.intp).reshape(len(alternatives), len(factors))
    return AlternativeGrid(factors, alternatives, codes_arr, dropped)


def method_choices(
    sc,
    *,
    vary_normalisation: bool = False,
    vary_aggregation: bool = False,
    vary_imputation: bool = False,
    normalisations: Sequence[str] | None = None,
    aggregations: Sequence[str | tuple[str, str]] | None = None,
    imputations: Sequence[str] | None = None,
) -> AlternativeGrid:
    """The alternative grid for the ``vary_*`` switches (defaults: every registered normaliser,
    ``DEFAULT_AGGREGATIONS``, imputation off vs the method's imputer or ``DEFAULT_IMPUTATION``)."""
    from scoring.normalise import NORMALISERS

    m = sc.method
    norms = (normalisations or list(NORMALISERS)) if vary_normalisation else None
    aggs = (aggregations or list(DEFAULT_AGGREGATIONS)) if vary_aggregation else None
    if vary_imputation:
        on = m.imputation if m.imputation != "none" else DEFAULT_IMPUTATION
        imps = imputations or ["none", on]
    else:
        imps = None
    return build_alternatives(sc, normalisations=norms, aggregations=aggs, imputations=imps)


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
    vary_normalisation: bool = False,
    vary_aggregation: bool = False,
    vary_imputation: bool = False,
    normalisations: Sequence[str] | None = None,
    aggregations: Sequence[str | tuple[str, str]] | None = None,
    imputations: Sequence[str] | None = None,
    seed: int = 0,
    memory_mb: float = 200.0,
) -> pd.DataFrame:
    """Rank and score uncertainty per country over ``draws`` random method variants.

    ``source``: a Scorecard (its method is the nominal one unless ``method`` is given) or a
    Prepared (scored with ``method``). Returns a DataFrame indexed by iso3 (the scored countries)
    with nominal_rank, median_rank, p05_rank, p95_rank, mean_rank, nominal_score, median_score,
    p05_score, p95_score, mean_score. Percentiles are R's type 7 (as COINr); the same seed gives
    the same table. ``attrs`` records the settings, the alternatives and any dropped choices.
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
        memory_mb=memory_mb,
    )
    grid = method_choices(
        sc,
        vary_normalisation=vary_normalisation,
        vary_aggregation=vary_aggregation,
        vary_imputation=vary_imputation,
        normalisations=normalisations,
        aggregations=aggregations,
        imputations=imputations,
    )
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
    out.attrs = {
        "draws": int(draws),
        "seed": int(seed),
        "scheme": scheme,
        "weight_noise": float(weight_noise),
        "concentration": float(concentration),
        "vary_indicator_weights": bool(vary_indicator_weights),
        "vary_dimension_weights": bool(vary_dimension_weights),
        "factors": {name: [_label(c) for c in ch] for name, ch in grid.factors},
        "alternatives": [a.label for a in grid.alternatives],
        "alternative_draws": summary.alternative_counts.tolist(),
        "dropped": [{"factor": f, "choice": c, "reason": r} for f, c, r in grid.dropped],
    }
    return out
