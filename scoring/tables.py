"""Table shaping for display: latest values per country and coverage per indicator."""

from __future__ import annotations

import pandas as pd


def latest_values(values: pd.DataFrame) -> pd.DataFrame:
    """For each (iso3, indicator), the row of the latest year."""
    ordered = values.sort_values(["iso3", "indicator", "year"])
    return ordered.drop_duplicates(["iso3", "indicator"], keep="last")


def latest_values_table(
    values: pd.DataFrame, indicators: pd.DataFrame, countries: pd.DataFrame
) -> pd.DataFrame:
    """One row per country; per indicator a value column headed 'name (unit)' and a year column."""
    latest = latest_values(values[values["indicator"].isin(indicators["indicator"])])
    table = countries[["iso3", "name", "region"]].rename(
        columns={"name": "Country", "region": "Region"}
    )
    for indicator in indicators.itertuples():
        cells = latest[latest["indicator"] == indicator.indicator].set_index("iso3")
        table[f"{indicator.name} ({indicator.unit})"] = table["iso3"].map(cells["value"])
        table[f"{indicator.name}: year"] = table["iso3"].map(cells["year"]).astype("Int64")
    return table.sort_values("Country", ignore_index=True)


def coverage_by_indicator(values: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: countries with data, years covered, and its source (publisher, edition, licence, url)."""
    rows = []
    for indicator in indicators.itertuples():
        own = values[values["indicator"] == indicator.indicator]
        rows.append(
            {
                "Indicator": indicator.name,
                "Countries": own["iso3"].nunique(),
                "Years": f"{own['year'].min()}–{own['year'].max()}" if len(own) else "",
                "Publisher": indicator.publisher,
                "Edition": indicator.edition,
                "Licence": indicator.licence,
                "Source": indicator.url,
            }
        )
    return pd.DataFrame(rows)


def dimension_contributions(results: pd.DataFrame, dimension_weights: pd.Series) -> pd.DataFrame:
    """Each dimension's share of the overall score: weight x score, the weights rescaled over the
    dimensions a country has (exactly the overall score under arithmetic aggregation).

    >>> results = pd.DataFrame({"a": [80.0, 50.0], "b": [40.0, None]}, index=["X", "Y"])
    >>> dimension_contributions(results, pd.Series({"a": 0.5, "b": 0.5})).round(1).to_dict("index")
    {'X': {'a': 40.0, 'b': 20.0}, 'Y': {'a': 50.0, 'b': 0.0}}
    """
    scores = results[list(dimension_weights.index)]
    weights = scores.notna() * dimension_weights
    weights = weights.div(weights.sum(axis=1), axis=0)
    return (scores * weights).fillna(0.0)


def rank_changes(ranks: pd.Series, reference: pd.Series) -> pd.Series:
    """Places moved against a reference ranking; positive = moved up (better rank).

    >>> rank_changes(pd.Series({"X": 1, "Y": 3}), pd.Series({"X": 2, "Y": 3})).to_dict()
    {'X': 1, 'Y': 0}
    """
    return (reference.reindex(ranks.index) - ranks).astype("Int64")


def method_summary(method, dimension_weights: pd.Series, dimension_names: dict[str, str]) -> str:
    """One line for chart subtitles and export footers: weights, normalisation, aggregation, year."""
    weights = ", ".join(
        f"{dimension_names.get(d, d)} {w:.0%}" for d, w in dimension_weights.items() if w > 0
    )
    year = f"year {method.year}" if method.year else "latest {}–{}".format(*method.year_window)
    normalisation = method.normalisation.replace("_", "-")
    return (
        f"Weights: {weights}. {normalisation} normalisation, {method.indicator_aggregation}"
        f"/{method.dimension_aggregation} aggregation, {year}."
    )
