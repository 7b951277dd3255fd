"""Bailey, Strezhnev & Voeten, UN General Assembly ideal points and agreement scores (June 2024).

File: `unga-voeten/IdealpointestimatesAll_Jun2024.csv`, one row per country (`iso3c`) and UNGA
`session`; "NA" marks a missing number.

Rule: year = 1945 + `session` (session 78 = 2023), years from 2010 on. `unga_ideal_point` =
`IdealPointAll`; `unga_agreement_rus` / `_usa` / `_chn` = `RUSSAgree` / `USAgree` / `ChinaAgree`
(share of the session's votes on which the country voted as that state did), all as published.
Rows with fewer than 20 recorded votes (`NVotesAll`) are skipped: a handful of votes gives
meaningless ideal points and agreement shares such as 1.0. The file codes Serbia (COW 345) with
Yugoslavia's old `YUG`, read here as SRB. A state's agreement with itself (1.0)
says nothing about alignment: it is left out and reported as skipped.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.countries import iso3_codes
from indicators.loaders import (
    FIRST_YEAR,
    LoadResult,
    finite_number,
    finite_numbers,
    one_per_key,
    read_text_csv,
    skipped,
    tidy,
    whole_years,
)

FOLDER = "unga-voeten"
FILE_NAME = "IdealpointestimatesAll_Jun2024.csv"
MINIMUM_VOTES = 20
SESSION_YEAR_OFFSET = 1945

# indicator -> (column, the state agreed with; None for the ideal point)
INDICATOR_COLUMNS = {
    "unga_ideal_point": ("IdealPointAll", None),
    "unga_agreement_rus": ("RUSSAgree", "RUS"),
    "unga_agreement_usa": ("USAgree", "USA"),
    "unga_agreement_chn": ("ChinaAgree", "CHN"),
}

# COW code 345 (Yugoslavia, then Serbia and Montenegro, then Serbia) keeps the iso3c YUG in the file;
# from 2006 on it is Serbia. Valid because only years from 2010 are read.
CODE_ALIASES = {"YUG": "SRB"}


def read_table(sources: Path) -> pd.DataFrame:
    # Read everything as text: "NA" means missing in numeric columns only.
    columns = ["iso3c", "Countryname", "session", "NVotesAll"]
    columns += [column for column, _ in INDICATOR_COLUMNS.values()]
    table = read_text_csv(sources / FOLDER / FILE_NAME, columns)
    table["iso3c"] = table["iso3c"].fillna("").str.strip()
    table["iso3"] = table["iso3c"].replace(CODE_ALIASES)
    table["session"] = whole_years(table["session"])
    table["year"] = table["session"] + SESSION_YEAR_OFFSET
    table["votes"] = finite_numbers(table["NVotesAll"])
    return table


def session_label(row: pd.Series) -> str:
    return f"{row['iso3c']} session {int(row['session'])}"


def unknown_codes(table: pd.DataFrame) -> list[dict]:
    """One skipped row per code that is not an ISO 3166-1 code."""
    dropped = []
    for code, rows in table.groupby("iso3c", sort=True):
        names = "/".join(sorted(rows["Countryname"].dropna().unique()))
        first, last = int(rows["session"].min()), int(rows["session"].max())
        sessions = f"session {first}" if first == last else f"sessions {first}–{last}"
        reason = f"code '{code}' ({names}) is not an ISO 3166-1 code, {sessions}"
        dropped.append({"file": FILE_NAME, "row": code, "reason": reason})
    return dropped


def too_few_votes(row: pd.Series) -> str:
    """Why the whole row is left out, or ''."""
    if pd.isna(row["votes"]):
        return f"NVotesAll is not a number: {row['NVotesAll']!r}"
    if row["votes"] < MINIMUM_VOTES:
        return f"only {int(row['votes'])} recorded votes in session {int(row['session'])}"
    return ""


def cell_problem(column: str, raw: str | float) -> str:
    if pd.isna(raw):
        return f"{column} is empty"
    if raw.strip() == "NA":
        return f"{column} is NA"
    return f"{column} is not a number: {raw!r}"


def row_values(row: pd.Series) -> tuple[list[dict], list[dict]]:
    values, dropped = [], []
    for indicator, (column, actor) in INDICATOR_COLUMNS.items():
        value = finite_number(row[column])
        if actor == row["iso3"]:
            reason = f"{column}: agreement of {actor} with itself is not a measure of alignment"
            dropped.append({"file": FILE_NAME, "row": session_label(row), "reason": reason})
            continue
        if value is None:
            reason = cell_problem(column, row[column])
            dropped.append({"file": FILE_NAME, "row": session_label(row), "reason": reason})
            continue
        note = f"{int(row['votes'])} recorded votes"
        values.append(
            {
                "iso3": row["iso3"],
                "indicator": indicator,
                "year": int(row["year"]),
                "value": float(value),
                "note": note,
            }
        )
    return values, dropped


def load(sources: Path) -> LoadResult:
    table = read_table(sources)
    dropped = [
        {"file": FILE_NAME, "row": row["iso3c"], "reason": "session is empty or not a number"}
        for _, row in table[table["session"].isna()].iterrows()
    ]
    table = table[table["year"] >= FIRST_YEAR]
    is_country = table["iso3"].isin(iso3_codes())
    dropped += unknown_codes(table[~is_country])
    records = []
    for _, row in table[is_country].iterrows():
        problem = too_few_votes(row)
        if problem:
            dropped.append({"file": FILE_NAME, "row": session_label(row), "reason": problem})
            continue
        row_records, row_dropped = row_values(row)
        records += row_records
        dropped += row_dropped
    values, repeated = one_per_key(tidy(records), FILE_NAME)
    values = values.sort_values(["indicator", "iso3", "year"], ignore_index=True)
    return LoadResult(values=values, skipped=skipped(dropped + repeated))
