"""GLOBALCIT / MIPEX loader on hand-made fixtures in the publisher's CSV layout.

Fixture rows are real rows of the two files, plus edited ones: Moldova 2019 carries the wrong iso3
MKD, and "Netherlands Antilles" (in both files) names no current country.
"""

from pathlib import Path

import pandas as pd
import pytest

from indicators.loaders import LoadResult, globalcit

SOURCES = Path(__file__).parent / "fixtures" / "sources"


@pytest.fixture(scope="module")
def result() -> LoadResult:
    return globalcit.load(SOURCES)


def value(result: LoadResult, iso3: str, indicator: str, year: int) -> float:
    rows = result.values.query("iso3 == @iso3 and indicator == @indicator and year == @year")
    assert len(rows) == 1, (iso3, indicator, year)
    return rows["value"].iloc[0]


@pytest.mark.parametrize(
    ("iso3", "indicator", "year", "expected"),
    [
        ("DEU", "mipex_access_nationality", 2010, 41.75),
        ("DEU", "mipex_access_nationality", 2019, 41.75),
        ("CHN", "mipex_access_nationality", 2014, 25.0),
        ("CHN", "mipex_access_nationality", 2019, 50.0),
        ("RUS", "mipex_access_nationality", 2014, 43.75),
        ("ISL", "mipex_access_nationality", 2019, 55.125),
        ("KOR", "mipex_access_nationality", 2019, 43.75),  # name "Korea"
        ("DEU", "naturalisation_residence_years", 2020, 8.0),
        ("RUS", "naturalisation_residence_years", 2020, 5.0),
        ("NAM", "naturalisation_residence_years", 2020, 10.0),
        ("XKX", "naturalisation_residence_years", 2020, 5.0),
        ("RUS", "dual_citizenship_emigrants", 2020, 1.0),
        ("USA", "dual_citizenship_emigrants", 2020, 1.0),
        ("NAM", "dual_citizenship_emigrants", 2020, 1.0),
        ("CHN", "dual_citizenship_emigrants", 2020, 0.0),
        ("JPN", "dual_citizenship_emigrants", 2020, 0.0),
        ("DEU", "dual_citizenship_emigrants", 2020, 0.0),  # before the 2024 reform
        ("CHN", "ordinary_naturalisation", 2020, 0.0),  # A06_bin 0: no path, the worst case
        ("COD", "ordinary_naturalisation", 2020, 0.0),
        ("RUS", "ordinary_naturalisation", 2020, 1.0),
        ("USA", "ordinary_naturalisation", 2020, 1.0),
    ],
)
def test_values(result, iso3, indicator, year, expected):
    assert value(result, iso3, indicator, year) == pytest.approx(expected)


def test_value_counts_per_indicator(result):
    counts = result.values.groupby("indicator").size().to_dict()
    assert counts == {
        "dual_citizenship_emigrants": 8,
        "mipex_access_nationality": 8,
        "naturalisation_residence_years": 6,
        "ordinary_naturalisation": 8,
    }


def test_no_ordinary_naturalisation_gives_no_residence_years(result):
    # CHN (A06a_yrs 99) and COD (A06a_yrs NA) have no ordinary naturalisation: neither 99 nor 0.
    residence = result.values.query("indicator == 'naturalisation_residence_years'")
    assert not {"CHN", "COD"} & set(residence["iso3"])
    assert residence["value"].between(1, 50).all()


def test_dual_citizenship_note_names_the_combined_code(result):
    notes = result.values.query("indicator == 'dual_citizenship_emigrants'").set_index("iso3")
    assert notes.loc["RUS", "note"] == (
        "L05_bin = 0; dualcit_comb = 1 (dual citizenship accepted only at acquisition abroad)"
    )


def test_skipped_rows(result):
    expected = pd.DataFrame(
        [
            ("citrix_mipex.csv", "Iceland 2012", "MIPEX_ATN_2020 is empty"),
            ("citrix_mipex.csv", "Moldova", "iso3 MKD in the file disagrees with name match MDA"),
            (
                "citrix_mipex.csv",
                "Netherlands Antilles",
                "no ISO3 match for 'Netherlands Antilles'",
            ),
            (
                "data_v1.0_country-year.csv",
                "CHN 2020",
                "no ordinary naturalisation (A06_bin = 0; A06a_yrs '99' = not applicable)",
            ),
            (
                "data_v1.0_country-year.csv",
                "COD 2020",
                "no ordinary naturalisation (A06_bin = 0; A06a_yrs 'NA' = not applicable)",
            ),
            ("data_v1.0_country-year.csv", "ANT 2020", "no ISO3 code 'ANT'"),
        ],
        columns=["file", "row", "reason"],
    )
    pd.testing.assert_frame_equal(result.skipped, expected, check_dtype=False)


def test_mismatched_iso3_drops_the_whole_country(result):
    assert "MDA" not in set(result.values["iso3"])
    assert "MKD" not in set(result.values["iso3"])


def test_no_year_before_2010(result):
    # The fixture has Germany 2009 (41.75) and Austria 1985.
    assert result.values["year"].min() >= 2010
    assert "AUT" not in set(result.values["iso3"])
