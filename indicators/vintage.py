"""Vintage: which edition of each source the tables hold, when its files were retrieved and how.

`<data>/vintage.csv` has one row per indicator and source it uses (`role` values or
denominator): `edition` (as the publisher stated it at download, else the edition in
`sources.yaml`), `retrieved` (ISO date of the download, or of the update for `--from-dir` files;
empty when unknown) and `how`. `indicators.build` records it with `write_shipped_vintage` (also
`scorecard write-vintage --sources DIR`), with the dates of the copies each folder's PROVENANCE.md
names (empty for hand-compiled files); without any vintage.csv, `load_vintage` gives
sources.yaml's editions with unknown retrieval. The values keep their own `year`.
`stale_indicators` flags indicators whose latest data year or retrieval is older than a given age.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from indicators import build
from indicators.catalogue import DATA_DIR, Catalogue, load_catalogue, read_table
from indicators.swap import VINTAGE
from scoring.errors import Counted, Phrase

VINTAGE_COLUMNS = ["indicator", "source", "role", "folder", "edition", "retrieved", "how"]


def initial_vintage(catalogue: Catalogue) -> pd.DataFrame:
    """Vintage of tables built before any update: sources.yaml's editions, retrieval unknown."""
    sources = catalogue.sources.set_index("source")
    rows = []
    for indicator in catalogue.indicators.itertuples():
        roles = [("values", indicator.source)]
        if indicator.denominator_source:
            roles.append(("denominator", indicator.denominator_source))
        for role, source in roles:
            rows.append(
                {
                    "indicator": indicator.indicator,
                    "source": source,
                    "role": role,
                    "folder": sources.loc[source, "folder"],
                    "edition": str(sources.loc[source, "edition"]),
                    "retrieved": "",
                    "how": "initial build",
                }
            )
    return pd.DataFrame(rows, columns=VINTAGE_COLUMNS)


def load_vintage(data_dir: Path = DATA_DIR, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """data_dir/vintage.csv, or the initial vintage when the tables were never updated. Rows of
    indicators added to the catalogue since get the initial row."""
    catalogue = catalogue or load_catalogue()
    initial = initial_vintage(catalogue)
    path = Path(data_dir) / VINTAGE
    if not path.exists():
        return initial
    vintage = read_table(path).fillna("").astype(str)[VINTAGE_COLUMNS]
    have, wanted = _vintage_keys(vintage), _vintage_keys(initial)
    kept = vintage[[key in set(wanted) for key in have]]
    added = initial[[key not in set(have) for key in wanted]]
    return pd.concat([kept, added], ignore_index=True).sort_values(
        ["indicator", "role", "source"], ignore_index=True, key=_role_order
    )


def _vintage_keys(vintage: pd.DataFrame) -> list[tuple[str, str, str]]:
    return list(zip(vintage["indicator"], vintage["source"], vintage["role"], strict=True))


def update_vintage(
    vintage: pd.DataFrame,
    refreshed: dict[str, tuple[str, str]],
    catalogue: Catalogue,
    now: datetime,
) -> pd.DataFrame:
    """The rows of each refreshed folder ({folder: (edition the publisher stated or '', how the
    files came)}) get that edition (else sources.yaml's), today's date and how; the others stay
    as they were."""
    vintage = vintage.copy()
    editions = dict(zip(catalogue.sources["source"], catalogue.sources["edition"], strict=True))
    for folder, (stated, how) in refreshed.items():
        rows = vintage["folder"] == folder
        vintage.loc[rows, "edition"] = (
            stated if stated else vintage.loc[rows, "source"].map(editions).astype(str)
        )
        vintage.loc[rows, "retrieved"] = now.date().isoformat()
        vintage.loc[rows, "how"] = how
    return vintage.sort_values(["indicator", "role", "source"], ignore_index=True, key=_role_order)


def _role_order(column: pd.Series) -> pd.Series:
    return (
        column.map({"values": "0", "denominator": "1"}).fillna(column)
        if column.name == "role"
        else column
    )


def stale_indicators(
    vintage: pd.DataFrame, values: pd.DataFrame, today: date, max_age_years: float = 3
) -> pd.DataFrame:
    """Per indicator: edition, retrieval date, latest data year and whether it is stale.

    Stale when the latest year with a value is more than `max_age_years` before today's year, when
    it has no value at all, or when the files were retrieved more than `max_age_years` ago. An
    unknown retrieval date alone does not make an indicator stale.

    >>> vintage = pd.DataFrame({"indicator": ["a", "b"], "source": ["s", "t"],
    ...     "role": ["values"] * 2, "edition": ["2025", "2020"],
    ...     "retrieved": ["2026-01-05", ""]})
    >>> values = pd.DataFrame({"indicator": ["a", "b"], "year": [2025, 2019]})
    >>> stale_indicators(vintage, values, date(2026, 6, 1))[["indicator", "stale"]].values.tolist()
    [['a', False], ['b', True]]
    """
    rows = vintage
    if "role" in rows:
        rows = rows[rows["role"].fillna("values") == "values"]
    latest = values.groupby("indicator")["year"].max()
    out = []
    for row in rows.itertuples():
        year = latest.get(row.indicator)
        retrieved = _parse_date(getattr(row, "retrieved", ""))
        data_age = None if year is None or pd.isna(year) else today.year - int(year)
        retrieval_age = None if retrieved is None else (today - retrieved).days / 365.25
        why = []  # said in the reader's language where shown; "reason" is their English
        if data_age is None:
            why.append(Phrase("no value"))
        elif data_age > max_age_years:
            why.append(
                Counted(
                    "latest value is for {year}, {age} year ago",
                    "latest value is for {year}, {age} years ago",
                    count="age",
                    year=int(year),
                    age=data_age,
                )
            )
        if retrieval_age is not None and retrieval_age > max_age_years:
            why.append(
                Phrase(
                    "retrieved {day}, {age} years ago", day=retrieved, age=round(retrieval_age, 1)
                )
            )
        reasons = [str(phrase) for phrase in why]
        out.append(
            {
                "indicator": row.indicator,
                "source": row.source,
                "edition": row.edition,
                "retrieved": "" if retrieved is None else retrieved.isoformat(),
                "latest_year": pd.NA if data_age is None else int(year),
                "data_age_years": pd.NA if data_age is None else data_age,
                "stale": bool(reasons),
                "reason": "; ".join(reasons),
                "why": tuple(why),
            }
        )
    table = pd.DataFrame(
        out,
        columns=[
            "indicator",
            "source",
            "edition",
            "retrieved",
            "latest_year",
            "data_age_years",
            "stale",
            "reason",
            "why",
        ],
    )
    return table.astype({"latest_year": "Int64", "data_age_years": "Int64", "stale": "bool"})


def _parse_date(text) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10]) if text and not pd.isna(text) else None
    except ValueError:
        return None


def provenance_retrieved(provenance: str) -> tuple[str, str]:
    """(date, origin) of a publisher folder's files as its PROVENANCE.md states them: the date of
    the commit the files were taken from ('Taken from: GitHub `owner/repo`, commit `sha` (date'),
    '' when the text gives none (files compiled by hand): an unknown date is never guessed.

    >>> provenance_retrieved("- **Taken from:** GitHub `a/b`, commit `0123456789ab` (2025-08-08).")
    ('2025-08-08', 'GitHub a/b@0123456')
    >>> provenance_retrieved('- **Taken from:** GitHub `a/b`, commit `0123456789ab` ("Update 12 January 2025")')
    ('2025-01-12', 'GitHub a/b@0123456')
    >>> provenance_retrieved("- **How compiled:** read in public pages")
    ('', 'compiled by hand')
    """
    line = next((ln for ln in provenance.splitlines() if "**Taken from:**" in ln), "")
    taken = re.search(
        r"GitHub `([^`]+)`.*?commit `([0-9a-f]{7,40})` \(([^)]*)\)", line, flags=re.DOTALL
    )
    if taken is None:
        return "", "compiled by hand" if "compiled" in provenance.lower() else ""
    repo, sha, note = taken.groups()
    origin = f"GitHub {repo}@{sha[:7]}"
    iso = re.search(r"\d{4}-\d{2}-\d{2}", note)
    if iso:
        return iso.group(0), origin
    spelled = re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}", note)
    if spelled:
        try:
            return datetime.strptime(spelled.group(0), "%d %B %Y").date().isoformat(), origin
        except ValueError:
            pass
    return "", origin


def shipped_vintage(sources_dir: Path, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """Vintage of tables built by `python -m indicators.build --sources sources_dir`: the initial
    vintage (sources.yaml's editions) with `retrieved` = the date of the copy each folder's
    PROVENANCE.md names (empty when unknown) and `how` = 'initial build (<origin>)'."""
    catalogue = catalogue or load_catalogue()
    vintage = initial_vintage(catalogue)
    for folder in sorted(set(vintage["folder"])):
        path = Path(sources_dir) / folder / "PROVENANCE.md"
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        retrieved, origin = provenance_retrieved(text)
        rows = vintage["folder"] == folder
        vintage.loc[rows, "retrieved"] = retrieved
        vintage.loc[rows, "how"] = f"initial build ({origin})" if origin else "initial build"
    return vintage.sort_values(["indicator", "role", "source"], ignore_index=True, key=_role_order)


def write_shipped_vintage(sources_dir: Path, data_dir: Path = DATA_DIR) -> Path:
    """Write data_dir/vintage.csv for tables just built from `sources_dir` (same input, same bytes).
    `indicators.build` writes it after the tables; `update-data` keeps it up to date afterwards."""
    path = Path(data_dir) / VINTAGE
    build.write_csv(shipped_vintage(sources_dir), path)
    return path
