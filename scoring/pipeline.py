"""The scoring pipeline: values + framework + Method -> Scorecard (every stage side by side).

Stages (COINr order): select -> screen -> impute -> treat -> normalise -> weight -> aggregate
-> rank.

* **select**: one value per country and indicator: the exact ``Method.year``, or (year None) the
  latest year within ``Method.year_window``, else the earliest after it (carried back, flagged in
  ``sc.carried``); the year used is kept (``sc.years``).
* **screen**: coverage = share of the effective weight (see ``scoring.weights``) carried by the
  indicators a country has. Countries below ``min_coverage``, below ``min_dimension_coverage``
  in a weighted dimension, or with no value at all are listed in ``sc.screened_out`` with the
  reason and left out of the later stages (as COINr's ``Screen``).
* **impute** (optional, flagged in ``sc.imputed_flags``), **treat** (optional, reported in
  ``sc.treatment``), **normalise** (direction first), **weight** (preset, then overrides, each
  level rescaled to sum 1), **aggregate** (per level), **rank** (min method, 1 = best).

Public API::

    prepared = prepare(values, framework, dimension_weights=None, countries=None)  # cache this
    sc = build_scorecard(prepared_or_values, framework=None, method=Method(), countries=None,
                         dimension_weights=None)
    peer_ranks(sc, ["RUS", "EAEU"])   # ranks within a peer group (ISO3 codes or group ids)

``framework`` may also be a catalogue object with ``.framework()`` and ``.dimension_weights()``.

Arrays for vectorised work (Monte Carlo etc.): ``sc.kernel`` is a :class:`KernelInputs` with the
normalised matrix (kept countries x indicators, NaN = missing), ``dim_of`` (dimension index per
indicator), rescaled indicator weights (sum 1 within each dimension) and dimension weights (sum
1), labels, and the aggregation names/powers; feed it to ``scoring.aggregate.aggregate_levels``.
``Prepared`` exposes ``cube`` (years x countries x indicators) and the metadata arrays.

Speed (2-core machine, 200 countries x 40 indicators x 4 dimensions, 16 years, prepared):
``build_scorecard`` with the default Method takes about 0.65 ms (arrays only; DataFrame views
are built on first access), 1.2 ms including ``sc.results``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from scoring.aggregate import AGGREGATORS, aggregate_levels, rank_scores
from scoring.errors import Dimension, EngineError, Indicator, Listed, Quoted, Setting, Side
from scoring.impute import IMPUTERS, ImputeContext
from scoring.method import GROUP_COLUMNS, Method
from scoring.normalise import normalise
from scoring.treat import TREATMENTS
from scoring.weights import (
    WEIGHT_PRESETS,
    before_normalising,
    preset_arrays,
    rescale,
    validate_weights,
    with_overrides,
    within_dimension,
)

__all__ = [
    "Prepared",
    "Scorecard",
    "KernelInputs",
    "prepare",
    "build_scorecard",
    "peer_ranks",
    "resolve_countries",
    "check_references",
]

_EPS = 1e-12


# ============================================================================ prepare
@dataclass(frozen=True, eq=False)
class Prepared:
    """Values pivoted once into arrays, plus the framework's metadata as arrays.

    cube[y, c, i] is the value of indicator i for country c in years[y] (NaN = missing).
    """

    iso3: np.ndarray
    indicators: tuple[str, ...]
    dimensions: tuple[str, ...]
    dim_of: np.ndarray
    direction: np.ndarray
    weight: np.ndarray
    dimension_weight: np.ndarray
    goal_low: np.ndarray
    goal_high: np.ndarray
    years: np.ndarray
    cube: np.ndarray
    worst: np.ndarray
    best: np.ndarray
    framework: pd.DataFrame
    countries: pd.DataFrame | None = None
    _iso3_pos: dict = field(default_factory=dict, repr=False)
    log_scale: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    sides: tuple[str, ...] = ()  # from the framework's optional `side` column
    side_of: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))  # per dimension

    @property
    def dimension_weights(self) -> dict[str, float]:
        return dict(zip(self.dimensions, self.dimension_weight.tolist(), strict=True))


def _unwrap(framework: Any, dimension_weights: Mapping[str, float] | None):
    """Accept a framework DataFrame or a catalogue object with .framework()/.dimension_weights()."""
    if hasattr(framework, "framework") and callable(framework.framework):
        cat = framework
        framework = cat.framework()
        if dimension_weights is None and hasattr(cat, "dimension_weights"):
            dimension_weights = cat.dimension_weights()
    if not isinstance(framework, pd.DataFrame):
        raise ValueError(
            "framework: expected a DataFrame with indicator, dimension, direction, weight"
        )
    missing = [c for c in ("indicator", "dimension", "direction", "weight") if c not in framework]
    if missing:
        raise ValueError(f"framework: missing column(s) {', '.join(missing)}")
    return framework, dimension_weights


def prepare(
    values: pd.DataFrame,
    framework: Any,
    *,
    dimension_weights: Mapping[str, float] | None = None,
    countries: pd.DataFrame | None = None,
) -> Prepared:
    """Pivot long values (iso3, indicator, year, value) into a years x countries x indicators cube.

    Values of indicators not in the framework are ignored. Countries are those with a value.
    """
    framework, dimension_weights = _unwrap(framework, dimension_weights)
    fw = framework.reset_index(drop=True).copy()
    indicators = tuple(str(i) for i in fw["indicator"])
    if len(set(indicators)) != len(indicators):
        dup = sorted({i for i in indicators if indicators.count(i) > 1})
        raise EngineError(
            "framework: indicator(s) listed twice: {indicators}",
            indicators=Listed(map(Indicator, dup)),
        )
    dimensions = tuple(dict.fromkeys(str(d) for d in fw["dimension"]))
    dim_index = {d: k for k, d in enumerate(dimensions)}
    dim_of = np.array([dim_index[str(d)] for d in fw["dimension"]], dtype=np.intp)
    direction = fw["direction"].to_numpy(dtype=float)
    bad = [indicators[i] for i in np.flatnonzero(~np.isin(direction, (-1.0, 1.0)))]
    if bad:
        raise EngineError(
            "framework: direction must be +1 or -1 for {indicators}",
            indicators=Listed(map(Indicator, bad)),
        )
    weight = fw["weight"].to_numpy(dtype=float)
    dw = dict(dimension_weights or {})
    unknown = sorted(set(dw) - set(dimensions))
    if unknown:
        raise EngineError(
            "dimension weights: unknown dimension(s) {dimensions}",
            dimensions=Listed(map(Quoted, unknown)),
        )
    dimension_weight = np.array([float(dw.get(d, 1.0)) for d in dimensions])
    nan = np.full(len(indicators), np.nan)
    goal_low = fw["goalpost_low"].to_numpy(dtype=float) if "goalpost_low" in fw else nan.copy()
    goal_high = fw["goalpost_high"].to_numpy(dtype=float) if "goalpost_high" in fw else nan.copy()

    sides, side_of = _dimension_sides(fw, dimensions)
    log_scale = _log_columns(fw, indicators)

    v = values[values["indicator"].isin(indicators)]
    iso3 = np.array(sorted(pd.unique(v["iso3"].astype(str))), dtype=object)
    years = np.array(sorted(pd.unique(v["year"].astype("int64"))), dtype=np.int64)
    cube = np.full((len(years), len(iso3), len(indicators)), np.nan)
    if len(v):
        yi = np.searchsorted(years, v["year"].to_numpy(dtype=np.int64))
        ci = np.searchsorted(iso3.astype(str), v["iso3"].astype(str).to_numpy())
        ii = pd.Index(indicators).get_indexer(v["indicator"])
        cube[yi, ci, ii] = v["value"].to_numpy(dtype=float)
    with np.errstate(all="ignore"):
        present = ~np.isnan(cube)
        worst = np.where(present, cube, np.inf).min(axis=(0, 1)) if cube.size else nan.copy()
        best = np.where(present, cube, -np.inf).max(axis=(0, 1)) if cube.size else nan.copy()
    worst = np.where(np.isfinite(worst), worst, np.nan)
    best = np.where(np.isfinite(best), best, np.nan)
    return Prepared(
        iso3=iso3,
        indicators=indicators,
        dimensions=dimensions,
        dim_of=dim_of,
        direction=direction,
        weight=weight,
        dimension_weight=dimension_weight,
        goal_low=goal_low,
        goal_high=goal_high,
        years=years,
        cube=cube,
        worst=worst,
        best=best,
        framework=fw,
        countries=countries,
        _iso3_pos={c: k for k, c in enumerate(iso3)},
        log_scale=log_scale,
        sides=sides,
        side_of=side_of,
    )


TRANSFORMS = ("", "log")
DEFAULT_SIDE_WEIGHTS = Method().side_weights


def _log_columns(fw: pd.DataFrame, indicators: tuple[str, ...]) -> np.ndarray:
    """Bool per indicator: the framework's optional `transform` column says "log"."""
    if "transform" not in fw:
        return np.zeros(len(indicators), dtype=bool)
    transform = fw["transform"].fillna("").astype(str).str.strip()
    unknown = sorted(set(transform) - set(TRANSFORMS))
    if unknown:
        raise EngineError(
            "framework: unknown transform(s) {transforms} (known: log)",
            transforms=Listed(map(Quoted, unknown)),
        )
    return (transform == "log").to_numpy()


def _dimension_sides(fw: pd.DataFrame, dimensions: tuple[str, ...]):
    """(sides, side index per dimension) from the framework's optional `side` column.

    >>> fw = pd.DataFrame({"dimension": ["a", "b", "c"], "side": ["reach", "appeal", "reach"]})
    >>> sides, side_of = _dimension_sides(fw, ("a", "b", "c"))
    >>> sides, side_of.tolist()
    (('reach', 'appeal'), [0, 1, 0])
    """
    if "side" not in fw:
        return (), np.zeros(0, dtype=np.intp)
    side = fw["side"].fillna("").astype(str).str.strip()
    pairs = pd.DataFrame({"dimension": fw["dimension"].astype(str), "side": side})
    pairs = pairs.drop_duplicates()
    split = sorted(set(pairs["dimension"][pairs["dimension"].duplicated()]))
    if split:
        raise EngineError(
            "framework: dimension(s) {dimensions} on more than one side",
            dimensions=Listed(map(Dimension, split)),
        )
    of = dict(zip(pairs["dimension"], pairs["side"], strict=True))
    blank = [d for d in dimensions if not of[d]]
    if len(blank) == len(dimensions):
        return (), np.zeros(0, dtype=np.intp)
    if blank:
        raise EngineError(
            "framework: dimension(s) {dimensions} have no side",
            dimensions=Listed(map(Dimension, blank)),
        )
    sides = tuple(dict.fromkeys(of[d] for d in dimensions))
    return sides, np.array([sides.index(of[d]) for d in dimensions], dtype=np.intp)


# ============================================================================ scorecard
class KernelInputs(NamedTuple):
    """Arrays behind a scorecard, for vectorised re-aggregation."""

    normalised: np.ndarray  # kept countries x indicators, NaN = missing
    dim_of: np.ndarray  # dimension index of each indicator
    indicator_weights: np.ndarray  # sum 1 within each dimension (0 = excluded)
    dimension_weights: np.ndarray  # sum 1
    iso3: np.ndarray  # kept countries, sorted
    indicators: tuple[str, ...]
    dimensions: tuple[str, ...]
    indicator_aggregation: str
    dimension_aggregation: str
    indicator_power: float
    dimension_power: float


@dataclass(frozen=True, eq=False)
class Scorecard:
    """Every stage of one scoring run, plus the Method that made it.

    Arrays are stored; the DataFrame views (``raw``, ``normalised``, ``results``, ...) are built
    on first access. Wide tables are indexed by iso3 (sorted) with columns in framework order.
    """

    method: Method
    prepared: Prepared
    raw_array: np.ndarray  # all countries x indicators
    years_array: np.ndarray
    coverage_array: np.ndarray  # all countries, share of effective weight present
    kept: np.ndarray  # bool, all countries
    screen_reasons: tuple[tuple[str, str], ...]
    imputed_array: np.ndarray  # kept x indicators
    imputed_flags_array: np.ndarray
    imputed_years_array: np.ndarray
    treated_array: np.ndarray
    treated_flags_array: np.ndarray
    treatment_report: pd.DataFrame | None  # None: treatment off
    normalised_array: np.ndarray
    indicator_weight_array: np.ndarray  # sum 1 within dimension
    dimension_weight_array: np.ndarray  # sum 1
    dimension_array: np.ndarray  # kept x dimensions
    overall_array: np.ndarray
    rank_array: np.ndarray
    peer_rank_array: np.ndarray | None = None
    countries: pd.DataFrame | None = None
    side_array: np.ndarray | None = None  # kept x sides (None: the framework has no sides)
    # kept x dimensions: how many weighted indicators with a value
    dimension_count_array: np.ndarray | None = None

    # ---------------------------------------------------------------- labels
    @property
    def iso3(self) -> np.ndarray:
        """Kept (scored) countries, sorted."""
        return self.prepared.iso3[self.kept]

    @cached_property
    def _all_index(self) -> pd.Index:
        return pd.Index(self.prepared.iso3.astype(str), name="iso3", dtype="str")

    @cached_property
    def _kept_index(self) -> pd.Index:
        return pd.Index(self.iso3.astype(str), name="iso3", dtype="str")

    def _wide(self, arr, every_country=False, dimensions=False) -> pd.DataFrame:
        p = self.prepared
        cols, name = (p.dimensions, "dimension") if dimensions else (p.indicators, "indicator")
        return pd.DataFrame(
            arr,
            index=self._all_index if every_country else self._kept_index,
            columns=pd.Index(list(cols), name=name, dtype="str"),
        )

    # ---------------------------------------------------------------- stages
    @cached_property
    def framework(self) -> pd.DataFrame:
        """Framework used: weight = rescaled within dimension, plus dimension_weight (rescaled)
        and effective_weight (product; sums to 1)."""
        fw = self.prepared.framework.copy()
        fw["weight"] = self.indicator_weight_array
        fw["dimension_weight"] = self.dimension_weight_array[self.prepared.dim_of]
        fw["effective_weight"] = fw["weight"] * fw["dimension_weight"]
        return fw

    @cached_property
    def indicator_weights(self) -> pd.Series:
        return pd.Series(
            self.indicator_weight_array,
            index=pd.Index(self.prepared.indicators, name="indicator"),
            name="weight",
        )

    @cached_property
    def dimension_weights(self) -> pd.Series:
        return pd.Series(
            self.dimension_weight_array,
            index=pd.Index(self.prepared.dimensions, name="dimension"),
            name="weight",
        )

    @cached_property
    def raw(self) -> pd.DataFrame:
        return self._wide(self.raw_array, every_country=True)

    @cached_property
    def years(self) -> pd.DataFrame:
        return self._wide(self.years_array, every_country=True)

    @cached_property
    def carried(self) -> pd.DataFrame:
        """True where a value was measured only after the Method's years and carried back (every
        country); show it wherever the value shows."""
        return self._wide(self.carried_array, every_country=True)

    @property
    def carried_array(self) -> np.ndarray:
        if self.method.year is not None:
            return np.zeros(self.years_array.shape, dtype=bool)
        with np.errstate(invalid="ignore"):
            return self.years_array > self.method.year_window[1]

    @cached_property
    def coverage(self) -> pd.Series:
        """Share of effective weight present (before imputation), every country."""
        return pd.Series(self.coverage_array, index=self._all_index, name="coverage")

    @cached_property
    def screened_out(self) -> pd.DataFrame:
        iso, reason = zip(*self.screen_reasons, strict=True) if self.screen_reasons else ((), ())
        return pd.DataFrame(
            {
                "iso3": pd.array(list(iso), dtype="str"),
                "reason": pd.array(list(reason), dtype="str"),
            }
        )

    @cached_property
    def imputed(self) -> pd.DataFrame:
        return self._wide(self.imputed_array)

    @cached_property
    def imputed_flags(self) -> pd.DataFrame:
        return self._wide(self.imputed_flags_array)

    @cached_property
    def imputed_years(self) -> pd.DataFrame:
        """Source year of values imputed from an earlier year (NaN elsewhere)."""
        return self._wide(self.imputed_years_array)

    @cached_property
    def treated(self) -> pd.DataFrame:
        return self._wide(self.treated_array)

    @cached_property
    def treated_flags(self) -> pd.DataFrame:
        return self._wide(self.treated_flags_array)

    @cached_property
    def treatment(self) -> pd.DataFrame:
        """indicator, action (none / winsorised / log / not checked), detail."""
        if self.treatment_report is not None:
            return self.treatment_report
        return TREATMENTS["none"].function(
            np.empty((0, len(self.prepared.indicators))), self.prepared.indicators
        )[2]

    @cached_property
    def normalised(self) -> pd.DataFrame:
        return self._wide(self.normalised_array)

    @cached_property
    def dimension_scores(self) -> pd.DataFrame:
        return self._wide(self.dimension_array, dimensions=True)

    @cached_property
    def dimension_counts(self) -> pd.DataFrame:
        """Kept countries x dimensions: how many weighted indicators with a value (before
        imputation) each dimension score rests on."""
        return self._wide(self.dimension_count_array, dimensions=True)

    @cached_property
    def single_indicator(self) -> pd.DataFrame:
        """True where a dimension score rests on one indicator alone: flag it wherever it shows."""
        return self.dimension_counts == 1

    @cached_property
    def results(self) -> pd.DataFrame:
        """One row per scored country: dimensions, overall, rank (1 = best), coverage[, peer_rank]."""
        cols: dict[str, Any] = {
            d: self.dimension_array[:, k] for k, d in enumerate(self.prepared.dimensions)
        }
        if self.side_array is not None:
            cols |= {s: self.side_array[:, k] for k, s in enumerate(self.prepared.sides)}
        cols["overall"] = self.overall_array
        cols["rank"] = _int_array(self.rank_array)
        cols["coverage"] = self.coverage_array[self.kept]
        if self.dimension_count_array is not None:
            cols["indicator_count"] = self.dimension_count_array.sum(axis=1)
        if self.peer_rank_array is not None:
            cols["peer_rank"] = _int_array(self.peer_rank_array)
        return pd.DataFrame(cols, index=self._kept_index)

    @property
    def kernel(self) -> KernelInputs:
        m = self.method
        return KernelInputs(
            self.normalised_array,
            self.prepared.dim_of,
            self.indicator_weight_array,
            self.dimension_weight_array,
            self.iso3,
            self.prepared.indicators,
            self.prepared.dimensions,
            m.indicator_aggregation,
            m.dimension_aggregation,
            m.indicator_power,
            m.dimension_power,
        )


def _int_array(x: np.ndarray) -> pd.arrays.IntegerArray:
    """Float ranks (NaN = none) as a nullable Int64 array."""
    missing = np.isnan(x)
    return pd.arrays.IntegerArray(np.where(missing, 0, x).astype(np.int64), missing)


# ============================================================================ stages
def select_year(p: Prepared, method: Method) -> tuple[np.ndarray, np.ndarray]:
    """(values, years): countries x indicators for the Method's exact year, or each cell's latest
    value in its window; a cell with none there takes its earliest value after the window
    (carried back, flagged by ``Scorecard.carried``), never an interpolation."""
    if method.year is not None:
        k = int(np.searchsorted(p.years, method.year))
        if k >= len(p.years) or p.years[k] != method.year:
            shape = (len(p.iso3), len(p.indicators))
            return np.full(shape, np.nan), np.full(shape, np.nan)
        raw = p.cube[k].copy()
        yrs = np.where(np.isnan(raw), np.nan, float(method.year))
        return raw, yrs
    lo, hi = method.year_window
    a = int(np.searchsorted(p.years, lo, side="left"))
    b = int(np.searchsorted(p.years, hi, side="right"))
    sub = p.cube[a:b]
    if sub.shape[0] == 0:
        shape = (len(p.iso3), len(p.indicators))
        return _carry_back(p, b, np.full(shape, np.nan), np.full(shape, np.nan))
    valid = ~np.isnan(sub)
    last = sub.shape[0] - 1 - np.argmax(valid[::-1], axis=0)
    raw = np.take_along_axis(sub, last[None], axis=0)[0]
    yrs = p.years[a:b][last].astype(float)
    yrs[np.isnan(raw)] = np.nan
    return _carry_back(p, b, raw, yrs)


def _carry_back(p: Prepared, after: int, raw: np.ndarray, yrs: np.ndarray):
    """Fill what the window lacks with each cell's earliest observation after it (carried back;
    ``Scorecard.carried`` flags it): an indicator first measured in 2025 still counts in 2018."""
    later = p.cube[after:]
    missing = np.isnan(raw)
    if not later.shape[0] or not missing.any():
        return raw, yrs
    valid = ~np.isnan(later)
    first = np.argmax(valid, axis=0)
    found = missing & valid.any(axis=0)
    raw = np.where(found, np.take_along_axis(later, first[None], axis=0)[0], raw)
    yrs = np.where(found, p.years[after:][first].astype(float), yrs)
    return raw, yrs


def _resolve_weights(p: Prepared, method: Method, preset: str, N: np.ndarray | None):
    w_ind, w_dim = preset_arrays(preset, p.weight, p.dim_of, p.dimension_weight, N)
    w_ind = with_overrides(w_ind, p.indicators, method.indicator_weights)
    w_dim = with_overrides(w_dim, p.dimensions, method.dimension_weights)
    validate_weights(w_ind, p.dim_of, w_dim, p.indicators, p.dimensions)
    w_ind = within_dimension(w_ind, p.dim_of, len(w_dim))
    return w_ind, _share_sides(p, method, rescale(w_dim))


def _share_sides(p: Prepared, method: Method, w_dim: np.ndarray) -> np.ndarray:
    """Dimension weights rescaled so that each side carries its side weight: within a side the
    dimensions keep their relative weights. A side whose dimensions all weigh 0 drops out."""
    if not p.sides or not method.side_weights:
        return w_dim
    chosen = dict(method.side_weights)
    unknown = sorted(set(chosen) - set(p.sides))
    # The default names both sides; a framework with one of them (an upload) just lacks the other.
    if unknown and method.side_weights != DEFAULT_SIDE_WEIGHTS:
        raise EngineError(
            "side_weights: unknown side(s) {sides} (known: {known})",
            sides=Listed(map(Quoted, unknown)),
            known=Listed(map(Side, p.sides)),
        )
    out = np.zeros_like(w_dim)
    for k, side in enumerate(p.sides):
        members = p.side_of == k
        total = w_dim[members].sum()
        if total > 0:
            out[members] = w_dim[members] / total * chosen.get(side, 1.0)
    if not out.sum() > 0:
        raise EngineError("side_weights: every side with weighted dimensions has weight 0")
    return rescale(out)


def _log_scale(columns: np.ndarray):
    """x -> log(1 + x) in the flagged columns (the framework's ``transform`` = "log"), so that each
    doubling of a count weighs the same and a few very large networks do not press every other
    country against zero.

    >>> _log_scale(np.array([True, False]))(np.array([[np.e - 1, 5.0]])).tolist()
    [[1.0, 5.0]]
    """
    if not columns.any():
        return lambda x: x

    def scale(x: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(columns, np.log1p(x), x)

    return scale


def _dimension_counts(
    present: np.ndarray, dim_of: np.ndarray, weighted: np.ndarray, n_dim: int
) -> np.ndarray:
    """Countries x dimensions: how many weighted indicators have a value.

    >>> present = np.array([[True, False, True], [False, False, True]])
    >>> _dimension_counts(present, np.array([0, 0, 1]), np.ones(3, bool), 2).tolist()
    [[1, 1], [0, 1]]
    """
    B = np.zeros((len(dim_of), n_dim), dtype=np.int64)
    B[np.arange(len(dim_of)), dim_of] = weighted
    return present.astype(np.int64) @ B


def _count_rule(
    counts: np.ndarray,
    keep: np.ndarray,
    w_ind: np.ndarray,
    w_dim: np.ndarray,
    p: Prepared,
    method: Method,
) -> dict[int, str]:
    """Reasons for the kept countries that fail the count rule: too few weighted indicators or
    dimensions with a value, or no value on a weighted side (see ``Method.min_indicator_share``)."""
    per_dimension = np.bincount(p.dim_of, weights=w_ind > 0, minlength=len(w_dim))
    weighted = (w_dim > 0) & (per_dimension > 0)
    n_ind, n_dim = int(per_dimension[weighted].sum()), int(weighted.sum())
    need_ind = math.ceil(method.min_indicator_share * n_ind - _EPS)
    need_dim = math.ceil(method.min_dimension_share * n_dim - _EPS)
    has_ind = counts[:, weighted].sum(axis=1)
    has_dim = (counts[:, weighted] > 0).sum(axis=1)
    sides = [
        (side, weighted & (p.side_of == k))
        for k, side in enumerate(p.sides)
        if (weighted & (p.side_of == k)).any()
    ]
    lacks_side = np.zeros(len(counts), dtype=bool)
    for _, members in sides:
        lacks_side |= ~(counts[:, members] > 0).any(axis=1)
    failing = keep & ((has_ind < need_ind) | (has_dim < need_dim) | lacks_side)
    reasons = {}
    for c in np.flatnonzero(failing):
        problems = []
        if has_ind[c] < need_ind:
            problems.append(f"values for {has_ind[c]} of {n_ind} indicators (needs {need_ind})")
        if has_dim[c] < need_dim:
            problems.append(f"values in {has_dim[c]} of {n_dim} dimensions (needs {need_dim})")
        problems += [
            f"no value on the {side} side"
            for side, members in sides
            if not counts[c, members].any()
        ]
        reasons[c] = "; ".join(problems)
    return reasons


def _group_codes(countries: pd.DataFrame | None, iso3: np.ndarray, group: str) -> np.ndarray:
    if countries is None:
        raise ValueError(
            "group imputation needs the countries table (iso3, region, subregion, groups)"
        )
    c = countries.drop_duplicates("iso3").set_index("iso3")
    if group in GROUP_COLUMNS:
        if group not in c.columns:
            raise EngineError(
                "impute_group: the countries table has no {column} column", column=Setting(group)
            )
        labels = c[group].reindex(iso3.astype(str))
        codes, _ = pd.factorize(labels)  # NaN -> -1
        return np.asarray(codes)
    if "groups" not in c.columns:
        raise EngineError(
            "impute_group: unknown group {group} (no groups column)", group=Quoted(repr(group))
        )
    is_member = _members(c["groups"], group)
    if not is_member.any():
        raise EngineError("impute_group: unknown group {group}", group=Quoted(repr(group)))
    return np.where(is_member.reindex(iso3.astype(str)).fillna(False).to_numpy(bool), 0, 1)


def _members(groups: pd.Series, group: str) -> pd.Series:
    """Bool per row: ``group`` is one of the ';'-separated ids in ``groups``."""
    return (
        groups.fillna("").astype(str).str.split(";").map(lambda g: group in {x.strip() for x in g})
    )


def resolve_countries(
    codes: Iterable[str], countries: pd.DataFrame | None, known: Iterable[str] = ()
) -> list[str]:
    """ISO3 codes for tokens that are ISO3 codes, regions, subregions or group ids (sorted).

    >>> c = pd.DataFrame({"iso3": ["RUS", "KAZ", "FRA"], "region": ["Europe", "Asia", "Europe"],
    ...                   "subregion": ["E", "C", "W"], "groups": ["EAEU;CIS", "EAEU", "EU"]})
    >>> resolve_countries(["EAEU", "FRA"], c)
    ['FRA', 'KAZ', 'RUS']
    """
    known = set(known)
    out: set[str] = set()
    unknown = []
    table = countries.drop_duplicates("iso3") if countries is not None else None
    for token in codes:
        t = str(token).strip()
        if t in known or (table is not None and t in set(table["iso3"])):
            out.add(t)
            continue
        found = False
        if table is not None:
            for col in GROUP_COLUMNS:
                if col in table:
                    hit = table.loc[table[col] == t, "iso3"]
                    if len(hit):
                        out.update(hit)
                        found = True
            if "groups" in table:
                hit = table.loc[_members(table["groups"], t), "iso3"]
                if len(hit):
                    out.update(hit)
                    found = True
        if not found:
            unknown.append(t)
    if unknown:
        raise EngineError(
            "peer group: unknown country or group {codes}", codes=Listed(map(Quoted, unknown), 5)
        )
    return sorted(out)


def check_references(method: Method, countries: pd.DataFrame | None) -> Method:
    """Raise ValueError if `method` names peers or an imputation group (when its imputation uses
    groups) that `countries` does not have; return the method. What build_scorecard would refuse
    about the names alone, whatever the values: a link or scenario can be checked before use."""
    if method.peer_group:
        resolve_countries(method.peer_group, countries)
    if IMPUTERS[method.imputation].uses_groups:
        iso3 = countries["iso3"].to_numpy() if countries is not None else np.array([], dtype=str)
        _group_codes(countries, iso3, method.impute_group)
    return method


def build_scorecard(
    values: pd.DataFrame | Prepared,
    framework: Any = None,
    method: Method | None = None,
    countries: pd.DataFrame | None = None,
    *,
    dimension_weights: Mapping[str, float] | None = None,
) -> Scorecard:
    """Run every stage; ``values`` may be a :class:`Prepared` (then ``framework`` may be None)."""
    method = Method() if method is None else method
    if isinstance(values, Prepared):
        p = values
    else:
        if framework is None:
            raise ValueError("framework: required when values are not prepared")
        p = prepare(values, framework, dimension_weights=dimension_weights, countries=countries)
    countries = countries if countries is not None else p.countries
    method.check_names(p.indicators, p.dimensions)
    n_ind = len(p.indicators)

    # select
    raw, yrs = select_year(p, method)

    # screen (a data-driven preset cannot weigh before normalising: screen with the catalogue)
    preset = WEIGHT_PRESETS[method.weight_preset]
    w_ind, w_dim = _resolve_weights(p, method, before_normalising(preset.name), None)
    present = ~np.isnan(raw)
    eff = w_ind * w_dim[p.dim_of]
    coverage = present @ eff
    keep = (coverage > 0) & (coverage >= method.min_coverage - _EPS)
    reasons: dict[int, str] = {}
    for c in np.flatnonzero(coverage <= 0):
        reasons[c] = "no value for any weighted indicator in the selected year(s)"
    for c in np.flatnonzero((coverage > 0) & ~keep):
        reasons[c] = f"coverage {coverage[c]:.2f} below the threshold {method.min_coverage:.2f}"
    if method.min_dimension_coverage > 0:
        B = np.zeros((n_ind, len(w_dim)))
        B[np.arange(n_ind), p.dim_of] = w_ind
        dim_cov = present @ B
        weighted = np.flatnonzero(w_dim > 0)
        for c in np.flatnonzero(keep):
            low = [
                p.dimensions[d]
                for d in weighted
                if dim_cov[c, d] < method.min_dimension_coverage - _EPS
            ]
            if low:
                keep[c] = False
                reasons[c] = (
                    f"dimension coverage below {method.min_dimension_coverage:.2f} in "
                    + ", ".join(f"{d} ({dim_cov[c, p.dimensions.index(d)]:.2f})" for d in low)
                )
    counts = _dimension_counts(present, p.dim_of, w_ind > 0, len(w_dim))
    for c, reason in _count_rule(counts, keep, w_ind, w_dim, p, method).items():
        keep[c] = False
        reasons[c] = reason
    screen_reasons = tuple((str(p.iso3[c]), reasons[c]) for c in sorted(reasons))
    kept_iso3 = p.iso3[keep]
    if not keep.any():
        raise EngineError(
            "screening: no country has enough data (year {year}, min_coverage {coverage:g}, "
            "min_indicator_share {indicator_share:g}, min_dimension_share {dimension_share:g})",
            year=str(method.year if method.year is not None else method.year_window),
            coverage=method.min_coverage,
            indicator_share=method.min_indicator_share,
            dimension_share=method.min_dimension_share,
        )

    # impute
    X = raw[keep]
    imputer = IMPUTERS[method.imputation]
    if imputer.name == "none":
        Xi, flags, iyears = X, np.zeros(X.shape, dtype=bool), np.full(X.shape, np.nan)
    else:
        ctx = ImputeContext(
            groups=_group_codes(countries, kept_iso3, method.impute_group)
            if imputer.uses_groups
            else None,
            cube=p.cube[:, keep] if imputer.name == "latest_earlier" else None,
            years=p.years,
            before=method.year if method.year is not None else method.year_window[0],
        )
        Xi, flags, iyears = imputer.function(X, ctx)

    # treat
    if method.outlier_treatment == "none":
        Xt, tmask = Xi, np.zeros(X.shape, dtype=bool)
        report = None  # built on access (Scorecard.treatment)
    else:
        Xt, tmask, report = TREATMENTS[method.outlier_treatment].function(Xi, p.indicators)

    # normalise (direction first), log-scaled indicators on log(1 + x)
    scale = _log_scale(p.log_scale)
    N = normalise(
        scale(Xt),
        p.direction,
        method.normalisation,
        dict(method.normalisation_params),
        goal_low=scale(p.goal_low),
        goal_high=scale(p.goal_high),
        worst=scale(p.worst),
        best=scale(p.best),
        names=p.indicators,
        active=w_ind > 0,
    )

    # weights (data-driven presets now that normalised data exist)
    if preset.data_driven:
        w_ind, w_dim = _resolve_weights(p, method, preset.name, N)

    # aggregate and rank
    D, overall = aggregate_levels(
        N,
        p.dim_of,
        w_ind,
        w_dim,
        method.indicator_aggregation,
        method.dimension_aggregation,
        indicator_power=method.indicator_power,
        dimension_power=method.dimension_power,
        indicators=p.indicators,
        dimensions=p.dimensions,
        units=kept_iso3,
    )
    ranks = rank_scores(overall)
    sides = _side_scores(D, w_dim, p, method, kept_iso3) if p.sides else None
    coverage_final = present @ (w_ind * w_dim[p.dim_of]) if preset.data_driven else coverage

    peer = None
    if method.peer_group:
        members = set(resolve_countries(method.peer_group, countries, p.iso3))
        in_peer = np.isin(kept_iso3.astype(str), sorted(members))
        peer = np.full(len(kept_iso3), np.nan)
        peer[in_peer] = rank_scores(overall[in_peer])

    return Scorecard(
        method=method,
        prepared=p,
        raw_array=raw,
        years_array=yrs,
        coverage_array=coverage_final,
        kept=keep,
        screen_reasons=screen_reasons,
        imputed_array=Xi,
        imputed_flags_array=flags,
        imputed_years_array=iyears,
        treated_array=Xt,
        treated_flags_array=tmask,
        treatment_report=report,
        normalised_array=N,
        indicator_weight_array=w_ind,
        dimension_weight_array=w_dim,
        dimension_array=D,
        overall_array=overall,
        rank_array=ranks,
        peer_rank_array=peer,
        countries=countries,
        side_array=sides,
        dimension_count_array=counts[keep],
    )


def _side_scores(
    D: np.ndarray, w_dim: np.ndarray, p: Prepared, method: Method, units: np.ndarray
) -> np.ndarray:
    """Kept countries x sides: each side's weighted dimensions aggregated as the overall is (the
    dimension aggregation and power), weights rescaled within the side. For every mean in the
    registry the overall equals the same mean of the side scores, weighted by side weight."""
    f = AGGREGATORS[method.dimension_aggregation].function
    out = np.full((D.shape[0], len(p.sides)), np.nan)
    for k, side in enumerate(p.sides):
        members = np.flatnonzero((p.side_of == k) & (w_dim > 0))
        if members.size:
            try:
                out[:, k] = f(
                    D[:, members],
                    w_dim[members],
                    p=method.dimension_power,
                    names=[p.dimensions[d] for d in members],
                    units=units,
                )
            except ValueError as err:
                raise EngineError("{where}: {error}", where=Side(side), error=err) from None
    return out


def peer_ranks(sc: Scorecard, peers: Sequence[str]) -> pd.Series:
    """Rank (min method, 1 = best) of overall among the peers that were scored.

    ``peers`` are ISO3 codes and/or regions, subregions, group ids (with a countries table).
    """
    members = resolve_countries(peers, sc.countries, sc.prepared.iso3)
    res = sc.results
    sub = res.loc[res.index.isin(members), "overall"]
    return pd.Series(
        _int_array(rank_scores(sub.to_numpy(dtype=float))), index=sub.index, name="peer_rank"
    )
