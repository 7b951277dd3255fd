"""Published soft-power and nation-image indices, for external validation (not indicator values).

Folder `published-soft-power-indices`, file `published_soft_power_indices.csv` (compiled by hand,
one row per index, edition and country): `index` (the publisher's index name), `edition`
(publication year of the edition, as written), `iso3`, `country`, `rank` (empty where the page did
not print it), `score` (empty where not printed), `source_url` (one or more URLs separated by
" ; "), `notes`. Brand Finance Global Soft Power Index, Portland Soft Power 30, Lowy Asia Power
Index (overall), Elcano Global Presence Index (overall), Anholt-Ipsos Nation Brands Index (ranks
only); partial lists, not the publishers' full tables. Scales differ between indices: compare
within one index and edition.

`load_published(sources)` gives (table, skipped): the table has the columns `index, edition, iso3,
rank, score, source_url`, sorted by index, edition and iso3, with `rank` a nullable whole number
(Int64) and `score` a nullable float, both as published. Skipped, with the reason: rows without an
index or edition, whose `iso3` is empty or no ISO 3166-1 code (Scotland in the Nation Brands
Index), with neither rank nor score, with a rank that is not a whole number from 1 to 1000 or a score that
is not a number, and an (index, edition, iso3) on several rows (none kept).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.countries import iso3_codes
from indicators.loaders import SKIPPED_COLUMNS, finite_number, read_text_csv, skipped

FOLDER = "published-soft-power-indices"
FILE = "published_soft_power_indices.csv"
COLUMNS = ["index", "edition", "iso3", "rank", "score", "source_url"]
KEY = ["index", "edition", "iso3"]
MAX_RANK = 1000  # no index ranks more than the world's ~200 countries


def load_published(sources: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The published indices table and its skipped rows (file, row, reason)."""
    table = read_text_csv(sources / FOLDER / FILE, [*COLUMNS, "country"]).fillna("")
    codes = iso3_codes()
    records, dropped = [], []
    for row in table.to_dict("records"):
        row = {column: str(row[column]).strip() for column in [*COLUMNS, "country"]}
        label = f"{row['index']} {row['edition']} {row['iso3'] or row['country']}".strip()
        reason, record = _read_row(row, codes)
        if reason:
            dropped.append({"file": FILE, "row": label, "reason": reason})
        else:
            records.append(record | {"label": label})
    found = pd.DataFrame(records, columns=[*COLUMNS, "label"])
    repeated = found.duplicated(KEY, keep=False)
    for label, rows in found[repeated].groupby("label", sort=True):
        reason = f"{len(rows)} rows for the same index, edition and country: none is used"
        dropped.append({"file": FILE, "row": label, "reason": reason})
    found = found[~repeated]
    published = pd.DataFrame(
        {
            "index": found["index"].astype("str"),
            "edition": found["edition"].astype("str"),
            "iso3": found["iso3"].astype("str"),
            "rank": pd.array(found["rank"].tolist(), dtype="Int64"),
            "score": pd.to_numeric(found["score"], errors="coerce").astype("float64"),
            "source_url": found["source_url"].astype("str"),
        },
        columns=COLUMNS,
    )
    published = published.sort_values(KEY, ignore_index=True)
    return published, skipped(pd.DataFrame(dropped, columns=SKIPPED_COLUMNS))


def _read_row(row: dict, codes: frozenset[str]) -> tuple[str | None, dict]:
    if not row["index"]:
        return "index is empty", {}
    if not row["edition"]:
        return "edition is empty", {}
    if not row["iso3"]:
        return f"no iso3 for '{row['country']}'", {}
    if row["iso3"] not in codes:
        return f"iso3 '{row['iso3']}' is not an ISO 3166-1 code", {}
    if not row["rank"] and not row["score"]:
        return "neither rank nor score", {}
    rank = None
    if row["rank"]:
        number = finite_number(row["rank"])
        if number is None or not number.is_integer() or not 1 <= number <= MAX_RANK:
            return f"rank is not a whole number from 1 to {MAX_RANK}: '{row['rank']}'", {}
        rank = int(number)
    score = None
    if row["score"]:
        score = finite_number(row["score"])
        if score is None:
            return f"score is not a number: '{row['score']}'", {}
    record = {
        "index": row["index"],
        "edition": row["edition"],
        "iso3": row["iso3"],
        "rank": rank,
        "score": score,
        "source_url": row["source_url"],
    }
    return None, record
