"""UN WPP 2024 population (a denominator) on a hand-made fixture in the DERIVED file's layout.

The fixture holds real rows (thousands, three decimals) for a few countries, Kosovo with its empty
iso3 (M49 412), three aggregates (World, Europe, an SDG region) and edited rows: China 2024 'n/a',
Germany '2020.5', Montenegro 2015 empty, Serbia 2015 twice with different numbers, an ANT row
(Curaçao's 2010 number under the retired Netherlands Antilles code). Mayotte has no 2010 row.
"""

from pathlib import Path

import pytest

from indicators.loaders import wpp

SOURCES = Path(__file__).parent / "fixtures" / "sources"
FILE = "DERIVED_wpp2024_total_population_2010_2030.csv"


@pytest.fixture(scope="module")
def loaded():
    return wpp.population(SOURCES)


@pytest.mark.parametrize(
    ("iso3", "year", "persons"),
    [
        ("RUS", 2020, 146_371_301),  # 146371.301 thousand
        ("RUS", 2024, 144_435_265),  # a projection year
        ("CHN", 2010, 1_351_561_513),
        ("XKX", 2020, 1_751_413),  # M49 412, iso3 empty in the file
        ("TWN", 2020, 23_663_461),
        ("SDN", 2010, 35_414_397),
        ("MYT", 2020, 284_370),  # 284.37 thousand
        ("MDA", 2020, 3_069_130),
    ],
)
def test_persons_are_thousands_times_1000(loaded, iso3, year, persons):
    table, _ = loaded
    rows = table[(table["iso3"] == iso3) & (table["year"] == year)]
    assert len(rows) == 1
    assert rows["persons"].iloc[0] == persons


def test_exact_countries_and_years(loaded):
    table, _ = loaded
    kept = set(zip(table["iso3"], table["year"], strict=True))
    three = {2010, 2015, 2020}
    expected = (
        {(iso3, year) for iso3 in ["ARE", "CHN", "DEU", "MDA", "RUS", "SDN", "TUR", "UKR"] for year in three}
        | {("MNE", 2010), ("MNE", 2020), ("MYT", 2015), ("MYT", 2020), ("SRB", 2010), ("SRB", 2020)}
        | {("RUS", 2024), ("TWN", 2020), ("XKX", 2020)}
    )  # fmt: skip
    assert kept == expected


def test_skipped_rows_with_reasons(loaded):
    _, dropped = loaded
    assert {(r["file"], r["row"], r["reason"]) for r in dropped} == {
        (FILE, "M49 900 World", "region/group aggregate 'World' (location_type '0')"),
        (FILE, "M49 908 Europe", "region/group aggregate 'Europe' (location_type '2')"),
        (
            FILE,
            "M49 1829 Europe and Northern America",
            "region/group aggregate 'Europe and Northern America' (location_type '1829000')",
        ),
        (
            FILE,
            "M49 530 Netherlands Antilles",
            "'ANT' of 'Netherlands Antilles' is not an ISO 3166-1 code",
        ),
        (FILE, "CHN 2024", "pop_thousands is not a finite number of persons: 'n/a'"),
        (FILE, "DEU 2020.5", "year is not a whole number from 1950 to 2100: '2020.5'"),
        (FILE, "MNE 2015", "pop_thousands is empty"),
        (FILE, "SRB 2015", "2 rows for the same country and year: none is used"),
    }
    assert len(dropped) == 8  # the World's two years are one skipped row


def test_one_year_as_a_dict(loaded):
    table, _ = loaded
    year_2015 = wpp.population_in(table, 2015)
    assert year_2015["DEU"] == 82_077_551
    assert set(year_2015) == {"ARE", "CHN", "DEU", "MDA", "MYT", "RUS", "SDN", "TUR", "UKR"}
    assert wpp.population_in(table, 1990) == {}


def test_table_is_typed_sorted_and_unique(loaded):
    table, _ = loaded
    assert list(table.columns) == ["iso3", "year", "persons"]
    assert table["year"].dtype == "int64" and table["persons"].dtype == "float64"
    assert not table.duplicated(["iso3", "year"]).any()
    assert table.equals(table.sort_values(["iso3", "year"], ignore_index=True))
    assert (table["persons"] > 0).all()
