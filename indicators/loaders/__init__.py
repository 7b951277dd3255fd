"""Source loaders: one module per publisher format, each turning the publisher's original files into
tidy values (iso3, indicator, year, value, note).

Every loader has `load(sources: Path) -> LoadResult`, where `sources` is the folder holding one
sub-folder per publisher (as `../shared/sources/`). Rows a loader cannot use are returned in
`skipped` with the reason, never dropped silently.

A file a loader cannot read at all (not text, not a table or workbook, a column or sheet missing)
raises `LoaderError`, whose message names the file and what is wrong; a missing file raises
FileNotFoundError. No other exception leaves a loader on malformed input
(`tests/test_fuzz_loaders.py` checks this).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

VALUE_COLUMNS = ["iso3", "indicator", "year", "value", "note"]
FIRST_YEAR = 2010  # no loader keeps an earlier year: the scorecard's years start here
SKIPPED_COLUMNS = ["file", "row", "reason"]


class LoaderError(ValueError):
    """A publisher file that cannot be read as its format: `file` names it, `problem` says why."""

    def __init__(self, file: str, problem: str):
        self.file = file
        self.problem = problem
        super().__init__(f"{file}: {problem}")


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


def read_text_csv(
    path: Path, required: Iterable[str], empty_is_missing: bool = True
) -> pd.DataFrame:
    """Every cell as text ("NA" stays Namibia); empty cells NaN when `empty_is_missing`, else ''.

    LoaderError when the file is not UTF-8 text, not a CSV table, has rows longer than its header
    (pandas would shift or drop cells) or lacks one of the `required` columns."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            table = pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                na_values=[""] if empty_is_missing else None,
                index_col=False,
                encoding="utf-8",
            )
    except UnicodeDecodeError as error:
        raise LoaderError(path.name, f"not UTF-8 text (byte {error.start})") from None
    except pd.errors.EmptyDataError:
        raise LoaderError(path.name, "the file is empty") from None
    except pd.errors.ParserWarning:
        raise LoaderError(path.name, "a row has more cells than the header") from None
    except (pd.errors.ParserError, ValueError) as error:
        raise LoaderError(path.name, f"not a readable CSV table ({error})") from None
    require_columns(table, required, path.name)
    return table


def require_columns(table: pd.DataFrame, required: Iterable[str], file: str) -> None:
    """LoaderError naming every `required` column the table lacks."""
    missing = [column for column in required if column not in table.columns]
    if missing:
        found = ", ".join(map(str, table.columns[:12]))
        raise LoaderError(file, f"no column {', '.join(missing)} (found: {found})")


def read_excel_sheet(path: Path, sheet: str | int, **options) -> pd.DataFrame:
    """One sheet of a workbook with pandas; LoaderError when the file is not a readable workbook or
    has no such sheet."""
    if not path.exists():
        raise FileNotFoundError(path)
    try:
        return pd.read_excel(path, sheet_name=sheet, **options)
    except Exception as error:  # openpyxl and zipfile raise many kinds on a damaged workbook
        raise LoaderError(
            path.name, f"not a readable workbook ({type(error).__name__}: {error})"
        ) from None


def finite_numbers(cells: pd.Series) -> pd.Series:
    """Cells as numbers; text that is not a number, NaN and +-inf become NaN."""
    numbers = pd.to_numeric(cells, errors="coerce").astype("float64")
    return numbers.where(np.isfinite(numbers))


def finite_number(cell) -> float | None:
    """One cell as a finite number, else None ("inf", "nan", "1e309", text, empty)."""
    if isinstance(cell, bool):
        return None
    number = pd.to_numeric(cell, errors="coerce") if isinstance(cell, str) else cell
    try:
        number = float(number)
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None


def whole_years(cells: pd.Series) -> pd.Series:
    """Cells as years: whole finite numbers, else NaN ("2010.5" is no year)."""
    numbers = finite_numbers(cells)
    return numbers.where(numbers == numbers.round())


def one_per_key(values: pd.DataFrame, file: str) -> tuple[pd.DataFrame, list[dict]]:
    """Values with one row per (iso3, indicator, year); a key on several rows of the file is a
    repeated row or a clash, so none of them is kept and the key is reported once."""
    keys = ["iso3", "indicator", "year"]
    repeated = values.duplicated(keys, keep=False)
    dropped = [
        {
            "file": file,
            "row": f"{row.iso3} {row.year}",
            "reason": f"{row.indicator}: {count} rows for the same country and year",
        }
        for row, count in zip(
            values[repeated].drop_duplicates(keys).itertuples(),
            values[repeated].groupby(keys, sort=False).size(),
            strict=True,
        )
    ]
    return values[~repeated].reset_index(drop=True), dropped
