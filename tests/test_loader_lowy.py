from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from indicators.loaders import lowy

HEADER = (
    "COUNTRY",
    "POPULATION (M)",
    "GDP (B, USD)",
    "G20 RANK",
    "OECD RANK",
    "ASIA RANK",
    "OVERALL RANK",
    "POST CITY",
    "POST COUNTRY",
    "TYPE OF POST",
    "POST TYPE TITLE",
    "Year",
)
EMBASSY = "Embassy / High Commission"
CONSULATE = "Consulate / Consulate-General"
MISSION = "Permanent Mission"

# Rows as in the publisher's sheet: one row per post, senders by name (with name variants
# across editions), the EU's EEAS, a duplicated row, a 2019 stub edition and a pre-2010 row.
ROWS = [
    ("Russian Federation", 146.8, 1283, 11, None, None, 6, "Canberra", "Australia", EMBASSY, "Embassy", 2016),
    ("Russian Federation", 146.8, 1283, 11, None, None, 6, "Sydney", "Australia", CONSULATE, "Consulate-General", 2016),
    ("Russian Federation", 146.8, 1283, 11, None, None, 6, "Geneva", "Switzerland", MISSION, "Permanent Mission", 2016),
    ("Russia", 144.2, 2240, 5, None, None, 5, "Canberra", "Australia", EMBASSY, "Embassy", 2023),
    ("Russia", 144.2, 2240, 5, None, None, 5, "Vienna", "Austria", EMBASSY, "Embassy", 2023),
    ("Germany", 84.4, 4082, 6, 5, None, 7, "Kabul", "Afghanistan", "Other", "Liaison Office", 2023),
    ("Germany", 84.4, 4082, 6, 5, None, 7, "Algiers", "Algeria", EMBASSY, "Embassy", 2023),
    ("Spain", 47.6, 1582, None, 7, None, 9, "Abuja", "Nigeria", EMBASSY, "Embassy", 2021),
    ("Spain", 47.6, 1582, None, 7, None, 9, "Abuja", "Nigeria", EMBASSY, "Embassy", 2021),
    ("Spain", 47.6, 1582, None, 7, None, 9, "Lagos", "Nigeria", CONSULATE, "Consulate-General", 2021),
    ("Türkiye", 85.3, 1108, 17, 11, None, 3, "Kabul", "Afghanistan", EMBASSY, "Embassy", 2023),
    ("Taiwan*", 23.9, 752, None, None, 16, 32, "Canberra", "Australia", "Other", "Economic and Cultural Office", 2023),
    ("European External Action Service", 447.7, 16746, None, None, None, None, "Kabul", "Afghanistan", "Other", "Delegation", 2023),
    ("European External Action Service", 447.7, 16746, None, None, None, None, "Tirana", "Albania", "Other", "Delegation", 2023),
    ("Chile", 18.7, 298, None, 18, None, 24, "Caracas", "Venezuela Bolivarian Republic of", EMBASSY, "Embassy", 2019),
    ("China", 1400.8, 14026, 1, None, 1, 1, "Caracas", "Venezuela Bolivarian Republic of", EMBASSY, "Embassy", 2019),
    ("Japan", 127.0, 4380, 4, 3, 2, 4, "Kabul", "Afghanistan", EMBASSY, "Embassy", 2009),
]  # fmt: skip


def write_fixture(sources: Path) -> Path:
    folder = sources / lowy.FOLDER
    folder.mkdir(parents=True)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    path = folder / lowy.FILE
    workbook.save(path)
    return path


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


def test_output_sorted_unique_and_typed(result):
    values = result.values
    assert list(values.columns) == ["iso3", "indicator", "year", "value", "note"]
    assert values.equals(values.sort_values(["indicator", "iso3", "year"], ignore_index=True))
    assert not values.duplicated(["iso3", "indicator", "year"]).any()
    assert values["year"].dtype == "int64"
    assert values["value"].dtype == "float64"


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
