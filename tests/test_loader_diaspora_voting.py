from pathlib import Path

import pytest

from indicators.loaders import diaspora_voting

SOURCES = Path(__file__).parent / "fixtures" / "sources"
FILE = "voting_from_abroad.csv"


@pytest.fixture(scope="module")
def result():
    return diaspora_voting.load(SOURCES)


@pytest.mark.parametrize(
    ("iso3", "year", "value"),
    [
        ("RUS", 2024, 1.0),  # 2024 row wins over 2018
        ("UKR", 2019, 1.0),  # "2019-03-31 / 2019-04-21"; the 2004 row is before 2010
        ("ARM", 2021, 0.0),  # "no (limited exceptions)"
        ("DEU", 2023, 1.0),  # rules only: year from source_date "Wikipedia 2023-10"
        ("GBR", 2017, 1.0),  # "Wikipedia IPFS snapshot (c.2017)"
        ("IRL", 2023, 0.0),
    ],
)
def test_values(result, iso3, year, value):
    row = result.values[result.values["iso3"] == iso3]
    assert len(row) == 1
    assert row["year"].iloc[0] == year
    assert row["value"].iloc[0] == value


def test_exact_country_set_and_years(result):
    assert list(result.values["iso3"]) == ["ARM", "DEU", "GBR", "IRL", "RUS", "UKR"]
    assert set(result.values["indicator"]) == {"external_voting"}
    assert result.values["year"].min() >= 2010


@pytest.mark.parametrize(
    ("iso3", "note"),
    [
        (
            "ARM",
            "(limited exceptions); Snap parliamentary election 2021-06-20; "
            "elections: none for ordinary citizens abroad; "
            "methods: voting only in precinct centres inside Armenia",
        ),
        (
            "DEU",
            "(time-limited); rules per source dated Wikipedia 2023-10; elections: federal elections",
        ),
        (
            "RUS",
            "Presidential election 2024-03-15/17; elections: federal only (presidential, State Duma);"
            " methods: in person at polling stations in embassies, consulates, trade missions, "
            "Russian…",
        ),
    ],
)
def test_notes(result, iso3, note):
    assert result.values.loc[result.values["iso3"] == iso3, "note"].iloc[0] == note


def test_skipped_rows(result):
    assert set(map(tuple, result.skipped.to_numpy().tolist())) == {
        (FILE, "EST rules", "external_voting_allowed is empty"),
        (
            FILE,
            "ITA rules",
            "external_voting_allowed is neither yes nor no: 'partly (constituency abroad)'",
        ),
        (FILE, "LVA rules", "undated"),
        (FILE, "SUN Supreme Soviet election 2012-03-04", "no ISO3 match for 'SUN'"),
        (FILE, "RUS Presidential election 2018-03-18", "superseded by the 2024 row"),
    }
    assert len(result.skipped) == 5


def test_output_sorted_unique_and_typed(result):
    values = result.values
    assert list(values.columns) == ["iso3", "indicator", "year", "value", "note"]
    assert values.equals(values.sort_values(["indicator", "iso3", "year"], ignore_index=True))
    assert not values.duplicated(["iso3", "indicator", "year"]).any()
    assert values["year"].dtype == "int64"
    assert values["value"].dtype == "float64"


@pytest.mark.parametrize(
    ("answer", "parsed"),
    [
        ("yes", (1.0, "")),
        ("Yes (conditional)", (1.0, "(conditional)")),
        ("no (extremely limited exceptions)", (0.0, "(extremely limited exceptions)")),
        ("not known", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_voting_value(answer, parsed):
    assert diaspora_voting.voting_value(answer) == parsed
