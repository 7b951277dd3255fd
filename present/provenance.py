"""Tables and text for the Indicators and sources page: one indicator's values and coverage, the
coverage matrix, the source list and the methodology, all rendered from the catalogue and Method.

Values are selected as the scoring selects them: the Method's exact year, or each country's latest
value within its year window.
"""

from __future__ import annotations

import math

import pandas as pd

from indicators.catalogue import country_names
from scoring.aggregate import AGGREGATORS
from scoring.impute import IMPUTERS
from scoring.normalise import NORMALISERS
from scoring.treat import TREATMENTS
from scoring.weights import WEIGHT_PRESETS

NO_DATA = "no data"


def years_label(method) -> str:
    """The years a Method reads, in words.

    >>> from scoring.method import Method
    >>> years_label(Method()), years_label(Method(year=2020))
    ('latest value 2010–2025', 'year 2020')
    """
    return (
        f"year {method.year}" if method.year else "latest value {}–{}".format(*method.year_window)
    )


def values_in_years(values: pd.DataFrame, method) -> pd.DataFrame:
    """The rows the Method can read: its exact year, or every year inside its window.

    >>> from scoring.method import Method
    >>> v = pd.DataFrame({"year": [2005, 2012, 2024]})
    >>> values_in_years(v, Method())["year"].tolist(), values_in_years(v, Method(year=2012))["year"].tolist()
    ([2012, 2024], [2012])
    """
    if method.year is not None:
        return values[values["year"] == method.year]
    first, last = method.year_window
    return values[values["year"].between(first, last)]


def latest_by_country(values: pd.DataFrame, indicator: str, method) -> pd.DataFrame:
    """One row per country with a value of `indicator` (iso3, value, year, note), as the Method
    selects it.

    >>> from scoring.method import Method
    >>> v = pd.DataFrame({"iso3": ["A", "A", "B"], "indicator": "x", "year": [2015, 2020, 2030],
    ...                   "value": [1.0, 2.0, 3.0], "note": ""})
    >>> latest_by_country(v, "x", Method())[["iso3", "value", "year"]].values.tolist()
    [['A', 2.0, 2020]]
    """
    own = values_in_years(values[values["indicator"] == indicator], method)
    latest = own.sort_values(["iso3", "year"]).drop_duplicates("iso3", keep="last")
    columns = ["iso3", "value", "year", "note"]
    latest = latest.reindex(columns=columns)
    latest["note"] = latest["note"].fillna("")
    return latest.reset_index(drop=True)


def country_table(latest: pd.DataFrame, names: pd.Series, direction: int) -> pd.DataFrame:
    """Country, ISO3, Value, Year, Note, best first (highest when direction is +1).

    >>> latest = pd.DataFrame({"iso3": ["A", "B"], "value": [1.0, 2.0], "year": [2020, 2021],
    ...                        "note": ["", "n"]})
    >>> country_table(latest, pd.Series({"A": "Aland", "B": "Bland"}), -1)["Country"].tolist()
    ['Aland', 'Bland']
    """
    table = pd.DataFrame(
        {
            "Country": latest["iso3"].map(names).fillna(latest["iso3"]),
            "ISO3": latest["iso3"],
            "Value": latest["value"],
            "Year": latest["year"].astype("Int64"),
            "Note": latest["note"],
        }
    )
    return table.sort_values(
        ["Value", "Country"], ascending=[direction < 0, True], ignore_index=True
    )


def coverage_line(latest: pd.DataFrame, country_count: int) -> tuple[str, str]:
    """(countries with a value 'N of M', years 'first–last' or 'no data').

    >>> coverage_line(pd.DataFrame({"year": [2019, 2024, 2024]}), 250)
    ('3 of 250', '2019–2024')
    """
    if latest.empty:
        return f"0 of {country_count}", NO_DATA
    first, last = int(latest["year"].min()), int(latest["year"].max())
    return f"{len(latest)} of {country_count}", str(first) if first == last else f"{first}–{last}"


def coverage_matrix(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    countries: pd.DataFrame,
    order: str = "coverage",
) -> pd.DataFrame:
    """Countries (rows, by name) x indicators (columns, by name): True where a value exists.

    order "coverage": best-covered countries first, best-covered indicators left; "name":
    countries alphabetically, indicators in catalogue order. Countries without any value are kept
    (a row of missing cells says so).

    >>> values = pd.DataFrame({"iso3": ["B", "B", "A"], "indicator": ["x", "y", "y"]})
    >>> indicators = pd.DataFrame({"indicator": ["x", "y"], "name": ["X", "Y"]})
    >>> countries = pd.DataFrame({"iso3": ["A", "B", "C"], "name": ["Aa", "Bb", "Cc"]})
    >>> coverage_matrix(values, indicators, countries).astype(int).to_dict("split")["data"]
    [[1, 1], [1, 0], [0, 0]]
    """
    present = pd.crosstab(values["iso3"], values["indicator"]) > 0
    present = present.reindex(
        index=countries["iso3"], columns=indicators["indicator"], fill_value=False
    )
    present.index = countries["iso3"].map(country_names(countries)).to_numpy()
    present.columns = indicators["name"].to_numpy()
    if order == "coverage":
        columns = present.sum().sort_values(ascending=False, kind="stable").index
        rows = (
            present.assign(_n=present.sum(axis=1), _name=present.index)
            .sort_values(["_n", "_name"], ascending=[False, True])
            .index
        )
        present = present.loc[rows, columns]
    else:
        present = present.sort_index()
    return present.astype(bool)


def direction_text(direction: int) -> str:
    """
    >>> direction_text(-1)
    'lower is better (flipped before normalising)'
    """
    return "higher is better" if direction > 0 else "lower is better (flipped before normalising)"


def bounds_text(low: float, high: float, missing: str = "open") -> str:
    """
    >>> bounds_text(0.0, 100.0), bounds_text(float("nan"), float("nan"))
    ('0 to 100', 'open')
    """
    if _absent(low) and _absent(high):
        return missing
    return f"{_number(low)} to {_number(high)}"


def _absent(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _number(x) -> str:
    return "…" if _absent(x) else f"{x:g}"


def indicator_facts(row: pd.Series, dimension_name: str) -> pd.DataFrame:
    """The definition of one catalogue row (with its source) as a two-column table."""
    goalposts = bounds_text(
        row.get("goalpost_low"), row.get("goalpost_high"), missing="none (observed min and max)"
    )
    facts = [
        ("Dimension", dimension_name),
        ("Unit", row.get("unit") or "not stated"),
        ("Direction", direction_text(int(row["direction"]))),
        ("Allowed range", bounds_text(row.get("range_low"), row.get("range_high"))),
        ("Goalposts", goalposts),
        ("Default weight", f"{row['weight']:g} (within its dimension)"),
        ("Identifier", row["indicator"]),
    ]
    return pd.DataFrame(facts, columns=["Property", "Value"])


def sources_table(sources: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per catalogue source: publisher, title, edition, licence, whether its values are in
    data downloads, the indicators it supplies (by name; "denominator of" for per-capita inputs)
    and its link.

    >>> sources = pd.DataFrame({"source": ["a", "p"], "publisher": ["A", "P"], "title": "t",
    ...     "edition": "e", "licence": "l", "url": ["https://a", ""], "redistributable": [True, False]})
    >>> indicators = pd.DataFrame({"name": ["X", "Y"], "source": ["a", "a"],
    ...     "denominator_source": ["", "p"]})
    >>> sources_table(sources, indicators)[["Publisher", "Indicators", "In data downloads"]].values.tolist()
    [['A', 'X; Y', 'yes'], ['P', 'denominator of Y', 'no']]
    """
    rows = []
    for source in sources.itertuples():
        own = indicators.loc[indicators["source"] == source.source, "name"].tolist()
        denominator = indicators.get("denominator_source", pd.Series("", index=indicators.index))
        divides = indicators.loc[denominator == source.source, "name"].tolist()
        rows.append(
            {
                "Publisher": source.publisher,
                "Title": source.title,
                "Edition": source.edition,
                "Licence": source.licence,
                "In data downloads": "yes" if bool(source.redistributable) else "no",
                "Indicators": "; ".join([*own, *(f"denominator of {name}" for name in divides)]),
                "Link": source.url or None,
            }
        )
    return pd.DataFrame(rows)


def methodology(method, dimension_names: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(step, rule) lines for the Method, from the registries' one-line rules.

    >>> from scoring.method import Method
    >>> dict(methodology(Method()))["Normalisation"]
    'Min-max: (x - min) / (max - min) scaled to [low, high]; published scales keep their goalposts, with low = 0, high = 100, goalposts = 1. Direction −1 flips an indicator first.'
    """
    normaliser = NORMALISERS[method.normalisation]
    parameters = ", ".join(f"{k} = {v:g}" for k, v in method.normalisation_settings.items())
    imputer = IMPUTERS[method.imputation]
    treatment = TREATMENTS[method.outlier_treatment]
    preset = WEIGHT_PRESETS[method.weight_preset]
    coverage = (
        f"A country is scored only if the indicators it has carry at least "
        f"{method.min_coverage:.0%} of the effective weight (indicator weight × dimension weight); "
        "the others are listed as not scored."
    )
    if method.min_dimension_coverage > 0:
        coverage += (
            f" In every weighted dimension it needs at least {method.min_dimension_coverage:.0%}."
        )
    coverage += (
        f" By count, it needs values for at least {method.min_indicator_share:.0%} of the "
        f"weighted indicators, in at least {method.min_dimension_share:.0%} of the weighted "
        "dimensions, and on every weighted side (reach, appeal)."
    )
    if method.side_weights:
        sides = dict(method.side_weights)
        total = sum(sides.values()) or 1.0
        shares = " and ".join(f"{side} {w / total:.0%}" for side, w in sorted(sides.items()))
        combine = (
            f"Each side's dimensions are aggregated as the overall is; the side weights ({shares}) "
            "are shared by each side's dimensions in proportion to their weights, so the overall "
            "is that same mean of reach and appeal."
        )
    else:
        combine = (
            "No side weights: the dimension weights alone decide, and a side weighs as much as "
            "its dimensions together; reach and appeal are each side's dimensions aggregated as "
            "the overall is."
        )
    missing = f"{imputer.label}: {imputer.rule}."
    if imputer.uses_groups:
        missing += f" Group: {method.impute_group}."
    if method.imputation == "none":
        missing += " Weights are rescaled over the indicators a country has."
    overrides = len(method.indicator_weights) + len(method.dimension_weights)
    names = dimension_names or {}
    changed = ", ".join(f"{names.get(d, d)} {w:g}" for d, w in method.dimension_weights) or "none"
    weights = f"{preset.label}: {preset.rule}."
    if overrides:
        weights += f" Overrides: {overrides} (dimension weights changed: {changed})."
    lines = [
        ("Years", years_label(method).capitalize() + " for each country and indicator."),
        ("Coverage threshold", coverage),
        ("Missing data", missing),
        ("Outliers", f"{treatment.label}: {treatment.rule}."),
        (
            "Normalisation",
            f"{normaliser.label}: {normaliser.rule}"
            + (f", with {parameters}" if parameters else "")
            + ". Direction −1 flips an indicator first.",
        ),
        ("Weights", weights),
        (
            "Indicators → dimension",
            _aggregation(method.indicator_aggregation, method.indicator_power),
        ),
        (
            "Dimensions → overall",
            _aggregation(method.dimension_aggregation, method.dimension_power),
        ),
        ("Reach and appeal", combine),
        ("Rank", "1 = best; tied scores share the better rank."),
    ]
    return lines


def _aggregation(name: str, power: float) -> str:
    aggregator = AGGREGATORS[name]
    text = f"{aggregator.label}: {aggregator.rule}"
    if aggregator.uses_power:
        text += f", p = {power:g}"
    return text + ("." if aggregator.compensatory else " (non-compensatory).")


def vintage_table(stale: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """`indicators.vintage.stale_indicators` as shown to readers: one row per indicator with its
    name (indexed by indicator id), edition, retrieval date ('unknown' when not recorded), latest year ('no data') and the
    stale flag with its reason.

    >>> stale = pd.DataFrame({"indicator": ["a"], "source": ["s"], "edition": ["2020"],
    ...     "retrieved": [""], "latest_year": pd.array([pd.NA], dtype="Int64"),
    ...     "data_age_years": pd.array([pd.NA], dtype="Int64"), "stale": [True],
    ...     "reason": ["no value"]})
    >>> vintage_table(stale, {"a": "A"}).iloc[0].tolist()
    ['A', 's', '2020', 'unknown', 'no data', 'stale', 'no value']
    """
    return pd.DataFrame(
        {
            "Indicator": stale["indicator"].map(lambda i: names.get(i, i)),
            "Source": stale["source"],
            "Edition": stale["edition"],
            "Retrieved": stale["retrieved"].replace("", "unknown"),
            "Latest year": [NO_DATA if pd.isna(y) else str(int(y)) for y in stale["latest_year"]],
            "Status": ["stale" if flag else "current" for flag in stale["stale"]],
            "Why stale": stale["reason"],
        }
    ).set_axis(pd.Index(stale["indicator"], name="indicator"))


def vintage_facts(row: pd.Series) -> pd.DataFrame:
    """One indicator's row of `vintage_table` as Property/Value rows for its facts table."""
    status = row["Status"] + (f" ({row['Why stale']})" if row["Why stale"] else "")
    facts = [
        ("Edition", row["Edition"]),
        ("Retrieved", row["Retrieved"]),
        ("Latest year", row["Latest year"]),
        ("Data vintage", status),
    ]
    return pd.DataFrame(facts, columns=["Property", "Value"])
