"""UNESCO Institute for Statistics (UIS): inbound internationally mobile tertiary students.

Folder `unesco-uis-student-mobility`, file `inbound_export/data.csv`: the UIS data export API's
archive (February 2025 release), one row per `indicatorId`, `geoUnit` and `year`, with `value`,
`qualifier` (`UIS_EST` = UIS estimate, `NAT_EST` = national estimate, empty = reported) and
`magnitude` (`NIL` = nil, a true zero; `NA` = not applicable).

Rule: `inbound_students` = `value` of indicator `26637` (total inbound internationally mobile
students, both sexes, number: tertiary students from abroad enrolled in the host country) as
published (UIS estimates carry decimals), for every `geoUnit` that is an ISO3 code here, years from
2010. A qualifier or magnitude flag goes into the note ("UIS estimate", "national estimate", "nil").

Skipped, with the reason: other indicators of the file (one row each: the net flow MENF.5T8 is read
nowhere), regional aggregates (`geoUnit` longer than three letters, such as "SDG: World", one row
each), three-letter codes that are no ISO 3166-1 code, `NA` (not applicable) rows, whose 0 is no
count, and rows with an empty, negative or non-numeric value or year. Years before 2010 are left
out without a report. A country and year on several rows is skipped (none kept).
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

FOLDER = "unesco-uis-student-mobility"
FILE = "inbound_export/data.csv"
FILE_NAME = "data.csv"
INDICATOR = "inbound_students"
UIS_INDICATOR = "26637"
LAST_YEAR = 2100
COLUMNS = ["indicatorId", "geoUnit", "year", "value", "qualifier", "magnitude"]
QUALIFIERS = {"UIS_EST": "UIS estimate", "NAT_EST": "national estimate"}
NIL, NOT_APPLICABLE = "NIL", "NA"


def load(sources: Path) -> LoadResult:
    table = read_text_csv(sources / FOLDER / FILE, COLUMNS).fillna("")
    for column in COLUMNS:
        table[column] = table[column].str.strip()
    dropped = _other_indicators(table[table["indicatorId"] != UIS_INDICATOR])
    table = table[table["indicatorId"] == UIS_INDICATOR].copy()
    years = whole_years(table["year"])
    table["year_number"] = years.where(years <= LAST_YEAR)  # 40589713593477640 is no year
    table = table[table["year_number"].isna() | (table["year_number"] >= FIRST_YEAR)]
    is_code = table["geoUnit"].str.fullmatch(r"[A-Za-z]{3}")
    dropped += _aggregates(table[~is_code])
    table = table[is_code]
    known = table["geoUnit"].isin(iso3_codes())
    dropped += _unknown_codes(table[~known])
    table = table[known].copy()
    table["number"] = finite_numbers(table["value"])
    usable = []
    for row in table.to_dict("records"):
        problem = _problem(row)
        usable.append(problem is None)
        if problem:
            dropped.append({"file": FILE_NAME, "row": _label(row), "reason": problem})
    table = table[pd.Series(usable, index=table.index, dtype=bool)]
    values = tidy(
        pd.DataFrame(
            {
                "iso3": table["geoUnit"],
                "indicator": INDICATOR,
                "year": table["year_number"],
                "value": table["number"],
                "note": [_note(row) for row in table.to_dict("records")],
            },
            columns=["iso3", "indicator", "year", "value", "note"],
        )
    )
    values, repeated = one_per_key(values, FILE_NAME)
    values = values.sort_values(["indicator", "iso3", "year"], ignore_index=True)
    return LoadResult(values=values, skipped=skipped(dropped + repeated))


def _other_indicators(rows: pd.DataFrame) -> list[dict]:
    return [
        {
            "file": FILE_NAME,
            "row": f"indicatorId {indicator}",
            "reason": f"not indicator {UIS_INDICATOR} (inbound students): {len(group)} rows not read",
        }
        for indicator, group in rows.groupby("indicatorId", sort=True)
    ]


def _aggregates(rows: pd.DataFrame) -> list[dict]:
    return [
        {"file": FILE_NAME, "row": unit, "reason": f"regional aggregate '{unit}'"}
        for unit in sorted(rows["geoUnit"].unique())
    ]


def _unknown_codes(rows: pd.DataFrame) -> list[dict]:
    return [
        {"file": FILE_NAME, "row": unit, "reason": f"geoUnit '{unit}' is not an ISO 3166-1 code"}
        for unit in sorted(rows["geoUnit"].unique())
    ]


def _label(row: dict) -> str:
    return f"{row['geoUnit']} {row['year']}".strip()


def _problem(row: dict) -> str | None:
    if pd.isna(row["year_number"]):
        return f"year is not a whole number up to {LAST_YEAR}: '{row['year']}'"
    if row["magnitude"] == NOT_APPLICABLE:
        return f"magnitude NA (not applicable): the value '{row['value']}' is no count"
    if not row["value"]:
        return "value is empty"
    if pd.isna(row["number"]):
        return f"value is not a number: '{row['value']}'"
    if row["number"] < 0:
        return f"value is negative: '{row['value']}'"
    return None


def _note(row: dict) -> str:
    parts = []
    if row["qualifier"]:
        parts.append(QUALIFIERS.get(row["qualifier"], f"qualifier {row['qualifier']}"))
    if row["magnitude"] == NIL:
        parts.append("nil (magnitude NIL)")
    elif row["magnitude"]:
        parts.append(f"magnitude {row['magnitude']}")
    return "; ".join(parts)
