"""UN DESA migrant stock loader on hand-made fixtures in the publisher's CSV layout.

The stock fixture holds real rows (WORLD totals, a region listed twice as in the real file, bilateral
rows that must be ignored, territories, Taiwan's all-zero rows, the United Arab Emirates), with two
edited cells: Montenegro's 2020 immigrant stock is ".." and Serbia's is written with a thousands
separator. The population comes from the WPP fixture (tests/test_loader_wpp.py): Montenegro and
Serbia have no usable 2015 population there and Mayotte no 2010 row.

Worked by hand (stock / WPP 2024 population of the same year * 100):
    RUS immigrants 2020: 11,636,911 / 146,371,301 = 7.9503 %
    RUS emigrants 2010:  10,118,680 / 143,934,465 = 7.0301 %
    MNE emigrants 2020:     132,965 /     607,938 = 21.8715 %
    ARE immigrants 2010:  7,316,697 /   6,938,359 = 105.5 %: more immigrants than people, skipped
"""

from pathlib import Path

import pandas as pd
import pytest

from indicators.loaders import LoadResult, undesa

SOURCES = Path(__file__).parent / "fixtures" / "sources"
STOCK_FILE = "migration_un_data_coldrop.csv"
WPP_FILE = "DERIVED_wpp2024_total_population_2010_2030.csv"

# WPP fixture, thousands * 1000.
POPULATION = {
    ("RUS", 2010): 143_934_465,
    ("RUS", 2020): 146_371_301,
    ("DEU", 2015): 82_077_551,
    ("DEU", 2020): 83_628_708,
    ("CHN", 2020): 1_426_106_092,
    ("SRB", 2020): 6_907_811,
    ("MNE", 2010): 632_083,
    ("MNE", 2020): 607_938,
    ("SDN", 2020): 46_789_232,
    ("MYT", 2015): 245_579,
    ("ARE", 2020): 9_448_522,
}


@pytest.fixture(scope="module")
def result() -> LoadResult:
    return undesa.load(SOURCES)


def row(result: LoadResult, iso3: str, indicator: str, year: int = 2020) -> pd.Series:
    rows = result.values.query("iso3 == @iso3 and indicator == @indicator and year == @year")
    assert len(rows) == 1, (iso3, indicator, year)
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("iso3", "indicator", "year", "stock"),
    [
        ("RUS", "immigrant_stock_share", 2020, 11636911),
        ("DEU", "immigrant_stock_share", 2015, 10220418),
        ("CHN", "immigrant_stock_share", 2020, 1039675),
        ("SRB", "immigrant_stock_share", 2020, 823011),  # written "823,011"
        (
            "SDN",
            "immigrant_stock_share",
            2020,
            1379147,
        ),  # QoG had no population for Sudan; WPP has one
        ("ARE", "immigrant_stock_share", 2020, 8716332),
        ("MNE", "immigrant_stock_share", 2010, 78512),
        ("RUS", "emigrant_stock_share", 2010, 10118680),
        ("RUS", "emigrant_stock_share", 2020, 10756697),
        ("DEU", "emigrant_stock_share", 2020, 3855268),
        ("MNE", "emigrant_stock_share", 2020, 132965),
        ("MYT", "emigrant_stock_share", 2015, 6545),
        ("SDN", "emigrant_stock_share", 2020, 2104887),
    ],
)
def test_share_is_stock_over_population_of_the_same_year(result, iso3, indicator, year, stock):
    found = row(result, iso3, indicator, year)
    assert found["value"] == pytest.approx(stock / POPULATION[(iso3, year)] * 100)
    assert f"population: UN WPP 2024, {year}, " in found["note"]


@pytest.mark.parametrize(
    ("iso3", "indicator", "year", "expected"),
    [
        ("RUS", "immigrant_stock_share", 2020, 7.9503),
        ("RUS", "emigrant_stock_share", 2010, 7.0301),
        ("MNE", "emigrant_stock_share", 2020, 21.8715),
    ],
)
def test_spot_values(result, iso3, indicator, year, expected):
    assert row(result, iso3, indicator, year)["value"] == pytest.approx(expected, abs=1e-4)


def test_note(result):
    assert row(result, "RUS", "immigrant_stock_share")["note"] == (
        "stock 2020: 11,636,911; population: UN WPP 2024, 2020, 146,371,301; data type B"
    )
    assert row(result, "CHN", "emigrant_stock_share")["note"] == (
        "stock 2020: 10,461,170; population: UN WPP 2024, 2020, 1,426,106,092"
    )


def test_countries_per_indicator_and_year(result):
    found = result.values.groupby(["indicator", "year"])["iso3"].apply(set).to_dict()
    everywhere = {"CHN", "DEU", "RUS", "SDN"}
    assert found == {
        ("immigrant_stock_share", 2010): everywhere | {"MNE", "SRB"},
        ("immigrant_stock_share", 2015): everywhere | {"ARE"},
        ("immigrant_stock_share", 2020): everywhere | {"ARE", "SRB"},
        ("emigrant_stock_share", 2010): everywhere | {"MDA", "MNE", "SRB", "TUR", "UKR"},
        ("emigrant_stock_share", 2015): everywhere | {"MDA", "MYT", "TUR", "UKR"},
        ("emigrant_stock_share", 2020): everywhere | {"MDA", "MNE", "MYT", "SRB", "TUR", "UKR"},
    }


def test_skipped_rows(result):
    # A row failing alike on both sides is listed once; the WPP file's own skipped rows follow.
    assert set(map(tuple, result.skipped.to_numpy().tolist())) == {
        (STOCK_FILE, "900 WORLD", "region/group aggregate 'WORLD'"),
        (STOCK_FILE, "927 Australia and New Zealand", "region/group aggregate 'Australia and New Zealand'"),
        (STOCK_FILE, "158 China, Taiwan Province of China", "every stock 1990–2020 is 0: no UN DESA estimate, not a count"),
        (STOCK_FILE, "830 Channel Islands", "no ISO3 code for M49 830 'Channel Islands'"),
        (STOCK_FILE, "499 Montenegro", "immigrant_stock_share: no 2020 stock ('..')"),
        (STOCK_FILE, "499 Montenegro", "no population: UN WPP 2024 has no 2015 population for MNE"),
        (STOCK_FILE, "688 Serbia", "no population: UN WPP 2024 has no 2015 population for SRB"),
        (STOCK_FILE, "175 Mayotte", "no population: UN WPP 2024 has no 2010 population for MYT"),
        (STOCK_FILE, "784 United Arab Emirates", "immigrant_stock_share: 2010 stock 7,316,697 is more than the UN WPP 2024 population 6,938,359: the two publications disagree"),
        (WPP_FILE, "M49 900 World", "region/group aggregate 'World' (location_type '0')"),
        (WPP_FILE, "M49 908 Europe", "region/group aggregate 'Europe' (location_type '2')"),
        (WPP_FILE, "M49 1829 Europe and Northern America", "region/group aggregate 'Europe and Northern America' (location_type '1829000')"),
        (WPP_FILE, "M49 530 Netherlands Antilles", "'ANT' of 'Netherlands Antilles' is not an ISO 3166-1 code"),
        (WPP_FILE, "CHN 2024", "pop_thousands is not a finite number of persons: 'n/a'"),
        (WPP_FILE, "DEU 2020.5", "year is not a whole number from 1950 to 2100: '2020.5'"),
        (WPP_FILE, "MNE 2015", "pop_thousands is empty"),
        (WPP_FILE, "SRB 2015", "2 rows for the same country and year: none is used"),
    }  # fmt: skip
    assert not result.skipped.duplicated().any()


def test_taiwan_has_a_population_but_no_estimate(result):
    assert "TWN" not in set(result.values["iso3"])


def test_immigrant_shares_are_percentages(result):
    values = result.values
    assert values.loc[values["indicator"] == "immigrant_stock_share", "value"].between(0, 100).all()


# ---- emigrant stock (counts, no denominator)


@pytest.fixture(scope="module")
def emigrants() -> LoadResult:
    return undesa.load_emigrant_stock(SOURCES)


@pytest.mark.parametrize(
    ("iso3", "year", "stock"),
    [
        ("RUS", 2010, 10118680),
        ("RUS", 2020, 10756697),
        ("MNE", 2015, 134028),
        ("MYT", 2010, 6342),  # no population needed
        ("MDA", 2020, 1159443),
        ("UKR", 2020, 6139144),
    ],
)
def test_emigrant_stock_as_published(emigrants, iso3, year, stock):
    values = emigrants.values
    found = values[(values["iso3"] == iso3) & (values["year"] == year)]
    assert len(found) == 1
    assert found["indicator"].iloc[0] == "emigrant_stock"
    assert found["value"].iloc[0] == stock


def test_emigrant_stock_countries_and_skipped_rows(emigrants):
    values = emigrants.values
    countries = {"CHN", "DEU", "MDA", "MNE", "MYT", "RUS", "SDN", "SRB", "TUR", "UKR"}
    assert set(values["iso3"]) == countries
    assert set(values["year"]) == {2010, 2015, 2020}
    assert len(values) == 3 * len(countries)
    assert set(map(tuple, emigrants.skipped.to_numpy().tolist())) == {
        (STOCK_FILE, "900 WORLD", "region/group aggregate 'WORLD'"),
        (STOCK_FILE, "927 Australia and New Zealand", "region/group aggregate 'Australia and New Zealand'"),
        (STOCK_FILE, "158 China, Taiwan Province of China", "every stock 1990–2020 is 0: no UN DESA estimate, not a count"),
        (STOCK_FILE, "830 Channel Islands", "no ISO3 code for M49 830 'Channel Islands'"),
    }  # fmt: skip


def test_emigrant_stock_helper_for_other_loaders():
    stocks = undesa.emigrant_stock(SOURCES, 2020)
    assert stocks["RUS"] == 10756697
    assert stocks["TUR"] == 3411408
    assert "TWN" not in stocks
    assert undesa.emigrant_stock(SOURCES, 2015)["RUS"] == 10179999
