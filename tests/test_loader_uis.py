"""UNESCO UIS inbound students on a hand-made fixture in the UIS export's `data.csv` layout.

Real rows: Russia, China, Germany, Hong Kong, Monaco, the United States (UIS estimates with
decimals), Canada (national estimate), Israel (UIS estimate), Afghanistan (NIL, a true zero), the
Cook Islands (NA, not applicable), Aruba 2009 (before 2010), two aggregates and two net-flow rows.
Edited rows: Germany 2023 twice, USA 2022 empty, GBR 'n/a', FRA negative, TUR year '2022.5' and
a Soviet Union 'SUN' code.
"""

from pathlib import Path

import pytest

from indicators.loaders import SKIPPED_COLUMNS, uis

SOURCES = Path(__file__).parent / "fixtures" / "sources"
FILE = "data.csv"


@pytest.fixture(scope="module")
def result():
    return uis.load(SOURCES)


@pytest.mark.parametrize(
    ("iso3", "year", "students", "note"),
    [
        ("RUS", 2022, 340326, ""),
        ("RUS", 2023, 336453, ""),
        ("CHN", 2023, 200892, ""),
        ("USA", 2020, 957475.1875, ""),  # as published, decimals and all
        ("USA", 2023, 956923.125, ""),
        ("HKG", 2023, 63688, ""),
        ("MCO", 2024, 1131, ""),
        ("CAN", 2010, 106284, "national estimate"),
        ("ISR", 2010, 2892, "UIS estimate"),
        ("AFG", 2014, 0, "nil (magnitude NIL)"),
    ],
)
def test_values_as_published_with_flags(result, iso3, year, students, note):
    rows = result.values[(result.values["iso3"] == iso3) & (result.values["year"] == year)]
    assert len(rows) == 1
    assert rows["indicator"].iloc[0] == "inbound_students"
    assert rows["value"].iloc[0] == students
    assert rows["note"].iloc[0] == note


def test_exactly_these_country_years(result):
    kept = set(zip(result.values["iso3"], result.values["year"], strict=True))
    assert kept == {
        ("AFG", 2014), ("CAN", 2010), ("CHN", 2023), ("HKG", 2023), ("ISR", 2010),
        ("MCO", 2024), ("RUS", 2022), ("RUS", 2023), ("USA", 2020), ("USA", 2023),
    }  # fmt: skip


def test_skipped_rows_with_reasons(result):
    assert list(result.skipped.columns) == SKIPPED_COLUMNS
    assert set(map(tuple, result.skipped.to_numpy().tolist())) == {
        (FILE, "indicatorId MENF.5T8", "not indicator 26637 (inbound students): 2 rows not read"),
        (FILE, "SDG: World", "regional aggregate 'SDG: World'"),
        (
            FILE,
            "ECE: Eastern Europe, Caucasus and Central Asia (CIS) (UNSDCode:98202)",
            "regional aggregate 'ECE: Eastern Europe, Caucasus and Central Asia (CIS) "
            "(UNSDCode:98202)'",
        ),
        (FILE, "SUN", "geoUnit 'SUN' is not an ISO 3166-1 code"),
        (FILE, "COK 2010", "magnitude NA (not applicable): the value '0' is no count"),
        (FILE, "USA 2022", "value is empty"),
        (FILE, "GBR 2022", "value is not a number: 'n/a'"),
        (FILE, "FRA 2022", "value is negative: '-263458.625'"),
        (FILE, "TUR 2022.5", "year is not a whole number up to 2100: '2022.5'"),
        (FILE, "DEU 2023", "inbound_students: 2 rows for the same country and year"),
    }
    assert len(result.skipped) == 10  # SDG: World has two years, one row


def test_years_before_2010_are_left_out_without_report(result):
    assert result.values["year"].min() >= 2010
    assert "ABW" not in set(result.values["iso3"]) | set(result.skipped["row"].str[:3])
