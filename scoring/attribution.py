"""Why did a score move, and why does one country outrank another: the change in a score split
into indicator contributions that add up exactly to it.

Two states of one country's score are compared (two years, two Methods, two data versions) or
two countries under one scorecard (the gap between them). A state is what the score is made of:
each indicator's normalised value and weight, each dimension's weight, and the aggregation rule
at both levels (:class:`ScoreInputs`).

* **Additive** (arithmetic means at both levels, the same weights and the same indicators
  present in both states): the score is linear in the normalised values, so

      contribution_i = e_i (n_i^to - n_i^from),   e_i = V_k w_i / (sum_{j in k} w_j  sum_l V_l)

  (sums over what is present), the effective weight of indicator i in dimension k.
* **Otherwise** (geometric, harmonic and generalised means, weights or coverage that differ,
  a side score of reach or appeal): the Owen value, Shapley over dimensions and then over the
  indicators within each dimension. A player is switched from its "from" state to its "to"
  state; for indicator i in dimension k, with G the other dimensions (and the aggregation rule,
  when the states differ in it) and M_k the other indicators of k,

      phi_i = sum_{R in G} |R|! (g - 1 - |R|)! / g!  sum_{T in M_k} |T|! (m - 1 - |T|)! / m!
              [v(R + T + i) - v(R + T)]

  where v(S) is the score with the players in S in their "to" state. Contributions add up to
  v(all) - v(none), the change, exactly (efficiency); in the additive case the Owen value is the
  formula above. A change of a dimension's weight, or of the aggregation rule, is a player of
  its own and gets a row of its own.

Weights are compared up to scale: the means rescale them, so ``(1, 1)`` and ``(0.5, 0.5)`` in a
dimension are the same state. Copeland (outranking) has no per-country split: it is refused.

Worked example (one dimension, two indicators, equal weights, arithmetic): from n = (40, 60),
score 50, to n = (70, 60), score 65: contributions (15, 0), adding up to the change 15.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.aggregate import rank_scores
from scoring.errors import Country, EngineError, Reason, Setting, Term

__all__ = [
    "LEVELS",
    "ADDITIVE",
    "OWEN",
    "ScoreInputs",
    "Attribution",
    "score_inputs",
    "quasi_mean",
    "evaluate",
    "attribute",
    "explain_change",
    "explain_gap",
]

#: What can be explained: the overall score or one side's score (reach, appeal).
LEVELS = ("overall", "reach", "appeal")
ADDITIVE, OWEN = (
    "effective weight x change",
    "Owen values (Shapley over dimensions, then indicators)",
)
#: Scores recomputed here may differ from the scorecard's in the last bits; beyond this, a bug.
_AGREE = 1e-6


@dataclass(frozen=True)
class ScoreInputs:
    """What one country's score (overall or a side) is made of under one scorecard."""

    iso3: str
    label: str  # "2015", "default method", ...
    normalised: np.ndarray  # per indicator, NaN = missing
    indicator_weights: np.ndarray  # per indicator (0 = not counted)
    dimension_weights: np.ndarray  # per dimension (0 = not counted; another side's are 0)
    dim_of: np.ndarray
    indicators: tuple[str, ...]
    dimensions: tuple[str, ...]
    indicator_aggregation: str
    dimension_aggregation: str
    indicator_power: float
    dimension_power: float
    score: float  # as the scorecard reports it
    rank: float  # among the countries scored (NaN: none)
    raw: np.ndarray  # per indicator, as published
    year: np.ndarray  # per indicator, the year used
    carried: np.ndarray  # per indicator, carried back from a later year

    @property
    def rules(self) -> tuple:
        return (
            self.indicator_aggregation,
            self.indicator_power if self.indicator_aggregation == "generalised" else None,
            self.dimension_aggregation,
            self.dimension_power if self.dimension_aggregation == "generalised" else None,
        )


def score_inputs(sc, iso3: str, level: str = "overall", label: str = "") -> ScoreInputs:
    """The inputs of `iso3`'s score in scorecard `sc`; ValueError names a country not scored."""
    if level not in LEVELS:
        raise ValueError(f"level: unknown choice {level!r} (known: {', '.join(LEVELS)})")
    kept = [str(c) for c in sc.iso3]
    if iso3 not in kept:
        why = Reason(dict(sc.screen_reasons).get(iso3, "no values"))
        if label and label != iso3:  # a year, or the state a split compares ("default", ...)
            raise EngineError(
                "{country} is not scored in {label}: {reason}",
                country=Country(iso3),
                label=Term(label),
                reason=why,
            )
        raise EngineError("{country} is not scored: {reason}", country=Country(iso3), reason=why)
    row = kept.index(iso3)
    p, m = sc.prepared, sc.method
    w_dim = np.asarray(sc.dimension_weight_array, dtype=float).copy()
    if level == "overall":
        score, rank = float(sc.overall_array[row]), float(sc.rank_array[row])
    else:
        if level not in p.sides or sc.side_array is None:
            raise ValueError(f"level: the framework has no {level} side")
        k = p.sides.index(level)
        w_dim[p.side_of != k] = 0.0
        scores = np.asarray(sc.side_array[:, k], dtype=float)
        score, rank = float(scores[row]), float(rank_scores(scores)[row])
    every = list(sc.prepared.iso3.astype(str)).index(iso3)
    return ScoreInputs(
        iso3=iso3,
        label=label,
        normalised=np.asarray(sc.normalised_array[row], dtype=float).copy(),
        indicator_weights=np.asarray(sc.indicator_weight_array, dtype=float).copy(),
        dimension_weights=w_dim,
        dim_of=np.asarray(p.dim_of),
        indicators=tuple(p.indicators),
        dimensions=tuple(p.dimensions),
        indicator_aggregation=m.indicator_aggregation,
        dimension_aggregation=m.dimension_aggregation,
        indicator_power=float(m.indicator_power),
        dimension_power=float(m.dimension_power),
        score=score,
        rank=rank,
        raw=np.asarray(sc.raw_array[every], dtype=float).copy(),
        year=np.asarray(sc.years_array[every], dtype=float).copy(),
        carried=np.asarray(sc.carried_array[every], dtype=bool).copy(),
    )


# ---------------------------------------------------------------------------------- evaluation
def quasi_mean(X: np.ndarray, w: np.ndarray, rule: str, power: float = 0.5) -> np.ndarray:
    """Weighted mean over the last axis, missing (NaN) items and weight 0 left out, weights
    rescaled (as ``scoring.aggregate``); a 0 value takes the mean's limit (geometric and harmonic
    give 0) so that mixed states stay defined. NaN where nothing is present.

    >>> X = np.array([[20.0, 80.0, 50.0]]); w = np.array([1.0, 1.0, 2.0])
    >>> [round(float(quasi_mean(X, w, r, 2.0)[0]), 2) for r in ("arithmetic", "geometric", "harmonic", "generalised")]
    [50.0, 44.72, 39.02, 54.31]
    """
    X = np.asarray(X, dtype=float)
    w = np.broadcast_to(np.asarray(w, dtype=float), X.shape)
    used = ~np.isnan(X) & (w > 0)
    W = np.where(used, w, 0.0)
    total = W.sum(axis=-1)
    x = np.where(used, X, 1.0)
    if rule == "generalised" and power == 0:
        rule = "geometric"
    if rule != "arithmetic" and (used & (X < 0)).any():
        raise ValueError(f"{rule} mean: a negative normalised value has no {rule} mean")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if rule == "arithmetic":
            m = (W * x).sum(axis=-1) / total
        elif rule == "geometric":
            m = np.exp((W * np.log(x)).sum(axis=-1) / total)
        elif rule == "harmonic":
            m = total / (W / x).sum(axis=-1)
        elif rule == "generalised":
            m = ((W * x**power).sum(axis=-1) / total) ** (1.0 / power)
        else:
            raise EngineError(
                "{rule}: a country's score depends on every other country's values, so it has "
                "no split into indicator contributions; choose a mean",
                rule=Setting(rule),
            )
    return np.where(total > 0, m, np.nan)


def evaluate(
    a: ScoreInputs,
    b: ScoreInputs,
    indicator_to: np.ndarray,
    dimension_weight_to: np.ndarray,
    rule_to: np.ndarray,
) -> np.ndarray:
    """Scores of mixed states, one per row of the masks: indicator i takes b's value and weight
    where ``indicator_to[:, i]``, dimension k b's weight where ``dimension_weight_to[:, k]``, and
    the aggregation rules are b's where ``rule_to``; a's otherwise."""
    ind = np.asarray(indicator_to, dtype=bool)
    out = np.full(ind.shape[0], np.nan)
    rule_to = np.asarray(rule_to, dtype=bool)
    for flag, s in ((False, a), (True, b)):
        rows = np.flatnonzero(rule_to == flag)
        if not rows.size:
            continue
        mask = ind[rows]
        n = np.where(mask, b.normalised, a.normalised)
        w = np.where(mask, b.indicator_weights, a.indicator_weights)
        D = np.full((rows.size, len(a.dimensions)), np.nan)
        for k in range(len(a.dimensions)):
            idx = np.flatnonzero(a.dim_of == k)
            if idx.size:
                D[:, k] = quasi_mean(
                    n[:, idx], w[:, idx], s.indicator_aggregation, s.indicator_power
                )
        V = np.where(dimension_weight_to[rows], b.dimension_weights, a.dimension_weights)
        out[rows] = quasi_mean(D, V, s.dimension_aggregation, s.dimension_power)
    return out


def _match_scale(a: np.ndarray, b: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """b rescaled within each group by the ratio a/b most of its positive weights share (on a tie,
    the one nearest 1), so that weights that differ only by the means' rescaling compare equal
    (the means ignore scale) and a changed weight shows on the item whose weight changed.

    >>> _match_scale(np.array([0.5, 0.5, 1.0]), np.array([0.25, 0.25, 0.5]), np.zeros(3)).tolist()
    [0.5, 0.5, 1.0]
    >>> _match_scale(np.array([0.5, 0.5]), np.array([0.5, 1.0]), np.zeros(2)).tolist()
    [0.5, 1.0]
    """
    b = b.astype(float).copy()
    for g in np.unique(groups):
        idx = np.flatnonzero((groups == g) & (a > 0) & (b > 0))
        if not idx.size:
            continue
        ratios = np.round(a[idx] / b[idx], 12)
        values, counts = np.unique(ratios, return_counts=True)
        tied = values[counts == counts.max()]
        factor = tied[np.argmin(np.abs(np.log(tied)))]  # a tie keeps the scale (ratio 1) if it can
        b[groups == g] *= factor
        close = np.isclose(b, a, rtol=1e-12, atol=0) & (groups == g)
        b[close] = a[close]
    return b


# ---------------------------------------------------------------------------------- the split
@dataclass(frozen=True)
class Attribution:
    """A change in a score split into contributions that add up exactly to it.

    ``table``: one row per item (every indicator, then any dimension weight or aggregation rule
    that changed): item, kind, indicator, name, dimension, contribution, and each state's raw
    value, year, carried flag, normalised value and weight (``*_from``, ``*_to``).
    """

    iso3_from: str
    iso3_to: str
    label_from: str
    label_to: str
    level: str
    score_from: float
    score_to: float
    rank_from: float
    rank_to: float
    rule: str
    table: pd.DataFrame

    @property
    def change(self) -> float:
        return self.score_to - self.score_from

    @property
    def rank_change(self) -> float:
        """Places gained (positive: a better rank)."""
        return self.rank_from - self.rank_to

    def by_dimension(self) -> pd.Series:
        """Contributions summed per dimension (weights and rule rows under their own names)."""
        key = self.table["dimension"].where(self.table["kind"] == "indicator", self.table["item"])
        return self.table.groupby(key, sort=False)["contribution"].sum()


def _subsets(n: int) -> np.ndarray:
    """Every subset of n players as rows of a bool matrix, row t holding the bits of t."""
    return (np.arange(2**n)[:, None] >> np.arange(n)) & 1 == 1


def _shapley_weights(sizes: np.ndarray, n: int) -> np.ndarray:
    """|S|! (n - 1 - |S|)! / n! for coalitions of the given sizes among n players."""
    f = [math.factorial(k) for k in range(n + 1)]
    return np.array([f[s] * f[n - 1 - s] / f[n] for s in sizes])


def _owen(
    a: ScoreInputs,
    b: ScoreInputs,
    groups: list[list[tuple[str, int]]],
) -> dict[tuple[str, int], float]:
    """Owen values of the players (("indicator", i), ("dimension", k) or ("rule", 0)), grouped."""
    p, K = len(a.indicators), len(a.dimensions)
    g = len(groups)
    out: dict[tuple[str, int], float] = {}
    for gi, members in enumerate(groups):
        others = [groups[j] for j in range(g) if j != gi]
        m = len(members)
        outer, inner = _subsets(g - 1), _subsets(m)
        rows = len(outer) * len(inner)
        ind = np.zeros((len(outer), len(inner), p), dtype=bool)
        dim = np.zeros((len(outer), len(inner), K), dtype=bool)
        rule = np.zeros((len(outer), len(inner)), dtype=bool)
        placed = [
            (j, player, outer[:, j][:, None]) for j, grp in enumerate(others) for player in grp
        ]
        placed += [(None, player, inner[:, j][None, :]) for j, player in enumerate(members)]
        for _, (kind, index), on in placed:
            if kind == "indicator":
                ind[:, :, index] |= on
            elif kind == "dimension":
                dim[:, :, index] |= on
            else:
                rule |= on
        v = evaluate(a, b, ind.reshape(rows, p), dim.reshape(rows, K), rule.reshape(rows))
        v = v.reshape(len(outer), len(inner))
        if np.isnan(v).any():
            raise EngineError(
                "{country}: some mix of the two states leaves no indicator to score, so the "
                "change cannot be split (the two states share too few indicators)",
                country=Country(a.iso3),
            )
        outer_w = _shapley_weights(outer.sum(axis=1), g)
        sizes = inner.sum(axis=1)
        inner_w = _shapley_weights(np.minimum(sizes, m - 1), m)
        for i, player in enumerate(members):
            without = np.flatnonzero(~inner[:, i])
            marginal = v[:, without | (1 << i)] - v[:, without]
            out[player] = float(outer_w @ (marginal @ inner_w[without]))
    return out


def attribute(a: ScoreInputs, b: ScoreInputs, level: str = "overall") -> Attribution:
    """Split b.score - a.score into contributions (module docstring); they add up to it exactly."""
    if a.indicators != b.indicators or a.dimensions != b.dimensions:
        raise EngineError("the two states have different indicators or dimensions")
    for s in (a, b):
        quasi_mean(np.ones((1, 1)), np.ones(1), s.indicator_aggregation)  # refuses Copeland
        quasi_mean(np.ones((1, 1)), np.ones(1), s.dimension_aggregation)
    b_w = _match_scale(a.indicator_weights, b.indicator_weights, a.dim_of)
    b_v = _match_scale(a.dimension_weights, b.dimension_weights, np.zeros(len(a.dimensions)))
    b = _replace(b, indicator_weights=b_w, dimension_weights=b_v)
    same_n = (a.normalised == b.normalised) | (np.isnan(a.normalised) & np.isnan(b.normalised))
    changed_ind = ~(same_n & (a.indicator_weights == b.indicator_weights))
    changed_dim = a.dimension_weights != b.dimension_weights
    rules_differ = a.rules != b.rules
    # recomputed endpoints must agree with the scorecards (then the reported ones are used)
    ends = evaluate(
        a,
        b,
        np.array([[False] * len(a.indicators), [True] * len(a.indicators)]),
        np.array([[False] * len(a.dimensions), [True] * len(a.dimensions)]),
        np.array([False, True]),
    )
    for end, s in zip(ends, (a, b), strict=True):
        if not abs(end - s.score) <= _AGREE * max(1.0, abs(s.score)):
            raise ValueError(f"{s.iso3} ({s.label}): score {s.score:g} could not be recomputed")
    present_same = np.isnan(a.normalised) == np.isnan(b.normalised)
    additive = (
        not rules_differ
        and a.indicator_aggregation == "arithmetic"
        and a.dimension_aggregation == "arithmetic"
        and not changed_dim.any()
        and bool(present_same.all())
        and bool((a.indicator_weights == b.indicator_weights).all())
    )
    contributions: dict[tuple[str, int], float] = {}
    if additive:
        e = _effective_weights(a)
        delta = np.where(np.isnan(a.normalised), 0.0, b.normalised - a.normalised)
        for i in range(len(a.indicators)):
            contributions[("indicator", i)] = float(e[i] * delta[i]) if changed_ind[i] else 0.0
        rule = ADDITIVE
    else:
        groups = []
        for k in range(len(a.dimensions)):
            members = [("indicator", int(i)) for i in np.flatnonzero(changed_ind & (a.dim_of == k))]
            if changed_dim[k]:
                members.append(("dimension", k))
            if members:
                groups.append(members)
        if rules_differ:
            groups.append([("rule", 0)])
        contributions = _owen(a, b, groups) if groups else {}
        rule = OWEN
    # exact to the reported scores: the last bits of the recomputation go to the largest item
    change = b.score - a.score
    if contributions:
        gap = change - math.fsum(contributions.values())
        largest = max(contributions, key=lambda key: abs(contributions[key]))
        contributions[largest] += gap
    return Attribution(
        iso3_from=a.iso3,
        iso3_to=b.iso3,
        label_from=a.label,
        label_to=b.label,
        level=level,
        score_from=a.score,
        score_to=b.score,
        rank_from=a.rank,
        rank_to=b.rank,
        rule=rule,
        table=_table(a, b, contributions, changed_dim, rules_differ),
    )


def _effective_weights(s: ScoreInputs) -> np.ndarray:
    """Each indicator's share of the arithmetic score given what is present (sums to 1)."""
    present = ~np.isnan(s.normalised) & (s.indicator_weights > 0)
    w = np.where(present, s.indicator_weights, 0.0)
    per_dim = np.bincount(s.dim_of, weights=w, minlength=len(s.dimensions))
    dim_present = (per_dim > 0) & (s.dimension_weights > 0)
    V = np.where(dim_present, s.dimension_weights, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        within = np.where(per_dim[s.dim_of] > 0, w / per_dim[s.dim_of], 0.0)
    return within * V[s.dim_of] / V.sum()


def _replace(s: ScoreInputs, **changes) -> ScoreInputs:
    from dataclasses import replace

    return replace(s, **changes)


def _table(a, b, contributions, changed_dim, rules_differ) -> pd.DataFrame:
    rows = []
    for i, indicator in enumerate(a.indicators):
        rows.append(
            {
                "item": indicator,
                "kind": "indicator",
                "indicator": indicator,
                "dimension": a.dimensions[a.dim_of[i]],
                "contribution": contributions.get(("indicator", i), 0.0),
                "raw_from": a.raw[i],
                "raw_to": b.raw[i],
                "year_from": a.year[i],
                "year_to": b.year[i],
                "carried_from": bool(a.carried[i]),
                "carried_to": bool(b.carried[i]),
                "normalised_from": a.normalised[i],
                "normalised_to": b.normalised[i],
                "weight_from": a.indicator_weights[i],
                "weight_to": b.indicator_weights[i],
            }
        )
    for k in np.flatnonzero(changed_dim):
        rows.append(
            {
                "item": f"weight of {a.dimensions[k]}",
                "kind": "dimension weight",
                "indicator": "",
                "dimension": a.dimensions[k],
                "contribution": contributions.get(("dimension", int(k)), 0.0),
                "weight_from": a.dimension_weights[k],
                "weight_to": b.dimension_weights[k],
            }
        )
    if rules_differ:
        rows.append(
            {
                "item": "aggregation rule",
                "kind": "aggregation",
                "indicator": "",
                "dimension": "",
                "contribution": contributions.get(("rule", 0), 0.0),
            }
        )
    frame = pd.DataFrame(rows)
    for column in ("carried_from", "carried_to"):
        frame[column] = frame[column].fillna(False).astype(bool)
    return frame


# ---------------------------------------------------------------------------------- entry points
def explain_change(
    sc_from,
    sc_to,
    iso3: str,
    *,
    level: str = "overall",
    labels: Sequence[str] = ("from", "to"),
) -> Attribution:
    """Why `iso3`'s score moved from scorecard `sc_from` to `sc_to` (two years, two Methods or two
    data versions of the same framework)."""
    a = score_inputs(sc_from, iso3, level, labels[0])
    b = score_inputs(sc_to, iso3, level, labels[1])
    return attribute(a, b, level)


def explain_gap(sc, iso3: str, versus: str, *, level: str = "overall") -> Attribution:
    """Why `iso3` scores above (or below) `versus`: the gap score(iso3) - score(versus) split
    into the same contributions, `versus` as the "from" state."""
    a = score_inputs(sc, versus, level, versus)
    b = score_inputs(sc, iso3, level, iso3)
    return attribute(a, b, level)
