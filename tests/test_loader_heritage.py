"""UNESCO World Heritage List loader on a hand-made workbook in the publisher's layout
(tests/fixtures/heritage_fixture.py).

Worked by hand, Russia: the Kremlin (1990), the Curonian Spit (2000, with Lithuania) and Uvs Nuur
(2003, with Mongolia) make 3 before 2010; Putorana (2010) makes 4 in 2010; the Onega petroglyphs
(2021) 5; Kenozero (2024) 6. Dauria (2017) is written "mng,sun" in the fixture, so it counts for
Mongolia only.
"""

import pytest

from indicators.loaders import SKIPPED_COLUMNS, heritage
from tests.fixtures.heritage_fixture import write_fixture

FILE = "whc-sites-2024.xlsx"
YEARS = list(range(2010, 2025))


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    sources = tmp_path_factory.mktemp("sources")
    write_fixture(sources)
    return heritage.load(sources)


def series(result, iso3: str) -> list[float]:
    rows = result.values[result.values["iso3"] == iso3]
    assert list(rows["year"]) == YEARS
    return list(rows["value"])


@pytest.mark.parametrize(
    ("iso3", "counts"),
    [
        ("RUS", [4] * 11 + [5, 5, 5, 6]),
        ("MNG", [1] * 7 + [2] * 8),  # Uvs Nuur 2003, Dauria 2017
        ("LTU", [1] * 15),
        ("POL", [0, 0, 0] + [1] * 12),  # wooden churches, 2013: 0 before, not missing
        ("UKR", [0, 0, 0] + [1] * 12),
        ("ITA", [1] * 15),  # Rome, shared with the Holy See
        ("VAT", [1] * 15),
        ("AFG", [1] * 15),
        ("AGO", [0] * 7 + [1] * 8),  # written "ang" in the file
        ("PSE", [0] * 7 + [1] * 8),
    ],
)
def test_properties_inscribed_up_to_each_year(result, iso3, counts):
    assert series(result, iso3) == counts


def test_only_countries_in_the_file(result):
    # Bosnia (dated 2025), Brazil ("n/a") and Burkina Faso (listed twice) have no counted property.
    assert set(result.values["iso3"]) == {
        "AFG", "AGO", "ITA", "LTU", "MNG", "PSE", "POL", "RUS", "UKR", "VAT",
    }  # fmt: skip
    assert len(result.values) == 10 * len(YEARS)


@pytest.mark.parametrize(
    ("iso3", "year", "note"),
    [
        ("RUS", 2024, "incl. 2 transboundary"),
        ("MNG", 2016, "incl. 1 transboundary"),
        ("MNG", 2017, "incl. 2 transboundary"),  # "mng,sun" still names two State Parties
        ("AFG", 2024, ""),
    ],
)
def test_note_counts_transboundary_properties(result, iso3, year, note):
    values = result.values
    assert values.loc[(values["iso3"] == iso3) & (values["year"] == year), "note"].item() == note


def test_skipped_rows_with_reasons(result):
    assert list(result.skipped.columns) == SKIPPED_COLUMNS
    assert set(map(tuple, result.skipped.to_numpy().tolist())) == {
        (
            FILE,
            "id_no 148",
            "no State Party code for 'Old City of Jerusalem and its Walls' "
            "(Jerusalem (Site proposed by Jordan))",
        ),
        (FILE, "id_no 1448", "udnp_code 'sun' of 'Landscapes of Dauria' is not an ISO 3166-1 code"),
        (FILE, "id_no 1673", "inscribed in 2025, after the 2024 List this loader reads"),
        (FILE, "id_no 1611", "date_inscribed is not a year: 'n/a'"),
        (FILE, "id_no 1713", "id_no on 2 rows: the property is not counted"),
    }


def test_the_one_indicator_is_given(result):
    assert set(result.values["indicator"]) == {"world_heritage_sites"}
