"""The method variants that uncertainty and sensitivity analyses draw from, beside the weights.

:class:`Variations` says what varies: the normalisation, the aggregation, the imputation (each a
list of choices drawn besides the method's own) and whether one weighted indicator at a time may
be left out. :func:`build_alternatives` turns it into a product grid of :class:`Alternative`
(one normalised matrix, aggregation rule and left-out indicator each), every combination checked
once with the nominal weights. A choice that makes some combination impossible (a geometric mean
of a zero, a constant indicator under min-max, a different set of scored countries) is dropped,
with the reason, so the rest stays a full grid.

Worked example: a scorecard with indicators a, b (dimension A) and c (dimension B), varying the
normalisation over (min_max, z_score) and leaving one indicator out gives the factors
normalisation (min_max, z_score) x left_out (none, a, b, c): 8 alternatives, drawn 1/8 each.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from scoring.errors import EngineError

__all__ = [
    "DEFAULT_AGGREGATIONS",
    "SWITCHES",
    "NO_INDICATOR",
    "Variations",
    "Alternative",
    "AlternativeGrid",
    "nominal_scorecard",
    "build_alternatives",
    "choice_label",
]

#: Aggregation alternatives drawn when the aggregation varies and none are named (the same rule at
#: both levels). Copeland is left out: it is not a quasi-arithmetic mean, so it runs one
#: aggregation per draw.
DEFAULT_AGGREGATIONS = ("arithmetic", "geometric", "harmonic")

#: The "left-out indicator" choice that leaves every indicator in.
NO_INDICATOR = "none"

#: The switches of :meth:`Variations.of`, as the app's link spells them.
SWITCHES = ("normalisation", "aggregation", "imputation", "leave_one_out")

#: Factor names, in the order a failing combination gives up a choice (first the aggregation).
FACTORS = ("aggregation", "left_out", "normalisation", "imputation")


@dataclass(frozen=True)
class Variations:
    """What varies beside the weights; empty choices = the method's own only.

    normalisations, imputations: registry names drawn besides the method's; aggregations: a name
    (both levels) or an (indicator level, dimension level) pair; leave_one_out: each draw leaves
    out one weighted indicator, or none, with equal probability (a dimension's only indicator
    left out leaves the dimension out).

    >>> Variations.of(imputation=True).imputations
    ('none', 'group_mean', 'group_median', 'latest_earlier')
    >>> bool(Variations()), Variations.of(leave_one_out=True).varied()
    (False, ('leave_one_out',))
    """

    normalisations: tuple[str, ...] = ()
    aggregations: tuple[str | tuple[str, str], ...] = ()
    imputations: tuple[str, ...] = ()
    leave_one_out: bool = False

    def __post_init__(self) -> None:
        for name in ("normalisations", "aggregations", "imputations"):
            object.__setattr__(self, name, tuple(getattr(self, name) or ()))

    @classmethod
    def of(
        cls,
        *,
        normalisation: bool = False,
        aggregation: bool = False,
        imputation: bool = False,
        leave_one_out: bool = False,
    ) -> Variations:
        """Switches on: every registered normaliser and imputer, ``DEFAULT_AGGREGATIONS``."""
        from scoring.impute import IMPUTERS
        from scoring.normalise import NORMALISERS

        return cls(
            normalisations=tuple(NORMALISERS) if normalisation else (),
            aggregations=DEFAULT_AGGREGATIONS if aggregation else (),
            imputations=tuple(IMPUTERS) if imputation else (),
            leave_one_out=leave_one_out,
        )

    def varied(self) -> tuple[str, ...]:
        """Names of what varies, in the order of ``SWITCHES``."""
        on = (self.normalisations, self.aggregations, self.imputations, self.leave_one_out)
        return tuple(name for name, flag in zip(SWITCHES, on, strict=True) if flag)

    def __bool__(self) -> bool:
        return bool(self.varied())


@dataclass(frozen=True)
class Alternative:
    """One method variant: its normalised matrix (countries x indicators, NaN = missing), its
    aggregation rule and the indicator it leaves out (an index, or None)."""

    label: str
    normalised: np.ndarray
    indicator_aggregation: str = "arithmetic"
    dimension_aggregation: str = "arithmetic"
    indicator_power: float = 0.5
    dimension_power: float = 0.5
    choices: tuple[tuple[str, str], ...] = ()  # e.g. (("normalisation", "min_max"), ...)
    left_out: int | None = None

    def active(self, weights: np.ndarray) -> np.ndarray:
        """Indicators counted: nominal weight > 0, less the one left out."""
        on = np.asarray(weights, dtype=float) > 0
        if self.left_out is not None:
            on = on.copy()
            on[self.left_out] = False
        return on


@dataclass
class AlternativeGrid:
    """Every combination of the varied choices that can be computed, as a product grid.

    factors: (name, choices) per varied factor, e.g. ("normalisation", ("min_max", "z_score"));
    alternatives: one per combination, in ``itertools.product`` order of the factors' choices;
    codes: (alternatives x factors) index of each alternative's choice in each factor;
    dropped: (factor, choice, error) for choices left out because some combination failed.
    """

    factors: list[tuple[str, tuple]]
    alternatives: list[Alternative]
    codes: np.ndarray
    dropped: list[tuple[str, str, ValueError]]

    def labelled_factors(self) -> dict[str, list[str]]:
        return {name: [choice_label(c) for c in choices] for name, choices in self.factors}

    def dropped_records(self) -> list[dict]:
        """factor, choice, reason (English) and error (the refusal, for saying it elsewhere)."""
        return [
            {"factor": f, "choice": c, "reason": str(e), "error": e} for f, c, e in self.dropped
        ]


def choice_label(choice) -> str:
    """A choice as text: an aggregation pair reads "indicator level / dimension level"."""
    return choice if isinstance(choice, str) else " / ".join(choice)


def _pair(aggregation) -> tuple[str, str]:
    if isinstance(aggregation, str):
        return (aggregation, aggregation)
    ind, dim = aggregation
    return (str(ind), str(dim))


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


def _variant(sc, **changes):
    """The scorecard with ``changes`` to its method, or why it cannot be used here."""
    from scoring.pipeline import build_scorecard

    try:
        alt = build_scorecard(
            sc.prepared, method=sc.method.with_(**changes), countries=sc.countries
        )
    except ValueError as err:
        return err
    if list(alt.iso3) != list(sc.iso3):
        return EngineError("a different set of countries would be scored")
    return alt


def build_alternatives(sc, variations: Variations | None = None) -> AlternativeGrid:
    """Method variants of scorecard ``sc`` for ``variations`` (None: the nominal one alone).

    Each (imputation, normalisation) pair runs the pipeline once (arithmetic aggregation, so the
    normalised matrix does not depend on the aggregation); each aggregation is then checked on it
    with the nominal weights. A left-out indicator gets weight 0 in every draw: the others' weights
    are rescaled by the means, and the scored countries stay the scorecard's (a country with no
    other value is unranked in those draws, as in :func:`scoring.sensitivity.leave_one_out`).
    From a failing combination, the first choice that differs from the
    scorecard's method, in the order aggregation, left-out indicator, normalisation, imputation,
    is dropped. The nominal combination always stays.
    """
    from scoring.aggregate import aggregate_levels

    v = variations or Variations()
    m = sc.method
    k = sc.kernel
    nominal = {
        "imputation": m.imputation,
        "normalisation": m.normalisation,
        "aggregation": (m.indicator_aggregation, m.dimension_aggregation),
        "left_out": NO_INDICATOR,
    }
    weighted = [k.indicators[j] for j in np.flatnonzero(np.asarray(k.indicator_weights) > 0)]
    choices = {
        "imputation": list(dict.fromkeys([m.imputation, *v.imputations])),
        "normalisation": list(dict.fromkeys([m.normalisation, *v.normalisations])),
        "aggregation": list(dict.fromkeys([nominal["aggregation"], *map(_pair, v.aggregations)])),
        "left_out": [NO_INDICATOR, *weighted] if v.leave_one_out and len(weighted) > 1 else [],
    }
    choices["left_out"] = choices["left_out"] or [NO_INDICATOR]
    matrices: dict[tuple[str, str], np.ndarray | ValueError] = {}
    for imp, norm in product(choices["imputation"], choices["normalisation"]):
        if imp == m.imputation and norm == m.normalisation:
            matrices[(imp, norm)] = sc.normalised_array
            continue
        alt = _variant(
            sc,
            imputation=imp,
            normalisation=norm,
            normalisation_params=m.normalisation_params if norm == m.normalisation else (),
            indicator_aggregation="arithmetic",
            dimension_aggregation="arithmetic",
            peer_group=(),
        )
        matrices[(imp, norm)] = alt if isinstance(alt, ValueError) else alt.normalised_array
    known: dict[tuple, ValueError | None] = {}

    def method_failure(imp: str, norm: str, agg: tuple[str, str]) -> ValueError | None:
        N = matrices[(imp, norm)]
        if isinstance(N, ValueError):
            return N
        if (imp, norm, agg) == (m.imputation, m.normalisation, nominal["aggregation"]):
            return None
        try:
            aggregate_levels(
                N,
                k.dim_of,
                k.indicator_weights,
                k.dimension_weights,
                *agg,
                indicator_power=m.indicator_power,
                dimension_power=m.dimension_power,
                indicators=k.indicators,
                dimensions=k.dimensions,
                units=k.iso3,
            )
        except ValueError as err:
            return err
        return None

    def failure(combo: dict) -> ValueError | None:
        key = (combo["imputation"], combo["normalisation"], combo["aggregation"])
        if key not in known:
            known[key] = method_failure(*key)
        return known[key]

    order = FACTORS[::-1]  # imputation, normalisation, left-out indicator, aggregation
    dropped: list[tuple[str, str, ValueError]] = []
    while True:
        bad = None
        for values in product(*(choices[name] for name in order)):
            combo = dict(zip(order, values, strict=True))
            why = failure(combo)
            if why is not None:
                bad = (combo, why)
                break
        if bad is None:
            break
        combo, why = bad
        for name in FACTORS:
            if combo[name] != nominal[name]:
                choices[name].remove(combo[name])
                dropped.append((name, choice_label(combo[name]), why))
                break
    factors = [(name, tuple(choices[name])) for name in order if len(choices[name]) > 1]
    alternatives, codes = [], []
    for idx in product(*(range(len(c)) for _, c in factors)):
        pick = dict(nominal)
        for (name, c), i in zip(factors, idx, strict=True):
            pick[name] = c[i]
        ia, da = pick["aggregation"]
        out = pick["left_out"]
        alternatives.append(
            Alternative(
                label=", ".join(f"{name} {choice_label(pick[name])}" for name, _ in factors)
                or "nominal",
                normalised=matrices[(pick["imputation"], pick["normalisation"])],
                indicator_aggregation=ia,
                dimension_aggregation=da,
                indicator_power=m.indicator_power,
                dimension_power=m.dimension_power,
                choices=tuple((name, choice_label(pick[name])) for name, _ in factors),
                left_out=None if out == NO_INDICATOR else k.indicators.index(out),
            )
        )
        codes.append(idx)
    codes_arr = np.array(codes, dtype=np.intp).reshape(len(alternatives), len(factors))
    return AlternativeGrid(factors, alternatives, codes_arr, dropped)
