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

Rule (`load_turnout`): `diaspora_turnout` = `votes_cast_abroad` / emigrant stock * 100: votes cast
abroad in the latest election the file gives a votes figure for, per 100 people born in the country
living abroad (UN DESA International Migrant Stock 2020, `undesa.emigrant_stock`, 2020; one stock
year for every election, 2018 to 2024 in the file). Year = the (latest) year in `election_date`.
Only rows with a votes figure count; the rest are skipped with the reason (no figure, no election
date, not a number), as are older elections of a country (superseded), elections before 2010 and
countries without a UN DESA stock. The note gives the election, the votes and the stock. The
votes cover whoever voted abroad (citizens, not only the foreign-born; Russia counts Baikonur
apart), the stock the foreign-born whatever their citizenship, so this is a ratio of two different
populations, not a turnout rate.
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
    undesa,
)

FOLDER = "diaspora-voting"
FILE = "voting_from_abroad.csv"
INDICATOR = "external_voting"
TURNOUT = "diaspora_turnout"
STOCK_FOLDER = undesa.FOLDER  # the emigrant stock behind diaspora_turnout
STOCK_YEAR = 2020
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


# ---- votes cast abroad per 100 emigrants


def load_turnout(sources: Path) -> LoadResult:
    """`diaspora_turnout`: votes cast abroad in the latest election with a votes figure, per 100
    emigrants (UN DESA 2020 stock)."""
    table = read_text_csv(sources / FOLDER / FILE, [*COLUMNS, "votes_cast_abroad"]).fillna("")
    stocks = undesa.emigrant_stock(sources, STOCK_YEAR)
    codes = iso3_codes()
    dropped: list[dict] = []
    elections = []
    for row in table.to_dict("records"):
        label = _row_key(pd.Series(row))
        reason, election = _votes_row(row, codes)
        if reason:
            dropped.append({"file": FILE, "row": label, "reason": reason})
        else:
            elections.append(election | {"label": label})
    records = []
    by_country = pd.DataFrame(elections, columns=["iso3", "year", "votes", "row", "label"])
    for _, group in by_country.groupby("iso3", sort=True):
        ordered = group.sort_values("year", ascending=False, kind="stable")
        latest = ordered.iloc[0]
        for _, older in ordered.iloc[1:].iterrows():
            reason = f"{TURNOUT}: superseded by the {latest['year']} election"
            dropped.append({"file": FILE, "row": older["label"], "reason": reason})
        reason, record = _turnout(latest, stocks)
        if reason:
            dropped.append({"file": FILE, "row": latest["label"], "reason": reason})
        else:
            records.append(record)
    values = tidy(pd.DataFrame(records, columns=VALUE_COLUMNS))
    values = values.sort_values(["indicator", "iso3", "year"], ignore_index=True)
    return LoadResult(
        values=values, skipped=skipped(pd.DataFrame(dropped, columns=SKIPPED_COLUMNS))
    )


def _votes_row(row: dict, codes: frozenset[str]) -> tuple[str | None, dict]:
    written = row["votes_cast_abroad"].strip()
    if row["iso3"] not in codes:
        return f"no ISO3 match for '{row['iso3']}'", {}
    if not written:
        return f"{TURNOUT}: no votes_cast_abroad figure", {}
    votes = finite_number(written.replace(",", "").replace(" ", ""))
    if votes is None or votes < 0:
        return f"{TURNOUT}: votes_cast_abroad is not a count: '{written}'", {}
    year = latest_year(row["election_date"])
    if year is None:
        return f"{TURNOUT}: no election year in election_date '{row['election_date']}'", {}
    return None, {"iso3": row["iso3"], "year": year, "votes": votes, "row": row}


def _turnout(latest: pd.Series, stocks: dict[str, float]) -> tuple[str | None, dict]:
    iso3, year, votes = latest["iso3"], int(latest["year"]), float(latest["votes"])
    if year < FIRST_YEAR:
        return f"{TURNOUT}: election of {year}, before {FIRST_YEAR}", {}
    stock = stocks.get(iso3)
    if stock is None or stock <= 0:
        return f"{TURNOUT}: no UN DESA {STOCK_YEAR} emigrant stock for {iso3}", {}
    row = latest["row"]
    election = f"{row['election'] or 'election'} {row['election_date']}"
    note = (
        f"{election}: {votes:,.0f} votes cast abroad; "
        f"emigrant stock {STOCK_YEAR} (UN DESA): {stock:,.0f}"
    )
    value = votes / stock * 100
    return None, {"iso3": iso3, "indicator": TURNOUT, "year": year, "value": value, "note": note}
