from pathlib import Path

import pytest

from indicators.loaders import broadcasters

SOURCES = Path(__file__).parent / "fixtures" / "sources"
FILE = "broadcasters.csv"


@pytest.fixture(scope="module")
def result():
    return broadcasters.load(SOURCES)


@pytest.mark.parametrize(
    ("iso3", "year", "languages", "note"),
    [
        # Sputnik (31) beats RT (6); TASS has no count. "c.2024" is read as 2024.
        ("RUS", 2024, 31.0, "Sputnik (news agency and radio) (fact dated 'c.2024')"),
        # VOA (state) beats RFA (state-funded grantee).
        ("USA", 2022, 49.0, "Voice of America (VOA)"),
        # Euronews (private, 12) is excluded, so France Médias Monde counts.
        ("FRA", 2024, 21.0, "France Médias Monde (France 24, RFI, Monte Carlo Doualiya)"),
        # The year tagged "languages" wins over the TV-reach year.
        (
            "JPN",
            2015,
            18.0,
            "NHK World-Japan (NHK World TV + Radio Japan) "
            "(fact dated '2013 (TV reach); c.2015 (18 radio languages)')",
        ),
        # A range gives its end year.
        (
            "IRN",
            2019,
            27.0,
            "IRIB World Service (incl. Press TV, Al-Alam, HispanTV) (fact dated 'c.2007-2019')",
        ),
    ],
)
def test_values(result, iso3, year, languages, note):
    row = result.values[result.values["iso3"] == iso3]
    assert len(row) == 1
    assert row["year"].iloc[0] == year
    assert row["value"].iloc[0] == languages
    assert row["note"].iloc[0] == note


def test_exact_country_set(result):
    # TUR's largest broadcaster is dated 2008 (before 2010); CHE's is undated; VEN's is multi-state.
    assert list(result.values["iso3"]) == ["FRA", "IRN", "JPN", "RUS", "USA"]
    assert set(result.values["indicator"]) == {"broadcaster_languages"}
    assert result.values["year"].min() >= 2010


def test_skipped_rows(result):
    assert set(map(tuple, result.skipped.to_numpy().tolist())) == {
        (FILE, "RUS TASS (Russian News Agency)", "number_of_languages is empty"),
        (
            FILE,
            "FRA Euronews",
            "private owner 'private (founded 1993 by European public broadcasters)'",
        ),
        (FILE, "VEN teleSUR", "multi-state owner 'state (multi-state)'"),
        (
            FILE,
            "CHN CGTN (China Global Television Network)",
            "number_of_languages is not a number: 'several'",
        ),
        (FILE, "XXK Radio Free Atlantis", "no ISO3 match for 'XXK'"),
        (FILE, "CHE SWI swissinfo.ch", "undated"),
    }
    assert len(result.skipped) == 6


@pytest.mark.parametrize(
    ("owner_type", "counts"),
    [
        ("state", True),
        ("public", True),
        ("public (state broadcaster)", True),
        ("state-funded (private non-profit grantee)", True),
        ("state-funded", True),
        ("private", False),
        ("state (multi-state)", False),
        ("public (multilateral francophone)", False),
        ("cooperative", False),
    ],
)
def test_owner_rule(owner_type, counts):
    assert (broadcasters.owner_exclusion(owner_type) is None) == counts


@pytest.mark.parametrize(
    ("year_of_fact", "source_date", "year"),
    [
        ("2018", "2018-04-03", 2018),
        ("c.2016", "Wikipedia mirror c.2016", 2016),
        ("2015-2017", "2015-04-17; 2017; 2022-01-02", 2017),
        ("2013 (languages/countries); 2019 (audience)", "FY2013 BBG page; 2019-12-02", 2013),
        ("undated (c.2020s)", "undated", None),
        ("undated", "2011-12-19; refs 2005-2007", 2011),
        ("", "Dec 2020 / 2021", 2021),
    ],
)
def test_fact_year(year_of_fact, source_date, year):
    assert broadcasters.fact_year(year_of_fact, source_date) == year
