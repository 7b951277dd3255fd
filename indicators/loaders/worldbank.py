"""World Bank WDI: personal remittances received (% of GDP), BX.TRF.PWKR.DT.GD.ZS.

Folder `wb-remittances`, file `remittances-received-percent-gdp.xls` (standard WDI download):
sheet `Data` with three lines above the header ("Data Source", "Last Updated Date", blank), then
Country Name, Country Code, Indicator Name, Indicator Code, 1960 ... 2022; sheet
`Metadata - Countries` gives each code's `Region`, empty for aggregates (World, EU, income groups).

- `remittances_gdp` = the cell value, per economy and year from 2010 on, where the cell is filled.
- An exact 0 is skipped, not loaded: WDI writes 0 where the balance of payments reports no
  remittances item (Yemen 3.77 bn US$ in 2016, then 0; Somalia 0 until 2017, then 1.48 bn US$;
  Singapore, Libya, Chad always 0), so 0 means "not reported" rather than "no remittances".
- Aggregates, codes missing from the metadata sheet and codes that are not ISO3 (CHI, Channel
  Islands) are skipped, one row each. Empty cells are reported per economy as a list of years; a
  year column empty for every economy (2022 in the 2023-05 vintage) is reported once.

The workbook is read with xlrd directly (pandas' xlrd engine is deprecated).

The same series from the World Bank API (what `indicators.connectors` downloads, or what a browser
saves from the two URLs below) is read instead of the workbook when the folder holds
`BX.TRF.PWKR.DT.GD.ZS.json`: one API answer `[page info, [records]]` with every record
(`countryiso3code`, `country`, `indicator`, `date`, `value`), from
https://api.worldbank.org/v2/country/all/indicator/BX.TRF.PWKR.DT.GD.ZS?format=json&per_page=20000
(pages joined by the connector), plus `countries.json` from
https://api.worldbank.org/v2/country?format=json&per_page=400, whose `region` "Aggregates" plays
the part of the empty Region in `Metadata - Countries`. The rules above apply unchanged.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import xlrd

from indicators.countries import iso3_codes
from indicators.loaders import (
    FIRST_YEAR,
    LoaderError,
    LoadResult,
    finite_number,
    one_per_key,
    skipped,
    tidy,
)
from scoring.limits import NestingError, loads_json

FOLDER = "wb-remittances"
FILE = "remittances-received-percent-gdp.xls"
INDICATOR_CODE = "BX.TRF.PWKR.DT.GD.ZS"
API_FILE = f"{INDICATOR_CODE}.json"
API_COUNTRIES_FILE = "countries.json"
API_AGGREGATES = "NA"  # region id of aggregates in the API's country list
HEADER_ROW = 3  # zero-based: row 4 of the sheet
KEY_COLUMNS = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
ZERO_MEANS = "read as not reported, not as no remittances"


def load(sources: Path) -> LoadResult:
    folder = sources / FOLDER
    if (folder / API_FILE).exists():
        data, regions = read_api(folder)
        file, metadata = API_FILE, API_COUNTRIES_FILE
    else:
        book = _open_workbook(folder / FILE)
        data, regions = _data_sheet(book), _regions(book)
        file, metadata = FILE, "sheet 'Metadata - Countries'"
    others = [column for column in data.columns if column not in KEY_COLUMNS]
    years = [year for year in others if year.isascii() and year.isdigit()]
    dropped = [_not_a_year(column, file) for column in others if column not in years]
    years = [year for year in years if int(year) >= FIRST_YEAR]
    dropped += [_empty_year(year, file) for year in years if data[year].isna().all()]
    filled_years = [year for year in years if data[year].notna().any()]

    values = []
    for row in data.to_dict("records"):
        reason = _unusable(row, regions, metadata)
        if reason:
            dropped.append(_skip(row, reason, file))
            continue
        found, problems = _row_values(row, filled_years)
        values += found
        dropped += [_skip(row, problem, file) for problem in problems]
    values, repeated = one_per_key(tidy(values), file)
    values = values.sort_values(["indicator", "iso3", "year"], ignore_index=True)
    return LoadResult(values=values, skipped=skipped(dropped + repeated))


def read_api(folder: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    """The API answers as the workbook's Data sheet (one row per economy, one column per year) and
    Country Code -> Region ('' for aggregates). LoaderError names what does not look like the API."""
    records = _api_records(folder / API_FILE)
    rows: dict[str, dict] = {}
    for number, record in enumerate(records, start=1):
        try:
            code = (record.get("countryiso3code") or record["country"]["id"]).strip()
            row = rows.setdefault(
                code,
                {
                    "Country Name": str(record["country"]["value"]).strip(),
                    "Country Code": code,
                    "Indicator Name": str(record["indicator"]["value"]).strip(),
                    "Indicator Code": str(record["indicator"]["id"]).strip(),
                },
            )
            value = record["value"]
            year = _api_year(record["date"])
            if year in row:
                raise ValueError(f"{code} {year} is in two records")
            row[year] = None if value is None else _api_number(value)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise LoaderError(
                API_FILE, f"record {number} is not a World Bank API record ({error!r})"
            ) from None
    years = sorted({key for row in rows.values() for key in row if key not in KEY_COLUMNS})
    data = pd.DataFrame(list(rows.values()), columns=KEY_COLUMNS + years, dtype=object)
    data = data.astype(object).where(data.notna(), None)

    countries = _api_records(folder / API_COUNTRIES_FILE)
    try:
        regions = {
            str(country["id"]).strip(): (
                ""
                if country["region"]["id"] == API_AGGREGATES
                else str(country["region"]["value"]).strip()
            )
            for country in countries
        }
    except (KeyError, TypeError, AttributeError) as error:
        raise LoaderError(
            API_COUNTRIES_FILE, f"not the World Bank API country list ({error!r})"
        ) from None
    return data, regions


def _api_records(path: Path) -> list[dict]:
    """Records of a World Bank API answer `[page info, [records]]`; ValueError for anything else
    (the API's own error answer `[{"message": [...]}]` included)."""
    if not path.exists():
        raise LoaderError(path.name, "is missing (World Bank API files come in pairs)")
    try:
        answer = loads_json(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, NestingError) as error:
        raise LoaderError(path.name, f"is not JSON text ({error})") from None
    if isinstance(answer, list) and answer and isinstance(answer[0], dict):
        if "message" in answer[0]:
            raise LoaderError(path.name, f"is a World Bank API error: {answer[0]['message']}")
        if len(answer) == 2 and isinstance(answer[1], list | type(None)):
            return answer[1] or []
    raise LoaderError(path.name, "is not a World Bank API answer [page info, [records]]")


def _api_number(value) -> float | str:
    """The value as a number; text that is no finite number stays text and is reported."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"value {value!r} is not a number")
    number = finite_number(value)
    return str(value) if number is None else number


def _api_year(date) -> str:
    """The record's year as the workbook's column name: '2021' from "2021" or 2021."""
    text = str(date).strip()
    if isinstance(date, bool) or not (text.isascii() and text.isdigit()):
        raise ValueError(f"date {date!r} is not a year")
    return str(int(text))


def _open_workbook(path: Path) -> xlrd.Book:
    if not path.exists():
        raise FileNotFoundError(path)
    try:
        return xlrd.open_workbook(path)
    except Exception as error:  # xlrd raises many kinds on a damaged workbook
        problem = f"not a readable .xls workbook ({type(error).__name__}: {error})"
        raise LoaderError(FILE, problem) from None


def _sheet(book: xlrd.Book, name: str) -> xlrd.sheet.Sheet:
    try:
        return book.sheet_by_name(name)
    except xlrd.XLRDError:
        sheets = ", ".join(book.sheet_names())
        raise LoaderError(FILE, f"no sheet '{name}' (sheets: {sheets})") from None


def _data_sheet(book: xlrd.Book) -> pd.DataFrame:
    sheet = _sheet(book, "Data")
    header = []
    if sheet.nrows > HEADER_ROW:
        header = [str(cell.value).strip() for cell in sheet.row(HEADER_ROW)]
    if header[: len(KEY_COLUMNS)] != KEY_COLUMNS:
        raise LoaderError(FILE, f"no WDI header on row {HEADER_ROW + 1} of sheet Data")
    repeated = sorted({column for column in header if header.count(column) > 1})
    if repeated:
        raise LoaderError(FILE, f"column {', '.join(repeated)} appears twice in sheet Data")
    rows = [
        [_cell(cell) for cell in sheet.row(index)] for index in range(HEADER_ROW + 1, sheet.nrows)
    ]
    return pd.DataFrame(rows, columns=header, dtype=object)


def _cell(cell: xlrd.sheet.Cell):
    """Text stays text, numbers stay numbers, empty cells become None."""
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return cell.value.strip() or None
    return cell.value


def _regions(book: xlrd.Book) -> dict[str, str]:
    """Country Code -> Region ('' for aggregates)."""
    sheet = _sheet(book, "Metadata - Countries")
    header = [str(cell.value).strip() for cell in sheet.row(0)] if sheet.nrows else []
    if "Country Code" not in header or "Region" not in header:
        raise LoaderError(FILE, "no Country Code and Region header in sheet 'Metadata - Countries'")
    code, region = header.index("Country Code"), header.index("Region")
    return {
        str(sheet.cell_value(index, code)).strip(): str(sheet.cell_value(index, region)).strip()
        for index in range(1, sheet.nrows)
    }


def _unusable(row: dict, regions: dict[str, str], metadata: str) -> str | None:
    code, name = row["Country Code"], row["Country Name"]
    if row["Indicator Code"] != INDICATOR_CODE:
        return f"indicator {row['Indicator Code']}, not {INDICATOR_CODE}"
    if code not in regions:
        return f"'{name}' is not in {metadata}"
    if not regions[code]:
        return f"aggregate '{name}' (no Region in {metadata.removeprefix('sheet ')})"
    if code not in iso3_codes():
        return f"'{code}' ('{name}') is not an ISO3 code"
    return None


def _row_values(row: dict, years: list[str]) -> tuple[list[dict], list[str]]:
    """The row's values, and why the other years have none."""
    values, empty, zero, problems = [], [], [], []
    for year in years:
        cell = row[year]
        if cell is None:
            empty.append(int(year))
        elif cell == 0:
            zero.append(int(year))
        elif isinstance(cell, float) and math.isfinite(cell):
            values.append(
                {
                    "iso3": row["Country Code"],
                    "indicator": "remittances_gdp",
                    "year": int(year),
                    "value": cell,
                    "note": "",
                }
            )
        else:
            problems.append(f"{year} is '{cell}', not a number")
    if zero:
        problems.insert(0, f"0 for {_year_spans(zero)}: {ZERO_MEANS}")
    if empty:
        problems.insert(0, f"no value for {_year_spans(empty)}")
    return values, problems


def _skip(row: dict, reason: str, file: str) -> dict:
    return {"file": file, "row": f"{row['Country Code']} {row['Country Name']}", "reason": reason}


def _not_a_year(column: str, file: str) -> dict:
    return {"file": file, "row": f"column {column}", "reason": "column is not a year: not read"}


def _empty_year(year: str, file: str) -> dict:
    return {"file": file, "row": f"column {year}", "reason": "empty for every economy"}


def _year_spans(years: list[int]) -> str:
    """Consecutive years as ranges.

    >>> _year_spans([2010, 2011, 2012, 2015, 2017, 2018])
    '2010-2012, 2015, 2017-2018'
    """
    spans: list[list[int]] = []
    for year in sorted(years):
        if spans and year == spans[-1][-1] + 1:
            spans[-1].append(year)
        else:
            spans.append([year])
    return ", ".join(f"{s[0]}-{s[-1]}" if len(s) > 1 else f"{s[0]}" for s in spans)
