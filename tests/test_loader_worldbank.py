"""World Bank WDI remittances loader on an .xls built by tests/fixtures/worldbank_fixture.py (xlwt,
in the WDI download layout; real values of the 2023-05-10 vintage for countries, aggregates, CHI
(no ISO3), INX (no metadata row), and the zeros and gaps of Somalia, Yemen and Turkmenistan).
"""

import importlib.util
from pathlib import Path

import pandas as pd
import pytest
import xlwt

from indicators.loaders import LoadResult, worldbank

FIXTURE_MODULE = Path(__file__).parent / "fixtures" / "worldbank_fixture.py"
FILE = "remittances-received-percent-gdp.xls"


def fixture_builder():
    spec = importlib.util.spec_from_file_location("worldbank_fixture", FIXTURE_MODULE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def result(tmp_path_factory) -> LoadResult:
    sources = tmp_path_factory.mktemp("sources")
    fixture_builder().write_workbook(sources)
    return worldbank.load(sources)


def value(result: LoadResult, iso3: str, year: int) -> float:
    rows = result.values.query("iso3 == @iso3 and year == @year")
    assert len(rows) == 1, (iso3, year)
    return rows["value"].iloc[0]


@pytest.mark.parametrize(
    ("iso3", "year", "expected"),
    [
        ("RUS", 2010, 0.3442822387865945),
        ("RUS", 2020, 0.6657190628177309),
        ("DEU", 2021, 0.4791570297791968),
        ("ABW", 2016, 1.7656205467627213),
        ("XKX", 2020, 18.60958345064251),
        ("SOM", 2018, 25.307377022291412),
        ("TKM", 2019, 0.004421704251152801),
        ("YEM", 2016, 12.039736375516814),
    ],
)
def test_values(result, iso3, year, expected):
    assert value(result, iso3, year) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("iso3", "years"),
    [
        ("RUS", range(2010, 2022)),
        ("ABW", range(2010, 2022)),
        ("SOM", range(2018, 2022)),  # empty 2010-2012, 0 for 2013-2017
        ("TKM", range(2010, 2020)),
        ("YEM", range(2010, 2017)),  # 0 for 2017-2018, then empty
    ],
)
def test_years_per_country(result, iso3, years):
    assert list(result.values.query("iso3 == @iso3")["year"]) == list(years)


def test_only_countries(result):
    assert set(result.values["iso3"]) == {"ABW", "DEU", "RUS", "SOM", "TKM", "XKX", "YEM"}
    assert set(result.values["indicator"]) == {"remittances_gdp"}


def test_skipped_rows(result):
    expected = pd.DataFrame(
        [
            ("column 2022", "empty for every economy"),
            ("AFE Africa Eastern and Southern", "aggregate 'Africa Eastern and Southern' (no Region in 'Metadata - Countries')"),
            ("CHI Channel Islands", "'CHI' ('Channel Islands') is not an ISO3 code"),
            ("INX Not classified", "'Not classified' is not in sheet 'Metadata - Countries'"),
            ("SOM Somalia", "no value for 2010-2012"),
            ("SOM Somalia", "0 for 2013-2017: read as not reported, not as no remittances"),
            ("TKM Turkmenistan", "no value for 2020-2021"),
            ("WLD World", "aggregate 'World' (no Region in 'Metadata - Countries')"),
            ("YEM Yemen, Rep.", "no value for 2019-2021"),
            ("YEM Yemen, Rep.", "0 for 2017-2018: read as not reported, not as no remittances"),
        ],
        columns=["row", "reason"],
    )  # fmt: skip
    expected.insert(0, "file", FILE)
    pd.testing.assert_frame_equal(result.skipped, expected, check_dtype=False)


def test_no_year_before_2010(result):
    # 2008 and 2009 are filled in the fixture.
    assert result.values["year"].min() == 2010


def test_wrong_header_row_is_refused(tmp_path):
    (tmp_path / "wb-remittances").mkdir()
    book = xlwt.Workbook()
    book.add_sheet("Data").write(0, 0, "Country Name")
    book.add_sheet("Metadata - Countries").write(0, 0, "Country Code")
    book.save(str(tmp_path / "wb-remittances" / FILE))
    with pytest.raises(ValueError, match="header"):
        worldbank.load(tmp_path)
