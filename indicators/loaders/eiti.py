"""EITI participation: status score, years in the EITI and latest Validation score.

Publisher: EITI International Secretariat (eiti.org Board decisions and country pages) with the IEA
Policies database list of 4 Nov 2022, compiled by hand, one row per country. File:
`eiti-status-2024/eiti_status.csv` (`iso3`, `eiti_status_latest`, `latest_validation_category`,
`latest_validation_score`, `latest_validation_year`, `join_date`, `join_date_source`).

Rules (status as of 2024, so both status-based values carry year 2024; a file made from the EITI
API by `indicators.connectors` has a `status_as_of` column, the retrieval date, whose year is used
instead for that row, and the latest of them for countries absent from the file):
- `eiti_status_score`: `eiti_status_latest` is classified into the status keys of the editable
  table `indicators/eiti_status_scores.csv` with STATUS_PATTERNS below (delisted and withdrawn
  countries are `former`; an EITI outreach country that did not become a candidate, as Russia, is
  `declined`); the score comes from that table. Text that matches no pattern is skipped, never
  guessed. A status without a score in the table (`not_listed`: a row that only says the country
  is not on the lists) gives no value. UN member states absent from the file give no value
  either, each reported as skipped: outside the EITI records a state either has no extractive
  sector to disclose (not applicable) or chose not to join, and nothing here tells them apart.
  Only a refusal on record (withdrawal, delisting, declined outreach) scores as a refusal.
- `eiti_membership_years` = 2024 − join year (year of `join_date`, an exact date or a year) for
  implementing and suspended countries; 0 for countries that declined; not emitted for
  supporting countries (they back the standard without implementing it, so years as an
  implementer do not apply),
  not emitted (reported as skipped) for former members, members without a join year and
  countries without a status score. Join years taken from the 2017 EITI API status date
  may be a later status change; the note says so.
- `eiti_validation_score` = `latest_validation_score` with year `latest_validation_year`, note =
  the Validation category. Categories without points (old-model results, unseen points) and
  scores without a year are skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

import indicators
from indicators.countries import iso3_codes, un_member_states
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

FOLDER = "eiti-status-2024"
FILE = "eiti_status.csv"
SCORES_FILE = Path(indicators.__file__).parent / "eiti_status_scores.csv"
STATUS_SCORE = "eiti_status_score"
MEMBERSHIP_YEARS = "eiti_membership_years"
VALIDATION_SCORE = "eiti_validation_score"
STATUS_YEAR = 2024
COLUMNS = ["iso3", "country", "eiti_status_latest", "latest_validation_category"]
COLUMNS += ["latest_validation_score", "latest_validation_year", "join_date", "join_date_source"]

# Status text in the file -> status key of eiti_status_scores.csv. Anchored, first match wins.
STATUS_PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^implementing$", re.IGNORECASE), "implementing"),
    (re.compile(r"^implementing \(per IEA Nov 2022\b", re.IGNORECASE), "implementing_per_iea_2022"),
    (re.compile(r"^suspended\b", re.IGNORECASE), "suspended"),
    (re.compile(r"^delisted\b", re.IGNORECASE), "former"),
    (re.compile(r"^former\b", re.IGNORECASE), "former"),
    (
        re.compile(r"^not implementing; EITI supporting country\b", re.IGNORECASE),
        "supporting_country",
    ),
    (re.compile(r"^never implemented \(EITI outreach\b", re.IGNORECASE), "declined"),
    (re.compile(r"^not listed as implementing or former\b", re.IGNORECASE), "not_listed"),
]
MEMBER_STATUSES = {"implementing", "implementing_per_iea_2022", "suspended"}
NON_MEMBER_STATUSES = {"declined"}
OUTSIDE_RECORDS = (
    "outside the EITI records: not applicable (no extractive sector) or not joined, "
    "which the sources cannot tell apart, so left out"
)

JOIN_DATE = re.compile(r"^((?:19|20)\d{2})(?:-\d{2}(?:-\d{2})?)?$")


def classify_status(text: str) -> str | None:
    """Status key for a status text, or None when no pattern matches.

    >>> classify_status("delisted (effective 19 Jun 2024)"), classify_status("observer")
    ('former', None)
    """
    cleaned = " ".join(text.split())
    for pattern, status in STATUS_PATTERNS:
        if pattern.match(cleaned):
            return status
    return None


def join_year(join_date: str) -> int | None:
    """Year of a join date given as YYYY, YYYY-MM or YYYY-MM-DD.

    >>> join_year("2007-09-27"), join_year("2017-10"), join_year("2013"), join_year("c.2010")
    (2007, 2017, 2013, None)
    """
    match = JOIN_DATE.match(join_date.strip())
    return int(match.group(1)) if match else None


def read_status_scores(path: Path = SCORES_FILE) -> dict[str, float]:
    table = pd.read_csv(path, dtype={"status": str}, keep_default_na=False, na_values=[""])
    return dict(zip(table["status"].str.strip(), table["score"].astype(float), strict=True))


def load(sources: Path, scores_file: Path = SCORES_FILE) -> LoadResult:
    path = sources / FOLDER / FILE
    table = read_text_csv(path, COLUMNS).fillna("")
    scores = read_status_scores(scores_file)
    codes = iso3_codes()

    records: list[dict] = []
    skipped_rows: list[dict] = []
    listed: set[str] = set()
    for _, row in table.iterrows():
        iso3 = row["iso3"].strip()
        if iso3 not in codes:
            reason = f"no ISO3 match for '{iso3}' ({row['country']})"
            skipped_rows.append({"file": FILE, "row": iso3, "reason": reason})
            continue
        if iso3 in listed:
            skipped_rows.append({"file": FILE, "row": iso3, "reason": "duplicate row for iso3"})
            continue
        listed.add(iso3)
        _read_country(row, scores, records, skipped_rows)

    # A UN member absent from the file: no refusal on record, so no value (see the module doc).
    skipped_rows += [
        {"file": FILE, "row": iso3, "reason": OUTSIDE_RECORDS}
        for iso3 in sorted(un_member_states() - listed)
    ]

    values = tidy(pd.DataFrame(records, columns=VALUE_COLUMNS))
    values = values[values["year"] >= FIRST_YEAR]
    values = values.sort_values(["indicator", "iso3", "year"], ignore_index=True)
    return LoadResult(
        values=values, skipped=skipped(pd.DataFrame(skipped_rows, columns=SKIPPED_COLUMNS))
    )


def _read_country(
    row: pd.Series, scores: dict[str, float], records: list[dict], skipped_rows: list[dict]
) -> None:
    iso3 = row["iso3"].strip()
    status_text = row["eiti_status_latest"].strip()
    status = classify_status(status_text)
    if status is None:
        reason = f"unrecognised EITI status '{status_text}': no status score or membership years"
        skipped_rows.append({"file": FILE, "row": iso3, "reason": reason})
    elif status not in scores:
        reason = f"status '{status}' has no score in {SCORES_FILE.name}"
        if status == "not_listed":
            reason = f"'{status_text}': {OUTSIDE_RECORDS}"
        skipped_rows.append({"file": FILE, "row": iso3, "reason": reason})
        return
    else:
        records.append(_record(iso3, STATUS_SCORE, _status_year(row), scores[status], status_text))

    if status is not None:
        membership, reason = _membership(row, status)
        if reason:
            skipped_rows.append({"file": FILE, "row": iso3, "reason": reason})
        else:
            records.append(membership)

    validation, reason = _validation(row)
    if reason:
        skipped_rows.append({"file": FILE, "row": iso3, "reason": reason})
    elif validation:
        records.append(validation)


def _status_year(row: pd.Series) -> int:
    """Year the row's status refers to: `status_as_of` when the file has it, else 2024."""
    as_of = str(row.get("status_as_of", "")).strip()
    year = join_year(as_of[:10]) if as_of else None
    return STATUS_YEAR if year is None else year


def _membership(row: pd.Series, status: str) -> tuple[dict | None, str | None]:
    iso3 = row["iso3"].strip()
    status_year = _status_year(row)
    if status in NON_MEMBER_STATUSES:
        status_text = row["eiti_status_latest"].strip()
        return _record(iso3, MEMBERSHIP_YEARS, status_year, 0.0, status_text), None
    if status == "supporting_country":
        return None, "supporting country: years as an implementing country do not apply"
    if status not in MEMBER_STATUSES:
        return None, f"{status} member: years in the EITI not defined"
    joined = row["join_date"].strip()
    year = join_year(joined)
    if year is None:
        if not joined:
            return None, "join_date is empty"
        return None, f"join_date is not a date: '{joined}'"
    if year > status_year:
        return None, f"join year {year} is after {status_year}"
    note = f"joined {joined}"
    if "verify" in row["join_date_source"].lower():
        note += " (2017 EITI API status date; may be a later status change)"
    return _record(iso3, MEMBERSHIP_YEARS, status_year, float(status_year - year), note), None


def _validation(row: pd.Series) -> tuple[dict | None, str | None]:
    iso3 = row["iso3"].strip()
    category = row["latest_validation_category"].strip()
    score_text = row["latest_validation_score"].strip()
    year_text = row["latest_validation_year"].strip()
    if not score_text:
        if category:
            return None, f"validation category '{category}' without a score"
        return None, None
    score = finite_number(score_text)
    if score is None:
        return None, f"latest_validation_score is not a number: '{score_text}'"
    year = finite_number(year_text) if year_text else None
    if year is None:
        return None, f"validation score {score_text} without a validation year"
    if year != round(year):
        return None, f"latest_validation_year is not a year: '{year_text}'"
    note = category or "category not stated"
    return _record(iso3, VALIDATION_SCORE, int(year), float(score), note), None


def _record(iso3: str, indicator: str, year: int, value: float, note: str) -> dict:
    return {"iso3": iso3, "indicator": indicator, "year": year, "value": value, "note": note}
