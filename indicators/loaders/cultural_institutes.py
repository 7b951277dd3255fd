"""National cultural-diplomacy networks: centres abroad and host countries per sending country.

Publisher: the networks' own pages, parliamentary reports and Wikipedia mirrors, compiled by hand,
one row per network. File: `cultural-institutes/institutes.csv` (`iso3` = sending country,
`network`, `centres_abroad`, `centres_qualifier`, `countries_present`, `countries_qualifier`,
`year_of_fact`, `source_date`).

Rules, per sending country:
- `cultural_centres_abroad` = SUM of `centres_abroad` over the country's networks (Russia =
  Rossotrudnichestvo + Russkiy Mir, France = Institut français + Alliance française); year = the
  latest year among the summed rows.
- `cultural_centre_countries` = MAX of `countries_present` over the country's networks (host
  countries overlap between networks, so they are not summed); year = the year of that row.
A row's year is the 4-digit year in `year_of_fact` ("2023 (September)", "c.2019"); where that is
"undated ...", the latest year in `source_date`; with none, the row is skipped as "undated". The
note lists each network with its figure, the publisher's qualifier ("more than", what is counted)
and its dating, so lower bounds and mixed definitions stay visible. Empty figures are skipped.
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

FOLDER = "cultural-institutes"
FILE = "institutes.csv"
CENTRES = "cultural_centres_abroad"
COUNTRIES = "cultural_centre_countries"
COLUMNS = ["iso3", "network", "centres_abroad", "centres_qualifier", "countries_present"]
COLUMNS += ["countries_qualifier", "year_of_fact", "source_date"]

YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def row_year(year_of_fact: str, source_date: str) -> int | None:
    """Year of a network's figures.

    >>> row_year("2023 (September)", ""), row_year("undated (c.2020)", "undated MFA page; 2020-01")
    (2023, 2020)
    >>> row_year("undated (current site)", "undated") is None
    True
    """
    text = year_of_fact.strip()
    if text and not text.lower().startswith("undated"):
        years = YEAR.findall(text)
        if years:
            return max(int(year) for year in years)
    years = YEAR.findall(source_date)
    return max(int(year) for year in years) if years else None


def load(sources: Path) -> LoadResult:
    path = sources / FOLDER / FILE
    table = read_text_csv(path, COLUMNS).fillna("")
    codes = iso3_codes()

    skipped_rows: list[dict] = []
    networks: list[dict] = []
    for _, row in table.iterrows():
        row_key = f"{row['iso3']} {row['network']}"
        if row["iso3"] not in codes:
            skipped_rows.append(
                {"file": FILE, "row": row_key, "reason": f"no ISO3 match for '{row['iso3']}'"}
            )
            continue
        year = row_year(row["year_of_fact"], row["source_date"])
        if year is None:
            skipped_rows.append({"file": FILE, "row": row_key, "reason": "undated"})
            continue
        if year < FIRST_YEAR:
            continue
        networks.append(
            {
                "iso3": row["iso3"],
                "network": row["network"],
                "year": year,
                "dating": _dating(row["year_of_fact"], year),
                "centres": _number(row, "centres_abroad", row_key, skipped_rows),
                "centres_qualifier": row["centres_qualifier"],
                "countries": _number(row, "countries_present", row_key, skipped_rows),
                "countries_qualifier": row["countries_qualifier"],
            }
        )

    columns = ["iso3", "network", "year", "dating", "centres", "centres_qualifier"]
    columns += ["countries", "countries_qualifier"]
    frame = pd.DataFrame(networks, columns=columns)
    records = []
    for iso3, group in frame.groupby("iso3", sort=True):
        records += _centres_record(iso3, group) + _countries_record(iso3, group)

    values = tidy(pd.DataFrame(records, columns=VALUE_COLUMNS))
    values = values.sort_values(["indicator", "iso3", "year"], ignore_index=True)
    return LoadResult(
        values=values, skipped=skipped(pd.DataFrame(skipped_rows, columns=SKIPPED_COLUMNS))
    )


def _number(row: pd.Series, column: str, row_key: str, skipped_rows: list[dict]) -> float | None:
    text = row[column].strip()
    number = finite_number(text.replace(",", "")) if text else None
    if number is None:
        reason = f"{column} is empty" if not text else f"{column} is not a number: '{text}'"
        skipped_rows.append({"file": FILE, "row": row_key, "reason": reason})
        return None
    return float(number)


def _dating(year_of_fact: str, year: int) -> str:
    text = year_of_fact.strip()
    if text.lower().startswith("undated"):
        return f"{text}; source dated {year}"
    return text


def _centres_record(iso3: str, group: pd.DataFrame) -> list[dict]:
    counted = group.dropna(subset=["centres"])
    if counted.empty:
        return []
    parts = [
        f"{row.network}: {row.centres:.0f} ({row.centres_qualifier or 'no qualifier'}; {row.dating})"
        for row in counted.itertuples()
    ]
    return [
        {
            "iso3": iso3,
            "indicator": CENTRES,
            "year": int(counted["year"].max()),
            "value": float(counted["centres"].sum()),
            "note": " + ".join(parts),
        }
    ]


def _countries_record(iso3: str, group: pd.DataFrame) -> list[dict]:
    counted = group.dropna(subset=["countries"])
    if counted.empty:
        return []
    # Largest network; on a tie, the more recent figure.
    best = counted.sort_values(["countries", "year"], ascending=False, kind="stable").iloc[0]
    qualifier = best["countries_qualifier"] or "no qualifier"
    return [
        {
            "iso3": iso3,
            "indicator": COUNTRIES,
            "year": int(best["year"]),
            "value": float(best["countries"]),
            "note": f"{best['network']}: {best['countries']:.0f} ({qualifier}; {best['dating']})",
        }
    ]
