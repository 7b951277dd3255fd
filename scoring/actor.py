"""Actor view: one actor's footprint in every target country, scored with the same engine.

The dyads of one actor (actor, target, indicator, year, value) become a long values table keyed
by the target (iso3 = target), scored by ``scoring.pipeline`` with the relational framework
(``indicators/relational.yaml``) restricted to the indicators the actor has data for. Dimension
weights are equal. From the user's Method only the scoring choices carry over (year, coverage
rules, imputation, treatment, normalisation, aggregation); its weight preset and overrides name
the main catalogue's indicators and do not apply to the relational framework.
The command line (``scorecard actor``) is ``exports.actor_cli``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import pandas as pd

from scoring.errors import Country, EngineError
from scoring.method import Method
from scoring.pipeline import Scorecard, build_scorecard, prepare
from scoring.tables import thin_dimensions

# Method fields that are about the scoring procedure, not about the main catalogue's names.
CARRIED_FIELDS = (
    "year",
    "year_window",
    "min_coverage",
    "min_dimension_coverage",
    "min_indicator_share",
    "min_dimension_share",
    "imputation",
    "impute_group",
    "outlier_treatment",
    "normalisation",
    "normalisation_params",
    "indicator_aggregation",
    "dimension_aggregation",
    "indicator_power",
    "dimension_power",
)


def relational_method(method: Method | None = None) -> Method:
    """The Method's scoring choices, with the relational catalogue's own (equal) weights.

    >>> relational_method(Method(normalisation="rank", indicator_weights=(("x", 2.0),)))
    ... # doctest: +ELLIPSIS
    Method(...normalisation='rank'...indicator_weights=()...)
    """
    method = method or Method()
    return replace(Method(), **{name: getattr(method, name) for name in CARRIED_FIELDS})


def actors(dyads: pd.DataFrame) -> list[str]:
    """Every actor with at least one dyad, sorted."""
    return sorted(dyads["actor"].unique())


def actor_values(dyads: pd.DataFrame, actor: str, zero: Iterable[str] = ()) -> pd.DataFrame:
    """The actor's dyads as a long values table keyed by the target (iso3, indicator, year, value,
    note). For the `zero` indicators (catalogue absence "zero") a target the actor has other dyads
    with but none of that indicator in a year counts 0, with a note.

    >>> d = pd.DataFrame({"actor": ["RUS", "CHN", "RUS"], "target": ["KAZ", "KAZ", "BRN"],
    ...                   "indicator": ["x", "x", "y"], "year": [2020, 2020, 2020],
    ...                   "value": [1.0, 2.0, 3.0], "note": ["", "", ""]})
    >>> actor_values(d, "RUS", zero=["x"])[["iso3", "indicator", "value"]].values.tolist()
    [['KAZ', 'x', 1.0], ['BRN', 'y', 3.0], ['BRN', 'x', 0.0]]
    """
    rows = dyads[dyads["actor"] == actor]
    values = rows.rename(columns={"target": "iso3"}).drop(columns="actor")
    values = values[["iso3", "indicator", "year", "value", "note"]].reset_index(drop=True)
    targets = values["iso3"].unique()
    added = []
    for indicator in zero:
        own = values[values["indicator"] == indicator]
        for year in sorted(own["year"].unique()):
            present = set(own.loc[own["year"] == year, "iso3"])
            added += [
                (iso3, indicator, year, 0.0, "none recorded (counted as zero)")
                for iso3 in targets
                if iso3 not in present
            ]
    return pd.concat([values, pd.DataFrame(added, columns=values.columns)], ignore_index=True)


def actor_framework(framework: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """The relational framework restricted to the indicators with at least one value."""
    present = set(values["indicator"])
    return framework[framework["indicator"].isin(present)].reset_index(drop=True)


def actor_scorecard(
    dyads: pd.DataFrame,
    framework: pd.DataFrame,
    actor: str,
    method: Method | None = None,
    countries: pd.DataFrame | None = None,
) -> Scorecard:
    """Score every target of `actor`; raises ValueError when the actor has no dyads."""
    zero = framework.loc[framework.get("absence", pd.Series(dtype=str)) == "zero", "indicator"]
    values = actor_values(dyads, actor, zero)
    if values.empty:
        raise EngineError("no relational data for actor '{actor}'", actor=Country(actor))
    own = actor_framework(framework, values)
    equal = {dimension: 1.0 for dimension in own["dimension"].unique()}
    prepared = prepare(values, own, dimension_weights=equal, countries=countries)
    return build_scorecard(prepared, method=relational_method(method), countries=countries)


def target_table(
    sc: Scorecard, names: pd.Series | None = None, dimension_names: dict[str, str] | None = None
) -> pd.DataFrame:
    """Per target (scored ones first, by rank): name, each indicator's raw value, each dimension,
    overall, rank, coverage, the indicator count and the dimensions resting on one indicator
    (`one_indicator`, by name, ids without `dimension_names`). Targets screened out keep their
    raw values."""
    raw = sc.raw.copy()
    columns = [*sc.dimension_weights.index, "overall", "rank", "coverage", "indicator_count"]
    thin = thin_dimensions(sc.single_indicator, dimension_names or {})
    results = sc.results[columns].assign(one_indicator=thin)
    table = raw.join(results, how="left")
    table.index.name = "iso3"
    if names is not None:
        table.insert(0, "name", table.index.map(lambda iso3: names.get(iso3, iso3)))
    return table.sort_values(["rank", "iso3"], na_position="last", kind="stable")


def compare_actors(first: Scorecard, second: Scorecard, a: str, b: str) -> pd.DataFrame:
    """Targets scored for both actors (neither actor itself): scores, ranks, who is ahead.

    ``ahead`` names the actor with the higher overall score ("tie" when equal); ``gap`` = a - b.
    """
    left = first.results[["overall", "rank"]].add_suffix(f"_{a}")
    right = second.results[["overall", "rank"]].add_suffix(f"_{b}")
    both = left.join(right, how="inner").drop(index=[a, b], errors="ignore")
    both = both.dropna(subset=[f"overall_{a}", f"overall_{b}"])
    gap = both[f"overall_{a}"] - both[f"overall_{b}"]
    both["gap"] = gap
    both["ahead"] = [a if g > 0 else b if g < 0 else "tie" for g in gap]
    return both.sort_values("gap", ascending=False, kind="stable")


def trend_series(
    dyads: pd.DataFrame, actor: str, indicator: str, targets: list[str]
) -> pd.DataFrame:
    """iso3 (target), year, value of one indicator for the chosen targets, in the given order."""
    rows = dyads[
        (dyads["actor"] == actor)
        & (dyads["indicator"] == indicator)
        & dyads["target"].isin(targets)
    ]
    series = rows.rename(columns={"target": "iso3"})[["iso3", "year", "value"]]
    order = {iso3: k for k, iso3 in enumerate(targets)}
    return series.sort_values(
        ["iso3", "year"], key=lambda s: s.map(order) if s.name == "iso3" else s, ignore_index=True
    )
