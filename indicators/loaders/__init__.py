"""Source loaders: one module per publisher format, each turning the publisher's original files into
tidy values (iso3, indicator, year, value, note).

Every loader has `load(sources: Path) -> LoadResult`, where `sources` is the folder holding one
sub-folder per publisher (as `../shared/sources/`). Rows a loader cannot use are returned in
`skipped` with the reason, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

VALUE_COLUMNS = ["iso3", "indicator", "year", "value", "note"]
SKIPPED_COLUMNS = ["file", "row", "reason"]


@dataclass(frozen=True)
class LoadResult:
    values: pd.DataFrame
    skipped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SKIPPED_COLUMNS))


def tidy(records: list[dict] | pd.DataFrame) -> pd.DataFrame:
    """Values in the shared column order and types; `note` defaults to ''."""
    frame = pd.DataFrame(records)
    if "note" not in frame:
        frame["note"] = ""
    frame = frame.reindex(columns=VALUE_COLUMNS)
    return frame.astype(
        {"iso3": "str", "indicator": "str", "year": "int64", "value": "float64", "note": "str"}
    ).reset_index(drop=True)


def skipped(records: list[dict] | pd.DataFrame) -> pd.DataFrame:
    """Skipped rows as (file, row, reason); `row` is the publisher's row label or key, as text."""
    frame = pd.DataFrame(records).reindex(columns=SKIPPED_COLUMNS)
    return frame.astype(str).reset_index(drop=True)
