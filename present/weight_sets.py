"""Named weight sets for the weights page, and the bookkeeping between sliders and a Method.

A weight set is either a registry preset (``scoring.weights.WEIGHT_PRESETS``: catalogue defaults,
equal per indicator, equal per dimension, PCA) or **the essay's emphasis**: the catalogue weights
with the four dimensions Makarychev's essay names (media reach, migrant integration, EITI
participation, diaspora alignment) at twice their catalogue weight, so with the catalogue's equal
dimension weights each of them counts twice as much as each of the other four. It is stored in
the Method as ordinary dimension-weight overrides (``dw=`` in the URL), not as a new preset: the
same link then works in every tool that reads a Method.

Sliders show *nominal* weights (before rescaling): the weight set's weight of each item, or the
Method's override for it. A slider writes back an override only where it differs from the
weight set's weight, so links stay short and a preset stays recognisable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from i18n import N_, _, ngettext
from scoring.aggregate import AGGREGATORS
from scoring.weights import (
    WEIGHT_PRESETS,
    apply_preset,
    before_normalising,
    same_weight,
    with_overrides,
)

__all__ = [
    "ESSAY_DIMENSIONS",
    "ESSAY_EMPHASIS",
    "ESSAY_FACTOR",
    "WEIGHT_SETS",
    "WeightSet",
    "essay_emphasis_weights",
    "apply_weight_set",
    "weight_set_of",
    "preset_weights",
    "nominal_weights",
    "override",
    "custom_changes",
    "changes_phrase",
    "weights_table",
    "positive_range_fix",
]

#: The dimensions the essay names, doubled by "the essay's emphasis".
ESSAY_DIMENSIONS = (
    "media_reach",
    "migrant_integration",
    "eiti_participation",
    "diaspora_alignment",
)
ESSAY_FACTOR = 2.0
ESSAY_EMPHASIS = "essay_emphasis"


@dataclass(frozen=True)
class WeightSet:
    """A weight set's label and rule, in English (the presets' come from ``scoring``); show them
    with ``_()``."""

    name: str
    label: str
    rule: str


#: What the weight-set selector lists: every preset that is a weight set, then the essay's emphasis.
WEIGHT_SETS: dict[str, WeightSet] = {
    **{name: WeightSet(name, preset.label, preset.rule) for name, preset in WEIGHT_PRESETS.items()},
    ESSAY_EMPHASIS: WeightSet(
        ESSAY_EMPHASIS,
        N_("The essay's emphasis"),
        N_(
            "catalogue weights, with media reach, migrant integration, EITI participation and "
            "diaspora alignment at twice their catalogue weight"
        ),
    ),
}


def essay_emphasis_weights(catalogue_dimension_weights: Mapping[str, float]) -> dict[str, float]:
    """Dimension-weight overrides of the essay's emphasis: the named dimensions x 2.

    >>> essay_emphasis_weights({"media_reach": 1.0, "visa_openness": 1.0})
    {'media_reach': 2.0}
    """
    return {
        dimension: ESSAY_FACTOR * weight
        for dimension, weight in catalogue_dimension_weights.items()
        if dimension in ESSAY_DIMENSIONS and ESSAY_FACTOR * weight != weight
    }


def apply_weight_set(method, name: str, catalogue_dimension_weights: Mapping[str, float]):
    """The Method with weight set ``name`` and no other weight overrides.

    >>> from scoring.method import Method
    >>> apply_weight_set(Method(), "essay_emphasis", {"media_reach": 1.0, "visa_openness": 1.0}).to_query()
    {'dw': 'media_reach:2'}
    >>> apply_weight_set(Method(dimension_weights={"visa_openness": 3}), "pca", {}).to_query()
    {'wp': 'pca'}
    """
    if name == ESSAY_EMPHASIS:
        return method.with_(
            weight_preset="catalogue",
            indicator_weights=(),
            dimension_weights=essay_emphasis_weights(catalogue_dimension_weights),
        )
    if name not in WEIGHT_SETS:
        raise ValueError(f"weight set: unknown choice {name!r} (known: {', '.join(WEIGHT_SETS)})")
    return method.with_(weight_preset=name, indicator_weights=(), dimension_weights=())


def weight_set_of(method, catalogue_dimension_weights: Mapping[str, float]) -> str:
    """The weight set a Method starts from (the essay's emphasis is recognised by its dimension
    weight overrides; indicator weights changed by hand do not hide it).

    >>> from scoring.method import Method
    >>> weight_set_of(Method(dimension_weights={"media_reach": 2}), {"media_reach": 1.0})
    'essay_emphasis'
    >>> weight_set_of(Method(dimension_weights={"media_reach": 3}), {"media_reach": 1.0})
    'catalogue'
    """
    essay = essay_emphasis_weights(catalogue_dimension_weights)
    if method.weight_preset == "catalogue" and essay and dict(method.dimension_weights) == essay:
        return ESSAY_EMPHASIS
    return method.weight_preset


def custom_changes(method, catalogue_dimension_weights: Mapping[str, float]) -> tuple[int, int]:
    """(indicator, dimension) weights changed on top of the Method's weight set.

    >>> from scoring.method import Method
    >>> custom_changes(Method(indicator_weights={"a": 2}, dimension_weights={"d": 3}), {"d": 1.0})
    (1, 1)
    >>> custom_changes(Method(dimension_weights={"media_reach": 2}), {"media_reach": 1.0})
    (0, 0)
    """
    if weight_set_of(method, catalogue_dimension_weights) == ESSAY_EMPHASIS:
        return len(method.indicator_weights), 0
    return len(method.indicator_weights), len(method.dimension_weights)


def changes_phrase(indicators: int, dimensions: int) -> str:
    """Readable count of hand-changed weights ("" when none).

    >>> changes_phrase(1, 0), changes_phrase(2, 1), changes_phrase(0, 0)
    ('1 indicator weight', '2 indicator weights and 1 dimension weight', '')
    """
    parts = []
    if indicators:
        parts.append(
            ngettext("{n} indicator weight", "{n} indicator weights", indicators).format(
                n=indicators
            )
        )
    if dimensions:
        parts.append(
            ngettext("{n} dimension weight", "{n} dimension weights", dimensions).format(
                n=dimensions
            )
        )
    if len(parts) == 2:
        return _("{items} and {last}").format(items=parts[0], last=parts[1])
    return "".join(parts)


def preset_weights(
    preset: str,
    framework: pd.DataFrame,
    catalogue_dimension_weights: Mapping[str, float],
    normalised: pd.DataFrame | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Nominal (indicator, dimension) weights the sliders start from: the engine's resolution
    (``scoring.weights.apply_preset``); without normalised data a data-driven preset (PCA)
    shows the catalogue's weights, as the engine screens with them.

    >>> fw = pd.DataFrame({"indicator": ["a", "b", "c"], "dimension": ["d1", "d1", "d2"],
    ...                    "direction": [1, 1, 1], "weight": [1.0, 1.0, 1.0]})
    >>> w_ind, w_dim = preset_weights("equal_indicator", fw, {"d1": 1.0, "d2": 1.0})
    >>> w_ind.tolist(), w_dim.to_dict()
    ([1.0, 1.0, 1.0], {'d1': 2.0, 'd2': 1.0})
    >>> preset_weights("pca", fw, {"d1": 1.0, "d2": 1.0})[1].to_dict()
    {'d1': 1.0, 'd2': 1.0}
    """
    if normalised is None:
        preset = before_normalising(preset)
    return apply_preset(preset, framework, catalogue_dimension_weights, normalised)


def nominal_weights(base: pd.Series, overrides: Iterable[tuple[str, float]]) -> pd.Series:
    """The weight set's weights with the Method's overrides applied.

    >>> nominal_weights(pd.Series({"a": 1.0, "b": 1.0}), [("b", 2.5)]).to_dict()
    {'a': 1.0, 'b': 2.5}
    """
    return pd.Series(with_overrides(base.to_numpy(), list(base.index), overrides), base.index)


def override(
    overrides: Iterable[tuple[str, float]], key: str, value: float, base: float
) -> dict[str, float]:
    """The overrides after one slider moved to ``value``: kept only where it differs from ``base``.

    >>> override([("a", 2.0)], "a", 1.0, 1.0), override([], "b", 3.0, 1.0)
    ({}, {'b': 3.0})
    """
    out = dict(overrides)
    if same_weight(value, base):
        out.pop(key, None)
    else:
        out[key] = float(value)
    return out


def weights_table(
    framework: pd.DataFrame,
    nominal: pd.Series,
    importance: pd.Series,
    indicator_names: Mapping[str, str],
    dimension_names: Mapping[str, str],
) -> pd.DataFrame:
    """One row per indicator: nominal weight (as set), its share within the dimension, the
    dimension's share, the effective weight (their product, sums to 1) and the correlation-based
    importance (sums to 1), from a scorecard's ``framework`` (rescaled weights).

    >>> fw = pd.DataFrame({"indicator": ["a", "b", "c"], "dimension": ["d1", "d1", "d2"],
    ...     "weight": [0.25, 0.75, 1.0], "dimension_weight": [0.5, 0.5, 0.5]})
    >>> fw["effective_weight"] = fw["weight"] * fw["dimension_weight"]
    >>> t = weights_table(fw, pd.Series({"a": 1.0, "b": 3.0, "c": 1.0}),
    ...     pd.Series({"a": 0.2, "b": 0.3, "c": 0.5}), {}, {})
    >>> t["Effective weight"].tolist(), t["Importance minus effective"].round(3).tolist()
    ([0.125, 0.375, 0.5], [0.075, -0.075, 0.0])
    """
    ids = framework["indicator"]
    table = pd.DataFrame(
        {
            N_("Indicator"): [indicator_names.get(i, i) for i in ids],
            N_("Dimension"): [dimension_names.get(d, d) for d in framework["dimension"]],
            N_("Nominal weight"): nominal.reindex(ids).to_numpy(dtype=float),
            N_("Share within dimension"): framework["weight"].to_numpy(dtype=float),
            N_("Dimension share"): framework["dimension_weight"].to_numpy(dtype=float),
            N_("Effective weight"): framework["effective_weight"].to_numpy(dtype=float),
            N_("Correlation importance"): importance.reindex(ids).to_numpy(dtype=float),
        },
        index=pd.Index(ids.astype(str), name="indicator"),
    )
    table[N_("Importance minus effective")] = (
        table["Correlation importance"] - table["Effective weight"]
    )
    return table


def positive_range_fix(method):
    """For a mean that needs positive values (geometric, harmonic, generalised) fed by a
    normalisation that can give 0 or less: the same Method with min-max to [1, 100]. Else None
    (also when min-max already starts above 0).

    >>> from scoring.method import Method
    >>> positive_range_fix(Method(indicator_aggregation="geometric")).to_query()
    {'np': 'low:1', 'iagg': 'geometric'}
    >>> positive_range_fix(Method()) is None
    True
    """
    needs_positive = any(
        AGGREGATORS[name].needs_positive
        for name in (method.indicator_aggregation, method.dimension_aggregation)
    )
    if not needs_positive:
        return None
    if method.normalisation == "min_max" and method.normalisation_settings["low"] > 0:
        return None
    if method.normalisation == "rank":  # ranks start at 1
        return None
    return method.with_(normalisation="min_max", normalisation_params={"low": 1.0})
