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
