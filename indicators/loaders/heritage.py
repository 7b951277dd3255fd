"""UNESCO World Heritage List: properties inscribed per State Party, year by year.

Folder `unesco-world-heritage-list`, file `whc-sites-2024.xlsx`, sheet `sites XLSX export`: one row
per property on the List after the 2024 Committee session, with `id_no` (WHC property number),
`date_inscribed` (year), `states_name_en` and `udnp_code` (lower-case ISO3 of the State Parties,
comma-separated for transboundary properties).

Rule: `world_heritage_sites` for year Y = number of properties with `date_inscribed` <= Y whose
`udnp_code` lists the country, Y = 2010 ... 2024. A transboundary property counts once for each of
its State Parties, as UNESCO's own per-country totals do. Extensions (`secondary_dates`) are not new
properties. Only countries in the file are emitted, from 2010 on (0 in the years before their
first inscription); countries with no property are absent, not 0 (the build decides what absence
means). The note gives the transboundary properties in the count.

Caveat: the file is the List as it stood in 2024, so properties removed before then are not in it
(Arabian Oryx Sanctuary, Oman, 2007; Dresden Elbe Valley, Germany, 2009; Liverpool, United
Kingdom, 2021): Germany and Oman are exact from 2010, the United Kingdom counts one short for 2010–2020.

The file writes Angola's code `ang` (its `iso_code` `ao` and name say Angola): read as AGO.
Skipped, with the reason: properties without any State Party code (the Old City of Jerusalem,
"Site proposed by Jordan"), codes that are no ISO 3166-1 code, years inscribed that are empty, not
whole, before 1978 or after 2024, and an `id_no` on several rows (none of them counted). A State
Party written twice in one `udnp_code` counts once.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.countries import iso3_codes
from indicators.loaders import (
    FIRST_YEAR,
    LoadResult,
    finite_number,
    read_excel_sheet,
    require_columns,
    skipped,
    tidy,
)

FOLDER = "unesco-world-heritage-list"
FILE = "whc-sites-2024.xlsx"
SHEET = "sites XLSX export"
INDICATOR = "world_heritage_sites"
LAST_YEAR = 2024
FIRST_LIST = 1978  # the first properties were inscribed in 1978
COLUMNS = ["id_no", "name_en", "date_inscribed", "states_name_en", "udnp_code"]
# Codes the file writes for a country whose ISO3 code is another.
CODE_ALIASES = {"ANG": "AGO"}


def load(sources: Path) -> LoadResult:
    # Cells as written: "n/a" or "NA" stay text (pandas would read them as missing).
    table = read_excel_sheet(sources / FOLDER / FILE, SHEET, dtype=object, keep_default_na=False)
    table.columns = [str(column).strip() for column in table.columns]
    require_columns(table, COLUMNS, FILE)
    properties, dropped = _properties(table)
    records = []
    for iso3, group in properties.groupby("iso3", sort=True):
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            inscribed = group[group["year"] <= year]
            shared = int(inscribed["transboundary"].sum())
            note = f"incl. {shared} transboundary" if shared else ""
            records.append(
                {
                    "iso3": iso3,
                    "indicator": INDICATOR,
                    "year": year,
                    "value": float(len(inscribed)),
                    "note": note,
                }
            )
    values = tidy(pd.DataFrame(records, columns=["iso3", "indicator", "year", "value", "note"]))
    values = values.sort_values(["indicator", "iso3", "year"], ignore_index=True)
    return LoadResult(values=values, skipped=skipped(dropped))


def _text(cell) -> str:
    if cell is None or (isinstance(cell, float) and pd.isna(cell)):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _properties(table: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """One row per (property, State Party): id, iso3, year inscribed, transboundary (0/1); and the
    skipped rows."""
    dropped: list[dict] = []
    rows = []
    for position, row in enumerate(table.to_dict("records"), start=2):
        property_id = _text(row["id_no"])
        label = f"id_no {property_id}" if property_id else f"row {position}"
        name = _text(row["name_en"])
        year = finite_number(row["date_inscribed"])
        if year is None or not float(year).is_integer():
            reason = f"date_inscribed is not a year: '{_text(row['date_inscribed'])}'"
            dropped.append({"file": FILE, "row": label, "reason": reason})
            continue
        if year < FIRST_LIST:
            reason = f"inscribed in {int(year)}, before the first inscriptions ({FIRST_LIST})"
            dropped.append({"file": FILE, "row": label, "reason": reason})
            continue
        if year > LAST_YEAR:
            reason = f"inscribed in {int(year)}, after the {LAST_YEAR} List this loader reads"
            dropped.append({"file": FILE, "row": label, "reason": reason})
            continue
        codes = [code.strip().upper() for code in _text(row["udnp_code"]).split(",")]
        codes = list(dict.fromkeys(CODE_ALIASES.get(code, code) for code in codes if code))
        if not codes:
            states = _text(row["states_name_en"])
            reason = f"no State Party code for '{name}' ({states or 'no State Party named'})"
            dropped.append({"file": FILE, "row": label, "reason": reason})
            continue
        for code in codes:
            if code not in iso3_codes():
                reason = f"udnp_code '{code.lower()}' of '{name}' is not an ISO 3166-1 code"
                dropped.append({"file": FILE, "row": label, "reason": reason})
                continue
            rows.append(
                {
                    "id": property_id or label,
                    "iso3": code,
                    "year": int(year),
                    "transboundary": int(len(codes) > 1),
                }
            )
    properties = pd.DataFrame(rows, columns=["id", "iso3", "year", "transboundary"])
    # A property on several rows of the List is a clash: which row is right is unknown.
    ids = table["id_no"].map(_text)
    repeated = sorted(set(ids[(ids != "") & ids.duplicated(keep=False)]))
    for property_id in repeated:
        count = int((ids == property_id).sum())
        reason = f"id_no on {count} rows: the property is not counted"
        dropped.append({"file": FILE, "row": f"id_no {property_id}", "reason": reason})
    return properties[~properties["id"].isin(repeated)], dropped
