"""V-Dem Electoral Democracy Index (v2x_polyarchy), as republished by Our World in Data.

File: `vdem-owid/electoral-democracy-index.csv`, one row per `Entity` and `Year`, keyed by `Code`
(ISO3; `OWID_*` or empty for OWID's own entities).

Rule: `vdem_electoral_democracy` = `Electoral Democracy Index` (central estimate, 0–1) as published,
for years from 2010. OWID codes Kosovo `OWID_KOS`, read here as XKX. Other `OWID_*` and empty codes
(continents, world, population-weighted averages, Somaliland, Zanzibar, Gaza, West Bank) are skipped,
one skipped row per entity.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.countries import iso3_codes
from indicators.loaders import (
    FIRST_YEAR,
    LoadResult,
    finite_numbers,
    one_per_key,
    read_text_csv,
    skipped,
    tidy,
    whole_years,
)

FOLDER = "vdem-owid"
FILE_NAME = "electoral-democracy-index.csv"
INDICATOR = "vdem_electoral_democracy"
VALUE_COLUMN = "Electoral Democracy Index"

# OWID's own codes for countries that have an ISO3 code here.
OWID_COUNTRY_CODES = {"OWID_KOS": "XKX"}
REGION_AGGREGATES = {
    "World",
    "Africa",
    "Asia",
    "Europe",
    "North America",
    "South America",
    "Oceania",
}


def read_table(sources: Path) -> pd.DataFrame:
    # "NA" is Namibia's ISO2 and must stay text; only empty cells are missing.
    table = read_text_csv(sources / FOLDER / FILE_NAME, ["Entity", "Code", "Year", VALUE_COLUMN])
    table["Entity"] = table["Entity"].fillna("")
    table["Code"] = table["Code"].fillna("").str.strip()
    table["Year"] = whole_years(table["Year"])
    table["value"] = finite_numbers(table[VALUE_COLUMN])
    table["iso3"] = table["Code"].replace(OWID_COUNTRY_CODES)
    return table


def entity_reason(entity: str, code: str) -> str:
    if entity in REGION_AGGREGATES or entity.endswith("(population-weighted)"):
        return f"region aggregate '{entity}'"
    if code and not code.startswith("OWID_"):
        return f"code '{code}' of '{entity}' is not an ISO 3166-1 code"
    return f"no ISO 3166-1 code for '{entity}'" + (f" (code '{code}')" if code else "")


def years_text(years: pd.Series) -> str:
    known = years.dropna()
    if known.empty:
        return "no year"
    first, last = int(known.min()), int(known.max())
    return str(first) if first == last else f"{first}–{last}"


def unmatched_entities(table: pd.DataFrame) -> list[dict]:
    """One skipped row per entity without an ISO3 code, with the years it covers."""
    return [
        {
            "file": FILE_NAME,
            "row": entity,
            "reason": f"{entity_reason(entity, code)}, {years_text(rows['Year'])}",
        }
        for (entity, code), rows in table.groupby(["Entity", "Code"], sort=True)
    ]


def row_problem(row: pd.Series) -> str:
    if pd.isna(row["Year"]):
        return "year is empty or not a number"
    if pd.isna(row[VALUE_COLUMN]):
        return "index is empty"
    return f"index is not a number: {row[VALUE_COLUMN]!r}"


def unusable_rows(table: pd.DataFrame) -> list[dict]:
    """Country rows whose year or value is empty or not a number."""
    return [
        {
            "file": FILE_NAME,
            "row": row["iso3"] if pd.isna(row["Year"]) else f"{row['iso3']} {int(row['Year'])}",
            "reason": row_problem(row),
        }
        for _, row in table.iterrows()
    ]


def load(sources: Path) -> LoadResult:
    table = read_table(sources)
    table = table[table["Year"].isna() | (table["Year"] >= FIRST_YEAR)]
    is_country = table["iso3"].isin(iso3_codes())
    countries = table[is_country]
    usable = countries["Year"].notna() & countries["value"].notna()
    values = tidy(
        countries.loc[usable, ["iso3", "Year", "value"]]
        .rename(columns={"Year": "year"})
        .assign(indicator=INDICATOR)
    )
    values, repeated = one_per_key(values, FILE_NAME)
    values = values.sort_values(["indicator", "iso3", "year"], ignore_index=True)
    dropped = unmatched_entities(table[~is_country]) + unusable_rows(countries[~usable]) + repeated
    return LoadResult(values=values, skipped=skipped(dropped))
