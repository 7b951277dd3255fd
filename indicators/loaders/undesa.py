"""UN DESA International Migrant Stock 2020 (origin x destination, both sexes), per population.

Folder `undesa-migrant-stock`, file `migration_un_data_coldrop.csv` (Table 1 of the UN DESA workbook
as CSV); denominator from folder `qog-basic`, file `qog_bas_cs_jan25.csv` (`ccodealp`, `wdi_pop`:
World Bank WDI population via QoG Basic Jan25, reference year about 2022).

- Immigrant stock of a country = its row with origin WORLD (M49 900); emigrant stock = its row with
  destination WORLD. Bilateral rows are not used.
- Countries are M49 location codes below 900, mapped to ISO3 with pycountry; codes of 900 and above
  are regions and groups (one skipped row per aggregate name). Names lose their leading spaces and
  footnote `*`.
- `immigrant_stock_share` / `emigrant_stock_share` = stock in 2020 / wdi_pop * 100 (derived ratio;
  numerator 2020, denominator about 2022). Only 2020 is given: the file also has 2010 and 2015
  stocks, but no population for those years is at hand, so no share is computed for them.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pycountry

from indicators.countries import iso3_codes
from indicators.loaders import LoadResult, finite_number, read_text_csv, skipped, tidy

FOLDER = "undesa-migrant-stock"
STOCK_FILE = "migration_un_data_coldrop.csv"
POPULATION_FOLDER = "qog-basic"
POPULATION_FILE = "qog_bas_cs_jan25.csv"
WORLD = 900
YEAR = 2020

COLUMNS = {
    "Region, development group, country or area of destination": "destination",
    "Location code of destination": "destination_code",
    "Type of data of destination": "data_type",
    "Region, development group, country or area of origin": "origin",
    "Location code of origin": "origin_code",
}
# Both shares read the same file; which side of WORLD the country sits on decides the indicator.
SIDES = {
    "immigrant_stock_share": ("destination", "origin_code"),
    "emigrant_stock_share": ("origin", "destination_code"),
}
EMPTY_CELLS = {"", "..", "-", "–"}


def load(sources: Path) -> LoadResult:
    stocks = _read_stocks(sources / FOLDER / STOCK_FILE)
    population = _read_population(sources / POPULATION_FOLDER / POPULATION_FILE)
    values, dropped = [], []
    for indicator, (side, world_side) in SIDES.items():
        rows = stocks[stocks[world_side] == str(WORLD)]
        found, lost = _shares(indicator, rows, side, population)
        values += found
        dropped += lost
    result = tidy(values).sort_values(["indicator", "iso3", "year"], ignore_index=True)
    # The same country or aggregate fails the same way on both sides: report it once.
    lost = skipped(dropped).drop_duplicates(ignore_index=True)
    return LoadResult(values=result, skipped=lost)


def _read_stocks(path: Path) -> pd.DataFrame:
    table = read_text_csv(path, [*COLUMNS, str(YEAR)], empty_is_missing=False)
    return table.rename(columns=COLUMNS)


def _read_population(path: Path) -> dict[str, str]:
    """ISO3 -> wdi_pop as written (possibly empty)."""
    table = read_text_csv(path, ["ccodealp", "wdi_pop"], empty_is_missing=False)
    # A code on several rows with different populations has none that can be trusted.
    table = table[["ccodealp", "wdi_pop"]].drop_duplicates()
    table.loc[table["ccodealp"].duplicated(keep=False), "wdi_pop"] = "several rows"
    return dict(zip(table["ccodealp"], table["wdi_pop"], strict=True))


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


def _shares(
    indicator: str, rows: pd.DataFrame, side: str, population: dict[str, str]
) -> tuple[list[dict], list[dict]]:
    code_column = f"{side}_code"
    # Identical repeated rows (regions listed twice) count once; differing repeats are refused.
    rows = rows.drop_duplicates()
    codes = rows[code_column].map(_location_code)
    repeated = set(codes[codes.notna() & codes.duplicated(keep=False)])
    values, dropped = [], []
    for row in rows.to_dict("records"):
        code, name = _location_code(row[code_column]), _clean_name(row[side])
        if code is None:
            reason = f"location code '{row[code_column]}' is not an M49 code"
            dropped.append({"file": STOCK_FILE, "row": name, "reason": reason})
            continue
        if code in repeated and code < WORLD:
            record, reason = None, f"M49 {code} appears in several rows with different stocks"
        else:
            record, reason = _share(indicator, code, name, row, side, population)
        if record:
            values.append(record)
        else:
            dropped.append({"file": STOCK_FILE, "row": f"{code} {name}", "reason": reason})
    return values, dropped


def _share(
    indicator: str, code: int, name: str, row: dict, side: str, population: dict[str, str]
) -> tuple[dict | None, str | None]:
    if code >= WORLD:
        return None, f"region/group aggregate '{name}'"
    iso3 = _m49_to_iso3(code)
    if iso3 is None:
        return None, f"no ISO3 code for M49 {code} '{name}'"
    stock = _number(row[str(YEAR)])
    if stock is None:
        return None, f"{indicator}: no {YEAR} stock ('{row[str(YEAR)]}')"
    if iso3 not in population:
        return None, f"no population: {iso3} has no row in {POPULATION_FILE}"
    people = _number(population[iso3])
    if people is None or people <= 0:
        written = f"'{population[iso3]}'" if population[iso3] else "empty"
        return None, f"no population: wdi_pop for {iso3} is {written}"
    share = stock / people * 100
    if not math.isfinite(share):
        return None, f"{indicator}: stock {stock:g} over population {people:g} is no finite share"
    record = {
        "iso3": iso3,
        "indicator": indicator,
        "year": YEAR,
        "value": share,
        "note": _note(stock, people, row, side),
    }
    return record, None


def _m49_to_iso3(code: int) -> str | None:
    country = pycountry.countries.get(numeric=f"{code:03d}")
    if country is None or country.alpha_3 not in iso3_codes():
        return None
    return country.alpha_3


def _note(stock: float, population: float, row: dict, side: str) -> str:
    note = f"stock {YEAR}: {stock:,.0f}; population: WDI via QoG Jan25, {population:,.0f}"
    if side == "destination" and row["data_type"].strip():
        # B = foreign-born, C = foreign citizens, R = refugees added, I = imputed.
        note += f"; data type {row['data_type'].strip()}"
    return note
