"""GLOBALCIT (EUI) citizenship law 2020 and MIPEX 2020 Access to Nationality.

Folder `globalcit-citizenship-mipex` (replication files of Vink 2022), two CSV files:

- `citrix_mipex.csv`: `mipex_access_nationality` = `MIPEX_ATN_2020` per country and year (2010-2019;
  MIPEX 2020 back-codes policies to 2010). The file's `iso3` is filled in one row per country only,
  so rows are joined on `country_name` (`name_to_iso3`) and checked against `iso3` wherever it is
  filled; a disagreement skips the whole country instead of guessing.
- `data_v1.0_country-year.csv` (law in force on 1 January 2020, year 2020):
  - `ordinary_naturalisation` = `A06_bin` (1: the law provides ordinary, residence-based
    naturalisation; 0: it does not, the worst case for integration policy).
  - `naturalisation_residence_years` = `A06a_yrs` where ordinary (residence-based) naturalisation
    exists (`A06_bin` = 1). Where it does not (`A06_bin` = 0) the A06a columns hold 99 ("not
    applicable", recoded to NA by Vink 2022) or NA: that is neither 99 nor 0 years, so it is skipped.
  - `dual_citizenship_emigrants` = 1 when loss mode L05 (loss of citizenship on voluntary acquisition
    of a foreign citizenship) is absent (`L05_bin` = 0), 0 when it exists (`L05_bin` = 1). This agrees
    with the file's `dualcit_comb` (1 or 3 exactly when `L05_bin` = 0), whose label goes in `note`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.countries import iso3_codes, name_to_iso3
from indicators.loaders import (
    FIRST_YEAR,
    LoadResult,
    finite_number,
    one_per_key,
    read_text_csv,
    skipped,
    tidy,
    whole_years,
)

FOLDER = "globalcit-citizenship-mipex"
MIPEX_FILE = "citrix_mipex.csv"
LAW_FILE = "data_v1.0_country-year.csv"

# Vink (2022) labels of `dualcit_comb`.
DUAL_CITIZENSHIP_LABELS = {
    "0": "no dual citizenship acceptance",
    "1": "dual citizenship accepted only at acquisition abroad",
    "2": "dual citizenship accepted only for residence-based acquisition",
    "3": "full dual citizenship acceptance",
}


def load(sources: Path) -> LoadResult:
    folder = sources / FOLDER
    mipex_values, mipex_skipped = _load_mipex(folder / MIPEX_FILE)
    law_values, law_skipped = _load_law(folder / LAW_FILE)
    mipex, mipex_repeats = one_per_key(tidy(mipex_values), MIPEX_FILE)
    law, law_repeats = one_per_key(tidy(law_values), LAW_FILE)
    values = pd.concat([mipex, law], ignore_index=True)
    values = values.sort_values(["indicator", "iso3", "year"], ignore_index=True)
    dropped = mipex_skipped + mipex_repeats + law_skipped + law_repeats
    return LoadResult(values=values, skipped=skipped(dropped))


def _read_text_csv(path: Path, columns: list[str]) -> tuple[pd.DataFrame, list[dict]]:
    """Rows from FIRST_YEAR on, and a skipped row for each whose year is not a year; rows are
    labelled by `columns[:2]` (name or code, and year)."""
    # Everything as text: codes such as "NA" and sentinels such as "99" are judged by hand below.
    table = read_text_csv(path, columns, empty_is_missing=False)
    years = whole_years(table["year"])
    dropped = [
        {
            "file": path.name,
            "row": f"{row[columns[0]]} {row['year']}",
            "reason": "year is not a year",
        }
        for _, row in table[years.isna()].iterrows()
    ]
    return table[years >= FIRST_YEAR].assign(year=years.astype("Int64").astype(str)), dropped


def _number(text: str) -> float | None:
    return finite_number(text) if text.strip() else None


def _load_mipex(path: Path) -> tuple[list[dict], list[dict]]:
    table, dropped = _read_text_csv(path, ["country_name", "year", "iso3", "MIPEX_ATN_2020"])
    values = []
    for name, rows in table.groupby("country_name", sort=True):
        iso3, problem = _mipex_iso3(name, rows)
        if problem:
            dropped.append({"file": path.name, "row": name, "reason": problem})
            continue
        for row in rows.itertuples(index=False):
            score = _number(row.MIPEX_ATN_2020)
            if score is None:
                problem = "not a number" if row.MIPEX_ATN_2020 else "empty"
                reason = f"MIPEX_ATN_2020 is {problem}"
                dropped.append({"file": path.name, "row": f"{name} {row.year}", "reason": reason})
                continue
            values.append(
                {
                    "iso3": iso3,
                    "indicator": "mipex_access_nationality",
                    "year": int(row.year),
                    "value": score,
                    "note": "",
                }
            )
    return values, dropped


def _mipex_iso3(name: str, rows: pd.DataFrame) -> tuple[str | None, str | None]:
    """The country's ISO3 from its name, or the reason it cannot be trusted."""
    iso3 = name_to_iso3(name)
    if iso3 is None:
        return None, f"no ISO3 match for '{name}'"
    codes_in_file = sorted(set(rows["iso3"]) - {""})
    if codes_in_file and codes_in_file != [iso3]:
        return None, f"iso3 {'/'.join(codes_in_file)} in the file disagrees with name match {iso3}"
    return iso3, None


def _load_law(path: Path) -> tuple[list[dict], list[dict]]:
    columns = ["iso3", "year", "A06_bin", "A06a_yrs", "L05_bin", "dualcit_comb"]
    table, dropped = _read_text_csv(path, columns)
    codes = iso3_codes()
    values = []
    for row in table.itertuples(index=False):
        key = f"{row.iso3} {row.year}"
        if row.iso3 not in codes:
            dropped.append({"file": path.name, "row": key, "reason": f"no ISO3 code '{row.iso3}'"})
            continue
        for record, reason in (
            _ordinary_naturalisation(row),
            _residence_years(row),
            _dual_citizenship(row),
        ):
            if record:
                values.append({"iso3": row.iso3, "year": int(row.year), **record})
            else:
                dropped.append({"file": path.name, "row": key, "reason": reason})
    return values, dropped


def _ordinary_naturalisation(row) -> tuple[dict | None, str | None]:
    exists = {"0": 0.0, "1": 1.0}.get(row.A06_bin)
    if exists is None:
        return None, f"A06_bin is '{row.A06_bin}', not 0 or 1"
    note = f"A06_bin = {row.A06_bin}"
    return {"indicator": "ordinary_naturalisation", "value": exists, "note": note}, None


def _residence_years(row) -> tuple[dict | None, str | None]:
    if row.A06_bin == "0":
        return None, (
            f"no ordinary naturalisation (A06_bin = 0; A06a_yrs '{row.A06a_yrs}' = not applicable)"
        )
    years = _number(row.A06a_yrs)
    if row.A06_bin != "1" or years is None or years == 99:
        return None, f"A06a_yrs '{row.A06a_yrs}' with A06_bin '{row.A06_bin}' is not a year count"
    return {"indicator": "naturalisation_residence_years", "value": years, "note": ""}, None


def _dual_citizenship(row) -> tuple[dict | None, str | None]:
    # L05 = loss on voluntary acquisition of a foreign citizenship: its absence keeps emigrants in.
    keeps = {"0": 1.0, "1": 0.0}.get(row.L05_bin)
    if keeps is None:
        return None, f"L05_bin is '{row.L05_bin}', not 0 or 1"
    label = DUAL_CITIZENSHIP_LABELS.get(row.dualcit_comb, "unknown code")
    note = f"L05_bin = {row.L05_bin}; dualcit_comb = {row.dualcit_comb} ({label})"
    return {"indicator": "dual_citizenship_emigrants", "value": keeps, "note": note}, None
