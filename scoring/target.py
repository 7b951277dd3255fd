"""What would it take: the smallest set of indicator improvements that brings a country to a
target rank under the current Method, in each indicator's own units.

Rules, stated once:

* **What may change**: the country's own values of counted indicators (weight > 0) that it has
  a value for, each only towards better and at most to the best value any country has in the
  same selection ("within the range observed"). Indicators whose values are all whole numbers
  (counts, yes/no laws, years) move in whole steps; one on a scale of a few levels shared by many
  countries (an EITI status 0, 25, 50 or 100) moves to a level. A missing value is not invented.
* **Smallest set**: the fewest indicators. Among the sets of that size that can reach the target,
  the one needing the smallest common share t of each chosen indicator's gap to the best value
  (value = now + t (best - now), whole-number indicators rounded towards better), found by
  bisection on t; ties go to the higher resulting score.
* **Relative scales are recomputed**: a country's new value can move min-max goalposts (raising
  the lowest value moves everyone's 0), so every candidate is scored again with everyone's
  normalised values recomputed. Because normalisation, imputation and treatment work column by
  column, one rescoring with every candidate indicator changed gives each changed column, and
  any set's scores are those columns swapped in; the answer is then checked by scoring the
  changed values through the whole pipeline.
* **Probability**: the share of Monte Carlo draws (every weight w (1 + u), u ~ U(-0.25, 0.25),
  as on the Robustness page) in which the country ranks at the target or better, now and with
  the changes.

Worked example (3 countries, one dimension, two +1 indicators x and y, min-max, arithmetic):
A (10, 0), B (5, 10), C (0, 5) normalise to A (100, 0), B (50, 100), C (0, 50) and score A 50,
B 75, C 25. For C to rank 1st: y at its best (10) gives C (0, 100) = 50 against B's 75, not
enough; x alone is, because C was x's minimum: with C's x above 5, B becomes the minimum and
scores 0 on x, so B = A = 50 and C = ((x - 5) / 5 * 100 + 50) / 2 >= 50 needs x >= 7.5, which
whole steps make 8 (C 55, rank 1).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np
import pandas as pd

from scoring.aggregate import RANK_TOLERANCE, aggregate_levels, rank_scores
from scoring.attribution import quasi_mean
from scoring.errors import Counted, Country, EngineError, Indicator, Phrase, Quoted, Reason, Setting
from scoring.pipeline import Scorecard, build_scorecard
from scoring.uncertainty import perturb_weights
from scoring.weights import WEIGHT_PRESETS

__all__ = ["TargetPlan", "what_it_takes", "apply_changes", "rank_probability"]

_BISECTIONS = 24
MAX_LEVELS, MIN_SHARING = 6, 20  # a scale of levels: at most 6 values, shared by 20+ countries
_GRID = np.linspace(0.0, 1.0, 33)[1:]  # shares of the gap tried for every feasible set
_CHUNK = 256  # sets scored at once (sets x countries x indicators floats)
_MAX_SETS = 200_000  # sets of one size screened before giving up
_BISECTED = 64  # feasible sets of the smallest size whose least share is sought
#: Normalisations under which a country's gain never raises another country's normalised value.
_MONOTONE = ("min_max", "goalposts", "percentile_rank", "rank", "distance_to_frontier")


@dataclass(frozen=True)
class TargetPlan:
    """The answer: ``changes`` has one row per indicator to improve (indicator, dimension, lever,
    value_now, value_needed, change, best_observed, normalised_now, normalised_after, year)."""

    iso3: str
    target_rank: int
    rank_now: int
    score_now: float
    reachable: bool
    rank_after: int | None
    score_after: float | None
    changes: pd.DataFrame
    alternatives: int  # other sets of the same size that also reach the target
    probability_now: float
    probability_after: float | None
    message: str  # the answer in English; `answer` keeps it as a phrase to say in any language
    answer: Phrase

    @property
    def values(self) -> dict[str, float]:
        return dict(zip(self.changes["indicator"], self.changes["value_needed"], strict=True))


def apply_changes(sc: Scorecard, iso3: str, values: Mapping[str, float]) -> Scorecard:
    """The scorecard again with `iso3`'s values replaced (in the year each value was read from,
    or the window's last year where it had none), everything recomputed."""
    p = sc.prepared
    every = list(p.iso3.astype(str)).index(iso3)
    cube = p.cube.copy()
    last = sc.method.year if sc.method.year is not None else sc.method.year_window[1]
    for indicator, value in values.items():
        i = p.indicators.index(indicator)
        year = sc.years_array[every, i]
        year = last if np.isnan(year) else int(year)
        y = int(np.searchsorted(p.years, year))
        if y >= len(p.years) or p.years[y] != year:
            raise EngineError(
                "{indicator}: no year {year} in the data to hold the value",
                indicator=Indicator(indicator),
                year=int(year),
            )
        cube[y, every, i] = float(value)
    with np.errstate(all="ignore"):
        present = ~np.isnan(cube)
        worst = np.where(present, cube, np.inf).min(axis=(0, 1))
        best = np.where(present, cube, -np.inf).max(axis=(0, 1))
    changed = replace(
        p,
        cube=cube,
        worst=np.where(np.isfinite(worst), worst, np.nan),
        best=np.where(np.isfinite(best), best, np.nan),
    )
    return build_scorecard(changed, method=sc.method, countries=sc.countries)


def rank_probability(
    sc: Scorecard, iso3: str, target_rank: int, draws: int = 1000, noise: float = 0.25, seed=0
) -> float:
    """Share of Monte Carlo weight draws in which `iso3` ranks `target_rank` or better."""
    k = sc.kernel
    rng = np.random.default_rng(seed)
    W = perturb_weights(k.indicator_weights, draws, rng, noise=noise)
    V = perturb_weights(k.dimension_weights, draws, rng, noise=noise)
    _, scores = aggregate_levels(
        k.normalised,
        k.dim_of,
        W,
        V,
        k.indicator_aggregation,
        k.dimension_aggregation,
        indicator_power=k.indicator_power,
        dimension_power=k.dimension_power,
    )
    ranks = rank_scores(np.atleast_2d(scores))
    row = list(k.iso3.astype(str)).index(iso3)
    return float(((ranks[:, row] >= 1) & (ranks[:, row] <= target_rank)).mean())


class _Sets:
    """Scores of every kept country with sets of changed columns swapped in."""

    def __init__(self, sc: Scorecard, row: int):
        self.sc, self.row = sc, row
        self.base = sc.normalised_array
        k = sc.kernel
        self.dim_of, self.w, self.V = k.dim_of, k.indicator_weights, k.dimension_weights
        m = sc.method
        self.rules = (
            m.indicator_aggregation,
            m.indicator_power,
            m.dimension_aggregation,
            m.dimension_power,
        )

    def scores(self, changed: np.ndarray, columns: np.ndarray, sets: np.ndarray) -> np.ndarray:
        """(sets x kept countries): `sets` is a bool (sets x candidates) choice of `columns`,
        whose changed normalised values are `changed` (kept x indicators)."""
        out = np.empty((len(sets), self.base.shape[0]))
        ind_rule, ind_p, dim_rule, dim_p = self.rules
        for c0 in range(0, len(sets), _CHUNK):
            chosen = np.zeros((min(_CHUNK, len(sets) - c0), self.base.shape[1]), dtype=bool)
            chosen[:, columns] = sets[c0 : c0 + _CHUNK]
            N = np.where(chosen[:, None, :], changed[None], self.base[None])
            D = np.stack(
                [
                    quasi_mean(N[:, :, self.dim_of == d], self.w[self.dim_of == d], ind_rule, ind_p)
                    for d in range(len(self.V))
                ],
                axis=-1,
            )
            out[c0 : c0 + len(chosen)] = quasi_mean(D, self.V, dim_rule, dim_p)
        return out

    def own_scores(self, changed: np.ndarray, columns: np.ndarray, sets: np.ndarray):
        """The country's own score with each set swapped in (its row only: fast)."""
        chosen = np.zeros((len(sets), self.base.shape[1]), dtype=bool)
        chosen[:, columns] = sets
        n = np.where(chosen, changed[self.row], self.base[self.row])
        ind_rule, ind_p, dim_rule, dim_p = self.rules
        D = np.stack(
            [
                quasi_mean(n[:, self.dim_of == d], self.w[self.dim_of == d], ind_rule, ind_p)
                for d in range(len(self.V))
            ],
            axis=-1,
        )
        return quasi_mean(D, self.V, dim_rule, dim_p)

    def own_rank(self, scores: np.ndarray) -> np.ndarray:
        """The country's rank in each row (1 + countries clearly above it, as rank_scores)."""
        own = scores[:, self.row][:, None]
        above = scores - own > RANK_TOLERANCE * np.maximum(1.0, np.abs(own))
        return 1 + np.where(np.isnan(scores), False, above).sum(axis=1)


def _values_at(now, best, share, whole, levels=None):
    """now + share (best - now), whole-number indicators rounded towards better, an indicator on
    a scale of a few levels moved to the next level reached, never past best.

    >>> _values_at(np.array([0.0, 10.0, 1.0]), np.array([10.0, 2.0, 2.0]), 0.35,
    ...            np.array([True, True, False])).tolist()
    [4.0, 7.0, 1.35]
    >>> _values_at(np.array([0.0]), np.array([100.0]), 0.6, np.array([True]),
    ...            [np.array([0.0, 25.0, 50.0, 100.0])]).tolist()
    [100.0]
    """
    value = now + share * (best - now)
    up = best >= now
    rounded = np.where(up, np.ceil(value - 1e-9), np.floor(value + 1e-9))
    value = np.where(whole, rounded, value)
    for j, steps in enumerate(levels or []):
        if steps is not None:
            reached = steps[steps >= value[j] - 1e-9] if up[j] else steps[steps <= value[j] + 1e-9]
            value[j] = (reached.min() if up[j] else reached.max()) if reached.size else best[j]
    return np.where(up, np.minimum(value, best), np.maximum(value, best))


def _levels(column: np.ndarray) -> np.ndarray | None:
    """The observed values of an indicator on a scale of a few levels (an EITI status 0, 25, 50,
    100; yes = 1, no = 0), when many countries share them; None for a continuous scale."""
    seen = column[~np.isnan(column)]
    steps = np.unique(seen)
    return steps if steps.size <= MAX_LEVELS and seen.size >= MIN_SHARING else None


def what_it_takes(
    sc: Scorecard,
    iso3: str,
    target_rank: int,
    *,
    levers: Mapping[str, str] | None = None,
    policy_only: bool = False,
    draws: int = 1000,
    seed: int = 0,
) -> TargetPlan:
    """The smallest set of improvements that brings `iso3` to `target_rank` or better (module
    docstring). `levers` maps indicator -> "policy" | "outcome" (the catalogue's ``lever``);
    `policy_only` restricts the search to policy levers. Raises ValueError naming the problem."""
    p, m = sc.prepared, sc.method
    kept = [str(c) for c in sc.iso3]
    if iso3 not in kept:
        reason = Reason(dict(sc.screen_reasons).get(iso3, "no values"))
        raise EngineError(
            "{country} is not scored under this Method: {reason}",
            country=Country(iso3),
            reason=reason,
        )
    n_kept = len(kept)
    if isinstance(target_rank, bool) or not isinstance(target_rank, int | np.integer):
        raise EngineError(
            "target rank: expected a whole number, got {value}", value=Quoted(repr(target_rank))
        )
    if not 1 <= target_rank <= n_kept:
        raise EngineError(
            "target rank: must be from 1 to {most}, got {value}",
            most=n_kept,
            value=int(target_rank),
        )
    if m.indicator_aggregation == "copeland" or m.dimension_aggregation == "copeland":
        raise EngineError("copeland: what it would take needs a mean aggregation, not outranking")
    if WEIGHT_PRESETS[m.weight_preset].data_driven:
        raise EngineError(
            "weight_preset {preset}: its weights are estimated from the data, so they change "
            "with every improvement; choose fixed weights",
            preset=Setting(m.weight_preset),
        )
    levers = dict(levers or {})
    row = kept.index(iso3)
    every = list(p.iso3.astype(str)).index(iso3)
    rank_now, score_now = int(sc.rank_array[row]), float(sc.overall_array[row])
    probability_now = (
        rank_probability(sc, iso3, target_rank, draws, seed=seed) if draws else math.nan
    )

    raw = sc.raw_array  # every country x indicators, as selected
    signed = raw * p.direction
    with np.errstate(all="ignore"):
        best = np.nanmax(np.where(np.isnan(signed), -np.inf, signed), axis=0) * p.direction
    own = raw[every]
    counted = sc.indicator_weight_array * sc.dimension_weight_array[p.dim_of] > 0
    better = (best - own) * p.direction > 0
    candidates = np.flatnonzero(counted & ~np.isnan(own) & better)
    if policy_only:
        candidates = np.array([i for i in candidates if levers.get(p.indicators[i]) == "policy"])
    whole = np.array(
        [bool(np.all(np.mod(raw[~np.isnan(raw[:, i]), i], 1) == 0)) for i in range(raw.shape[1])]
    )
    levels = [_levels(raw[:, i]) for i in range(raw.shape[1])]

    def plan(answer: Phrase, **fields) -> TargetPlan:
        base = dict(
            message=str(answer),
            answer=answer,
            iso3=iso3,
            target_rank=int(target_rank),
            rank_now=rank_now,
            score_now=score_now,
            reachable=False,
            rank_after=None,
            score_after=None,
            changes=_empty_changes(),
            alternatives=0,
            probability_now=probability_now,
            probability_after=None,
        )
        return TargetPlan(**{**base, **fields})

    if rank_now <= target_rank:
        return plan(
            reachable=True,
            rank_after=rank_now,
            score_after=score_now,
            probability_after=probability_now,
            answer=Phrase(
                "{country} already ranks {now}, at or above {target}.",
                country=Country(iso3),
                now=rank_now,
                target=int(target_rank),
            ),
        )
    if not len(candidates):
        return plan(
            Phrase(
                "{country} has no counted indicator it could still improve.", country=Country(iso3)
            )
        )

    sets = _Sets(sc, row)

    def changed_columns(share: float) -> np.ndarray:
        values = _values_at(
            own[candidates], best[candidates], share, whole[candidates],
            [levels[i] for i in candidates],
        )  # fmt: skip
        changed = apply_changes(sc, iso3, dict(zip(_names(p, candidates), values, strict=True)))
        if not np.array_equal(changed.kept, sc.kept):
            raise EngineError("the changes would change which countries are scored")
        return changed.normalised_array

    full = changed_columns(1.0)
    everything = sets.scores(full, candidates, np.ones((1, len(candidates)), dtype=bool))
    if sets.own_rank(everything)[0] > target_rank:
        return plan(
            Phrase(
                "Out of reach: even at the best value observed on every indicator it can "
                "improve, {country} would rank {rank}.",
                country=Country(iso3),
                rank=int(sets.own_rank(everything)[0]),
            )
        )
    # Where others can only lose when the country gains (min-max and rank-based scales, nothing
    # imputed or treated from its values), their scores with every candidate changed are the
    # lowest they can get: a set whose own score cannot pass enough of them is skipped unscored.
    others_floor = everything[0].copy()
    others_floor[row] = -np.inf
    monotone = (
        m.normalisation in _MONOTONE and m.imputation == "none" and m.outlier_treatment == "none"
    )
    feasible = None
    for size in range(1, len(candidates) + 1):
        if math.comb(len(candidates), size) > _MAX_SETS:
            return plan(Phrase("Too many combinations of {n} indicators to search.", n=size))
        choice = np.zeros((math.comb(len(candidates), size), len(candidates)), dtype=bool)
        for r, combo in enumerate(combinations(range(len(candidates)), size)):
            choice[r, list(combo)] = True
        if monotone:
            own_best = sets.own_scores(full, candidates, choice)
            margin = RANK_TOLERANCE * np.maximum(1.0, np.abs(own_best))
            passed_by = (others_floor[None, :] - own_best[:, None] > margin[:, None]).sum(axis=1)
            choice = choice[1 + passed_by <= target_rank]
        if not len(choice):
            continue
        ranks = sets.own_rank(sets.scores(full, candidates, choice))
        if (ranks <= target_rank).any():
            feasible = choice[ranks <= target_rank]
            break
    assert feasible is not None  # every candidate at its best reaches the target (checked)

    # The least common share of the gap: first on a grid for every feasible set (the most
    # promising few), then by bisection for the set that needs least.
    alternatives = len(feasible) - 1
    if len(feasible) > _BISECTED:
        at_best = sets.own_scores(full, candidates, feasible)
        feasible = feasible[np.argsort(-at_best, kind="stable")[:_BISECTED]]
    first_ok = np.full(len(feasible), len(_GRID) - 1)
    score_there = np.full(len(feasible), -np.inf)
    for g in range(len(_GRID) - 2, -1, -1):  # downwards: the last share that still works
        scores = sets.scores(changed_columns(_GRID[g]), candidates, feasible)
        ok = sets.own_rank(scores) <= target_rank
        first_ok[ok] = g
        score_there[ok] = scores[ok, row]
        if not ok.any():
            break
    pick = np.lexsort((-score_there, first_ok))[0]
    low, high = (_GRID[first_ok[pick] - 1] if first_ok[pick] else 0.0), _GRID[first_ok[pick]]
    one = feasible[pick : pick + 1]
    for _ in range(_BISECTIONS):
        middle = (low + high) / 2
        ok = sets.own_rank(sets.scores(changed_columns(middle), candidates, one))[0] <= target_rank
        low, high = (low, middle) if ok else (middle, high)
        if high - low < 1e-6:
            break
    # the set needing the least, its values, and a check through the whole pipeline
    chosen = candidates[feasible[pick]]
    for share in (high, 1.0):
        values = _values_at(
            own[chosen], best[chosen], share, whole[chosen], [levels[i] for i in chosen]
        )
        after = apply_changes(sc, iso3, dict(zip(_names(p, chosen), values, strict=True)))
        at = list(after.iso3.astype(str)).index(iso3)
        rank_after = int(after.rank_array[at])
        if rank_after <= target_rank:
            return plan(
                reachable=True,
                rank_after=rank_after,
                score_after=float(after.overall_array[at]),
                changes=_changes_table(sc, after, iso3, chosen, values, best, levers),
                alternatives=alternatives,
                probability_after=(
                    rank_probability(after, iso3, target_rank, draws, seed=seed)
                    if draws
                    else math.nan
                ),
                answer=Counted(
                    "{n} improvement brings {country} from rank {now} to {after}.",
                    "{n} improvements bring {country} from rank {now} to {after}.",
                    count="n",
                    n=len(chosen),
                    country=Country(iso3),
                    now=rank_now,
                    after=rank_after,
                ),
            )
    return plan(Phrase("No set could be confirmed by rescoring."))  # pragma: no cover


def _names(p, columns) -> list[str]:
    return [p.indicators[i] for i in columns]


CHANGE_COLUMNS = [
    "indicator",
    "dimension",
    "lever",
    "year",
    "value_now",
    "value_needed",
    "change",
    "best_observed",
    "normalised_now",
    "normalised_after",
]


def _empty_changes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            c: pd.Series(dtype="str" if c in ("indicator", "dimension", "lever") else "float64")
            for c in CHANGE_COLUMNS
        }
    )


def _changes_table(sc, after, iso3, chosen, values, best, levers) -> pd.DataFrame:
    p = sc.prepared
    every = list(p.iso3.astype(str)).index(iso3)
    row_now = list(sc.iso3.astype(str)).index(iso3)
    row_after = list(after.iso3.astype(str)).index(iso3)
    now = sc.raw_array[every, chosen]
    return pd.DataFrame(
        {
            "indicator": _names(p, chosen),
            "dimension": [p.dimensions[p.dim_of[i]] for i in chosen],
            "lever": [levers.get(p.indicators[i], "") for i in chosen],
            "year": sc.years_array[every, chosen],
            "value_now": now,
            "value_needed": values,
            "change": values - now,
            "best_observed": best[chosen],
            "normalised_now": sc.normalised_array[row_now, chosen],
            "normalised_after": after.normalised_array[row_after, chosen],
        }
    )
