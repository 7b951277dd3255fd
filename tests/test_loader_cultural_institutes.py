from pathlib import Path

import pytest

from indicators.loaders import cultural_institutes

SOURCES = Path(__file__).parent / "fixtures" / "sources"
FILE = "institutes.csv"
CENTRES = "cultural_centres_abroad"
COUNTRIES = "cultural_centre_countries"


@pytest.fixture(scope="module")
def result():
    return cultural_institutes.load(SOURCES)


def lookup(values, iso3, indicator):
    row = values[(values["iso3"] == iso3) & (values["indicator"] == indicator)]
    assert len(row) == 1, (iso3, indicator)
    return row.iloc[0]


@pytest.mark.parametrize(
    ("iso3", "indicator", "year", "value"),
    [
        ("DEU", CENTRES, 2023, 158.0),
        ("DEU", COUNTRIES, 2023, 98.0),
        # Rossotrudnichestvo 97 (undated, source dated 2021) + Russkiy Mir 104 (2022).
        ("RUS", CENTRES, 2022, 201.0),
        # Largest network: Rossotrudnichestvo, 80 states, its own year.
        ("RUS", COUNTRIES, 2021, 80.0),
        # Institut français 98 + Alliance française 813; countries not stated.
        ("FRA", CENTRES, 2017, 911.0),
        # Undated row with a year in source_date.
        ("GBR", CENTRES, 2019, 200.0),
        ("KOR", CENTRES, 2024, 256.0),
        # Camões centres are not a number, but its countries are.
        ("PRT", COUNTRIES, 2019, 16.0),
    ],
)
def test_values(result, iso3, indicator, year, value):
    row = lookup(result.values, iso3, indicator)
    assert row["year"] == year
    assert row["value"] == value


def test_exact_set_of_values(result):
    keys = set(zip(result.values["iso3"], result.values["indicator"], strict=True))
    assert keys == {
        ("DEU", CENTRES),
        ("DEU", COUNTRIES),
        ("FRA", CENTRES),
        ("GBR", CENTRES),
        ("GBR", COUNTRIES),
        ("KOR", CENTRES),
        ("KOR", COUNTRIES),
        ("PRT", COUNTRIES),
        ("RUS", CENTRES),
        ("RUS", COUNTRIES),
    }
    # TUR's only row is from 2008.
    assert "TUR" not in set(result.values["iso3"])
    assert result.values["year"].min() >= 2010


def test_notes_show_networks_and_lower_bounds(result):
    russia = lookup(result.values, "RUS", CENTRES)["note"]
    assert russia.startswith("Rossotrudnichestvo (Russian Houses / Russian Centres for Science")
    assert " + Russkiy Mir Foundation - Russian Centres and Cabinets: 104 (" in russia
    assert "source dated 2021" in russia
    britain = lookup(result.values, "GBR", COUNTRIES)["note"]
    assert britain == (
        "British Council: 100 (more than; undated (current site, c.2015-2024); source dated 2019)"
    )


def test_skipped_rows(result):
    assert set(map(tuple, result.skipped.to_numpy().tolist())) == {
        (
            FILE,
            "FRA Institut français (public network: EAF pluridisciplinaires)",
            "countries_present is empty",
        ),
        (FILE, "FRA Alliance française (local associations)", "countries_present is empty"),
        (FILE, "ITA Società Dante Alighieri", "undated"),
        (FILE, "JPN Japan Foundation", "undated"),
        (
            FILE,
            "PRT Camões - Instituto da Cooperação e da Língua (Portuguese cultural centres)",
            "centres_abroad is not a number: 'about 23'",
        ),
        (FILE, "SUN Houses of Soviet Culture", "no ISO3 match for 'SUN'"),
    }
    assert len(result.skipped) == 6


@pytest.mark.parametrize(
    ("year_of_fact", "source_date", "year"),
    [
        ("2023 (September)", "de.wikipedia dump 2024-04", 2023),
        ("c.2019", "translation of fr.wikipedia (ref. accessed 2019-01-12)", 2019),
        ("undated (c.2020)", "undated MFA page; 2020-01", 2020),
        ("undated (current site, c.2015-2024)", "undated", None),
        ("", "2021-09-04", 2021),
    ],
)
def test_row_year(year_of_fact, source_date, year):
    assert cultural_institutes.row_year(year_of_fact, source_date) == year
