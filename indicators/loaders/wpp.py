"""UN World Population Prospects 2024: total population per country, a denominator (no indicator).

Folder `un-wpp2024-population`, file `DERIVED_wpp2024_total_population_2010_2030.csv` (computed from
the publisher's `wpp2024` R data package; its PROVENANCE.md has the code): one row per location and
year, columns `country_code` (M49), `iso3`, `name`, `location_type` (4 = country or area; other
numbers are the world, regions, and development and income groups), `year`, `pop_thousands`,
`source`. Years 2010, 2015 and 2020 are estimates; 2024–2030 the medium-variant projection.

Rule: persons = `pop_thousands` * 1000, rounded to whole persons (the file gives thousands with
three decimals), for every row of location type 4 whose `iso3` is an ISO 3166-1 code here. Kosovo
(M49 412) has an empty `iso3` in the file and is read as XKX, as the other loaders do. Taiwan,
Palestine, Hong Kong, Macao, Puerto Rico and Sudan are there with their own codes.

Skipped, with the reason: every location that is not a country or area (one row per location),
country rows without a usable code (one row per location), and rows whose year or population is
empty, not a number or not positive. A country and year on several rows is skipped altogether.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.countries import iso3_codes
from indicators.loaders import finite_numbers, read_text_csv, whole_years

FOLDER = "un-wpp2024-population"
FILE_NAME = "DERIVED_wpp2024_total_population_2010_2030.csv"
COLUMNS = ["country_code", "iso3", "name", "location_type", "year", "pop_thousands"]
POPULATION_COLUMNS = ["iso3", "year", "persons"]
COUNTRY_OR_AREA = 4
YEARS = (1950, 2100)  # the span WPP covers
# M49 codes of places the file leaves without an ISO3 code but that have a code here.
M49_CODES = {"412": "XKX"}


def population(sources: Path) -> tuple[pd.DataFrame, list[dict]]:
    """(iso3, year, persons) for every country or area and year of the file, sorted; and the
    skipped rows (file, row, reason)."""
    table = read_text_csv(sources / FOLDER / FILE_NAME, COLUMNS).fillna("")
    for column in COLUMNS:
        table[column] = table[column].str.strip()
    kind = finite_numbers(table["location_type"])
    is_country = kind == COUNTRY_OR_AREA
    dropped = _aggregates(table[~is_country])
    countries = table[is_country].copy()
    countries["code"] = countries["iso3"].str.upper()
    countries.loc[countries["code"] == "", "code"] = countries["country_code"].map(M49_CODES)
    countries["code"] = countries["code"].fillna("")
    known = countries["code"].isin(iso3_codes())
    dropped += _unknown_codes(countries[~known])
    countries = countries[known]
    years = whole_years(countries["year"])
    countries["year_number"] = years.where(years.between(*YEARS))
    # A huge number of thousands is no finite number of persons either.
    persons = finite_numbers(finite_numbers(countries["pop_thousands"]) * 1000)
    countries["persons"] = persons.round()
    usable = countries["year_number"].notna() & (countries["persons"] > 0)
    dropped += [
        {"file": FILE_NAME, "row": _row_label(row), "reason": _row_problem(row)}
        for row in countries[~usable].to_dict("records")
    ]
    found = pd.DataFrame(
        {
            "iso3": countries.loc[usable, "code"],
            "year": countries.loc[usable, "year_number"],
            "persons": countries.loc[usable, "persons"],
        }
    )
    repeated = found.duplicated(["iso3", "year"], keep=False)
    for (iso3, year), rows in found[repeated].groupby(["iso3", "year"], sort=True):
        reason = f"{len(rows)} rows for the same country and year: none is used"
        dropped.append({"file": FILE_NAME, "row": f"{iso3} {int(year)}", "reason": reason})
    found = found[~repeated].astype({"iso3": "str", "year": "int64", "persons": "float64"})
    found = found.sort_values(["iso3", "year"], ignore_index=True)
    return found[POPULATION_COLUMNS], dropped


def population_in(table: pd.DataFrame, year: int) -> dict[str, float]:
    """One year of a `population` table as iso3 -> persons.

    >>> table = pd.DataFrame({"iso3": ["RUS", "RUS"], "year": [2015, 2020],
    ...                       "persons": [145307615.0, 146371301.0]})
    >>> population_in(table, 2020)
    {'RUS': 146371301.0}
    """
    rows = table[table["year"] == year]
    return dict(zip(rows["iso3"], rows["persons"], strict=True))


def _aggregates(rows: pd.DataFrame) -> list[dict]:
    """One skipped row per location that is not a country or area."""
    return [
        {
            "file": FILE_NAME,
            "row": f"M49 {code} {name}".strip(),
            "reason": f"region/group aggregate '{name}' (location_type '{kind}')",
        }
        for (code, name, kind), _ in rows.groupby(
            ["country_code", "name", "location_type"], sort=True
        )
    ]


def _unknown_codes(rows: pd.DataFrame) -> list[dict]:
    """One skipped row per country or area whose code is not known here."""
    dropped = []
    for (code, iso3, name), _ in rows.groupby(["country_code", "iso3", "name"], sort=True):
        reason = (
            f"'{iso3}' of '{name}' is not an ISO 3166-1 code"
            if iso3
            else f"no ISO3 code for M49 {code} '{name}'"
        )
        dropped.append({"file": FILE_NAME, "row": f"M49 {code} {name}".strip(), "reason": reason})
    return dropped


def _row_label(row: dict) -> str:
    return f"{row['code']} {row['year']}".strip()


def _row_problem(row: dict) -> str:
    if pd.isna(row["year_number"]):
        return f"year is not a whole number from {YEARS[0]} to {YEARS[1]}: '{row['year']}'"
    written = row["pop_thousands"]
    if not written:
        return "pop_thousands is empty"
    if pd.isna(row["persons"]):
        return f"pop_thousands is not a finite number of persons: '{written}'"
    return f"pop_thousands is not positive: '{written}'"
