"""Voting from abroad: whether citizens abroad may vote in national elections.

Publisher: election commissions, International IDEA and news reports, compiled by hand, one row per
country and election. File: `diaspora-voting/voting_from_abroad.csv` (`iso3`,
`external_voting_allowed`, `elections_covered`, `methods`, `election`, `election_date`,
`source_date`).

Rule: `external_voting` = 1 when `external_voting_allowed` starts with "yes", 0 when it starts with
"no"; a qualifier after it ("yes (time-limited)", "no (limited exceptions)") goes into the note.
Any other text is skipped. One value per country: the row of its latest election, year = the
(latest) year in `election_date`; rows that describe the rules without an election take the latest
year in `source_date`. Older rows of the same country are reported as superseded. The note gives
the election, the elections covered and the methods, shortened.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from indicators.countries import iso3_codes
from indicators.loaders import (
    SKIPPED_COLUMNS,
    VALUE_COLUMNS,
    LoadResult,
    read_text_csv,
    skipped,
    tidy,
)

FOLDER = "diaspora-voting"
FILE = "voting_from_abroad.csv"
INDICATOR = "external_voting"
FIRST_YEAR = 2010
NOTE_PART_LENGTH = 80
COLUMNS = ["iso3", "external_voting_allowed", "elections_covered", "methods", "election"]
COLUMNS += ["election_date", "source_date"]

ANSWER = re.compile(r"^(yes|no)\b\s*(.*)$", re.IGNORECASE)
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def voting_value(answer: str) -> tuple[float, str] | None:
    """(1.0 or 0.0, qualifier) for a yes/no answer, None for anything else.

    >>> voting_value("yes (time-limited)"), voting_value("no"), voting_value("partly")
    ((1.0, '(time-limited)'), (0.0, ''), None)
    """
    match = ANSWER.match(answer.strip())
    if not match:
        return None
    return (1.0 if match.group(1).lower() == "yes" else 0.0), match.group(2).strip()


def latest_year(text: str) -> int | None:
    years = YEAR.findall(text)
    return max(int(year) for year in years) if years else None


def load(sources: Path) -> LoadResult:
    path = sources / FOLDER / FILE
    table = read_text_csv(path, COLUMNS).fillna("")
    codes = iso3_codes()

    skipped_rows: list[dict] = []
    usable: list[dict] = []
    for _, row in table.iterrows():
        row_key = _row_key(row)
        reason, candidate = _read_row(row, codes)
        if reason:
            skipped_rows.append({"file": FILE, "row": row_key, "reason": reason})
        elif candidate["year"] >= FIRST_YEAR:
            usable.append(candidate | {"row_key": row_key})

    records = []
    columns = ["iso3", "year", "value", "note", "row_key"]
    for iso3, group in pd.DataFrame(usable, columns=columns).groupby("iso3", sort=True):
        ordered = group.sort_values("year", ascending=False, kind="stable")
        latest = ordered.iloc[0]
        records.append(
            {
                "iso3": iso3,
                "indicator": INDICATOR,
                "year": int(latest["year"]),
                "value": latest["value"],
                "note": latest["note"],
            }
        )
        for _, older in ordered.iloc[1:].iterrows():
            reason = f"superseded by the {latest['year']} row"
            skipped_rows.append({"file": FILE, "row": older["row_key"], "reason": reason})

    values = tidy(pd.DataFrame(records, columns=VALUE_COLUMNS))
    values = values.sort_values(["indicator", "iso3", "year"], ignore_index=True)
    return LoadResult(
        values=values, skipped=skipped(pd.DataFrame(skipped_rows, columns=SKIPPED_COLUMNS))
    )


def _row_key(row: pd.Series) -> str:
    election = " ".join(part for part in (row["election"], row["election_date"]) if part)
    return f"{row['iso3']} {election or 'rules'}"


def _read_row(row: pd.Series, codes: frozenset[str]) -> tuple[str | None, dict]:
    if row["iso3"] not in codes:
        return f"no ISO3 match for '{row['iso3']}'", {}
    answer = row["external_voting_allowed"].strip()
    if not answer:
        return "external_voting_allowed is empty", {}
    parsed = voting_value(answer)
    if parsed is None:
        return f"external_voting_allowed is neither yes nor no: '{answer}'", {}
    year = latest_year(row["election_date"]) or latest_year(row["source_date"])
    if year is None:
        return "undated", {}
    value, qualifier = parsed
    return None, {"iso3": row["iso3"], "year": year, "value": value, "note": _note(row, qualifier)}


def _note(row: pd.Series, qualifier: str) -> str:
    if row["election_date"]:
        context = f"{row['election'] or 'election'} {row['election_date']}"
    else:
        context = f"rules per source dated {row['source_date']}"
    parts = [qualifier, context]
    if row["elections_covered"]:
        parts.append(f"elections: {_shorten(row['elections_covered'])}")
    if row["methods"]:
        parts.append(f"methods: {_shorten(row['methods'])}")
    return "; ".join(part for part in parts if part)


def _shorten(text: str) -> str:
    first = text.split(";")[0].strip()
    if len(first) <= NOTE_PART_LENGTH:
        return first
    return first[: NOTE_PART_LENGTH - 1].rstrip() + "…"
