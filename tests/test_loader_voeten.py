"""The fixture holds real rows of the June 2024 file, edited in four places: GBR session 78 has an
empty USAgree, DEU session 77 and CHN session 78 have ChinaAgree NA, and the DDR row (a code that
is not ISO 3166-1) is made up."""

from pathlib import Path

import pytest

from indicators.loaders import SKIPPED_COLUMNS, voeten

SOURCES = Path(__file__).parent / "fixtures" / "sources"
FILE_NAME = "IdealpointestimatesAll_Jun2024.csv"


@pytest.fixture(scope="module")
def result():
    return voeten.load(SOURCES)


def value(values, iso3, indicator, year):
    match = values[
        (values["iso3"] == iso3) & (values["indicator"] == indicator) & (values["year"] == year)
    ]
    assert len(match) == 1, f"expected one value for {iso3} {indicator} {year}"
    return match.iloc[0]


@pytest.mark.parametrize(
    ("iso3", "indicator", "year", "expected"),
    [
        ("RUS", "unga_ideal_point", 2023, -0.5316102),
        ("RUS", "unga_agreement_usa", 2023, 0.1744186),
        ("RUS", "unga_agreement_chn", 2023, 0.6823529),
        ("RUS", "unga_ideal_point", 2022, -0.5057471),
        ("DEU", "unga_ideal_point", 2023, 1.33508),
        ("DEU", "unga_agreement_rus", 2023, 0.3372093),
        ("DEU", "unga_agreement_usa", 2022, 0.6477273),
        ("USA", "unga_ideal_point", 2023, 2.500157),
        ("CHN", "unga_agreement_rus", 2023, 0.6823529),
        ("NAM", "unga_agreement_chn", 2023, 0.7407407),  # Namibia is not read as missing
        ("SRB", "unga_ideal_point", 2023, 0.4641616),  # coded YUG in the file
        ("TUR", "unga_agreement_rus", 2022, 0.5294118),
        ("GBR", "unga_agreement_rus", 2023, 0.3411765),
    ],
)
def test_values_as_published(result, iso3, indicator, year, expected):
    assert value(result.values, iso3, indicator, year)["value"] == pytest.approx(expected)


def test_year_is_1945_plus_session(result):
    assert set(result.values["year"]) == {2022, 2023}  # sessions 77 and 78


SELF = "agreement of {} with itself is not a measure of alignment"


def test_notes_give_votes_and_self_agreement_is_not_loaded(result):
    assert value(result.values, "DEU", "unga_ideal_point", 2023)["note"] == "87 recorded votes"
    own = result.values[
        (result.values["iso3"] == "RUS") & (result.values["indicator"] == "unga_agreement_rus")
    ]
    assert own.empty


def test_missing_cells_stay_missing(result):
    values = result.values
    missing = [
        ("GBR", "unga_agreement_usa", 2023),
        ("DEU", "unga_agreement_chn", 2022),
        ("CHN", "unga_agreement_chn", 2023),
    ]
    for iso3, indicator, year in missing:
        rows = values[
            (values["iso3"] == iso3) & (values["indicator"] == indicator) & (values["year"] == year)
        ]
        assert rows.empty


def test_rows_with_fewer_than_20_votes_are_left_out(result):
    assert not ((result.values["iso3"] == "TUR") & (result.values["year"] == 2023)).any()


def test_years_before_2010_are_dropped_without_report(result):
    assert result.values["year"].min() >= 2010
    assert not result.skipped["row"].str.contains("session (?:1|64)$").any()


def test_skipped_rows_with_reasons(result):
    assert list(result.skipped.columns) == SKIPPED_COLUMNS
    assert set(map(tuple, result.skipped.to_numpy())) == {
        (FILE_NAME, "TUR session 78", "only 2 recorded votes in session 78"),
        (FILE_NAME, "GBR session 78", "USAgree is empty"),
        (FILE_NAME, "DEU session 77", "ChinaAgree is NA"),
        (
            FILE_NAME,
            "DDR",
            "code 'DDR' (German Democratic Republic) is not an ISO 3166-1 code, session 65",
        ),
        *(
            (FILE_NAME, f"{iso3} session {session}", f"{column}: {SELF.format(iso3)}")
            for iso3, column, session in [
                ("RUS", "RUSSAgree", 77),
                ("RUS", "RUSSAgree", 78),
                ("CHN", "ChinaAgree", 78),
                ("USA", "USAgree", 78),
            ]
        ),
    }


def test_the_four_indicators_are_given(result):
    assert set(result.values["indicator"]) == {
        "unga_ideal_point",
        "unga_agreement_rus",
        "unga_agreement_chn",
        "unga_agreement_usa",
    }
