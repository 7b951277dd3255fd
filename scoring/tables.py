"""Engine tables: latest values, dimension contributions, thin dimensions and rank changes.
Text for people (headers, summaries, warnings) is built in ``present.tables``."""

from __future__ import annotations

import numpy as np
import pandas as pd


def latest_values(values: pd.DataFrame) -> pd.DataFrame:
    """For each (iso3, indicator), the row of the latest year."""
    ordered = values.sort_values(["iso3", "indicator", "year"])
    return ordered.drop_duplicates(["iso3", "indicator"], keep="last")


def dimension_contributions(
    results: pd.DataFrame, dimension_weights: pd.Series, aggregation: str = "arithmetic"
) -> pd.DataFrame | None:
    """Each dimension's part of the overall score: weight x score, the weights rescaled over the
    dimensions a country has. The parts add up to the overall score exactly when dimensions are
    combined by their arithmetic mean; every other aggregation has no additive split: None.

    >>> results = pd.DataFrame({"a": [80.0, 50.0], "b": [40.0, None]}, index=["X", "Y"])
    >>> dimension_contributions(results, pd.Series({"a": 0.5, "b": 0.5})).round(1).to_dict("index")
    {'X': {'a': 40.0, 'b': 20.0}, 'Y': {'a': 50.0, 'b': 0.0}}
    >>> dimension_contributions(results, pd.Series({"a": 0.5, "b": 0.5}), "geometric") is None
    True
    """
    if aggregation != "arithmetic":
        return None
    scores = results[list(dimension_weights.index)]
    weights = scores.notna() * dimension_weights
    weights = weights.div(weights.sum(axis=1), axis=0)
    return (scores * weights).fillna(0.0)


def thin_dimensions(single_indicator: pd.DataFrame, dimension_names: dict[str, str]) -> pd.Series:
    """Per country, the dimensions whose score rests on one indicator, by name ('' for none).

    >>> flags = pd.DataFrame({"a": [True, False], "b": [True, False]}, index=["X", "Y"])
    >>> thin_dimensions(flags, {"a": "Media", "b": "EITI"}).to_dict()
    {'X': 'Media, EITI', 'Y': ''}
    """
    names = [dimension_names.get(d, d) for d in single_indicator.columns]
    flags = single_indicator.to_numpy(dtype=bool)
    return pd.Series(
        [", ".join(names[k] for k in np.flatnonzero(row)) for row in flags],
        index=single_indicator.index,
        dtype="str",
    )


def rank_changes(ranks: pd.Series, reference: pd.Series) -> pd.Series:
    """Places moved against a reference ranking; positive = moved up (better rank).

    >>> rank_changes(pd.Series({"X": 1, "Y": 3}), pd.Series({"X": 2, "Y": 3})).to_dict()
    {'X': 1, 'Y': 0}
    """
    return (reference.reindex(ranks.index) - ranks).astype("Int64")
