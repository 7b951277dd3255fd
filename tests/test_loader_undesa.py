"""UN DESA migrant stock loader on hand-made fixtures in the publisher's CSV layout.

The stock fixture holds real rows (WORLD totals, a region listed twice as in the real file, bilateral
rows that must be ignored, territories), with two edited cells: Montenegro's 2020 immigrant stock is
".." and Serbia's is written with a thousands separator. The QoG fixture keeps nine real columns of
eight real rows; Sudan and Taiwan have no wdi_pop there, Mayotte has no row.
"""

from pathlib import Path

import pandas as pd
import pytest

from indicators.loaders import LoadResult, undesa

SOURCES = Path(__file__).parent / "fixtures" / "sources"
STOCK_FILE = "migration_un_data_coldrop.csv"

POPULATION = {"RUS": 144746762, "DEU": 83196078, "CHN": 1412360000, "SRB": 6834326, "MNE": 619211}


@pytest.fixture(scope="module")
def result() -> LoadResult:
    return undesa.load(SOURCES)


def row(result: LoadResult, iso3: str, indicator: str) -> pd.Series:
    rows = result.values.query("iso3 == @iso3 and indicator == @indicator")
    assert len(rows) == 1, (iso3, indicator)
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("iso3", "indicator", "stock"),
    [
        ("RUS", "immigrant_stock_share", 11636911),
        ("DEU", "immigrant_stock_share", 15762457),
        ("CHN", "immigrant_stock_share", 1039675),
        ("SRB", "immigrant_stock_share", 823011),  # written "823,011"
        ("RUS", "emigrant_stock_share", 10756697),
        ("DEU", "emigrant_stock_share", 3855268),
        ("CHN", "emigrant_stock_share", 10461170),
        ("MNE", "emigrant_stock_share", 132965),
        ("SRB", "emigrant_stock_share", 1003962),
    ],
)
def test_share_is_stock_over_population(result, iso3, indicator, stock):
    found = row(result, iso3, indicator)
    assert found["year"] == 2020
    assert found["value"] == pytest.approx(stock / POPULATION[iso3] * 100)
    assert "population: WDI via QoG Jan25" in found["note"]


@pytest.mark.parametrize(
    ("iso3", "indicator", "expected"),
    [
        ("RUS", "immigrant_stock_share", 8.0395),
        ("RUS", "emigrant_stock_share", 7.4314),
        ("DEU", "immigrant_stock_share", 18.9462),
        ("MNE", "emigrant_stock_share", 21.4733),
    ],
)
def test_spot_values(result, iso3, indicator, expected):
    assert row(result, iso3, indicator)["value"] == pytest.approx(expected, abs=1e-4)


def test_note(result):
    assert row(result, "RUS", "immigrant_stock_share")["note"] == (
        "stock 2020: 11,636,911; population: WDI via QoG Jan25, 144,746,762; data type B"
    )
    assert row(result, "CHN", "emigrant_stock_share")["note"] == (
        "stock 2020: 10,461,170; population: WDI via QoG Jan25, 1,412,360,000"
    )


def test_countries_per_indicator(result):
    countries = result.values.groupby("indicator")["iso3"].apply(set).to_dict()
    assert countries == {
        "immigrant_stock_share": {"CHN", "DEU", "RUS", "SRB"},
        "emigrant_stock_share": {"CHN", "DEU", "MNE", "RUS", "SRB"},
    }


def test_skipped_rows(result):
    # Immigrant rows first, then emigrant rows; a row failing alike on both sides is listed once.
    expected = pd.DataFrame(
        [
            (STOCK_FILE, "900 WORLD", "region/group aggregate 'WORLD'"),
            (STOCK_FILE, "927 Australia and New Zealand", "region/group aggregate 'Australia and New Zealand'"),
            (STOCK_FILE, "729 Sudan", "no population: wdi_pop for SDN is empty"),
            (STOCK_FILE, "499 Montenegro", "immigrant_stock_share: no 2020 stock ('..')"),
            (STOCK_FILE, "175 Mayotte", "no population: MYT has no row in qog_bas_cs_jan25.csv"),
            (STOCK_FILE, "830 Channel Islands", "no ISO3 code for M49 830 'Channel Islands'"),
        ],
        columns=["file", "row", "reason"],
    )  # fmt: skip
    pd.testing.assert_frame_equal(result.skipped, expected, check_dtype=False)


def test_only_2020(result):
    # 2010 and 2015 stocks exist in the file, but there is no population for those years.
    assert set(result.values["year"]) == {2020}


def test_sorted_and_unique(result):
    values = result.values
    assert not values.duplicated(["iso3", "indicator", "year"]).any()
    expected = values.sort_values(["indicator", "iso3", "year"], ignore_index=True)
    pd.testing.assert_frame_equal(values, expected)
    assert list(values.columns) == ["iso3", "indicator", "year", "value", "note"]
    assert values["value"].between(0, 100).all()
