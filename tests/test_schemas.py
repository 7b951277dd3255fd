"""The contracts report every broken cell, once, with a reason a person can act on."""

import io
from pathlib import Path

import pandas as pd
import pytest

from indicators.catalogue import load_catalogue, read_table
from indicators.countries import build_countries
from scoring.schemas import (
    ContractError,
    check_framework,
    check_published_indices,
    check_values,
    validate_catalogue,
    validate_countries,
    validate_published_indices,
    validate_values,
)

BROKEN = Path(__file__).parent / "fixtures" / "broken"


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="module")
def countries():
    return build_countries()


# file -> every failure expected, as (row, column, reason)
BROKEN_VALUES = {
    "values_sentinel.csv": [(1, "value", "'n/a' is not a number")],
    "values_duplicate.csv": [
        (0, "iso3", "duplicate (iso3, indicator, year): the same key is on another row too"),
        (1, "iso3", "duplicate (iso3, indicator, year): the same key is on another row too"),
    ],
    "values_unknown_iso3.csv": [(0, "iso3", "unknown country code 'RUZ' (did you mean RUS?)")],
    "values_unknown_indicator.csv": [(0, "indicator", "unknown indicator 'press_freedom'")],
    "values_out_of_range.csv": [
        (0, "value", "124.57 is outside rsf_press_freedom's range [0, 100]"),
        (1, "value", "-1 is outside ordinary_naturalisation's range [0, 1]"),
    ],
    "values_bad_year.csv": [
        (0, "year", "1890 is outside (1990, 2030)"),
        (1, "year", "'2025.5' is not a whole number"),
    ],
    "values_non_finite.csv": [
        (0, "value", "inf is not a finite number"),
        (1, "value", "'nan' is not a number"),
        (2, "value", "empty cell"),
    ],
    "values_missing_column.csv": [(None, "value", "required column is missing")],
    "values_wrong_unit.csv": [(1, "unit", "unit differs from the catalogue's 'score 0–100'")],
}


@pytest.mark.parametrize("file, expected", BROKEN_VALUES.items(), ids=list(BROKEN_VALUES))
def test_each_broken_values_file_reports_exactly_its_failures(file, expected, catalogue, countries):
    frame = read_table(BROKEN / file)
    checked = check_values(frame, catalogue.framework(), countries)
    reported = [
        (None if pd.isna(row) else int(row), column, reason)
        for row, column, reason in checked.failures[["row", "column", "reason"]].itertuples(
            index=False
        )
    ]
    assert sorted(reported, key=str) == sorted(expected, key=str)
    # Nothing is lost: every row read is accepted or listed as rejected.
    assert (
        len(checked.accepted) + checked.rejected_rows == checked.rows_read or expected[0][0] is None
    )


def test_namibia_is_a_country_not_a_missing_value(catalogue, countries):
    checked = check_values(
        read_table(BROKEN / "values_unknown_iso3.csv"), catalogue.framework(), countries
    )
    assert checked.accepted["iso3"].tolist() == ["NAM"]
    assert checked.accepted["value"].tolist() == [70.0]


def test_valid_values_come_back_typed(catalogue, countries):
    frame = pd.DataFrame(
        {"iso3": ["RUS"], "indicator": ["rsf_press_freedom"], "year": ["2025"], "value": ["24.57"]}
    )
    values = validate_values(frame, catalogue.framework(), countries)
    assert values.dtypes.astype(str).to_dict() == {
        "iso3": "str",
        "indicator": "str",
        "year": "int64",
        "value": "float64",
    }


def test_validate_values_raises_with_the_failures(catalogue, countries):
    with pytest.raises(ContractError) as error:
        validate_values(
            read_table(BROKEN / "values_sentinel.csv"), catalogue.framework(), countries
        )
    assert str(error.value) == "values: 1 problem found"
    assert error.value.failures["reason"].tolist() == ["'n/a' is not a number"]


def test_broken_framework_reports_each_cell():
    failures = check_framework(read_table(BROKEN / "framework_broken.csv")).failures
    reported = set(failures[["row", "column", "reason"]].itertuples(index=False, name=None))
    assert reported == {
        (0, "indicator", "'rsf' appears more than once"),
        (1, "indicator", "'rsf' appears more than once"),
        (1, "direction", "direction must be 1 or -1, not 2"),
        (1, "weight", "weight -1.0 is negative"),
        (2, "indicator", "'Bad Name' must be lower_snake_case (letters, digits, _)"),
        (2, "direction", "'x' is not a whole number"),
        (2, "weight", "'nan' is not a number"),
    }


def test_countries_table_covers_iso_3166_and_passes_its_contract(countries):
    validated = validate_countries(countries)
    assert len(validated) == 250  # 249 ISO 3166-1 codes + Kosovo (XKX)
    russia = validated.set_index("iso3").loc["RUS"]
    assert set(russia["groups"].split(";")) >= {"BRICS", "CIS", "EAEU", "CSTO"}
    assert "NAM" in set(validated["iso3"])


def test_countries_contract_rejects_bad_codes_and_duplicates(countries):
    broken = pd.concat([countries.head(2), countries.head(1)], ignore_index=True)
    broken.loc[1, "iso3"] = "ru"
    with pytest.raises(ContractError) as error:
        validate_countries(broken)
    assert set(error.value.failures["row"]) == {0, 1, 2}


def test_catalogue_rejects_unknown_dimension_and_bad_range(catalogue):
    indicators = catalogue.indicators.copy()
    indicators.loc[0, "dimension"] = "soft_power"
    indicators.loc[1, ["range_low", "range_high"]] = [5.0, 1.0]
    with pytest.raises(ContractError) as error:
        validate_catalogue(catalogue.dimensions, indicators, catalogue.sources)
    assert error.value.table == "catalogue indicators"
    assert 1 in set(error.value.failures["row"])


# ---- published soft-power indices (data/published_indices.csv)

PUBLISHED_CSV = """index,edition,iso3,rank,score,source_url
SP30,2018,FRA,1,80.28,https://softpower30.com
SP30,2018,GBR,2,,https://softpower30.com
NBI,2022,,15,,https://ipsos.com
NBI,2022,RUS,,,https://ipsos.com
"""


def published(text: str = PUBLISHED_CSV) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])


def test_the_shipped_published_indices_pass_their_contract():
    table = validate_published_indices(read_table(Path("data/published_indices.csv")))
    # 253 rows in the publisher file; the build leaves out Scotland (no country code) and
    # Russia in the 2022 Nation Brands Index (neither rank nor score), with the reasons
    assert len(table) == 251
    assert list(table.columns) == ["index", "edition", "iso3", "rank", "score", "source_url"]
    assert table["iso3"].notna().all()
    sp30 = table[(table["index"] == "Portland Soft Power 30") & (table["edition"] == 2018)]
    assert len(sp30) == 30 and sorted(sp30["rank"]) == list(range(1, 31))


def test_published_indices_keep_empty_codes_ranks_and_scores_as_missing():
    table = validate_published_indices(published())
    assert table["rank"].dtype == "Int64" and table["score"].dtype == "float64"
    assert table["rank"].isna().tolist() == [False, False, False, True]
    assert table["score"].isna().tolist() == [False, True, True, True]
    assert table["iso3"].isna().tolist() == [False, False, True, False]


@pytest.mark.parametrize(
    "row, column, value, reason",
    [
        (0, "rank", "2.5", "'2.5' is not a whole number"),
        (0, "rank", "0", "rank 0 is below 1 (1 = best)"),
        (0, "score", "n/a", "'n/a' is not a number"),
        (0, "iso3", "rus", "'rus' is not a three-letter country code"),
        (0, "source_url", "ftp://x", "'ftp://x' is not a web address (http:// or https://)"),
        (0, "edition", "", "empty cell"),
        (1, "iso3", "FRA", "duplicate (index, edition, iso3): the same key is on another row too"),
    ],
)
def test_published_indices_report_each_broken_cell(row, column, value, reason):
    table = published()
    table.loc[row, column] = value if value else None
    failures = check_published_indices(table).failures
    assert (row, reason) in set(zip(failures["row"], failures["reason"], strict=True))


def test_published_indices_have_exactly_their_columns():
    failures = check_published_indices(published().assign(country="France")).failures
    assert failures["reason"].tolist() == ["unexpected column 'country'"]
    failures = check_published_indices(published().drop(columns="score")).failures
    assert failures[["column", "reason"]].values.tolist() == [
        ["score", "required column is missing"]
    ]
