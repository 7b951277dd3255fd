"""Gallup Migrant Acceptance Index (0–9), compiled by hand from Gallup's articles and news reports.

Folder `gallup-migrant-acceptance-leadership`, file `gallup_migrant_acceptance_index.csv`: one row
per wave and country, columns `wave`, `iso3` (`WLD` for the global value), `country`, `mai_score`
(0–9, higher = more accepting: three questions on migrants living in the country, as neighbours and
marrying into the family), `rank_note`, `source_url`, `notes`. Only about 40 countries, the top and
bottom of Gallup's lists and a few others; the full index covers about 140.

Rule: `migrant_acceptance` = `mai_score` as published; year = the year the country was surveyed.
Wave "2016/2017" (the first index, 140 countries) was fielded in 2016, except in the United States
and Canada, surveyed in 2017 (Gallup, as the file's notes and PROVENANCE.md say): 2016 for every
country but USA and CAN, 2017 for those two. Wave "2019" (the second index, 145 countries) is 2019.
The note gives the wave and Gallup's rank where printed.

Skipped, with the reason: the global value (`WLD`), rows with a rank but no score, scores that are
not a number or outside 0–9, codes that are no ISO 3166-1 code, waves that are not a year, and a
country and year on several rows (none kept). The leaders-rating file in the folder is not read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from indicators.countries import iso3_codes
from indicators.loaders import (
    LoadResult,
    finite_number,
    one_per_key,
    read_text_csv,
    skipped,
    tidy,
)

FOLDER = "gallup-migrant-acceptance-leadership"
FILE = "gallup_migrant_acceptance_index.csv"
INDICATOR = "migrant_acceptance"
COLUMNS = ["wave", "iso3", "country", "mai_score", "rank_note"]
LOW, HIGH = 0.0, 9.0
WORLD = "WLD"
# Surveyed in the second year of a two-year wave ("2016/2017"); everyone else in the first.
SURVEYED_IN_SECOND_YEAR = {"USA", "CAN"}
WAVE = re.compile(r"^((?:19|20)\d{2})(?:/((?:19|20)\d{2}))?$")


def survey_year(wave: str, iso3: str) -> int | None:
    """The year a country was surveyed in a wave, None when the wave is no year.

    >>> survey_year("2016/2017", "RUS"), survey_year("2016/2017", "USA"), survey_year("2019", "USA")
    (2016, 2017, 2019)
    """
    match = WAVE.match(wave.strip())
    if not match:
        return None
    first, second = match.groups()
    if second and iso3 in SURVEYED_IN_SECOND_YEAR:
        return int(second)
    return int(first)


def load(sources: Path) -> LoadResult:
    table = read_text_csv(sources / FOLDER / FILE, COLUMNS).fillna("")
    codes = iso3_codes()
    records, dropped = [], []
    for row in table.to_dict("records"):
        iso3, wave = row["iso3"].strip(), row["wave"].strip()
        label = f"{iso3 or row['country'].strip()} {wave}".strip()
        year = survey_year(wave, iso3)
        score_text = row["mai_score"].strip()
        score = finite_number(score_text) if score_text else None
        reason = None
        if iso3 == WORLD:
            reason = f"global index value ({WORLD}), not a country"
        elif iso3 not in codes:
            reason = f"iso3 '{iso3}' is not an ISO 3166-1 code"
        elif year is None:
            reason = f"wave is not a year: '{wave}'"
        elif not score_text:
            rank = row["rank_note"].strip()
            reason = "no score printed" + (f" (rank only: '{rank}')" if rank else "")
        elif score is None:
            reason = f"mai_score is not a number: '{score_text}'"
        elif not LOW <= score <= HIGH:
            reason = f"mai_score {score_text} is outside the index's 0–9 scale"
        if reason:
            dropped.append({"file": FILE, "row": label, "reason": reason})
            continue
        note = f"wave {wave}" + (
            f"; {row['rank_note'].strip()}" if row["rank_note"].strip() else ""
        )
        records.append(
            {"iso3": iso3, "indicator": INDICATOR, "year": year, "value": score, "note": note}
        )
    values = tidy(pd.DataFrame(records, columns=["iso3", "indicator", "year", "value", "note"]))
    values, repeated = one_per_key(values, FILE)
    values = values.sort_values(["indicator", "iso3", "year"], ignore_index=True)
    return LoadResult(values=values, skipped=skipped(dropped + repeated))
