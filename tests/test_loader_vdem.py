from pathlib import Path

import pytest

from indicators.loaders import SKIPPED_COLUMNS, vdem

SOURCES = Path(__file__).parent / "fixtures" / "sources"
FILE_NAME = "electoral-democracy-index.csv"


@pytest.fixture(scope="module")
def result():
    return vdem.load(SOURCES)


@pytest.mark.parametrize(
    ("iso3", "year", "expected"),
    [
        ("AFG", 2010, 0.347),
        ("DEU", 2024, 0.825),
        ("DEU", 2025, 0.828),
        ("NAM", 2025, 0.633),  # read as text, not as a missing "NA"
        ("RUS", 2010, 0.306),
        ("RUS", 2025, 0.170),
        ("XKX", 2025, 0.631),  # OWID's OWID_KOS
    ],
)
def test_values_as_published(result, iso3, year, expected):
    values = result.values
    match = values[(values["iso3"] == iso3) & (values["year"] == year)]
    assert len(match) == 1
    assert match.iloc[0]["indicator"] == "vdem_electoral_democracy"
    assert match.iloc[0]["value"] == pytest.approx(expected)


def test_only_countries_with_a_value_are_kept(result):
    kept = set(zip(result.values["iso3"], result.values["year"], strict=True))
    assert kept == {
        ("AFG", 2010),
        ("DEU", 2024),
        ("DEU", 2025),
        ("NAM", 2025),
        ("RUS", 2010),
        ("RUS", 2025),
        ("XKX", 2025),
    }


def test_years_before_2010_are_dropped_without_report(result):
    assert result.values["year"].min() == 2010
    assert not result.skipped["row"].str.contains("2009").any()


def test_skipped_rows_with_reasons(result):
    assert list(result.skipped.columns) == SKIPPED_COLUMNS
    assert set(map(tuple, result.skipped.to_numpy())) == {
        (FILE_NAME, "Africa", "region aggregate 'Africa', 2024–2025"),
        (
            FILE_NAME,
            "Africa (population-weighted)",
            "region aggregate 'Africa (population-weighted)', 2025",
        ),
        (FILE_NAME, "World", "region aggregate 'World', 2025"),
        (FILE_NAME, "Palestine/Gaza", "no ISO 3166-1 code for 'Palestine/Gaza', 2025"),
        (
            FILE_NAME,
            "Somaliland",
            "no ISO 3166-1 code for 'Somaliland' (code 'OWID_SML'), 2025",
        ),
        (
            FILE_NAME,
            "Netherlands Antilles",
            "code 'ANT' of 'Netherlands Antilles' is not an ISO 3166-1 code, 2010",
        ),
        (FILE_NAME, "CHN 2025", "index is empty"),
        (FILE_NAME, "USA 2025", "index is not a number: 'n/a'"),
    }
