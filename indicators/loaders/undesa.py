"""UN DESA International Migrant Stock 2020 (origin x destination, both sexes), counts and shares.

Folder `undesa-migrant-stock`, file `migration_un_data_coldrop.csv` (Table 1 of the UN DESA workbook
as CSV); population from folder `un-wpp2024-population` (UN World Population Prospects 2024,
indicators/loaders/wpp.py), for the same year as the stock.

- Immigrant stock of a country = its row with origin WORLD (M49 900); emigrant stock = its row with
  destination WORLD. Bilateral rows are not used here (indicators/relational.py reads them).
- Countries are M49 location codes below 900, mapped to ISO3 with pycountry; codes of 900 and above
  are regions and groups (one skipped row per aggregate name). Names lose their leading spaces and
  footnote `*`. A row that is 0 in every year 1990–2020 (Taiwan, Saint Barthélemy and Saint Martin,
  with no type of data) is UN DESA giving no estimate, not a count: skipped.
- `immigrant_stock_share` / `emigrant_stock_share` = stock in year Y / population in year Y * 100,
  for Y = 2010, 2015, 2020 (stock at mid-year; WPP 2024 estimate of Y). The note gives the stock,
  the population and, for immigrants, the type of data. An immigrant stock above the population
  cannot be (immigrants are residents): the two publications disagree there (United Arab Emirates
  and Bonaire, Sint Eustatius and Saba in 2010), and the share is skipped with both numbers.
- `emigrant_stock` (from `load_emigrant_stock`) = people born in the country living abroad, as
  published, years 2010, 2015, 2020; no denominator. `emigrant_stock(sources, year)` gives the same
  counts to other loaders as iso3 -> people.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pycountry

from indicators.countries import iso3_codes
from indicators.loaders import LoadResult, finite_number, read_text_csv, skipped, tidy, wpp

FOLDER = "undesa-migrant-stock"
STOCK_FILE = "migration_un_data_coldrop.csv"
POPULATION_FOLDER = wpp.FOLDER
POPULATION_FILE = wpp.FILE_NAME
WORLD = 900
YEARS = (2010, 2015, 2020)
ALL_YEARS = ("1990", "1995", "2000", "2005", "2010", "2015", "2020")
EMIGRANT_STOCK = "emigrant_stock"
IMMIGRANT_SHARE = "immigrant_stock_share"

COLUMNS = {
    "Region, development group, country or area of destination": "destination",
    "Location code of destination": "destination_code",
    "Type of data of destination": "data_type",
    "Region, development group, country or area of origin": "origin",
    "Location code of origin": "origin_code",
}
# Both shares read the same file; which side of WORLD the country sits on decides the indicator.
SIDES = {
    IMMIGRANT_SHARE: ("destination", "origin_code"),
    "emigrant_stock_share": ("origin", "destination_code"),
}
EMPTY_CELLS = {"", "..", "-", "–"}


def load(sources: Path) -> LoadResult:
    """Immigrant and emigrant stock shares of the population, 2010, 2015 and 2020."""
    stocks = _read_stocks(sources / FOLDER / STOCK_FILE)
    people, population_lost = wpp.population(sources)
    population = {
        (iso3, int(year)): persons
        for iso3, year, persons in people[["iso3", "year", "persons"]].itertuples(index=False)
    }
    values, dropped = [], []
    for indicator, (side, world_side) in SIDES.items():
        countries, lost = _countries(stocks[stocks[world_side] == str(WORLD)], side)
        dropped += lost
        for country in countries:
            for year in YEARS:
                record, reason = _share(indicator, country, year, population)
                if record:
                    values.append(record)
                else:
                    dropped.append({"file": STOCK_FILE, "row": country["label"], "reason": reason})
    result = tidy(values).sort_values(["indicator", "iso3", "year"], ignore_index=True)
    # The same country or aggregate fails the same way on both sides: report it once.
    lost = skipped(dropped + population_lost).drop_duplicates(ignore_index=True)
    return LoadResult(values=result, skipped=lost)


def load_emigrant_stock(sources: Path) -> LoadResult:
    """`emigrant_stock`: people born in the country living abroad, 2010, 2015 and 2020."""
    counts, dropped = emigrant_stocks(sources)
    values = tidy(counts.assign(indicator=EMIGRANT_STOCK).rename(columns={"stock": "value"}))
    values = values.sort_values(["indicator", "iso3", "year"], ignore_index=True)
    return LoadResult(values=values, skipped=skipped(dropped))


def emigrant_stocks(sources: Path) -> tuple[pd.DataFrame, list[dict]]:
    """(iso3, year, stock) of people born in each country living abroad, years 2010, 2015, 2020;
    and the skipped rows (aggregates, unknown codes, empty cells)."""
    stocks = _read_stocks(sources / FOLDER / STOCK_FILE)
    countries, dropped = _countries(stocks[stocks["destination_code"] == str(WORLD)], "origin")
    records = []
    for country in countries:
        for year in YEARS:
            stock = _number(country["row"][str(year)])
            if stock is None:
                reason = f"{EMIGRANT_STOCK}: no {year} stock ('{country['row'][str(year)]}')"
                dropped.append({"file": STOCK_FILE, "row": country["label"], "reason": reason})
            else:
                records.append({"iso3": country["iso3"], "year": year, "stock": stock})
    table = pd.DataFrame(records, columns=["iso3", "year", "stock"]).astype(
        {"iso3": "str", "year": "int64", "stock": "float64"}
    )
    return table.sort_values(["iso3", "year"], ignore_index=True), dropped


def emigrant_stock(sources: Path, year: int = 2020) -> dict[str, float]:
    """People born in each country living abroad in `year` (2010, 2015 or 2020): iso3 -> people.
    Countries without a usable stock are left out (`emigrant_stocks` says why)."""
    table, _ = emigrant_stocks(sources)
    rows = table[table["year"] == year]
    return dict(zip(rows["iso3"], rows["stock"], strict=True))


def _read_stocks(path: Path) -> pd.DataFrame:
    table = read_text_csv(path, [*COLUMNS, *ALL_YEARS], empty_is_missing=False)
    return table.rename(columns=COLUMNS)


def _number(text: str) -> float | None:
    """A count as published: thousands separators allowed, '..' and blanks mean no value."""
    cleaned = re.sub(r"[,\s]", "", text)
    if cleaned in EMPTY_CELLS:
        return None
    return finite_number(cleaned)


def _location_code(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


def _clean_name(name: str) -> str:
    return name.strip().rstrip("*").strip()


def _countries(rows: pd.DataFrame, side: str) -> tuple[list[dict], list[dict]]:
    """The rows of `side` that are countries with an ISO3 code and an estimate, as dicts with iso3,
    label ('643 Russian Federation') and the row; and the skipped rows."""
    code_column = f"{side}_code"
    # Identical repeated rows (regions listed twice) count once; differing repeats are refused.
    rows = rows.drop_duplicates()
    codes = rows[code_column].map(_location_code)
    repeated = set(codes[codes.notna() & codes.duplicated(keep=False)])
    countries, dropped = [], []
    for row in rows.to_dict("records"):
        code, name = _location_code(row[code_column]), _clean_name(row[side])
        if code is None:
            reason = f"location code '{row[code_column]}' is not an M49 code"
            dropped.append({"file": STOCK_FILE, "row": name, "reason": reason})
            continue
        label = f"{code} {name}"
        iso3 = _m49_to_iso3(code) if code < WORLD else None
        if code >= WORLD:
            reason = f"region/group aggregate '{name}'"
        elif code in repeated:
            reason = f"M49 {code} appears in several rows with different stocks"
        elif iso3 is None:
            reason = f"no ISO3 code for M49 {code} '{name}'"
        elif all(_number(row[year]) == 0 for year in ALL_YEARS):
            reason = "every stock 1990–2020 is 0: no UN DESA estimate, not a count"
        else:
            countries.append({"iso3": iso3, "label": label, "row": row})
            continue
        dropped.append({"file": STOCK_FILE, "row": label, "reason": reason})
    return countries, dropped


def _share(
    indicator: str, country: dict, year: int, population: dict[tuple[str, int], float]
) -> tuple[dict | None, str | None]:
    iso3, row = country["iso3"], country["row"]
    stock = _number(row[str(year)])
    if stock is None:
        return None, f"{indicator}: no {year} stock ('{row[str(year)]}')"
    people = population.get((iso3, year))
    if people is None:
        return None, f"no population: UN WPP 2024 has no {year} population for {iso3}"
    share = stock / people * 100
    if not math.isfinite(share):
        return None, f"{indicator}: stock {stock:g} over population {people:g} is no finite share"
    if indicator == IMMIGRANT_SHARE and share > 100:
        # Immigrants live in the country, so they cannot outnumber its people: UN DESA 2020 and
        # WPP 2024 disagree about this country and year.
        return None, (
            f"{indicator}: {year} stock {stock:,.0f} is more than the UN WPP 2024 population "
            f"{people:,.0f}: the two publications disagree"
        )
    record = {
        "iso3": iso3,
        "indicator": indicator,
        "year": year,
        "value": share,
        "note": _note(year, stock, people, row, indicator),
    }
    return record, None


def _m49_to_iso3(code: int) -> str | None:
    country = pycountry.countries.get(numeric=f"{code:03d}")
    if country is None or country.alpha_3 not in iso3_codes():
        return None
    return country.alpha_3


def _note(year: int, stock: float, population: float, row: dict, indicator: str) -> str:
    note = f"stock {year}: {stock:,.0f}; population: UN WPP 2024, {year}, {population:,.0f}"
    if indicator == IMMIGRANT_SHARE and row["data_type"].strip():
        # B = foreign-born, C = foreign citizens, R = refugees added, I = imputed.
        note += f"; data type {row['data_type'].strip()}"
    return note
