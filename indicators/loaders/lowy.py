"""Lowy Institute Global Diplomacy Index: diplomatic posts abroad per sending country.

Publisher: Lowy Institute, Global Diplomacy Index, post-level data (editions 2016, 2017, 2019,
2021, 2023). File: `lowy-global-diplomacy-index/globaldiplomacyindex.xlsx`, one sheet, one row per
post (`COUNTRY` = sending state by name, `POST CITY`, `POST COUNTRY`, `TYPE OF POST`, `Year`).

Rule: `diplomatic_posts` = number of rows (posts) per sending country and `Year`, every
`TYPE OF POST` counted (embassies and high commissions, consulates, permanent missions, other).
Exact duplicate rows (same sender, city, host, type and title in the same year) are counted once
and reported as skipped. Sender names are matched with `name_to_iso3`; the EU's External Action
Service is not a country and is skipped. The 2019 edition holds only 40 rows in this copy (posts
in Venezuela), so 2019 is left out and reported as skipped.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.countries import iso3_codes, name_to_iso3
from indicators.loaders import (
    FIRST_YEAR,
    SKIPPED_COLUMNS,
    VALUE_COLUMNS,
    LoadResult,
    read_excel_sheet,
    require_columns,
    skipped,
    tidy,
    whole_years,
)

FOLDER = "lowy-global-diplomacy-index"
FILE = "globaldiplomacyindex.xlsx"
INDICATOR = "diplomatic_posts"

# Editions that are incomplete in the shipped copy: year -> reason.
INCOMPLETE_EDITIONS = {2019: "2019 edition incomplete in this copy (only posts in Venezuela)"}
# Senders that are not countries.
NOT_COUNTRIES = {"European External Action Service": "EU body, not a country"}

KEY = ["COUNTRY", "POST CITY", "POST COUNTRY", "TYPE OF POST", "POST TYPE TITLE", "Year"]

POST_TYPES = {
    "Embassy / High Commission": "embassies",
    "Consulate / Consulate-General": "consulates",
    "Permanent Mission": "missions",
    "Other": "other",
}


def load(sources: Path) -> LoadResult:
    path = sources / FOLDER / FILE
    posts = read_excel_sheet(path, 0)
    require_columns(posts, KEY, FILE)
    skipped_rows: list[dict] = []
    posts = _drop_unusable(posts.dropna(how="all"), skipped_rows)
    posts = posts[posts["year"] >= FIRST_YEAR]

    posts = _drop_incomplete_editions(posts, skipped_rows)
    posts = _drop_duplicates(posts, skipped_rows)
    posts = _match_senders(posts, skipped_rows)

    records = [
        {
            "iso3": iso3,
            "indicator": INDICATOR,
            "year": year,
            "value": float(len(group)),
            "note": _type_breakdown(group["TYPE OF POST"]),
        }
        for (iso3, year), group in posts.groupby(["iso3", "year"], sort=True)
    ]
    values = tidy(pd.DataFrame(records, columns=VALUE_COLUMNS))
    values = values.sort_values(["indicator", "iso3", "year"], ignore_index=True)
    return LoadResult(
        values=values, skipped=skipped(pd.DataFrame(skipped_rows, columns=SKIPPED_COLUMNS))
    )


def _drop_unusable(posts: pd.DataFrame, skipped_rows: list[dict]) -> pd.DataFrame:
    """Posts with a sender name and a whole-number Year (as `year`); the others are reported."""
    years = whole_years(posts["Year"])
    named = posts["COUNTRY"].map(lambda name: isinstance(name, str) and name.strip() != "")
    for position, row in posts[~named | years.isna()].iterrows():
        reason = "COUNTRY is not a name" if not named[position] else "Year is not a year"
        label = f"sheet row {position + 2}: {row['COUNTRY']} {row['Year']}"
        skipped_rows.append({"file": FILE, "row": label, "reason": reason})
    usable = named & years.notna()
    return posts[usable].assign(year=years[usable].astype("int64"))


def _drop_incomplete_editions(posts: pd.DataFrame, skipped_rows: list[dict]) -> pd.DataFrame:
    for year, reason in INCOMPLETE_EDITIONS.items():
        count = int((posts["year"] == year).sum())
        if count:
            skipped_rows.append(
                {"file": FILE, "row": f"Year {year}", "reason": f"{reason}: {count} rows"}
            )
    return posts[~posts["year"].isin(INCOMPLETE_EDITIONS)]


def _drop_duplicates(posts: pd.DataFrame, skipped_rows: list[dict]) -> pd.DataFrame:
    duplicated = posts.duplicated(subset=[*KEY[:-1], "year"], keep="first")
    for _, row in posts[duplicated].iterrows():
        skipped_rows.append(
            {
                "file": FILE,
                "row": f"{row['COUNTRY']} {row['year']}: {row['POST TYPE TITLE']} "
                f"{row['POST CITY']}, {row['POST COUNTRY']}",
                "reason": "duplicate of an identical post row, counted once",
            }
        )
    return posts[~duplicated]


def _match_senders(posts: pd.DataFrame, skipped_rows: list[dict]) -> pd.DataFrame:
    codes = iso3_codes()
    iso3_by_name: dict[str, str | None] = {}
    for name in posts["COUNTRY"].unique():
        iso3 = None if name in NOT_COUNTRIES else name_to_iso3(name)
        iso3_by_name[name] = iso3 if iso3 in codes else None
    posts = posts.assign(iso3=posts["COUNTRY"].map(iso3_by_name))

    unmatched = posts[posts["iso3"].isna()]
    for (name, year), group in unmatched.groupby(["COUNTRY", "year"], sort=True):
        reason = NOT_COUNTRIES.get(name, f"no ISO3 match for '{name}'")
        skipped_rows.append(
            {"file": FILE, "row": f"{name} {year}", "reason": f"{reason}: {len(group)} posts"}
        )
    return posts.dropna(subset=["iso3"])


def _type_breakdown(types: pd.Series) -> str:
    counts = types.value_counts()
    parts = [f"{label} {int(counts.get(kind, 0))}" for kind, label in POST_TYPES.items()]
    unknown = sorted(set(counts.index) - set(POST_TYPES), key=str)
    parts += [f"{kind} {int(counts[kind])}" for kind in unknown]
    return ", ".join(parts)
