import shutil
from pathlib import Path

import pytest

from indicators.loaders import SKIPPED_COLUMNS, VALUE_COLUMNS, diaspora_voting

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
    assert list(result.values["iso3"]) == [
        "ARM", "DEU", "GBR", "GEO", "IRL", "LTU", "MDA", "RUS", "TUR", "UKR",
    ]  # fmt: skip
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


# ---- diaspora_turnout: votes cast abroad per 100 emigrants (UN DESA 2020 emigrant stock, from the
# undesa fixture). Worked by hand:
#   RUS 2024: 383,553 / 10,756,697 * 100 = 3.5657
#   UKR 2019:  55,000 /  6,139,144 * 100 = 0.8959
#   TUR 2023: 1,839,470 / 3,411,408 * 100 = 53.9211
#   MDA 2024: 328,855 /  1,159,443 * 100 = 28.3632


@pytest.fixture(scope="module")
def turnout():
    return diaspora_voting.load_turnout(SOURCES)


@pytest.mark.parametrize(
    ("iso3", "year", "votes", "stock", "rounded"),
    [
        ("RUS", 2024, 383_553, 10_756_697, 3.5657),  # the 2024 row wins over 2018
        ("UKR", 2019, 55_000, 6_139_144, 0.8959),  # "2019-03-31 / 2019-04-21"
        ("TUR", 2023, 1_839_470, 3_411_408, 53.9211),
        ("MDA", 2024, 328_855, 1_159_443, 28.3632),
    ],
)
def test_turnout_is_votes_per_100_emigrants(turnout, iso3, year, votes, stock, rounded):
    rows = turnout.values[turnout.values["iso3"] == iso3]
    assert len(rows) == 1
    assert rows["indicator"].iloc[0] == "diaspora_turnout"
    assert rows["year"].iloc[0] == year
    assert rows["value"].iloc[0] == pytest.approx(votes / stock * 100)
    assert rows["value"].iloc[0] == pytest.approx(rounded, abs=1e-4)


def test_turnout_note_names_election_votes_and_stock(turnout):
    note = turnout.values.loc[turnout.values["iso3"] == "RUS", "note"].item()
    assert note == (
        "Presidential election 2024-03-15/17: 383,553 votes cast abroad; "
        "emigrant stock 2020 (UN DESA): 10,756,697"
    )


def test_turnout_only_for_rows_with_a_votes_figure(turnout):
    assert list(turnout.values["iso3"]) == ["MDA", "RUS", "TUR", "UKR"]
    assert list(turnout.values.columns) == VALUE_COLUMNS
    assert list(turnout.skipped.columns) == SKIPPED_COLUMNS
    no_figure = "diaspora_turnout: no votes_cast_abroad figure"
    assert set(map(tuple, turnout.skipped.to_numpy().tolist())) == {
        (FILE, "ARM Snap parliamentary election 2021-06-20", no_figure),
        (FILE, "DEU rules", no_figure),
        (FILE, "GBR rules", no_figure),
        (FILE, "IRL rules", no_figure),
        (FILE, "EST rules", no_figure),
        (FILE, "ITA rules", no_figure),
        (FILE, "LVA rules", no_figure),
        (FILE, "SUN Supreme Soviet election 2012-03-04", "no ISO3 match for 'SUN'"),
        (
            FILE,
            "GEO Parliamentary election 2024-10-26",
            "diaspora_turnout: votes_cast_abroad is not a count: 'about 60,000'",
        ),
        (
            FILE,
            "LTU Seimas election 2024-10-13",
            "diaspora_turnout: no UN DESA 2020 emigrant stock for LTU",
        ),
        (
            FILE,
            "RUS Presidential election 2018-03-18",
            "diaspora_turnout: superseded by the 2024 election",
        ),
        (
            FILE,
            "UKR Presidential election (repeat runoff) 2004-12-26",
            "diaspora_turnout: superseded by the 2019 election",
        ),
    }


def test_turnout_leaves_external_voting_alone(result, turnout):
    assert set(result.values["indicator"]) == {"external_voting"}
    assert set(turnout.values["indicator"]) == {"diaspora_turnout"}


def test_turnout_of_an_election_before_2010_is_skipped(tmp_path):
    shutil.copytree(SOURCES / "undesa-migrant-stock", tmp_path / "undesa-migrant-stock")
    (tmp_path / "diaspora-voting").mkdir()
    lines = (SOURCES / "diaspora-voting" / FILE).read_text(encoding="utf-8").splitlines()
    only_2004 = [lines[0], *(line for line in lines if "2004-12-26" in line)]
    (tmp_path / "diaspora-voting" / FILE).write_text("\n".join(only_2004) + "\n", encoding="utf-8")
    found = diaspora_voting.load_turnout(tmp_path)
    assert found.values.empty
    assert found.skipped.to_numpy().tolist() == [
        [
            FILE,
            "UKR Presidential election (repeat runoff) 2004-12-26",
            "diaspora_turnout: election of 2004, before 2010",
        ]
    ]
