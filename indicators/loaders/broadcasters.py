"""International broadcasters and state news agencies: languages of the most multilingual one.

Publisher: broadcasters' own pages and Wikipedia mirrors, compiled by hand, one row per
broadcaster. File: `international-broadcasters/broadcasters.csv` (`iso3` = home country,
`owner_type`, `number_of_languages`, `year_of_fact`, `source_date`).

Rule: `broadcaster_languages` = for each home country, the largest `number_of_languages` among its
broadcasters whose `owner_type` is state, public or state-funded. Private broadcasters and
multi-state or multilateral ones (Euronews, TV5MONDE, teleSUR) are excluded and reported as
skipped; so are rows without a language count. The year is the one the language count refers to:
`year_of_fact` when it names one year ("2018", "c.2016"), the year tagged "languages" when it names
several ("2013 (TV reach); c.2015 (18 radio languages)"), the end year of a range ("2015-2017": the
count was stated over that span), else the latest year in `source_date`; a country whose chosen row
has no year is skipped as undated. The note names the broadcaster and any date qualifier. The
language counts come from pages of different dates and definitions (news websites, radio services),
so they are only roughly comparable.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from indicators.countries import iso3_codes
from indicators.loaders import (
    FIRST_YEAR,
    SKIPPED_COLUMNS,
    VALUE_COLUMNS,
    LoadResult,
    finite_number,
    read_text_csv,
    skipped,
    tidy,
)

FOLDER = "international-broadcasters"
FILE = "broadcasters.csv"
INDICATOR = "broadcaster_languages"
COLUMNS = [
    "iso3",
    "broadcaster",
    "owner_type",
    "number_of_languages",
    "year_of_fact",
    "source_date",
]

YEAR = r"(?:19|20)\d{2}"
SINGLE_YEAR = re.compile(rf"^(?:c\.\s*)?({YEAR})$")
YEAR_RANGE = re.compile(rf"^(?:c\.\s*)?{YEAR}\s*[-–]\s*({YEAR})$")
# "2013 (TV reach); c.2015 (18 radio languages)": the year of the part about languages.
LANGUAGES_PART = re.compile(rf"(?:c\.\s*)?({YEAR})\s*\([^)]*languages[^)]*\)", re.IGNORECASE)
ANY_YEAR = re.compile(rf"(?<!\d)({YEAR})(?!\d)")


def owner_exclusion(owner_type: str) -> str | None:
    """Why a broadcaster does not count for its home country, or None when it counts.

    >>> owner_exclusion("state-funded (private non-profit grantee)") is None
    True
    >>> owner_exclusion("state (multi-state)")
    "multi-state owner 'state (multi-state)'"
    """
    text = owner_type.strip().lower()
    if "multi" in text:
        return f"multi-state owner '{owner_type}'"
    if text.startswith("private"):
        return f"private owner '{owner_type}'"
    if text.startswith(("state", "public")):
        return None
    return f"owner type '{owner_type}' is not state or public"


def fact_year(year_of_fact: str, source_date: str) -> int | None:
    """Year the language count refers to, from `year_of_fact`, else from `source_date`.

    >>> fact_year("c.2016", ""), fact_year("c.2007-2019", ""), fact_year("undated", "2012-04-15")
    (2016, 2019, 2012)
    >>> fact_year("2013 (TV reach); c.2015 (18 radio languages)", "2014-01-16")
    2015
    """
    text = year_of_fact.strip()
    for pattern in (SINGLE_YEAR, YEAR_RANGE):
        match = pattern.match(text)
        if match:
            return int(match.group(1))
    languages = LANGUAGES_PART.findall(text)
    if languages:
        return max(int(year) for year in languages)
    dated = ANY_YEAR.findall(source_date)
    return max(int(year) for year in dated) if dated else None


def load(sources: Path) -> LoadResult:
    path = sources / FOLDER / FILE
    table = read_text_csv(path, COLUMNS).fillna("")
    codes = iso3_codes()

    skipped_rows: list[dict] = []
    candidates: list[dict] = []
    for _, row in table.iterrows():
        row_key = f"{row['iso3']} {row['broadcaster']}"
        reason = _unusable(row, codes)
        if reason:
            skipped_rows.append({"file": FILE, "row": row_key, "reason": reason})
            continue
        candidates.append(
            {
                "iso3": row["iso3"],
                "broadcaster": row["broadcaster"],
                "languages": finite_number(row["number_of_languages"]),
                "year": fact_year(row["year_of_fact"], row["source_date"]),
                "year_text": row["year_of_fact"].strip(),
            }
        )

    records = []
    columns = ["iso3", "broadcaster", "languages", "year", "year_text"]
    for iso3, group in pd.DataFrame(candidates, columns=columns).groupby("iso3", sort=True):
        best = group.sort_values("languages", ascending=False, kind="stable").iloc[0]
        if best["year"] is None or pd.isna(best["year"]):
            skipped_rows.append(
                {"file": FILE, "row": f"{iso3} {best['broadcaster']}", "reason": "undated"}
            )
            continue
        if best["year"] < FIRST_YEAR:
            continue
        records.append(
            {
                "iso3": iso3,
                "indicator": INDICATOR,
                "year": int(best["year"]),
                "value": best["languages"],
                "note": _note(best),
            }
        )

    values = tidy(pd.DataFrame(records, columns=VALUE_COLUMNS))
    values = values.sort_values(["indicator", "iso3", "year"], ignore_index=True)
    return LoadResult(
        values=values, skipped=skipped(pd.DataFrame(skipped_rows, columns=SKIPPED_COLUMNS))
    )


def _unusable(row: pd.Series, codes: frozenset[str]) -> str | None:
    if row["iso3"] not in codes:
        return f"no ISO3 match for '{row['iso3']}'"
    exclusion = owner_exclusion(row["owner_type"])
    if exclusion:
        return exclusion
    if finite_number(row["number_of_languages"]) is None:
        if row["number_of_languages"] == "":
            return "number_of_languages is empty"
        return f"number_of_languages is not a number: '{row['number_of_languages']}'"
    return None


def _note(best: pd.Series) -> str:
    if SINGLE_YEAR.match(best["year_text"]) and not best["year_text"].startswith("c"):
        return best["broadcaster"]
    return f"{best['broadcaster']} (fact dated '{best['year_text']}')"
