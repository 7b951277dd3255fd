import openpyxl
import pandas as pd
import pytest

from indicators.loaders import lowy
from tests.fixtures.lowy_fixture import EMBASSY, write_fixture


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    sources = tmp_path_factory.mktemp("sources")
    write_fixture(sources)
    return lowy.load(sources)


def value_of(values: pd.DataFrame, iso3: str, year: int) -> float:
    match = values[(values["iso3"] == iso3) & (values["year"] == year)]
    assert len(match) == 1, (iso3, year)
    return match["value"].iloc[0]


@pytest.mark.parametrize(
    ("iso3", "year", "posts"),
    [
        ("RUS", 2016, 3.0),  # "Russian Federation": embassy + consulate + mission
        ("RUS", 2023, 2.0),  # "Russia"
        ("DEU", 2023, 2.0),  # "Other" posts count too
        ("ESP", 2021, 2.0),  # duplicated Abuja row counted once
        ("TUR", 2023, 1.0),
        ("TWN", 2023, 1.0),
    ],
)
def test_posts_per_sender_and_year(result, iso3, year, posts):
    assert value_of(result.values, iso3, year) == posts


def test_note_breaks_posts_down_by_type(result):
    note = result.values.query("iso3 == 'RUS' and year == 2016")["note"].iloc[0]
    assert note == "embassies 1, consulates 1, missions 1, other 0"


def test_exact_set_of_values(result):
    keys = set(zip(result.values["iso3"], result.values["year"], strict=True))
    assert keys == {
        ("DEU", 2023),
        ("ESP", 2021),
        ("RUS", 2016),
        ("RUS", 2023),
        ("TUR", 2023),
        ("TWN", 2023),
    }
    assert set(result.values["indicator"]) == {"diplomatic_posts"}


def test_2019_and_pre_2010_are_absent(result):
    assert 2019 not in set(result.values["year"])
    assert result.values["year"].min() >= 2010
    assert "CHL" not in set(result.values["iso3"])


def test_skipped_rows(result):
    assert sorted(map(tuple, result.skipped.to_numpy().tolist())) == sorted(
        [
            (
                "globaldiplomacyindex.xlsx",
                "Year 2019",
                "2019 edition incomplete in this copy (only posts in Venezuela): 2 rows",
            ),
            (
                "globaldiplomacyindex.xlsx",
                "Spain 2021: Embassy Abuja, Nigeria",
                "duplicate of an identical post row, counted once",
            ),
            (
                "globaldiplomacyindex.xlsx",
                "European External Action Service 2023",
                "EU body, not a country: 2 posts",
            ),
        ]
    )


def test_unknown_sender_is_reported(tmp_path):
    path = write_fixture(tmp_path)
    workbook = openpyxl.load_workbook(path)
    workbook.active.append(
        ("Atlantis", 1.0, 1, None, None, None, 99, "Paris", "France", EMBASSY, "Embassy", 2023)
    )
    workbook.save(path)
    result = lowy.load(tmp_path)
    assert (
        "globaldiplomacyindex.xlsx",
        "Atlantis 2023",
        "no ISO3 match for 'Atlantis': 1 posts",
    ) in (set(map(tuple, result.skipped.to_numpy().tolist())))
    assert len(result.values) == 6
