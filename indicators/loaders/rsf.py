"""Reporters Without Borders (RSF), World Press Freedom Index 2025.

File: `rsf-press-freedom/rsf_2025_scores.csv`, one row per country keyed by `ISO` (ISO3). The CSV is
derived in the shared sources folder from RSF's table (via the `rwb2025.rda` of the petzi53/rsf
package), with scores divided by 100 back to RSF's published 0–100 scale.

Rule: `rsf_press_freedom` = `Score` as published, year = `Year (N)`; `note` gives the rank.
`Score N-1` is ignored: it is still mis-scaled for some rows (see the folder's PROVENANCE.md).
Codes that are not ISO 3166-1 countries (RSF's `CTU` Northern Cyprus, `CSS` OECS) are skipped.
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

FOLDER = "rsf-press-freedom"
FILE_NAME = "rsf_2025_scores.csv"
INDICATOR = "rsf_press_freedom"


def read_table(sources: Path) -> pd.DataFrame:
    # "NA" is Namibia's ISO2 and must stay text; only empty cells are missing.
    return read_text_csv(
        sources / FOLDER / FILE_NAME, ["ISO", "Country_EN", "Year (N)", "Score", "Rank"]
    )


def row_problem(iso3: str, country: str, score: float, year: float, codes: frozenset) -> str:
    """Why a row cannot be used, or '' when it can."""
    if iso3 not in codes:
        return f"'{country}' ({iso3}) is not an ISO 3166-1 country"
    if pd.isna(year):
        return "year is empty or not a number"
    if pd.isna(score):
        return "score is empty or not a number"
    return ""


def load(sources: Path) -> LoadResult:
    table = read_table(sources)
    scores = finite_numbers(table["Score"])
    years = whole_years(table["Year (N)"])
    codes = iso3_codes()
    values, dropped = [], []
    for position, row in table.iterrows():
        iso3 = str(row["ISO"]).strip()
        year, score = years[position], scores[position]
        if not pd.isna(year) and year < FIRST_YEAR:
            continue
        problem = row_problem(iso3, row["Country_EN"], score, year, codes)
        if problem:
            dropped.append({"file": FILE_NAME, "row": iso3, "reason": problem})
            continue
        values.append(
            {
                "iso3": iso3,
                "indicator": INDICATOR,
                "year": int(year),
                "value": float(score),
                "note": "" if pd.isna(row["Rank"]) else f"RSF rank {row['Rank']}",
            }
        )
    frame, repeated = one_per_key(tidy(values), FILE_NAME)
    frame = frame.sort_values(["indicator", "iso3", "year"], ignore_index=True)
    return LoadResult(values=frame, skipped=skipped(dropped + repeated))
