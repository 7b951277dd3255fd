"""Fuzzing the publisher loaders: each starts from its hand-written fixture, mutated.

The contract every loader keeps on any input: either it returns a LoadResult whose values pass the
values contract (`scoring.schemas.check_values`: known country, finite value, one row per key, and
for the indicators of the catalogue its checks against the catalogue) and whose skipped rows each
carry a reason, or it raises `LoaderError` naming the file it could not read. Every loader of
`registry.LOADERS` is fuzzed. An indicator outside the catalogue (a publisher file holds more than the
framework scores) is no breach: the build leaves it out and says so in skipped.csv. The only
contract failures left to the build are a value or a year outside the catalogue's declared range:
the build refuses those with a ContractError, and nothing is written.

Mutations: columns dropped, renamed, swapped; cells replaced with junk, sentinels, huge numbers,
NaN/inf, empty text; rows duplicated, deleted, shortened, lengthened; the file truncated, re-encoded
or overwritten with random bytes; for the World Bank API answer, keys removed, values of the wrong
type, extra pages and error answers.

CI runs a few examples per file (`derandomize=True`, a few seconds); a long campaign:
    FUZZ_EXAMPLES=3000 nice -n 15 uv run pytest tests/test_fuzz_loaders.py -q
Each failure a campaign found is kept in REGRESSIONS below.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlwt
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from indicators import build
from indicators.catalogue import load_catalogue
from indicators.countries import build_countries, iso3_codes, un_member_states
from indicators.loaders import (
    SKIPPED_COLUMNS,
    VALUE_COLUMNS,
    LoaderError,
    LoadResult,
    freedom_house,
    heritage,
    lowy,
    passport,
    published,
    registry,
    worldbank,
    wpp,
)
from scoring.schemas import ContractError, check_values, validate_countries
from tests.fixtures import (
    freedom_house_fixture,
    heritage_fixture,
    lowy_fixture,
    worldbank_fixture,
)

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    # Shrinking a failing workbook can take minutes; FUZZ_SHRINK=1 turns it on.
    phases=[
        Phase.explicit,
        Phase.generate,
        *([Phase.shrink] if os.environ.get("FUZZ_SHRINK") else []),
    ],
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Contract failures that are the build's to refuse (catalogue range, and the engine's bound on
# magnitudes, scoring.limits.MAX_ABS_VALUE), not a loader's bug.
RANGE_CHECKS = ("within_indicator_range", "in_range", "within_magnitude")

# ================================================================ the contract


@cache
def contract_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    return load_catalogue().framework(), validate_countries(build_countries())


def assert_contract(load: Callable[[Path], LoadResult], sources: Path, files: set[str]):
    """Run `load`; check the contract; the result, or None when it raised LoaderError."""
    try:
        result = load(sources)
    except LoaderError as error:
        assert error.file.rsplit("/", 1)[-1] in files, f"LoaderError names {error.file}"
        assert error.problem.strip(), "LoaderError without a problem"
        return None
    values, skipped = result.values, result.skipped
    assert list(values.columns) == VALUE_COLUMNS
    assert values["year"].dtype == "int64" and values["value"].dtype == "float64"
    assert pd.api.types.is_string_dtype(values["iso3"])
    assert pd.api.types.is_string_dtype(values["note"]) and values["note"].notna().all()
    assert np.isfinite(values["value"].to_numpy()).all(), "non-finite value loaded"
    assert list(skipped.columns) == SKIPPED_COLUMNS
    assert skipped.notna().all().all(), "skipped row with a missing field"
    assert (skipped["reason"].str.strip() != "").all(), "skipped row without a reason"
    assert set(skipped["file"]) <= files, f"skipped rows name {set(skipped['file']) - files}"
    if values.empty:  # check_values cannot range-check an empty table (scoring/schemas.py)
        return result
    framework, countries = contract_tables()
    # every row: known country, finite value, one row per key; the catalogue's indicators also
    # against the catalogue (the build leaves the others out)
    catalogued = values[values["indicator"].isin(framework["indicator"])]
    failures = [check_values(values, None, countries).failures]
    if not catalogued.empty:
        failures.append(check_values(catalogued, framework, countries).failures)
    failures = pd.concat(failures, ignore_index=True)
    other = failures[~failures["check"].astype(str).str.startswith(RANGE_CHECKS)]
    assert other.empty, f"values break the contract:\n{other.to_string()}"
    return result


# ================================================================ mutations

SENTINELS = [
    "", " ", "NA", "N/A", "n/a", "-", "..", "–", "nan", "NaN", "-nan", "inf", "-inf", "Infinity",
    "1e309", "-1e309", "1e308", "9" * 40, "-1", "0", "-0", "99", "1,000", "0x1A", "None", "null",
    "true", "2010", "2009", "2010.5", "3000", "1e4", "yes", "no", "yes (partly)", "RUS", "XXX",
    "OWID_KOS", "YUG", "c.2015", "undated", "visa free", "90", "implementing", "\x00", "é", "😀",
    '"', ",", "\n", " 2020 ", "2020-13-45",
]  # fmt: skip
junk_text = st.one_of(
    st.sampled_from(SENTINELS),
    st.text(max_size=10),
    st.integers(-(10**20), 10**20).map(str),
    st.floats().map(repr),
)
junk_cell = st.one_of(
    junk_text,
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.floats(),
)

GRID_OPS = [
    "drop_column", "rename_column", "swap_columns", "set_cell", "set_focus_cell", "set_focus_cell",
    "duplicate_row", "delete_row", "truncate_rows", "blank_row", "short_row", "long_row",
]  # fmt: skip
grid_op = st.tuples(
    st.sampled_from(GRID_OPS), st.integers(0, 10**6), st.integers(0, 10**6), junk_cell
)
grid_ops = st.lists(grid_op, max_size=5)
BYTE_OPS = ["truncate", "latin-1", "utf-16", "bom", "random", "semicolons", "crlf", "empty"]
byte_op = st.one_of(
    st.none(),
    st.none(),
    st.tuples(st.sampled_from(BYTE_OPS), st.integers(0, 10**6), st.binary(max_size=24)),
)


def mutate_grid(grid: list[list], ops, focus: tuple[str, ...] = ()) -> list[list]:
    """`grid` (header first) after the operations; indices wrap around, so any draw applies."""
    grid = [list(row) for row in grid]
    for op, a, b, junk in ops:
        width, height = (len(grid[0]) if grid else 0), len(grid)
        if not width:
            break
        data_row = 1 + a % (height - 1) if height > 1 else None
        if op == "drop_column" and width > 1:
            for row in grid:
                if a % width < len(row):
                    del row[a % width]
        elif op == "rename_column":
            grid[0][a % width] = junk
        elif op == "swap_columns":
            i, j = a % width, b % width
            for row in grid:
                if max(i, j) < len(row):
                    row[i], row[j] = row[j], row[i]
        elif op in ("set_cell", "set_focus_cell") and data_row:
            row = grid[data_row]
            column = b % width
            focused = [grid[0].index(name) for name in focus if name in grid[0]]
            if op == "set_focus_cell" and focused:
                column = focused[b % len(focused)]
            if column < len(row):
                row[column] = junk
        elif op == "duplicate_row" and data_row:
            grid.insert(data_row, list(grid[data_row]))
        elif op == "delete_row" and data_row:
            del grid[data_row]
        elif op == "truncate_rows":
            del grid[a % (height + 1) :]
        elif op == "blank_row":
            grid.insert(1 + a % height, [None] * width)
        elif op == "short_row" and data_row:
            del grid[data_row][a % width :]
        elif op == "long_row" and data_row:
            grid[data_row].append(junk)
    return grid


def text_cell(cell) -> str:
    if cell is None:
        return ""
    return repr(cell) if isinstance(cell, float) else str(cell)


def csv_bytes(grid: list[list], op) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([[text_cell(c) for c in r] for r in grid])
    text = buffer.getvalue()
    return mutate_bytes(text.encode("utf-8"), text, op)


def mutate_bytes(data: bytes, text: str | None, op) -> bytes:
    if op is None:
        return data
    kind, at, noise = op
    if kind == "truncate":
        return data[: at % (len(data) + 1)]
    if kind == "latin-1" and text is not None:
        return text.encode("latin-1", errors="replace")
    if kind == "utf-16" and text is not None:
        return text.encode("utf-16")
    if kind == "bom":
        return b"\xef\xbb\xbf" + data
    if kind == "random":
        start = at % (len(data) + 1)
        return data[:start] + noise + data[start + len(noise) :]
    if kind == "semicolons":
        return data.replace(b",", b";")
    if kind == "crlf":
        return data.replace(b"\n", b"\r\n")
    if kind == "empty":
        return b""
    return data


# ================================================================ CSV loaders


@dataclass(frozen=True)
class CsvTarget:
    loader: str  # key of registry.LOADERS
    folder: str
    file: str
    folders: tuple[str, ...]  # every fixture folder the loader reads
    focus: tuple[str, ...]  # columns the loader reads, mutated more often
    key: str = ""  # the target's name when another loader reads the same file

    @property
    def load(self) -> Callable[[Path], LoadResult]:
        return registry.LOADERS[self.loader].load

    def grid(self) -> list[list]:
        with open(FIXTURES / self.folder / self.file, encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle))

    def files(self) -> set[str]:
        return {
            path.name
            for folder in self.folders
            for path in (FIXTURES / folder).rglob("*")
            if path.is_file()
        }


CSV_TARGETS = {
    target.key or target.file: target
    for target in [
        CsvTarget("rsf", "rsf-press-freedom", "rsf_2025_scores.csv", ("rsf-press-freedom",),
                  ("ISO", "Country_EN", "Year (N)", "Score", "Rank")),
        CsvTarget("broadcasters", "international-broadcasters", "broadcasters.csv",
                  ("international-broadcasters",),
                  ("iso3", "broadcaster", "owner_type", "number_of_languages", "year_of_fact",
                   "source_date")),
        CsvTarget("cultural_institutes", "cultural-institutes", "institutes.csv",
                  ("cultural-institutes",),
                  ("iso3", "network", "centres_abroad", "centres_qualifier", "countries_present",
                   "countries_qualifier", "year_of_fact", "source_date")),
        CsvTarget("diaspora_voting", "diaspora-voting", "voting_from_abroad.csv",
                  ("diaspora-voting",),
                  ("iso3", "external_voting_allowed", "elections_covered", "methods", "election",
                   "election_date", "source_date")),
        CsvTarget("eiti", "eiti-status-2024", "eiti_status.csv", ("eiti-status-2024",),
                  ("iso3", "country", "eiti_status_latest", "latest_validation_category",
                   "latest_validation_score", "latest_validation_year", "join_date",
                   "join_date_source")),
        CsvTarget("globalcit", "globalcit-citizenship-mipex", "citrix_mipex.csv",
                  ("globalcit-citizenship-mipex",),
                  ("year", "iso3", "country_name", "MIPEX_ATN_2020")),
        CsvTarget("globalcit", "globalcit-citizenship-mipex", "data_v1.0_country-year.csv",
                  ("globalcit-citizenship-mipex",),
                  ("iso3", "year", "A06_bin", "A06a_yrs", "L05_bin", "dualcit_comb")),
        CsvTarget("passport", "passport-index", "passport-index-tidy-iso3.csv",
                  ("passport-index",), ("Passport", "Destination", "Requirement")),
        CsvTarget("undesa", "undesa-migrant-stock", "migration_un_data_coldrop.csv",
                  ("undesa-migrant-stock", "un-wpp2024-population"),
                  ("Region, development group, country or area of destination",
                   "Location code of destination", "Type of data of destination",
                   "Region, development group, country or area of origin",
                   "Location code of origin", "2010", "2015", "2020")),
        CsvTarget("undesa", "un-wpp2024-population",
                  "DERIVED_wpp2024_total_population_2010_2030.csv",
                  ("undesa-migrant-stock", "un-wpp2024-population"),
                  ("iso3", "pop_thousands", "year", "location_type", "country_code")),
        CsvTarget("vdem", "vdem-owid", "electoral-democracy-index.csv", ("vdem-owid",),
                  ("Entity", "Code", "Year", "Electoral Democracy Index")),
        CsvTarget("voeten", "unga-voeten", "IdealpointestimatesAll_Jun2024.csv", ("unga-voeten",),
                  ("iso3c", "Countryname", "session", "NVotesAll", "IdealPointAll", "RUSSAgree",
                   "USAgree", "ChinaAgree")),
        CsvTarget("uis", "unesco-uis-student-mobility/inbound_export", "data.csv",
                  ("unesco-uis-student-mobility",),
                  ("indicatorId", "geoUnit", "year", "value", "qualifier", "magnitude")),
        CsvTarget("gallup", "gallup-migrant-acceptance-leadership",
                  "gallup_migrant_acceptance_index.csv", ("gallup-migrant-acceptance-leadership",),
                  ("wave", "iso3", "mai_score", "rank_note")),
        CsvTarget("diaspora_turnout", "diaspora-voting", "voting_from_abroad.csv",
                  ("diaspora-voting", "undesa-migrant-stock"),
                  ("iso3", "election", "election_date", "votes_cast_abroad"),
                  key="voting_from_abroad.csv (diaspora_turnout)"),
        # the emigrant stock turnout divides by (undesa.emigrant_stocks reads every stock year)
        CsvTarget("diaspora_turnout", "undesa-migrant-stock", "migration_un_data_coldrop.csv",
                  ("diaspora-voting", "undesa-migrant-stock"),
                  ("Region, development group, country or area of origin",
                   "Location code of origin", "Location code of destination", "1990", "2010",
                   "2015", "2020"),
                  key="migration_un_data_coldrop.csv (diaspora_turnout)"),
    ]
}  # fmt: skip


def sources_with(target: CsvTarget, root: Path, data: bytes) -> Path:
    for folder in target.folders:
        shutil.copytree(FIXTURES / folder, root / folder)
    (root / target.folder / target.file).write_bytes(data)
    return root


def check_csv(file: str, ops, bytes_op) -> LoadResult | None:
    target = CSV_TARGETS[file]
    data = csv_bytes(mutate_grid(target.grid(), ops, target.focus), bytes_op)
    with tempfile.TemporaryDirectory() as root:
        sources = sources_with(target, Path(root), data)
        return assert_contract(target.load, sources, target.files())


@pytest.mark.parametrize("file", CSV_TARGETS)
@FUZZ
@given(ops=grid_ops, bytes_op=byte_op)
def test_csv_loader_keeps_its_contract(file, ops, bytes_op):
    check_csv(file, ops, bytes_op)


@pytest.mark.parametrize("file", CSV_TARGETS)
@settings(FUZZ, max_examples=min(EXAMPLES, 2))
@given(order=st.randoms(use_true_random=False))
def test_csv_column_order_does_not_matter(file, order):
    """Publishers reorder columns between editions; loaders read columns by name."""
    target = CSV_TARGETS[file]
    grid = target.grid()
    columns = list(range(len(grid[0])))
    order.shuffle(columns)
    shuffled = [[row[i] if i < len(row) else "" for i in columns] for row in grid]
    with tempfile.TemporaryDirectory() as root:
        expected = target.load(sources_with(target, Path(root) / "a", csv_bytes(grid, None)))
        got = target.load(sources_with(target, Path(root) / "b", csv_bytes(shuffled, None)))
    pd.testing.assert_frame_equal(got.values, expected.values)
    pd.testing.assert_frame_equal(got.skipped, expected.skipped)


# ================================================================ tables that are not indicator values


def fuzzed_folder(folder: str, file: str, focus: tuple[str, ...], root: Path, ops, bytes_op):
    """A copy of one fixture folder with `file` mutated."""
    with open(FIXTURES / folder / file, encoding="utf-8", newline="") as handle:
        grid = list(csv.reader(handle))
    shutil.copytree(FIXTURES / folder, root / folder)
    (root / folder / file).write_bytes(csv_bytes(mutate_grid(grid, ops, focus), bytes_op))
    return root


def assert_skipped_rows(lost: pd.DataFrame, file: str) -> None:
    assert list(lost.columns) == SKIPPED_COLUMNS
    assert lost.notna().all().all(), "skipped row with a missing field"
    assert (lost["reason"].str.strip() != "").all(), "skipped row without a reason"
    assert set(lost["file"]) <= {file}


@FUZZ
@given(ops=grid_ops, bytes_op=byte_op)
def test_population_table_keeps_its_contract(ops, bytes_op):
    """wpp.population: known codes, whole years, finite positive persons, one row per country and
    year, sorted; or a LoaderError naming the file."""
    focus = ("iso3", "pop_thousands", "year", "location_type", "country_code")
    with tempfile.TemporaryDirectory() as root:
        sources = fuzzed_folder(wpp.FOLDER, wpp.FILE_NAME, focus, Path(root), ops, bytes_op)
        try:
            table, dropped = wpp.population(sources)
        except LoaderError as error:
            assert error.file == wpp.FILE_NAME and error.problem.strip()
            return
    assert list(table.columns) == ["iso3", "year", "persons"]
    assert table["year"].dtype == "int64" and table["persons"].dtype == "float64"
    assert table["iso3"].isin(iso3_codes()).all()
    assert np.isfinite(table["persons"].to_numpy()).all() and (table["persons"] > 0).all()
    assert not table.duplicated(["iso3", "year"]).any()
    assert table.equals(table.sort_values(["iso3", "year"], ignore_index=True))
    assert_skipped_rows(pd.DataFrame(dropped, columns=SKIPPED_COLUMNS).astype(str), wpp.FILE_NAME)


@FUZZ
@given(ops=grid_ops, bytes_op=byte_op)
def test_published_indices_table_keeps_its_contract(ops, bytes_op):
    """published.load_published: the six columns and their types, known codes, a rank from 1 or a
    finite score on every row, one row per index, edition and country, sorted; or a LoaderError."""
    focus = ("index", "edition", "iso3", "rank", "score", "source_url")
    with tempfile.TemporaryDirectory() as root:
        sources = fuzzed_folder(published.FOLDER, published.FILE, focus, Path(root), ops, bytes_op)
        try:
            table, lost = published.load_published(sources)
        except LoaderError as error:
            assert error.file == published.FILE and error.problem.strip()
            return
    assert list(table.columns) == ["index", "edition", "iso3", "rank", "score", "source_url"]
    assert str(table["rank"].dtype) == "Int64" and table["score"].dtype == "float64"
    assert table["iso3"].isin(iso3_codes()).all()
    assert (table["rank"].dropna() >= 1).all()
    assert np.isfinite(table["score"].dropna().to_numpy()).all()
    assert (table["rank"].notna() | table["score"].notna()).all()
    key = ["index", "edition", "iso3"]
    assert not table.duplicated(key).any()
    assert table.equals(table.sort_values(key, ignore_index=True))
    assert_skipped_rows(lost, published.FILE)


# ================================================================ workbooks


def clean_for_xlsx(cell):
    if isinstance(cell, str):
        return ILLEGAL_CHARACTERS_RE.sub("", cell)
    return cell


def write_xlsx(path: Path, sheet: str, grid: list[list], title: str | None, op) -> None:
    workbook = openpyxl.Workbook()
    data = workbook.active
    data.title = sheet
    if title is not None:
        data.append([title])
    for row in grid:
        data.append([clean_for_xlsx(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(mutate_bytes(buffer.getvalue(), None, op))


@dataclass(frozen=True)
class WorkbookTarget:
    loader: str
    folder: str
    file: str
    sheet: str
    title: str | None  # a line above the header, as the publisher has it
    header: tuple
    rows: list
    focus: tuple[str, ...]

    @property
    def load(self) -> Callable[[Path], LoadResult]:
        return registry.LOADERS[self.loader].load


XLSX_TARGETS = {
    target.loader: target
    for target in [
        WorkbookTarget(
            "freedom_house", freedom_house.FOLDER, freedom_house.FILE_NAME, freedom_house.SHEET,
            "Freedom in the World 2013-2025 Raw Data", freedom_house_fixture.HEADER,
            freedom_house_fixture.ROWS, ("Country/Territory", "C/T", "Edition", "Status", "D1",
                                         "Total"),
        ),
        WorkbookTarget(
            "lowy", lowy.FOLDER, lowy.FILE, "Sheet1", None, lowy_fixture.HEADER, lowy_fixture.ROWS,
            ("COUNTRY", "POST CITY", "POST COUNTRY", "TYPE OF POST", "POST TYPE TITLE", "Year"),
        ),
        WorkbookTarget(
            "heritage", heritage.FOLDER, heritage.FILE, heritage.SHEET, None,
            heritage_fixture.HEADER, heritage_fixture.ROWS,
            ("id_no", "name_en", "date_inscribed", "states_name_en", "udnp_code"),
        ),
    ]
}  # fmt: skip


def check_xlsx(loader: str, ops, bytes_op) -> LoadResult | None:
    target = XLSX_TARGETS[loader]
    grid = mutate_grid([list(target.header), *map(list, target.rows)], ops, target.focus)
    with tempfile.TemporaryDirectory() as root:
        path = Path(root) / target.folder / target.file
        write_xlsx(path, target.sheet, grid, target.title, bytes_op)
        return assert_contract(target.load, Path(root), {target.file})


@pytest.mark.parametrize("loader", XLSX_TARGETS)
@FUZZ
@given(ops=grid_ops, bytes_op=byte_op)
def test_workbook_loader_keeps_its_contract(loader, ops, bytes_op):
    check_xlsx(loader, ops, bytes_op)


WB_YEARS = list(range(1960, 2023))
WB_KEYS = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]


def wdi_grids() -> tuple[list[list], list[list]]:
    """The WDI fixture's Data sheet (from its header row) and Metadata - Countries sheet."""
    data = [WB_KEYS + [str(year) for year in WB_YEARS]]
    for name, code, numbers in worldbank_fixture.DATA:
        cells: list = [None] * len(WB_YEARS)
        for year, number in zip(range(2008, 2022), numbers, strict=True):
            cells[WB_YEARS.index(year)] = number
        data.append([name, code, *worldbank_fixture.INDICATOR, *cells])
    metadata = [["Country Code", "Region", "IncomeGroup", "SpecialNotes", "TableName"]]
    metadata += [list(row) for row in worldbank_fixture.METADATA]
    return data, metadata


def write_xls(path: Path, data: list[list], metadata: list[list], op) -> None:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Data")
    sheet.write(0, 0, "Data Source")
    sheet.write(0, 1, "World Development Indicators")
    sheet.write(1, 0, "Last Updated Date")
    for offset, row in enumerate(data):
        for column, cell in enumerate(row[:255]):
            if cell is not None and cell != "":
                sheet.write(3 + offset, column, cell)
    countries = book.add_sheet("Metadata - Countries")
    for row_number, row in enumerate(metadata):
        for column, cell in enumerate(row[:255]):
            if cell is not None and cell != "":
                countries.write(row_number, column, cell)
    buffer = io.BytesIO()
    book.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(mutate_bytes(buffer.getvalue(), None, op))


def check_xls(sheet: str, ops, bytes_op) -> LoadResult | None:
    data, metadata = wdi_grids()
    focus = ("Country Code", "Country Name", "Indicator Code", "2010", "2016", "2021", "2022")
    if sheet == "Data":
        data = mutate_grid(data, ops, focus)
    else:
        metadata = mutate_grid(metadata, ops, ("Country Code", "Region"))
    with tempfile.TemporaryDirectory() as root:
        write_xls(Path(root) / worldbank.FOLDER / worldbank.FILE, data, metadata, bytes_op)
        return assert_contract(worldbank.load, Path(root), {worldbank.FILE})


@pytest.mark.parametrize("sheet", ["Data", "Metadata - Countries"])
@FUZZ
@given(ops=grid_ops, bytes_op=byte_op)
def test_wdi_workbook_loader_keeps_its_contract(sheet, ops, bytes_op):
    check_xls(sheet, ops, bytes_op)


# ================================================================ World Bank API answers


def wb_answers() -> tuple[list, list]:
    """The WDI fixture as the API's two answers: records, and the country list."""
    records = [
        {
            "indicator": {"id": worldbank.INDICATOR_CODE, "value": worldbank_fixture.INDICATOR[0]},
            "country": {"id": code[:2], "value": name},
            "countryiso3code": code,
            "date": str(year),
            "value": number,
            "unit": "",
            "obs_status": "",
            "decimal": 1,
        }
        for name, code, numbers in worldbank_fixture.DATA
        for year, number in zip(range(2008, 2022), numbers, strict=True)
    ]
    countries = [
        {
            "id": code,
            "name": name,
            "region": (
                {"id": "NA", "value": "Aggregates"}
                if not region
                else {"id": "ECS", "value": region}
            ),
        }
        for code, region, _, _, name in worldbank_fixture.METADATA
    ]
    info = {"page": 1, "pages": 1, "per_page": 20000, "total": len(records)}
    return [info, records], [dict(info, total=len(countries)), countries]


junk_json = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**30), 10**30),
        st.floats(),
        junk_text,
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(junk_text, inner, max_size=3),
    max_leaves=6,
)
JSON_OPS = ["drop_key", "set_key", "set_nested", "duplicate", "extra_page", "error", "replace"]
json_op = st.tuples(st.sampled_from(JSON_OPS), st.integers(0, 10**6), junk_json)


def mutate_answer(answer: list, ops) -> object:
    answer = json.loads(json.dumps(answer))
    for kind, at, junk in ops:
        records = answer[1] if isinstance(answer, list) and len(answer) > 1 else None
        if kind == "error":
            answer = [{"message": [{"id": "120", "key": "Invalid value", "value": junk}]}]
        elif kind == "replace":
            answer = junk
        elif kind == "extra_page" and isinstance(answer, list):
            answer = [*answer, [dict(page=2), records]]
        elif isinstance(records, list) and records:
            record = records[at % len(records)]
            if not isinstance(record, dict) or not record:
                continue
            key = sorted(record)[at % len(record)]
            if kind == "drop_key":
                del record[key]
            elif kind == "set_key":
                record[key] = junk
            elif kind == "set_nested" and isinstance(record[key], dict) and record[key]:
                record[key][sorted(record[key])[at % len(record[key])]] = junk
            elif kind == "duplicate":
                records.append(json.loads(json.dumps(record)))
    return answer


def check_api(which: str, ops, bytes_op) -> LoadResult | None:
    records, countries = wb_answers()
    if which == "records":
        records = mutate_answer(records, ops)
    else:
        countries = mutate_answer(countries, ops)
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root) / worldbank.FOLDER
        folder.mkdir()
        text = json.dumps(records)
        target = worldbank.API_FILE if which == "records" else worldbank.API_COUNTRIES_FILE
        (folder / worldbank.API_FILE).write_text(text)
        (folder / worldbank.API_COUNTRIES_FILE).write_text(json.dumps(countries))
        if bytes_op is not None:
            text = (folder / target).read_text()
            (folder / target).write_bytes(mutate_bytes(text.encode(), text, bytes_op))
        files = {worldbank.API_FILE, worldbank.API_COUNTRIES_FILE}
        return assert_contract(worldbank.load, Path(root), files)


@pytest.mark.parametrize("which", ["records", "countries"])
@FUZZ
@given(ops=st.lists(json_op, max_size=4), bytes_op=byte_op)
def test_world_bank_api_loader_keeps_its_contract(which, ops, bytes_op):
    check_api(which, ops, bytes_op)


# ================================================================ small files and the build


@FUZZ
@given(text=st.one_of(st.sampled_from(SENTINELS), st.text(max_size=30)))
def test_passport_snapshot_date_is_a_year_or_a_loader_error(text):
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root) / passport.FOLDER
        folder.mkdir()
        (folder / passport.SNAPSHOT_FILE).write_text(text, encoding="utf-8")
        try:
            year = passport.snapshot_year(Path(root))
        except LoaderError as error:
            assert error.file == passport.SNAPSHOT_FILE
        else:
            assert 2000 <= year <= 2100 and text.strip().startswith(str(year))


@FUZZ
@given(file=st.sampled_from(sorted(CSV_TARGETS)), ops=grid_ops, bytes_op=byte_op)
def test_build_writes_or_refuses_fuzzed_loader_output(file, ops, bytes_op):
    check_build(file, ops, bytes_op)


def check_build(file: str, ops, bytes_op) -> None:
    """What a loader returns, the build writes, or refuses with a ContractError naming each cell:
    the catalogue's indicators, with a 0 for each UN member absent from a list the catalogue
    counts as complete (in each year the list covers); the other indicators, one skipped row each."""
    result = check_csv(file, ops, bytes_op)
    if result is None:
        return
    with tempfile.TemporaryDirectory() as out:
        skipped = result.skipped.assign(loader=CSV_TARGETS[file].loader)
        try:
            build.write_tables(result.values, skipped, Path(out))
        except ContractError as error:
            assert len(error.failures) and error.failures["reason"].str.len().gt(0).all()
            assert not list(Path(out).iterdir()), "a refused build wrote tables"
        else:
            written = pd.read_csv(Path(out) / "values.csv", keep_default_na=False)
            written_skipped = pd.read_csv(Path(out) / "skipped.csv", keep_default_na=False)
            assert all(math.isfinite(v) for v in written["value"])
            keys = list(zip(written["iso3"], written["indicator"], written["year"], strict=True))
            assert len(keys) == len(set(keys)) and set(keys) == expected_keys(result.values)
            outside = set(result.values["indicator"]) - set(contract_tables()[0]["indicator"])
            left_out = written_skipped.loc[written_skipped["loader"] == "build", "row"]
            assert sorted(left_out) == sorted(outside)


def expected_keys(values: pd.DataFrame) -> set[tuple[str, str, int]]:
    """(iso3, indicator, year) the build writes for these loader values."""
    absence = load_catalogue().indicators.set_index("indicator")["absence"]
    given = values[values["indicator"].isin(absence.index)]
    keys = set(zip(given["iso3"], given["indicator"], given["year"].astype(int), strict=True))
    for indicator, rows in given.groupby("indicator"):
        if absence[indicator] == "zero":
            absent = un_member_states() - set(rows["iso3"])
            keys |= {(iso3, indicator, int(year)) for iso3 in absent for year in set(rows["year"])}
    return keys


def test_build_reports_an_unreadable_file_without_a_traceback(sources, tmp_path, capsys):
    broken = tmp_path / "sources"
    shutil.copytree(sources, broken)
    (broken / "rsf-press-freedom" / "rsf_2025_scores.csv").write_bytes(b"\xff\xfe\x00junk")
    assert build.main(["--sources", str(broken), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert "rsf_2025_scores.csv" in error and "not UTF-8" in error
    assert "Traceback" not in error
    assert not (tmp_path / "out").exists()


# ================================================================ found cases

# (kind, target, operations, byte operation): each broke the contract before the fix.
REGRESSIONS = [
    # (build) a loader left with no value: check_values raised KeyError on the empty table
    ("build", "broadcasters.csv", [], ("truncate", 540, b"")),
    # empty file: pandas' EmptyDataError
    ("csv", "rsf_2025_scores.csv", [], ("truncate", 0, b"")),
    # latin-1 bytes: UnicodeDecodeError
    ("csv", "institutes.csv", [], ("latin-1", 0, b"")),
    # a row longer than the header: pandas shifted the cells into an index
    ("csv", "electoral-democracy-index.csv", [("long_row", 1, 0, "0.5")], None),
    # a required column renamed: KeyError
    ("csv", "broadcasters.csv", [("rename_column", 5, 0, "languages")], None),
    # Score "inf" was loaded as a value
    ("csv", "rsf_2025_scores.csv", [("set_cell", 0, 3, "inf")], None),
    # Year "1e309": OverflowError converting inf to int
    ("csv", "electoral-democracy-index.csv", [("set_cell", 1, 2, "1e309")], None),
    # year "abc": ValueError in astype(int)
    ("csv", "citrix_mipex.csv", [("set_cell", 0, 0, "abc")], None),
    # A06a_yrs "nan": float("nan") was loaded
    ("csv", "data_v1.0_country-year.csv", [("set_focus_cell", 2, 3, "nan")], None),
    # a repeated row gave two values for one key
    ("csv", "IdealpointestimatesAll_Jun2024.csv", [("duplicate_row", 1, 0, None)], None),
    ("csv", "rsf_2025_scores.csv", [("duplicate_row", 1, 0, None)], None),
    # an empty Passport code: sorting str with NaN raised TypeError
    ("csv", "passport-index-tidy-iso3.csv", [("set_cell", 0, 0, "")], None),
    # a location code that is no number: ValueError in int()
    ("csv", "migration_un_data_coldrop.csv", [("set_focus_cell", 1, 1, "x")], None),
    # a population of 1e-300 gave an infinite share (QoG's wdi_pop then; WPP's thousands now)
    (
        "csv",
        "DERIVED_wpp2024_total_population_2010_2030.csv",
        [("set_focus_cell", 0, 1, "1e-300")],
        None,
    ),
    # validation year "2021.5": truncated to 2021; "1e309": OverflowError
    ("csv", "eiti_status.csv", [("set_focus_cell", 3, 5, "1e309")], None),
    # Year "2016a" or empty: astype("int64") raised; empty COUNTRY was dropped silently
    ("xlsx", "lowy", [("set_focus_cell", 0, 5, "2016a")], None),
    ("xlsx", "lowy", [("set_focus_cell", 1, 0, None)], None),
    # Edition inf: OverflowError; a damaged workbook: BadZipFile
    ("xlsx", "freedom_house", [("set_focus_cell", 3, 2, float("inf"))], None),
    ("xlsx", "freedom_house", [], ("truncate", 500, b"")),
    # a truncated .xls: xlrd's own errors; a year column renamed: ValueError in int()
    ("xls", "Data", [], ("truncate", 700, b"")),
    ("xls", "Data", [("rename_column", 60, 0, "latest")], None),
    ("xls", "Metadata - Countries", [("rename_column", 1, 0, "Area")], None),
    # the API: a NaN value was loaded; a float date truncated; JSON cut short
    ("api", "records", [("set_key", 7, float("nan"))], None),
    ("api", "records", [("set_key", 2, 2015.5)], None),
    ("api", "records", [], ("truncate", 300, b"")),
    # a record listed twice overwrote the first silently
    ("api", "records", [("duplicate", 3, None)], None),
    # UIS year 4.06e16: whole, but no int64 year the contract accepts
    ("csv", "data.csv", [("set_focus_cell", 27889, 383168, 4.058971359347764e16)], None),
]


@pytest.mark.parametrize(("kind", "target", "ops", "bytes_op"), REGRESSIONS)
def test_found_cases(kind, target, ops, bytes_op):
    check = {
        "csv": check_csv,
        "xlsx": check_xlsx,
        "xls": check_xls,
        "api": check_api,
        "build": check_build,
    }[kind]
    check(target, ops, bytes_op)


def test_found_cases_are_skipped_or_refused_with_a_reason():
    """A repeated RSF row is reported, not loaded twice; latin-1 bytes are refused by name."""
    result = check_csv("rsf_2025_scores.csv", [("duplicate_row", 1, 0, None)], None)
    assert "NOR" not in set(result.values["iso3"])  # the second data row
    assert "rsf_press_freedom: 2 rows for the same country and year" in set(
        result.skipped["reason"]
    )
    with pytest.raises(LoaderError, match="not UTF-8"):
        check_csv_raw("institutes.csv", [], ("latin-1", 0, b""))


def check_csv_raw(file: str, ops, bytes_op) -> LoadResult:
    """The loader's own answer, without the contract check."""
    target = CSV_TARGETS[file]
    data = csv_bytes(mutate_grid(target.grid(), ops, target.focus), bytes_op)
    with tempfile.TemporaryDirectory() as root:
        return target.load(sources_with(target, Path(root), data))
