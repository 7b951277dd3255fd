"""Normalisation: bring every indicator onto a common scale, after applying its direction.

Array kernels work column-wise on a countries x indicators float matrix with NaN for missing
values. Direction is applied first (x -> direction * x, as COINr's ``Normalise`` does), so every
normaliser sees "higher is better" data. Goalposts and all-year extremes are flipped with it.

Registry ``NORMALISERS`` maps a name to a :class:`Normaliser` (label, one-line rule, parameter
defaults, kernel). The UI lists what the registry holds.

Worked example (3 countries, one +1 indicator, x = [2, 4, 10]):

* min_max [0, 100]:        (x - 2) / 8 * 100             -> [0, 25, 100]
* z_score (mean 0, sd 1):  mean 16/3, sd 4.163            -> [-0.801, -0.320, 1.121]
* percentile_rank (x100):  (rank_min - 1) / (n - 1) * 100 -> [0, 50, 100]
* rank:                    rank_min, higher is better     -> [1, 2, 3]
* goalposts [0, 20] x100:  (x - 0) / 20 * 100, clipped    -> [10, 20, 50]
* distance_to_frontier:    all-year worst 0, frontier 20  -> [10, 20, 50]
With direction -1 the same values give min_max [100, 75, 0].
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from scoring.errors import EngineError, Indicator, Listed, Quoted, Setting, Term

__all__ = [
    "NORMALISERS",
    "Normaliser",
    "normalise",
    "min_max",
    "z_score",
    "percentile_rank",
    "rank",
    "goalposts",
    "distance_to_frontier",
]


@dataclass(frozen=True)
class NormaliseContext:
    """Per-indicator bounds the kernels may use, already flipped by direction.

    goal_low/goal_high: goalposts (NaN where the catalogue has none).
    worst/best: lowest/highest value observed in any year of the data.
    """

    goal_low: np.ndarray
    goal_high: np.ndarray
    worst: np.ndarray
    best: np.ndarray


def _col_min_max(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    present = ~np.isnan(X)
    lo = np.where(present, X, np.inf).min(axis=0)
    hi = np.where(present, X, -np.inf).max(axis=0)
    empty = ~present.any(axis=0)
    lo[empty] = np.nan
    hi[empty] = np.nan
    return lo, hi


def _constant(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Columns with data whose range is zero (min == max)."""
    with np.errstate(invalid="ignore"):
        return (hi - lo == 0) & ~np.isnan(lo)


def min_max(
    X: np.ndarray, ctx: NormaliseContext | None = None, *, low=0.0, high=100.0, goalposts=1.0
):
    """(x - min) / (max - min) * (high - low) + low (COINr ``n_minmax``); with ``goalposts`` = 1
    (the default) an indicator published on a fixed scale (catalogue goalposts) keeps it: min
    and max are its goalposts, the value clipped to them. ``goalposts`` = 0 is COINr's rule.

    >>> min_max(np.array([[2.0], [4.0], [10.0]])).ravel().tolist()
    [0.0, 25.0, 100.0]
    >>> ctx = NormaliseContext(*(np.array([v]) for v in (0.0, 20.0, 0.0, 20.0)))
    >>> min_max(np.array([[2.0], [4.0], [10.0]]), ctx).ravel().tolist()
    [10.0, 20.0, 50.0]
    """
    lo, hi = _col_min_max(X)
    if ctx is not None and goalposts:
        fixed = ~np.isnan(ctx.goal_low) & ~np.isnan(ctx.goal_high)
        lo = np.where(fixed, ctx.goal_low, lo)
        hi = np.where(fixed, ctx.goal_high, hi)
        X = np.where(fixed, np.clip(X, lo, hi), X)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (X - lo) / (hi - lo) * (high - low) + low


def z_score(X: np.ndarray, ctx: NormaliseContext | None = None, *, mean=0.0, sd=1.0):
    """(x - mean(x)) / sd(x) * sd + mean, sample sd (n - 1) as R's ``sd`` (COINr ``n_zscore``).

    >>> [round(float(v), 3) for v in z_score(np.array([[2.0], [4.0], [10.0]])).ravel()]
    [-0.801, -0.32, 1.121]
    """
    n = (~np.isnan(X)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mu = np.nansum(X, axis=0) / n
        dev = np.where(np.isnan(X), 0.0, X - mu)
        s = np.sqrt((dev**2).sum(axis=0) / (n - 1))
        return (X - mu) / s * sd + mean


def _rank_min(X: np.ndarray) -> np.ndarray:
    """Column-wise ascending rank, ties get the minimum rank, NaN stays NaN."""
    out = np.full(X.shape, np.nan)
    for j in range(X.shape[1]):
        col = X[:, j]
        ok = ~np.isnan(col)
        v = col[ok]
        if v.size:
            srt = np.sort(v)
            out[ok, j] = np.searchsorted(srt, v, side="left") + 1.0
    return out


def percentile_rank(X: np.ndarray, ctx: NormaliseContext | None = None, *, scale=100.0):
    """(rank_min - 1) / (n - 1) * scale (COINr ``n_prank`` times ``scale``).

    >>> percentile_rank(np.array([[2.0], [4.0], [10.0]])).ravel().tolist()
    [0.0, 50.0, 100.0]
    """
    r = _rank_min(X)
    n = (~np.isnan(X)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (r - 1.0) / (n - 1.0) * scale


def rank(X: np.ndarray, ctx: NormaliseContext | None = None):
    """rank_min(x): 1 for the lowest, n for the highest (COINr ``n_rank``).

    >>> rank(np.array([[2.0], [4.0], [4.0], [10.0]])).ravel().tolist()
    [1.0, 2.0, 2.0, 4.0]
    """
    return _rank_min(X)


def goalposts(X: np.ndarray, ctx: NormaliseContext | None = None, *, scale=100.0):
    """clip((x - low) / (high - low), 0, 1) * scale with the catalogue goalposts (COINr ``n_goalposts``).

    Indicators without goalposts fall back to the observed minimum and maximum (min-max).

    >>> ctx = NormaliseContext(*(np.array([v]) for v in (0.0, 20.0, 0.0, 20.0)))
    >>> goalposts(np.array([[2.0], [4.0], [30.0]]), ctx).ravel().tolist()
    [10.0, 20.0, 100.0]
    """
    lo, hi = _col_min_max(X)
    if ctx is not None:
        has = ~np.isnan(ctx.goal_low) & ~np.isnan(ctx.goal_high)
        lo = np.where(has, ctx.goal_low, lo)
        hi = np.where(has, ctx.goal_high, hi)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.clip((X - lo) / (hi - lo), 0.0, 1.0) * scale


def distance_to_frontier(X: np.ndarray, ctx: NormaliseContext | None = None, *, scale=100.0):
    """(x - worst) / (frontier - worst) * scale; frontier/worst = best/worst value in any year.

    The World Bank "distance to frontier" rule: unlike min-max, the bounds come from every year in
    the data, so a score does not move when another country's value in the chosen year changes.

    >>> ctx = NormaliseContext(*(np.array([v]) for v in (np.nan, np.nan, 0.0, 20.0)))
    >>> distance_to_frontier(np.array([[2.0], [4.0], [10.0]]), ctx).ravel().tolist()
    [10.0, 20.0, 50.0]
    """
    if ctx is None:
        lo, hi = _col_min_max(X)
    else:
        lo, hi = ctx.worst, ctx.best
    with np.errstate(invalid="ignore", divide="ignore"):
        return (X - lo) / (hi - lo) * scale


@dataclass(frozen=True)
class Normaliser:
    """A registry entry: ``function(X, ctx, **params) -> ndarray``."""

    name: str
    label: str
    rule: str
    function: Callable[..., np.ndarray]
    defaults: Mapping[str, float] = field(default_factory=dict)
    needs_spread: bool = False  # a constant indicator makes it undefined

    def check_params(self, params: Mapping[str, float]) -> dict[str, float]:
        """Merge ``params`` into the defaults; reject unknown names and impossible values."""
        unknown = sorted(set(params) - set(self.defaults))
        if unknown:
            if not self.defaults:
                raise EngineError(
                    "normalisation {name}: unknown parameter(s) {parameters} (known: none)",
                    name=Setting(self.name),
                    parameters=Listed(map(Quoted, unknown)),
                )
            raise EngineError(
                "normalisation {name}: unknown parameter(s) {parameters} (known: {known})",
                name=Setting(self.name),
                parameters=Listed(map(Quoted, unknown)),
                known=Listed(map(Setting, self.defaults)),
            )
        merged = {**self.defaults, **{k: float(v) for k, v in params.items()}}
        for k, v in merged.items():
            if not np.isfinite(v):
                raise EngineError(
                    "normalisation {name}: parameter {parameter} must be finite",
                    name=Setting(self.name),
                    parameter=Setting(k),
                )
        if "goalposts" in merged and merged["goalposts"] not in (0.0, 1.0):
            raise EngineError(
                "normalisation {name}: goalposts is 1 (keep published scales) or 0, got {value:g}",
                name=Setting(self.name),
                value=merged["goalposts"],
            )
        if self.name == "min_max" and not merged["low"] < merged["high"]:
            raise EngineError(
                "normalisation min_max: low ({low:g}) must be below high ({high:g})",
                low=merged["low"],
                high=merged["high"],
            )
        if self.name == "z_score" and not merged["sd"] > 0:
            raise EngineError(
                "normalisation z_score: sd must be positive, got {value:g}", value=merged["sd"]
            )
        if "scale" in merged and not merged["scale"] > 0:
            raise EngineError(
                "normalisation {name}: scale must be positive, got {value:g}",
                name=Setting(self.name),
                value=merged["scale"],
            )
        return merged


NORMALISERS: dict[str, Normaliser] = {
    n.name: n
    for n in [
        Normaliser(
            "min_max",
            "Min-max",
            "(x - min) / (max - min) scaled to [low, high]; published scales keep their goalposts",
            min_max,
            {"low": 0.0, "high": 100.0, "goalposts": 1.0},
            needs_spread=True,
        ),
        Normaliser(
            "z_score",
            "z-score",
            "(x - mean) / sd, rescaled to the chosen mean and sd",
            z_score,
            {"mean": 0.0, "sd": 1.0},
            needs_spread=True,
        ),
        Normaliser(
            "percentile_rank",
            "Percentile rank",
            "(rank - 1) / (n - 1) times scale",
            percentile_rank,
            {"scale": 100.0},
        ),
        Normaliser("rank", "Rank", "rank among countries, 1 = lowest", rank, {}),
        Normaliser(
            "goalposts",
            "Goalposts",
            "(x - low goalpost) / (high - low goalpost), clipped to [0, 1], times scale",
            goalposts,
            {"scale": 100.0},
        ),
        Normaliser(
            "distance_to_frontier",
            "Distance to frontier",
            "(x - worst) / (frontier - worst) times scale, bounds over all years",
            distance_to_frontier,
            {"scale": 100.0},
            needs_spread=True,
        ),
    ]
}


def normalise(
    X: np.ndarray,
    direction: np.ndarray,
    name: str = "min_max",
    params: Mapping[str, float] | None = None,
    *,
    goal_low: np.ndarray | None = None,
    goal_high: np.ndarray | None = None,
    worst: np.ndarray | None = None,
    best: np.ndarray | None = None,
    names: Sequence[str] | None = None,
    active: np.ndarray | None = None,
) -> np.ndarray:
    """Apply direction (x -> d * x), then the named normaliser, column by column.

    ``goal_low``/``goal_high``/``worst``/``best`` are in raw units; they are flipped here.
    ``active`` marks the columns that count (weight > 0): a constant active column raises
    ``ValueError`` naming it when the normaliser needs spread; inactive columns just give NaN.

    >>> normalise(np.array([[2.0], [4.0], [10.0]]), np.array([-1.0])).ravel().tolist()
    [100.0, 75.0, 0.0]
    """
    if name not in NORMALISERS:
        raise ValueError(f"unknown normalisation {name!r} (known: {', '.join(NORMALISERS)})")
    spec = NORMALISERS[name]
    merged = spec.check_params(params or {})
    X = np.asarray(X, dtype=float)
    k = X.shape[1]
    d = np.asarray(direction, dtype=float)
    Xd = X * d

    def flip(a, b):
        a = np.full(k, np.nan) if a is None else np.asarray(a, dtype=float)
        b = np.full(k, np.nan) if b is None else np.asarray(b, dtype=float)
        return np.where(d > 0, a, -b), np.where(d > 0, b, -a)

    gl, gh = flip(goal_low, goal_high)
    wl, bh = flip(worst, best)
    ctx = NormaliseContext(gl, gh, wl, bh)
    if spec.needs_spread:
        if name == "distance_to_frontier" and worst is not None:
            lo, hi = wl, bh
        else:
            lo, hi = _col_min_max(Xd)
        bad = _constant(lo, hi)
        if merged.get("goalposts"):  # a published scale is defined whatever the data
            bad &= np.isnan(gl) | np.isnan(gh)
        if active is not None:
            bad &= np.asarray(active, dtype=bool)
        if bad.any():
            labels = [
                Indicator(names[j]) if names is not None else f"column {j}"
                for j in np.flatnonzero(bad)
            ]
            raise EngineError(
                "{indicators}: every country has the same value, so {rule} is undefined (give it "
                "weight 0 or choose another normalisation)",
                indicators=Listed(labels),
                rule=Term(spec.label, lower=True),
            )
    return spec.function(Xd, ctx, **merged)
