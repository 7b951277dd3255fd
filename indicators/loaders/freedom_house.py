"""Freedom House, Freedom in the World, "All Data, FIW 2013–2025" workbook.

File: `freedom-house/All_data_FIW_2013-2024.xlsx`, sheet `FIW13-25`: a title row, then the header on
the 2nd row, then one row per country or territory (`C/T` = c / t) and edition.

Rule: `fh_free_media` = question `D1` (0–4), `fh_total_score` = `Total` (0–100), year = `Edition`
(edition N rates the year N-1); `note` of the total gives the status (F, PF, NF).
Names become ISO3 through `COUNTRY_ALIASES`, then `name_to_iso3`. Territories are kept only when
they have their own ISO 3166-1 code (`ISO_TERRITORIES`); the others (Crimea, Gaza Strip, Somaliland,
Indian Kashmir, ...) are parts of other entries and are skipped, one skipped row per territory.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.countries import name_to_iso3
from indicators.loaders import (
    FIRST_YEAR,
    LoadResult,
    finite_number,
    read_excel_sheet,
    require_columns,
    skipped,
    tidy,
    whole_years,
)

FOLDER = "freedom-house"
FILE_NAME = "All_data_FIW_2013-2024.xlsx"
SHEET = "FIW13-25"
NAME, KIND, EDITION, STATUS = "Country/Territory", "C/T", "Edition", "Status"
INDICATOR_COLUMNS = {"fh_free_media": "D1", "fh_total_score": "Total"}

# Freedom House spellings the generic matcher misses or could confuse.
COUNTRY_ALIASES = {
    "Congo (Brazzaville)": "COG",
    "Congo (Kinshasa)": "COD",
    "Micronesia": "FSM",
    "Kosovo": "XKX",
    "St. Kitts and Nevis": "KNA",
    "St. Lucia": "LCA",
    "St. Vincent and the Grenadines": "VCT",
    "The Gambia": "GMB",
}

# Territories with an ISO 3166-1 code of their own. Every other territory is a part of a country
# (or of a disputed area) that the generic matcher would wrongly merge into it, e.g. "Gaza Strip"
# into PSE or "Russian-Occupied Territories of Ukraine" into RUS.
ISO_TERRITORIES = {"Hong Kong": "HKG", "Puerto Rico": "PRI", "Western Sahara": "ESH"}


def read_table(sources: Path) -> pd.DataFrame:
    # Only empty cells are missing: a text "N/A" in a score column is reported as text.
    table = read_excel_sheet(
        sources / FOLDER / FILE_NAME, SHEET, header=1, keep_default_na=False, na_values=[""]
    )
    require_columns(table, [NAME, KIND, EDITION, STATUS, *INDICATOR_COLUMNS.values()], FILE_NAME)
    table = table.dropna(how="all")  # blank spacer rows carry nothing to report
    table[NAME] = table[NAME].astype("str").str.strip().fillna("")
    table[KIND] = table[KIND].astype("str").str.strip().str.lower().fillna("")
    table[EDITION] = whole_years(table[EDITION])
    return table


def editions_text(editions: pd.Series) -> str:
    known = editions.dropna()
    first, last = int(known.min()), int(known.max())
    return f"edition {first}" if first == last else f"editions {first}–{last}"


def match_name(name: str, kind: str) -> tuple[str | None, str]:
    """(iso3, '') for a usable entry, else (None, reason)."""
    if kind == "t":
        if name in ISO_TERRITORIES:
            return ISO_TERRITORIES[name], ""
        return None, f"territory '{name}' is not an ISO 3166-1 country"
    iso3 = COUNTRY_ALIASES.get(name) or name_to_iso3(name)
    if iso3 is None:
        return None, f"no ISO3 match for '{name}'"
    return iso3, ""


def match_names(table: pd.DataFrame) -> tuple[dict[str, str], list[dict]]:
    """ISO3 per name, and one skipped row per name that has none."""
    iso3_by_name, dropped = {}, []
    for (name, kind), rows in table.groupby([NAME, KIND], sort=True):
        iso3, reason = match_name(name, kind)
        if iso3 is None:
            reason = f"{reason} ({editions_text(rows[EDITION])})"
            dropped.append({"file": FILE_NAME, "row": name, "reason": reason})
        else:
            iso3_by_name[name] = iso3
    return iso3_by_name, dropped


def row_values(row: pd.Series, iso3: str) -> tuple[list[dict], list[dict]]:
    values, dropped = [], []
    label = f"{row[NAME]} {int(row[EDITION])}"
    for indicator, column in INDICATOR_COLUMNS.items():
        value = finite_number(row[column])
        if value is None:
            raw = row[column]
            reason = f"{column} is empty" if pd.isna(raw) else f"{column} is not a number: {raw!r}"
            dropped.append({"file": FILE_NAME, "row": label, "reason": reason})
            continue
        has_status = indicator == "fh_total_score" and not pd.isna(row[STATUS])
        note = f"status {row[STATUS]}" if has_status else ""
        values.append(
            {
                "iso3": iso3,
                "indicator": indicator,
                "year": int(row[EDITION]),
                "value": float(value),
                "note": note,
            }
        )
    return values, dropped


def drop_duplicates(values: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """Two entries landing on one (iso3, indicator, year) would be a matching error: report both."""
    keys = ["iso3", "indicator", "year"]
    clash = values.duplicated(keys, keep=False)
    dropped = [
        {
            "file": FILE_NAME,
            "row": f"{row.iso3} {row.year}",
            "reason": f"several entries match {row.iso3} for {row.indicator}",
        }
        for row in values[clash].drop_duplicates(keys).itertuples()
    ]
    return values[~clash], dropped


def unusable_rows(table: pd.DataFrame) -> list[dict]:
    """Rows without a name or an edition; `row` is the Excel row number when the name is missing."""
    dropped = []
    for position, row in table[(table[NAME] == "") | table[EDITION].isna()].iterrows():
        label = row[NAME] or f"sheet row {position + 3}"  # title and header rows come first
        reason = "name is empty" if not row[NAME] else "edition is empty or not a number"
        dropped.append({"file": FILE_NAME, "row": label, "reason": reason})
    return dropped


def load(sources: Path) -> LoadResult:
    table = read_table(sources)
    dropped = unusable_rows(table)
    usable = (table[NAME] != "") & table[EDITION].notna()
    table = table[usable & (table[EDITION] >= FIRST_YEAR)]
    iso3_by_name, unmatched = match_names(table)
    dropped += unmatched
    records = []
    for _, row in table[table[NAME].isin(iso3_by_name)].iterrows():
        row_records, row_dropped = row_values(row, iso3_by_name[row[NAME]])
        records += row_records
        dropped += row_dropped
    values, clashes = drop_duplicates(tidy(records))
    values = values.sort_values(["indicator", "iso3", "year"], ignore_index=True)
    return LoadResult(values=values, skipped=skipped(dropped + clashes))
