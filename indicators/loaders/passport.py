"""Passport Index (Arton Capital), visa requirements between 199 countries, dataset by Ilya Ilyankou.

File: `passport-index/passport-index-tidy-iso3.csv`, one row per (`Passport`, `Destination`) pair of
ISO3 codes with the `Requirement` for that passport at that destination. Snapshot of 12 January
2025, so the year is 2025; a refreshed copy (`indicators.connectors`) comes with
`snapshot_date.txt`, the date of the dataset's last commit (YYYY-MM-DD), whose year is used instead.

Rule (both values are counts derived here): a pair counts as open when `Requirement` is `visa free`,
a number of visa-free days, `visa on arrival` or `eta` (electronic travel authorisation); `e-visa`,
`visa required` and `no admission` do not. A country's own pair (`-1`) is never counted.
- `passport_visa_free`: for each passport, the destinations open to it.
- `passports_admitted_visa_free`: for each destination, the passports it lets in open.
Pairs with an unknown requirement or a code outside ISO 3166-1 are skipped and not counted; the
`note` gives the split by kind and says how many pairs were left out.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.countries import iso3_codes
from indicators.loaders import LoaderError, LoadResult, read_text_csv, skipped, tidy

FOLDER = "passport-index"
FILE_NAME = "passport-index-tidy-iso3.csv"
SNAPSHOT_YEAR = 2025  # data of 12 January 2025
SNAPSHOT_FILE = "snapshot_date.txt"
OWN_COUNTRY = "-1"

# Requirement text -> kind of entry; a whole number of days means visa-free for that long.
OPEN_KINDS = {"visa free": "visa free", "visa on arrival": "on arrival", "eta": "eta"}
CLOSED_REQUIREMENTS = {"visa required", "e-visa", "no admission"}
INDICATOR_KEYS = {"passport_visa_free": "Passport", "passports_admitted_visa_free": "Destination"}


def read_table(sources: Path) -> pd.DataFrame:
    # "NA" would be Namibia's ISO2; only empty cells are missing.
    columns = ["Passport", "Destination", "Requirement"]
    table = read_text_csv(sources / FOLDER / FILE_NAME, columns)
    for column in columns:
        table[column] = table[column].str.strip()
    # An empty code is no code: reported with the other non-ISO codes.
    return table.assign(
        Passport=table["Passport"].fillna(""), Destination=table["Destination"].fillna("")
    )


def entry_kind(requirement: str | float) -> str | None:
    """'visa free', 'on arrival', 'eta', 'closed', 'own country', or None when unknown.

    >>> entry_kind("90"), entry_kind("eta"), entry_kind("e-visa"), entry_kind("visa-ish")
    ('visa free', 'eta', 'closed', None)
    """
    if pd.isna(requirement):
        return None
    text = requirement.lower()
    if text == OWN_COUNTRY:
        return "own country"
    if text in OPEN_KINDS:
        return OPEN_KINDS[text]
    if text in CLOSED_REQUIREMENTS:
        return "closed"
    if text.isascii() and text.isdigit() and int(text) > 0:
        return "visa free"
    return None


def pair_label(row: pd.Series) -> str:
    return f"{row['Passport']}->{row['Destination']}"


def non_iso_codes(table: pd.DataFrame, codes: frozenset) -> list[dict]:
    """One skipped row per code outside ISO 3166-1, with the number of pairs it is in."""
    dropped = []
    for code in sorted((set(table["Passport"]) | set(table["Destination"])) - codes):
        pairs = ((table["Passport"] == code) | (table["Destination"] == code)).sum()
        reason = f"code '{code}' is not an ISO 3166-1 code ({pairs} pairs not counted)"
        dropped.append({"file": FILE_NAME, "row": code, "reason": reason})
    return dropped


def pair_problem(row: pd.Series) -> str:
    """Why a pair between two different countries cannot be counted, or ''."""
    if row["duplicate"]:
        return "pair listed more than once"
    if row["kind"] == "own country":
        return f"requirement {OWN_COUNTRY} (own country) for another country"
    if pd.isna(row["kind"]):
        if pd.isna(row["Requirement"]):
            return "requirement is empty"
        return f"unknown requirement '{row['Requirement']}'"
    return ""


def split_note(rows: pd.DataFrame, not_counted: int) -> str:
    kinds = rows["kind"].value_counts()
    note = ", ".join(f"{kind} {kinds.get(kind, 0)}" for kind in OPEN_KINDS.values())
    if not_counted:
        note += f"; {not_counted} pairs not counted (see skipped rows)"
    return note


def snapshot_year(sources: Path) -> int:
    """Year of the snapshot: from `snapshot_date.txt` when present, else 2025."""
    path = sources / FOLDER / SNAPSHOT_FILE
    if not path.exists():
        return SNAPSHOT_YEAR
    try:
        text = path.read_text(encoding="utf-8").strip()
    except UnicodeDecodeError:
        raise LoaderError(SNAPSHOT_FILE, "not UTF-8 text") from None
    year = text[:4]
    if not (year.isascii() and year.isdigit() and len(text) >= 4 and 2000 <= int(year) <= 2100):
        raise LoaderError(SNAPSHOT_FILE, f"'{text[:40]}' is not a date YYYY-MM-DD")
    return int(year)


def counts(
    pairs: pd.DataFrame, problems: pd.Series, indicator: str, year: int = SNAPSHOT_YEAR
) -> list[dict]:
    key = INDICATOR_KEYS[indicator]
    records = []
    for iso3, rows in pairs.groupby(key, sort=True):
        usable = rows[problems[rows.index] == ""]
        open_rows = usable[usable["kind"].isin(OPEN_KINDS.values())]
        records.append(
            {
                "iso3": iso3,
                "indicator": indicator,
                "year": year,
                "value": float(len(open_rows)),
                "note": split_note(open_rows, len(rows) - len(usable)),
            }
        )
    return records


def load(sources: Path) -> LoadResult:
    table = read_table(sources)
    codes = iso3_codes()
    dropped = non_iso_codes(table, codes)
    in_iso = table["Passport"].isin(codes) & table["Destination"].isin(codes)
    pairs = table[in_iso & (table["Passport"] != table["Destination"])].copy()
    pairs["kind"] = pairs["Requirement"].map(entry_kind)
    pairs["duplicate"] = pairs.duplicated(["Passport", "Destination"], keep=False)
    problems = pairs.apply(pair_problem, axis=1) if len(pairs) else pd.Series(dtype=str)
    dropped += [
        {"file": FILE_NAME, "row": pair_label(row), "reason": problems[index]}
        for index, row in pairs[problems != ""].iterrows()
    ]
    year = snapshot_year(sources)
    records = [
        record
        for indicator in INDICATOR_KEYS
        for record in counts(pairs, problems, indicator, year)
    ]
    values = tidy(records).sort_values(["indicator", "iso3", "year"], ignore_index=True)
    return LoadResult(values=values, skipped=skipped(dropped))
